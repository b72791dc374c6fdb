import type { RunSummary } from './summary.js';
import type { ReactionsSummary } from './reactions-summary.js';
import { renderTable } from './text-table.js';

const num = (x: number): string => x.toLocaleString('en-US');
const num1 = (x: number): string => x.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const pct = (x: number | null): string => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);
const money = (x: number): string => `$${x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const NA = 'n/a';
/** Workloads listed in the terminal (the summary keeps more, the CSV all). */
const TERMINAL_WORKLOADS = 10;

/**
 * The reactions rows of the summary table, one value per run (compare: several): preemptions and
 * victims with their lost work, availability, node failures, autoscaler nodes, admission
 * rejections. A run where a model was off shows "n/a"; no rows when no run modeled it.
 */
export function reactionsRows(runs: RunSummary[]): Array<[string, ...string[]]> {
  const rows: Array<[string, ...string[]]> = [];
  const has = (k: keyof ReactionsSummary): boolean => runs.some((s) => s.reactions?.[k] !== undefined);
  const each = <K extends keyof ReactionsSummary>(k: K, f: (v: NonNullable<ReactionsSummary[K]>) => string): string[] =>
    runs.map((s) => (s.reactions?.[k] === undefined ? NA : f(s.reactions[k] as NonNullable<ReactionsSummary[K]>)));
  if (has('preemption')) {
    rows.push(['preemptions', ...each('preemption', (p) => num(p.preemptions))]);
    rows.push(['  victims', ...each('preemption', (p) => num(p.victims))]);
    rows.push(['  victims\' lost work (task-seconds)', ...each('preemption', (p) => num1(p.lostWorkSeconds))]);
  }
  if (has('availability')) {
    rows.push(['availability (mean over workloads)', ...each('availability', (a) => pct(a.meanAvailability))]);
    rows.push(['  worst workload', ...each('availability', (a) => pct(a.worstAvailability))]);
    rows.push(['  workloads with no ready pod at some time', ...each('availability', (a) => num(a.workloadsEverDown))]);
  }
  if (has('failures')) {
    rows.push(['node failures', ...each('failures', (f) => num(f.nodeFailures))]);
    rows.push(['  taint-based evictions', ...each('failures', (f) => num(f.taintEvictions))]);
    rows.push(['  work lost to failures (task-seconds)', ...each('failures', (f) => num1(f.lostWorkSeconds))]);
  }
  if (has('autoscaler')) {
    rows.push(['autoscaler nodes added / removed', ...each('autoscaler', (a) => `${num(a.nodesAdded)} / ${num(a.nodesRemoved)}`)]);
  }
  if (has('admission')) {
    rows.push(['pods refused by admission', ...each('admission', (a) => num(a.podsRejected))]);
  }
  if (runs.some((s) => s.reactions)) {
    rows.push(['tasks failed / rejected', ...runs.map((s) => (s.reactions ? `${num(s.reactions.failedTasks)} / ${num(s.reactions.rejectedTasks)}` : NA))]);
  }
  return rows;
}

/** The reactions block under a replay's summary: settings, then one small table per model that ran. */
export function renderReactions(x: ReactionsSummary): string {
  const settings = Object.entries(x.settings).map(([k, v]) => `${k}=${v}`).join(', ');
  const out = [`cluster reactions: ${settings || 'defaults'}`];
  const p = x.preemption;
  if (p) {
    out.push('', `preemption (${p.mode}): ${num(p.preemptions)} preemptions, ${num(p.victims)} victims, ${num(p.pdbViolations)} PodDisruptionBudget violations; search examined ${num(p.nodesExamined)} nodes in ${num(p.searches)} searches`);
    const bands = Object.keys(p.victimsByBand).filter((b) => p.victimsByBand[b] > 0 || p.preemptorsByBand[b] > 0);
    if (bands.length > 0) {
      out.push(renderTable(['band', 'preemptors', 'victims', 'victims\' lost work (s)'], bands.map((b) => [b, num(p.preemptorsByBand[b]), num(p.victimsByBand[b]), num1(p.lostWorkSecondsByBand[b])])));
    }
    const qos = Object.entries(p.victimsByQos).filter(([, v]) => v > 0);
    if (qos.length > 0) out.push(`victims by QoS class: ${qos.map(([q, v]) => `${q} ${num(v)}`).join(', ')}`);
  }
  const a = x.availability;
  if (a && (a.workloads.length > 0 || a.byKind.length > 0)) {
    out.push('', `availability (ready / desired, time-weighted): mean ${pct(a.meanAvailability)} over ${num(a.workloadCount)} workloads; Jobs succeeded ${num(a.jobsSucceeded)}, failed ${num(a.jobsFailed)}`);
    const list = a.workloads.length > 0 ? a.workloads.slice(0, TERMINAL_WORKLOADS) : a.byKind;
    out.push(
      renderTable(
        ['workload', 'kind', 'desired', 'mean', 'min', 'degraded (s)', 'lost', 'recreated'],
        list.map((w) => [w.name, w.kind, num(w.desired), pct(w.meanAvailability), pct(w.minAvailability), num1(w.degradedSeconds), num(w.lost), num(w.recreated)]),
      ),
    );
    if (a.workloadCount > list.length && a.workloads.length > 0) out.push(`(the ${num(list.length)} least available of ${num(a.workloadCount)}; availability.csv has every workload)`);
  }
  const f = x.failures;
  if (f) {
    out.push('', `failures: ${num(f.nodeFailures)} node failures (${num(f.zoneOutages)} zone outages), ${num(f.nodeRecoveries)} recoveries, ${num1(f.downNodeHours)} node-hours down, ${num(f.taintEvictions)} pods evicted by the node lifecycle controller, ${num1(f.lostWorkSeconds)} task-seconds of work lost`);
  }
  const s = x.autoscaler;
  if (s) {
    out.push('', `autoscaler (${s.mode}): ${num(s.scaleUps)} scale-ups, ${num(s.nodesAdded)} nodes added, ${num(s.nodesRemoved)} removed${s.replacements > 0 ? `, ${num(s.replacements)} replaced` : ''}; ${num(s.unhelpable)} pods no group could fit`);
    if (s.groups.length > 0) {
      out.push(renderTable(['group', 'instance', 'zone', 'node-hours', 'cost', 'peak', 'added', 'removed'], s.groups.map((g) => [g.group, g.instanceType, g.zone ?? '', num1(g.nodeHours), money(g.cost), num(g.peakNodes), num(g.added), num(g.removed)])));
    }
  }
  const ad = x.admission;
  if (ad) {
    const reasons = Object.entries(ad.rejectedByReason).sort((u, v) => v[1] - u[1]);
    out.push('', `admission: ${num(ad.podsRejected)} pods refused, ${num(ad.waitingAtEnd)} still waiting for quota at the end`);
    if (reasons.length > 0) out.push(renderTable(['reason', 'refusals'], reasons.slice(0, 20).map(([r, n]) => [r, num(n)])));
  }
  return out.join('\n') + '\n';
}
