/**
 * Per node, the requests of its running tasks summed by priority level: an upper bound on what
 * preemption could free there for a given preemptor without walking the node's pods.
 *
 * Levels are the distinct priorities seen, in order (up to `maxLevels`; Google 2011 has 12, a
 * manifest set a few PriorityClasses). Past that, a new priority joins the level of the largest
 * boundary below it (level 0 when below all), so a level may mix priorities; `minSeen` keeps the
 * lowest priority each level ever held. For a preemptor of priority p the bound sums the levels
 * whose lowest priority is below p (and, under Borg, not production) — always a prefix of the
 * levels: every possible victim is in one of them, so the bound never excludes a node where
 * preemption could succeed.
 *
 * Adding a boundary re-buckets every running task (`rebuild` asks the caller to re-add them), at
 * most `maxLevels` times per run. Flat typed arrays, `(node * maxLevels + level) * dims + d`.
 */
export class PriorityLevelSums {
  readonly dims: number;
  readonly maxLevels: number;
  private bounds: number[] = [];
  private minSeen: number[] = [];
  private sums = new Float64Array(0);
  /** The same, cumulative over the levels: cum[(node · maxLevels + l) · dims + d] = Σ levels 0..l. */
  private cum = new Float64Array(0);
  /** Running tasks per node and level, and per level over the cluster. */
  private counts = new Int32Array(0);
  /**
   * Per node, level and dimension: the largest request of a task there since the level was last
   * empty on the node — at least the largest running now (an upper bound, kept in O(1)).
   */
  private largest = new Float64Array(0);
  private totals: Int32Array;
  private nodeSlots = 0;
  /** False once a priority had to share a level with others (past maxLevels). */
  private exactLevels = true;

  constructor(dims: number, maxLevels = 16) {
    this.dims = dims;
    this.maxLevels = maxLevels;
    this.totals = new Int32Array(maxLevels);
  }

  /** Does every level hold a single priority (so a level's figures are that priority's)? */
  get exact(): boolean {
    return this.exactLevels;
  }

  /** Distinct levels so far. */
  get levels(): number {
    return this.bounds.length;
  }

  ensureNodes(n: number): void {
    if (n <= this.nodeSlots) return;
    const size = Math.max(n, this.nodeSlots * 2, 16);
    const s = new Float64Array(size * this.maxLevels * this.dims);
    s.set(this.sums);
    this.sums = s;
    const cu = new Float64Array(size * this.maxLevels * this.dims);
    cu.set(this.cum);
    this.cum = cu;
    const c = new Int32Array(size * this.maxLevels);
    c.set(this.counts);
    this.counts = c;
    const m = new Float64Array(size * this.maxLevels * this.dims);
    m.set(this.largest);
    this.largest = m;
    this.nodeSlots = size;
  }

  /**
   * Would a task of this priority start a new level? If so the caller calls `addLevel` and then
   * re-adds every running task (the sums are cleared).
   */
  needsLevel(priority: number): boolean {
    if (this.bounds.length >= this.maxLevels) return false;
    return this.bounds[this.search(priority)] !== priority;
  }

  addLevel(priority: number): void {
    const at = this.bounds.length === 0 ? 0 : this.search(priority) + (this.bounds[this.search(priority)] < priority ? 1 : 0);
    this.bounds.splice(at, 0, priority);
    this.minSeen.splice(at, 0, priority);
    // Levels are added only while every level is one priority: the minima are the boundaries
    // again, and the caller re-adds every running task.
    this.sums.fill(0);
    this.cum.fill(0);
    this.counts.fill(0);
    this.largest.fill(0);
    this.totals.fill(0);
    for (let l = 0; l < this.bounds.length; l++) this.minSeen[l] = this.bounds[l];
  }

  /** Adds (`sign` 1) or removes (−1) a running task's vector `vec[off..off+dims)` on `node`. */
  add(node: number, priority: number, vec: Float64Array, off: number, sign: 1 | -1): void {
    const l = this.levelOf(priority);
    if (sign > 0 && this.bounds[l] !== priority) {
      this.exactLevels = false;
      if (priority < this.minSeen[l]) this.minSeen[l] = priority;
    }
    const c = (this.counts[node * this.maxLevels + l] += sign);
    this.totals[l] += sign;
    const o = (node * this.maxLevels + l) * this.dims;
    const D = this.dims;
    for (let m = l; m < this.bounds.length; m++) {
      const oc = (node * this.maxLevels + m) * D;
      for (let d = 0; d < D; d++) this.cum[oc + d] += sign * vec[off + d];
    }
    for (let d = 0; d < D; d++) {
      this.sums[o + d] += sign * vec[off + d];
      if (sign > 0) {
        if (vec[off + d] > this.largest[o + d]) this.largest[o + d] = vec[off + d];
      } else if (c === 0) this.largest[o + d] = 0;
    }
  }

