import type { RunSummary, Stat } from './summary.js';
import { formatDollars, formatPrice } from './cost.js';
import { describePricing } from './pricing.js';
import { dynamicsRows, renderDynamics } from './dynamics-table.js';
import { reactionsRows, renderReactions } from './reactions-table.js';
import { renderTable } from './text-table.js';

export { renderTable } from './text-table.js';

const pct = (x: number | null | undefined): string => (x === null || x === undefined ? 'n/a' : `${(x * 100).toFixed(1)}%`);
const num = (x: number): string => x.toLocaleString('en-US');
/** One decimal with thousands separators: 12,477.0 */
const num1 = (x: number): string => x.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const secs = (x: number | null): string => (x === null ? 'n/a' : `${num1(x)} s`);
const usd = (x: number | null): string => (x === null ? 'n/a' : formatDollars(x));

/** The rows of one or more summaries side by side. */
export function summaryRows(runs: RunSummary[]): Array<[string, ...string[]]> {
  const resources = Object.keys(runs[0].utilization.requested);
  const each = (f: (s: RunSummary) => string): string[] => runs.map(f);
  const stat = (f: (s: RunSummary) => Stat | undefined, which: 'mean' | 'p95'): string[] => each((s) => pct(f(s)?.[which]));
  const rows: Array<[string, ...string[]]> = [
    ['tasks submitted', ...each((s) => num(s.tasks.submitted))],
    ['tasks scheduled', ...each((s) => num(s.tasks.scheduled))],
    ['tasks finished', ...each((s) => num(s.tasks.finished))],
    ['tasks running at end', ...each((s) => num(s.tasks.runningAtEnd))],
    ['tasks pending at end', ...each((s) => num(s.tasks.pendingAtEnd))],
    ['tasks killed', ...each((s) => num(s.tasks.killed))],
    ['scheduling delay mean', ...each((s) => secs(s.schedulingDelaySeconds.mean))],
    ['scheduling delay p50', ...each((s) => secs(s.schedulingDelaySeconds.p50))],
    ['scheduling delay p95', ...each((s) => secs(s.schedulingDelaySeconds.p95))],
    ['scheduling delay p99', ...each((s) => secs(s.schedulingDelaySeconds.p99))],
  ];
  // Why tasks wait: one row per kube-scheduler reason, with the pending tasks it applies to.
  const reasons = [...new Set(runs.flatMap((s) => Object.keys(s.tasks.pendingReasons ?? {})))];
  rows.splice(
    rows.findIndex((r) => r[0] === 'tasks pending at end') + 1,
    0,
    ...reasons.map((reason): [string, ...string[]] => [`  ${reason}`, ...each((s) => num(s.tasks.pendingReasons?.[reason] ?? 0))]),
  );
  for (const r of resources) {
    rows.push([`${r} requested (mean)`, ...stat((s) => s.utilization.requested[r], 'mean')]);
    rows.push([`${r} requested (p95)`, ...stat((s) => s.utilization.requested[r], 'p95')]);
    // Nothing ran: there was no usage to measure, so used utilization is n/a (not 0.0%).
    rows.push([`${r} used (mean)`, ...stat((s) => (s.tasks.scheduled > 0 ? s.utilization.used[r] : undefined), 'mean')]);
    rows.push([`${r} used (p95)`, ...stat((s) => (s.tasks.scheduled > 0 ? s.utilization.used[r] : undefined), 'p95')]);
  }
  rows.push(
    ['nodes (mean up)', ...each((s) => num1(s.nodes.mean))],
    ['nodes busy (mean)', ...each((s) => num1(s.nodes.meanBusy))],
    ['nodes busy (peak)', ...each((s) => num(s.nodes.peakBusy))],
    ['busy node-hours', ...each((s) => num1(s.cost.busyNodeHours))],
    ['cost per year', ...each((s) => usd(s.cost.perYear))],
    ['idle cost/yr (requested)', ...each((s) => usd(s.cost.idlePerYearRequested))],
    ['idle cost/yr (used)', ...each((s) => usd(s.cost.idlePerYearUsed))],
    ['busy-node cost per year', ...each((s) => usd(s.cost.busyPerYear))],
  );
  rows.push(...packingRows(runs));
  rows.push(...dynamicsRows(runs));
  rows.push(...reactionsRows(runs));
  if (runs.some((s) => s.recorded)) {
    rows.push(
      ['recorded starts replayed', ...each((s) => (s.recorded ? num(s.recorded.started) : ''))],
      ['  over free capacity', ...each((s) => (s.recorded ? num(s.recorded.overCapacity) : ''))],
      ['  on unknown/down machine', ...each((s) => (s.recorded ? num(s.recorded.machineMissing) : ''))],
    );
  }
  return rows;
}

