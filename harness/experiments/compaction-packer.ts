import type { CompactionInstance } from './compaction-instance.js';

/**
 * Re-packs a compaction instance from scratch onto a subset of its cell (the first `k` machines of
 * a given order) and counts the tasks left pending. The packer (a choice of ours; Borg re-packs
 * with its own scheduler, ../shared/docs/experiments.md § Borg cell compaction):
 * - order: priority first (larger first, as Borg's pending queue), then larger tasks first
 *   (size = the largest share of the cell's mean machine over the resources), then by job, so the
 *   tasks of one job and shape are consecutive;
 * - placement: first fit over the machines in the given order (the random removal order, so a seed
 *   changes both which machines remain and where tasks go), found in O(log k) by a segment tree of
 *   per-dimension free maxima;
 * - the different-machines restriction (Google 2011): a task of such a job skips machines that
 *   hold one of its job's tasks. It is hard, except for jobs with more tasks than half the
 *   machines of the original cell, where it is soft (../shared/docs/experiments.md: "turn hard
 *   constraints soft for jobs larger than half the cell"): a machine without the job is looked for
 *   first, and any machine is taken when none is left. Half of the *original* cell, not of the
 *   candidate: relative to the candidate, shrinking the cell could turn a hard constraint soft and
 *   make a smaller cell fit where a larger one does not, which the binary search cannot handle.
 * - node eligibility (`CompactionInstance.eligible`: node name, node selector, required node
 *   affinity, untolerated NoSchedule/NoExecute taints): hard or soft by the same rule, a machine
 *   the job may not use skipped (hard) or used only when no eligible one is left (soft).
 * Stops counting once more than `allowedPending` tasks are pending (the answer is then "no").
 */
/** Instances up to this many tasks are decided exactly when the first fit leaves too many pending. */
export const EXACT_MAX_TASKS = 12;
/** Search steps the exact decision may take before the first fit's answer stands. */
export const EXACT_MAX_STEPS = 200_000;

export class CompactionPacker {
  /** Dimensions some task requests (the others constrain nothing), and their count. */
  private readonly D: number;
  /** Requests in packing order (`j * D + a` over the requested dimensions) and machine allocatable the same way. */
  private readonly req: Float64Array;
  private readonly cap: Float64Array;
  private readonly jobOf: Int32Array;
  private readonly order: Int32Array;
  /** Per task in `order`: 1 when it has the same job and request as the task before it. */
  private readonly sameAsPrev: Uint8Array;
  private readonly jobSize = new Map<number, number>();

  constructor(private readonly inst: CompactionInstance) {
    const D = inst.dims;
    const mean = new Float64Array(D);
    for (let m = 0; m < inst.machineCount; m++) for (let d = 0; d < D; d++) mean[d] += inst.capacity[m * D + d] / inst.machineCount;
    const size = new Float64Array(inst.taskCount);
    for (let i = 0; i < inst.taskCount; i++) {
      let s = 0;
      for (let d = 0; d < D; d++) if (mean[d] > 0) s = Math.max(s, inst.request[i * D + d] / mean[d]);
      size[i] = s;
    }
    const idx = Array.from({ length: inst.taskCount }, (_, i) => i);
    idx.sort((x, y) => inst.priority[y] - inst.priority[x] || size[y] - size[x] || inst.job[x] - inst.job[y] || x - y);
    this.order = Int32Array.from(idx);
    this.sameAsPrev = new Uint8Array(inst.taskCount);
    for (let j = 1; j < idx.length; j++) {
      const p = idx[j - 1];
      const t = idx[j];
      let same = inst.job[p] === inst.job[t];
      for (let d = 0; same && d < D; d++) same = inst.request[p * D + d] === inst.request[t * D + d];
      this.sameAsPrev[j] = same ? 1 : 0;
    }
    const act: number[] = [];
    for (let d = 0; d < D; d++) {
      let used = false;
      for (let i = 0; !used && i < inst.taskCount; i++) used = inst.request[i * D + d] > 0;
      if (used) act.push(d);
    }
    if (act.length === 0) act.push(0);
    const A = act.length;
    this.D = A;
    this.req = new Float64Array(inst.taskCount * A);
    this.jobOf = new Int32Array(inst.taskCount);
    idx.forEach((t, j) => {
      for (let a = 0; a < A; a++) this.req[j * A + a] = inst.request[t * D + act[a]];
      this.jobOf[j] = inst.job[t];
    });
    this.cap = new Float64Array(inst.machineCount * A);
    for (let m = 0; m < inst.machineCount; m++) for (let a = 0; a < A; a++) this.cap[m * A + a] = inst.capacity[m * D + act[a]];
    for (const j of inst.differentMachines) this.jobSize.set(j, 0);
    for (const j of inst.eligible.keys()) this.jobSize.set(j, 0);
    for (let i = 0; i < inst.taskCount; i++) {
      const c = this.jobSize.get(inst.job[i]);
      if (c !== undefined) this.jobSize.set(inst.job[i], c + 1);
    }
  }