  /**
   * The first level (below `k`) at which the node's room — free plus every task of the levels up
   * to it — holds `req`: −1 when none does, −2 when the free room holds it already. `room` is left
   * at free + the levels below that level, and `below` at their task count.
   */
  firstLevelThatFits(node: number, k: number, free: Float64Array, freeOff: number, req: Float64Array, reqOff: number, room: Float64Array): number {
    const D = this.dims;
    const base = node * this.maxLevels;
    let fits = true;
    for (let d = 0; d < D; d++) {
      room[d] = free[freeOff + d];
      if (req[reqOff + d] > room[d]) fits = false;
    }
    this.below = 0;
    if (fits) return -2;
    for (let l = 0; l < k; l++) {
      const o = (base + l) * D;
      fits = true;
      for (let d = 0; d < D; d++) {
        if (req[reqOff + d] > room[d] + this.sums[o + d]) {
          fits = false;
          break;
        }
      }
      if (fits) return l;
      for (let d = 0; d < D; d++) room[d] += this.sums[o + d];
      this.below += this.counts[base + l];
    }
    return -1;
  }

  /** Tasks in the levels below the one firstLevelThatFits returned. */
  below = 0;

  /** The priority of level `l` (its boundary). */
  bound(l: number): number {
    return this.bounds[l];
  }

  /** The lowest priority level `l` has held. */
  lowest(l: number): number {
    return this.minSeen[l];
  }

  /** The lowest priority of a running task, exact levels only (else −Infinity: not known). */
  lowestRunning(): number {
    if (!this.exactLevels) return -Infinity;
    for (let l = 0; l < this.bounds.length; l++) if (this.totals[l] > 0) return this.bounds[l];
    return -Infinity;
  }

  /**
   * Borg's victim figures on a node without walking its pods, exact levels only: victims are taken
   * lowest priority first until the task fits (BorgVictimSelector), so with the first `k` levels
   * eligible they are every task of the levels below the first level l at which the room
   * (free + levels 0..l) holds `req`, plus enough of level l to cover what is still missing —
   * at least ⌈missing / largest request there⌉ in every dimension. Writes into `out`: [0] the
   * fewest victims possible, [1] the highest victim priority (level l's, exact). Returns false when the node cannot make room (or needs none).
   * Valid only when no task of the node is terminating (those do not count as victims).
   */
  borgFigures(node: number, k: number, free: Float64Array, freeOff: number, req: Float64Array, reqOff: number, room: Float64Array, out: Float64Array): boolean {
    // −2: no victim needed (not a preemption candidate); −1: the node cannot make room.
    const l = this.firstLevelThatFits(node, k, free, freeOff, req, reqOff, room);
    if (l < 0) return false;
    // Victims of level l needed at least: the room still missing over the largest task there.
    const D = this.dims;
    const o = (node * this.maxLevels + l) * D;
    let need = 1;
    for (let d = 0; d < D; d++) {
      const missing = req[reqOff + d] - room[d];
      if (missing > 0) {
        const n = Math.ceil(missing / this.largest[o + d]);
        if (n > need) need = n;
      }
    }
    out[0] = this.below + need;
    out[1] = this.bounds[l];
    return true;
  }

  /** The level a priority is summed in. */
  levelOf(priority: number): number {
    if (this.bounds.length === 0) return 0;
    const i = this.search(priority);
    return this.bounds[i] <= priority ? i : 0;
  }

  /**
   * How many levels, from the lowest, a preemptor of `priority` may free: those whose lowest
   * priority is below it and that `eligible(lowest priority of the level)` accepts (Borg: not
   * production). Levels are sorted and their lowest priorities ascend, and `eligible` is
   * monotone (production is the top of the scale), so the levels that may hold victims are
   * always a prefix.
   */
  prefix(priority: number, eligible?: (lowest: number) => boolean): number {
    let k = 0;
    while (k < this.bounds.length && this.minSeen[k] < priority && (eligible === undefined || eligible(this.minSeen[k]))) k++;
    return k;
  }

  /** A node's room if every task of the first `k` levels left: its free room (`free` at `freeOff`) plus their requests, into `out`. */
  roomOf(node: number, k: number, free: Float64Array, freeOff: number, out: Float64Array): void {
    const D = this.dims;
    const o = (node * this.maxLevels + k - 1) * D;
    for (let d = 0; d < D; d++) out[d] = k > 0 ? free[freeOff + d] + this.cum[o + d] : free[freeOff + d];
  }

  /**
   * Is the node a preemption candidate as far as room goes: the request does not fit its free room
   * now, and fits once every task of the first `k` levels has left? O(dims).
   */
  couldMakeRoom(node: number, k: number, free: Float64Array, freeOff: number, req: Float64Array, reqOff: number): boolean {
    if (k === 0) return false;
    const D = this.dims;
    const o = (node * this.maxLevels + k - 1) * D;
    let fitsNow = true;
    for (let d = 0; d < D; d++) {
      const r = req[reqOff + d];
      const f = free[freeOff + d];
      if (r > f + this.cum[o + d]) return false;
      if (r > f) fitsNow = false;
    }
    return !fitsNow;
  }

  /** Index of the largest boundary ≤ priority, or 0. */
  private search(priority: number): number {
    const b = this.bounds;
    let lo = 0;
    let hi = b.length - 1;
    if (hi < 0 || priority < b[0]) return 0;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (b[mid] <= priority) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
