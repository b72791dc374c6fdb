import { isProductionBand, type PriorityBand } from '../../model/priority-bands.js';
import { sortTasks } from './sort-tasks.js';
import { roomFits } from './room.js';
import type { VictimColumns } from './kube-victims.js';

/**
 * Borg's rule for who may be preempted (Verma et al., EuroSys'15 §2.5; ../shared/docs/models.md
 * § Borg): only strictly lower priority, and never a task in the production band or above
 * (production never preempts production; monitoring is production too).
 */
export function borgMayPreempt(preemptorPriority: number, victimPriority: number, victimBand: PriorityBand): boolean {
  return victimPriority < preemptorPriority && !isProductionBand(victimBand);
}

/**
 * Borg's victims on one machine (EuroSys'15 §3.2: "Borg preempts (kills) lower-priority tasks,
 * from lowest to highest priority, until it does [fit]"): the eligible tasks lowest priority
 * first — at equal priority the one started last, which loses the least work, and at equal start
 * the one submitted last (the higher task number; schedlab's tie-breaks) — taken until the
 * preemptor fits.
 */
export class BorgVictimSelector {
  victims = new Int32Array(16);
  count = 0;
  private room = new Float64Array(0);
  private priority: Int32Array = new Int32Array(0);
  private start: Float64Array = new Float64Array(0);
  private readonly before = (a: number, b: number): boolean => {
    const pa = this.priority[a];
    const pb = this.priority[b];
    if (pa !== pb) return pa < pb;
    const sa = this.start[a];
    const sb = this.start[b];
    if (sa !== sb) return sa > sb;
    return a > b;
  };

  /** As KubeVictimSelector.select: `eligible[0..n)` are reordered; false = it does not fit even without all. */
  select(eligible: Int32Array, n: number, free: Float64Array, freeOffset: number, request: Float64Array, reqOffset: number, cols: VictimColumns): boolean {
    const D = cols.dims;
    const vec = cols.vectors;
    if (this.room.length < D) this.room = new Float64Array(D);
    const room = this.room;
    this.count = 0;
    for (let d = 0; d < D; d++) room[d] = free[freeOffset + d];
    for (let i = 0; i < n; i++) for (let d = 0; d < D; d++) room[d] += vec[eligible[i] * D + d];
    if (n === 0 || !roomFits(room, request, reqOffset, D)) return false;
    for (let d = 0; d < D; d++) room[d] = free[freeOffset + d];
    this.priority = cols.priority;
    this.start = cols.start;
    sortTasks(eligible, n, this.before);
    if (this.victims.length < n) this.victims = new Int32Array(Math.max(n, this.victims.length * 2));
    for (let i = 0; i < n && !roomFits(room, request, reqOffset, D); i++) {
      const v = eligible[i];
      this.victims[this.count++] = v;
      for (let d = 0; d < D; d++) room[d] += vec[v * D + d];
    }
    return this.count > 0;
  }
}
