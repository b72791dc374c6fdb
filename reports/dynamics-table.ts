import type { RunSummary } from './summary.js';
import type { CauseName, DynamicsSummary } from './dynamics-summary.js';
import { renderTable } from './text-table.js';

const num = (x: number): string => x.toLocaleString('en-US');
const num1 = (x: number): string => x.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
/** Violation rates are often small: two decimals of a percent. */
const pct2 = (x: number): string => `${(x * 100).toFixed(2)}%`;
const NA = 'n/a';

/** How each eviction cause reads in the tables (events.csv keeps the DYNAMICS_CAUSE_NAMES). */
const CAUSE_LABELS: Record<CauseName, string> = {
  'eviction-memory-pressure': 'kubelet: memory pressure',
  'eviction-disk-pressure': 'kubelet: disk pressure',
  'oom-limit': 'OOM kill: over limit',
  'oom-node': 'OOM kill: node out of memory',
  throttling: 'throttling',
  'pressure-on': 'pressure on',
  'pressure-off': 'pressure off',
  preemption: 'preemption',
  failure: 'machine failure',
};

/**
 * The dynamics rows of the summary table, one value per run (replay: one, compare: several):
 * evictions with one row per cause modeled in some run, OOM kills, throttled CPU-seconds, lost
 * work, violation rate. A run without dynamics, or a cause a run did not model, shows "n/a".
 * No rows when no run had dynamics.
 */
export function dynamicsRows(runs: RunSummary[]): Array<[string, ...string[]]> {
  if (!runs.some((s) => s.dynamics)) return [];
  const each = (f: (d: DynamicsSummary) => string): string[] => runs.map((s) => (s.dynamics ? f(s.dynamics) : NA));
  const causes = Object.keys(runs.find((s) => s.dynamics)!.dynamics!.evictionsByCause) as CauseName[];
  const shown = causes.filter((c) => runs.some((s) => s.dynamics && s.dynamics.evictionsByCause[c] !== null));
  return [
    ['evictions (all causes)', ...each((d) => num(d.evictionsTotal))],
    ...shown.map((c): [string, ...string[]] => [`  ${CAUSE_LABELS[c]}`, ...each((d) => (d.evictionsByCause[c] === null ? NA : num(d.evictionsByCause[c]!)))]),
    ['OOM kills', ...each((d) => num(d.oomKills))],
    ['throttled CPU-seconds', ...each((d) => (d.throttledCpuSeconds === null ? NA : num1(d.throttledCpuSeconds)))],
    ['lost work (task-seconds)', ...each((d) => num1(d.lostWorkTaskSeconds))],
    ['violation rate', ...each((d) => (d.violationRate === null ? NA : pct2(d.violationRate)))],
    ['memory pressure episodes', ...each((d) => num(d.pressureTransitions.on))],
  ];
}

/**
 * The compact dynamics block under a replay's summary: what was modeled, the per-class table
 * (QoS × band: tasks, scheduled, pending at end, evictions, OOM kills) and, when anything was
 * evicted, the cause × class cells with events.
 */
export function renderDynamics(d: DynamicsSummary): string {
  const settings = Object.entries(d.settings).map(([k, v]) => `${k}=${v}`).join(', ');
  const out = [`node dynamics: ${settings || 'defaults'}`, ''];
  out.push(
    renderTable(
      ['class (QoS / band)', 'tasks', 'scheduled', 'pending at end', 'evictions', 'OOM kills'],
      d.classes.map((c) => [`${c.qos} / ${c.band}`, num(c.tasks), num(c.scheduled), num(c.pendingAtEnd), num(c.evictions), num(c.oomKills)]),
    ),
  );
  if (d.evictionsByClass.length > 0) {
    out.push('');
    out.push(renderTable(['evicted by (cause, QoS / band)', 'count'], d.evictionsByClass.map((e) => [`${CAUSE_LABELS[e.cause]}, ${e.qos} / ${e.band}`, num(e.count)])));
  }
  return out.join('\n') + '\n';
}