  /**
   * Tasks left pending on machines `machines[0..k)`, or a number above `allowedPending` once that
   * is certain. Small instances (at most EXACT_MAX_TASKS tasks) that the first fit does not fit are
   * decided exactly: every assignment is searched (within EXACT_MAX_STEPS steps; past that the
   * first fit's answer stands), so a cell that fits by any packing counts as fitting.
   */
  pendingOn(machines: Int32Array, k: number, allowedPending: number): number {
    const p = this.firstFitPending(machines, k, allowedPending);
    if (p <= allowedPending || this.req.length / this.D > EXACT_MAX_TASKS) return p;
    return this.exactPending(machines, k, allowedPending) ?? p;
  }

  /**
   * Depth-first search over assignments in the packing order (each task on a machine with room, or
   * pending while the allowance lasts), machines with the same free amounts (and the same hold on
   * the task's job) tried once. The pending count of the first assignment within the allowance,
   * allowedPending + 1 when none exists, undefined when the step budget ran out.
   */
  private exactPending(machines: Int32Array, k: number, allowedPending: number): number | undefined {
    const { D, cap, req, jobOf } = this;
    const n = req.length / D;
    const free = new Float64Array(k * D);
    for (let i = 0; i < k; i++) for (let d = 0; d < D; d++) free[i * D + d] = cap[machines[i] * D + d];
    const holds = new Map<number, Uint8Array>();
    for (const j of this.jobSize.keys()) holds.set(j, new Uint8Array(k));
    let steps = 0;
    const go = (t: number, pending: number): number | undefined => {
      if (++steps > EXACT_MAX_STEPS) return undefined;
      if (t === n) return pending;
      const jobTasks = this.jobSize.get(jobOf[t]);
      const hard = jobTasks !== undefined && jobTasks <= this.inst.machineCount / 2;
      const own = this.inst.differentMachines.has(jobOf[t]) ? holds.get(jobOf[t]) : undefined;
      const hold = hard ? own : undefined;
      const mask = hard ? this.inst.eligible.get(jobOf[t]) : undefined;
      const tried = new Set<string>();
      for (let m = 0; m < k; m++) {
        if (hold?.[m] || (mask !== undefined && !mask[machines[m]])) continue;
        let fits = true;
        for (let d = 0; fits && d < D; d++) fits = req[t * D + d] <= free[m * D + d];
        if (!fits) continue;
        const key = Array.from(free.subarray(m * D, m * D + D)).join(',') + (own ? `|${own[m]}` : '') + (mask ? `|${machines[m]}` : '');
        if (tried.has(key)) continue;
        tried.add(key);
        for (let d = 0; d < D; d++) free[m * D + d] -= req[t * D + d];
        const was = own?.[m] ?? 0;
        if (own) own[m] = 1;
        const r = go(t + 1, pending);
        for (let d = 0; d < D; d++) free[m * D + d] += req[t * D + d];
        if (own) own[m] = was;
        if (r === undefined || r <= allowedPending) return r;
      }
      if (pending < allowedPending) return go(t + 1, pending + 1);
      return allowedPending + 1;
    };
    return go(0, 0);
  }