/**
 * Verma et al.'s packing metrics at the end of the replay (reports/packing-metrics.ts): per
 * resource the free capacity stranded (another resource exhausted) and fragmented (holes too small
 * for any task), then the inflation headroom in place and its fluid bound.
 */
function packingRows(runs: RunSummary[]): Array<[string, ...string[]]> {
  if (!runs.some((s) => s.packing)) return [];
  const resources = [...new Set(runs.flatMap((s) => Object.keys(s.packing?.perResource ?? {})))];
  const each = (f: (s: RunSummary) => string): string[] => runs.map(f);
  const rows: Array<[string, ...string[]]> = [
    ['full nodes at end', ...each((s) => (s.packing ? num(s.packing.fullNodes) : ''))],
  ];
  for (const r of resources) {
    rows.push([`${r} stranded at end`, ...each((s) => (s.packing?.perResource[r] ? pct(s.packing.perResource[r].stranded) : ''))]);
    rows.push([`${r} fragmented at end`, ...each((s) => (s.packing?.perResource[r] ? pct(s.packing.perResource[r].fragmented) : ''))]);
  }
  rows.push(
    ['inflation headroom (in place)', ...each((s) => (s.packing ? pct(s.packing.inflationHeadroom.inPlace) : ''))],
    ['inflation headroom (fluid)', ...each((s) => (s.packing ? pct(s.packing.inflationHeadroom.fluidBound) : ''))],
  );
  return rows;
}

/**
 * The window and the fleet as priced: "window 19.64 h, 12,477 machines at the start" then one
 * line per pricing rule with the real shapes (reports/pricing.ts), e.g. "12,583 machines priced
 * as the cheapest catalog instance covering their shape: 6,732 × 16 cores, 63.9 GiB → m5.4xlarge
 * $0.768/h; ..." — not "N nodes of <one instance>".
 */
export function fleetLines(s: RunSummary): string[] {
  const hours = (x: number) => x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const window =
    `window ${hours(s.windowHours)} h` +
    (s.windowStartHours > 0 ? ` from trace time ${hours(s.windowStartHours)} h (a mid-trace slice)` : '') +
    `, ${num(s.nodes.initial)} machine${s.nodes.initial === 1 ? '' : 's'} at the start`;
  const prices = `(${s.cost.region}, prices of ${s.cost.priceDate})`;
  const rules = s.cost.pricing?.rules.length ? describePricing(s.cost.pricing) : [];
  if (rules.length === 0) return [`${window}, each ${s.cost.instance} at ${formatPrice(s.cost.pricePerHour)}/h ${prices}`];
  return [`${window} ${prices}`, ...rules.map((r) => `pricing: ${r}`)];
}

export function renderSummary(s: RunSummary): string {
  const head = `schedlab replay — policy ${s.policy}, workload ${s.workload}, seed ${s.seed}\n` + fleetLines(s).join('\n') + '\n';
  return head + '\n' + renderTable(['', s.policy], summaryRows([s])) + '\n' + (s.dynamics ? '\n' + renderDynamics(s.dynamics) : '') + (s.reactions ? '\n\n' + renderReactions(s.reactions) : '');
}
