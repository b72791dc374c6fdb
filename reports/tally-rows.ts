import type { ReplayResults } from './replay-results.js';
import { TaskTally, type TaskCounters } from './task-tally.js';

/** How many leading task rows a replay that kept every row reports: those submitted up to the horizon. */
export function keptRowCount(r: ReplayResults): number {
  const t = r.tasks;
  let n = 0;
  while (n < t.count && !(t.submit[n] > r.horizon)) n++;
  return n;
}

/** Row `i`'s dynamics counters written into `c` (undefined when the dynamics did not run). */
export function countersAt(r: ReplayResults, i: number, c: TaskCounters): TaskCounters | undefined {
  const dyn = r.dynamics;
  if (!dyn) return undefined;
  c.evictions = dyn.evictions[i];
  c.oomKills = dyn.oomKills[i];
  c.throttledCpuSeconds = dyn.throttledCpuSeconds[i];
  c.lostWorkSeconds = dyn.lostWorkSeconds[i];
  c.peakMemory = dyn.peakMemory[i];
  return c;
}

export function emptyCounters(): TaskCounters {
  return { evictions: 0, oomKills: 0, throttledCpuSeconds: 0, lostWorkSeconds: 0, peakMemory: NaN };
}

/** The tally of a replay that kept every row: its rows fed in id order (tasks submitted up to the horizon). */
export function tallyRows(r: ReplayResults): TaskTally {
  const t = r.tasks;
  const D = r.cluster.dims;
  const tally = new TaskTally(D, r.dynamics !== undefined);
  const c = emptyCounters();
  const n = keptRowCount(r);
  for (let i = 0; i < n; i++) {
    tally.addRow(t, i, countersAt(r, i, c));
    if (t.request) tally.addSubmitted(t.request, i * D, t.missing !== undefined && t.missing[i] === 1);
  }
  return tally;
}