  private firstFitPending(machines: Int32Array, k: number, allowedPending: number): number {
    const { D, cap, req: reqs, jobOf } = this;
    let size = 1;
    while (size < k) size *= 2;
    // tree[node * D + d]: largest free amount of d among the node's machines; leaves at size + i.
    const tree = new Float64Array(2 * size * D).fill(-1);
    for (let i = 0; i < k; i++) for (let d = 0; d < D; d++) tree[(size + i) * D + d] = cap[machines[i] * D + d];
    for (let v = size - 1; v >= 1; v--) for (let d = 0; d < D; d++) tree[v * D + d] = Math.max(tree[2 * v * D + d], tree[(2 * v + 1) * D + d]);
    const req = new Float64Array(D);
    const fitsAt = (v: number): boolean => {
      for (let d = 0; d < D; d++) if (tree[v * D + d] < req[d]) return false;
      return true;
    };
    // Leftmost leaf i ≥ from whose free fits req, or -1.
    const find = (v: number, lo: number, hi: number, from: number): number => {
      if (hi < from || !fitsAt(v)) return -1;
      if (v >= size) return lo;
      const mid = (lo + hi) >> 1;
      const l = find(2 * v, lo, mid, from);
      return l >= 0 ? l : find(2 * v + 1, mid + 1, hi, from);
    };
    const take = (leaf: number): void => {
      let v = size + leaf;
      for (let d = 0; d < D; d++) tree[v * D + d] -= req[d];
      // Up the path while some maximum changes (usually a few levels: the sibling holds the max).
      for (v >>= 1; v >= 1; v >>= 1) {
        let changed = false;
        for (let d = 0; d < D; d++) {
          const m = Math.max(tree[2 * v * D + d], tree[(2 * v + 1) * D + d]);
          if (m !== tree[v * D + d]) {
            tree[v * D + d] = m;
            changed = true;
          }
        }
        if (!changed) break;
      }
    };
    const used = new Map<number, Set<number>>();
    let pending = 0;
    let prevLeaf = -1;
    let prevHard = false;
    let prevFailed = false;
    for (let j = 0; j < this.order.length; j++) {
      for (let d = 0; d < D; d++) req[d] = reqs[j * D + d];
      const job = jobOf[j];
      const jobTasks = this.jobSize.get(job);
      const restricted = jobTasks !== undefined;
      const hard = restricted && jobTasks <= this.inst.machineCount / 2;
      const apart = restricted && this.inst.differentMachines.has(job);
      const mask = restricted ? this.inst.eligible.get(job) : undefined;
      // Machines before the previous task's were too full for this shape (or held its job) and have
      // only filled up since: start there (one past it when that machine holds the job already).
      if (this.sameAsPrev[j] === 1 && prevFailed) {
        // The same job and shape found no machine a moment ago, and nothing has been freed since.
        if (++pending > allowedPending) return pending;
        continue;
      }
      const same = this.sameAsPrev[j] === 1 && prevLeaf >= 0;
      let from = same ? (apart && prevHard ? prevLeaf + 1 : prevLeaf) : 0;
      let leaf = -1;
      if (restricted) {
        const mine = used.get(job) ?? new Set<number>();
        used.set(job, mine);
        for (;;) {
          leaf = find(1, 0, size - 1, from);
          if (leaf < 0 || !((apart && mine.has(leaf)) || (mask !== undefined && !mask[machines[leaf]]))) break;
          from = leaf + 1;
        }
        // Soft: a machine that holds the job already, or that the job would not choose, is still better than pending.
        if (leaf < 0 && !hard) leaf = find(1, 0, size - 1, 0);
        if (leaf >= 0) mine.add(leaf);
      } else {
        leaf = find(1, 0, size - 1, from);
      }
      prevFailed = leaf < 0;
      if (leaf < 0) {
        prevLeaf = -1;
        if (++pending > allowedPending) return pending;
        continue;
      }
      take(leaf);
      prevLeaf = leaf;
      prevHard = hard;
    }
    return pending;
  }
}
