import type { ReplayResults } from './replay-results.js';
import { TaskTally, type TaskCounters } from './task-tally.js';

/** The tally of a replay that kept every row: its rows fed in id order (tasks submitted up to the horizon). */
export function tallyRows(r: ReplayResults): TaskTally {
  const t = r.tasks;
  const D = r.cluster.dims;
  const dyn = r.dynamics;
  const tally = new TaskTally(D, dyn !== undefined);
  const c: TaskCounters = { evictions: 0, oomKills: 0, throttledCpuSeconds: 0, lostWorkSeconds: 0, peakMemory: NaN };
  for (let i = 0; i < t.count; i++) {
    if (t.submit[i] > r.horizon) break;
    if (dyn) {
      c.evictions = dyn.evictions[i];
      c.oomKills = dyn.oomKills[i];
      c.throttledCpuSeconds = dyn.throttledCpuSeconds[i];
      c.lostWorkSeconds = dyn.lostWorkSeconds[i];
      c.peakMemory = dyn.peakMemory[i];
    }
    tally.addRow(t, i, dyn ? c : undefined);
    if (t.request) tally.addSubmitted(t.request, i * D, t.missing !== undefined && t.missing[i] === 1);
  }
  return tally;
}
