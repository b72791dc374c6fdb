import { ImportanceOrder } from './victim-order.js';
import { PdbPartition, type DisruptionBudgetView } from './pdb-violations.js';
import { roomFits, roomFitsWithout } from './room.js';

/** The columns victim selection reads: admission vectors (flat, `task * dims + d`), priorities, start times. */
export interface VictimColumns {
  readonly dims: number;
  readonly vectors: Float64Array;
  readonly priority: Int32Array;
  readonly start: Float64Array;
}

/**
 * kube-scheduler's DefaultPreemption SelectVictimsOnNode
 * (pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go):
 * 1. remove every pod of lower priority than the preemptor (the potential victims); if the
 *    preemptor does not fit even then, the node is no candidate;
 * 2. sort them most important first (MoreImportantPod), split them into those whose eviction
 *    would violate a PodDisruptionBudget and the others (filterPodsWithPDBViolation);
 * 3. reprieve — add back — the violating ones first, then the others, each from the most
 *    important down, keeping every pod whose return still lets the preemptor fit; the rest are
 *    the victims, and the violating ones among them count as the node's PDB violations.
 * Victims come out most important first (upstream re-sorts them when both groups had pods).
 *
 * Only resources are re-checked while reprieving: the non-resource filters were run on the node
 * with every pod present (Policy.admitsIgnoringResources), so they do not change as pods return
 * (upstream re-runs them; a node where a filter would pass only without some victim — pod
 * anti-affinity or spread against a lower-priority pod — is not found here).
 */
export class KubeVictimSelector {
  /** Victims of the last successful `select`, most important first. */
  victims = new Int32Array(16);
  count = 0;
  pdbViolations = 0;
  private violating = new Uint8Array(16);
  private room = new Float64Array(0);
  private readonly order = new ImportanceOrder();
  private readonly pdb = new PdbPartition();

  /**
   * `potential[0..n)`: the node's pods of lower priority (reordered in place). `free` at
   * `freeOffset`: the node's free room now; `request` at `reqOffset`: what the preemptor needs.
   * Returns false when the preemptor would not fit even without all of them.
   */
  select(
    potential: Int32Array,
    n: number,
    free: Float64Array,
    freeOffset: number,
    request: Float64Array,
    reqOffset: number,
    cols: VictimColumns,
    budgets: DisruptionBudgetView,
  ): boolean {
    const D = cols.dims;
    const vec = cols.vectors;
    if (this.room.length < D) this.room = new Float64Array(D);
    const room = this.room;
    for (let d = 0; d < D; d++) room[d] = free[freeOffset + d];
    for (let i = 0; i < n; i++) {
      const o = potential[i] * D;
      for (let d = 0; d < D; d++) room[d] += vec[o + d];
    }
    this.count = 0;
    this.pdbViolations = 0;
    if (n === 0 || !roomFits(room, request, reqOffset, D)) return false;

    this.order.sort(potential, n, cols.priority, cols.start);
    if (this.violating.length < n) this.violating = new Uint8Array(Math.max(n, this.violating.length * 2));
    if (this.victims.length < n) this.victims = new Int32Array(Math.max(n, this.victims.length * 2));
    const nViolating = this.pdb.split(potential, n, budgets, this.violating);
    // Violating pods first, then the others, each group most important first.
    for (let pass = 0; pass < 2; pass++) {
      const want = pass === 0 ? 1 : 0;
      if (pass === 0 && nViolating === 0) continue;
      for (let i = 0; i < n; i++) {
        if (this.violating[i] !== want) continue;
        const p = potential[i];
        const o = p * D;
        if (roomFitsWithout(room, vec, o, request, reqOffset, D)) {
          for (let d = 0; d < D; d++) room[d] -= vec[o + d];
        } else {
          this.victims[this.count++] = p;
          if (want === 1) this.pdbViolations++;
        }
      }
    }
    if (nViolating > 0 && nViolating < n) this.order.sort(this.victims, this.count, cols.priority, cols.start);
    return this.count > 0;
  }
}
