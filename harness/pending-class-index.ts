/**
 * Which waiting class, in queue order, is the next one that could fit a given free vector: a segment
 * tree over the positions of one queue level's classes holding, for every subtree, the smallest
 * request in each dimension. `nextFit(from, free)` descends only into subtrees whose minima fit under
 * the free vector, leftmost first, so finding the next class the room a finished task left could
 * take costs about O(D · log C) instead of a check of every waiting class — the reverse of the node
 * feasibility index (harness/node-index.ts). It is why a scheduling pass after one task finishes no
 * longer visits every blocked class: Borg retries an equivalence class when capacity it could use
 * appears (Verma et al., EuroSys'15 §3.4).
 *
 * Minima per dimension are a necessary condition only; leaves are checked exactly.
 */
export class PendingClassIndex {
  private readonly dims: number;
  private leaves = 0;
  /** min request per dim per tree slot: tree[slot * dims + d]; slot 1 is the root; +Infinity = empty. */
  private tree = new Float64Array(0);

  constructor(dims: number, capacity = 16) {
    this.dims = dims;
    this.resize(Math.max(1, capacity));
  }

  /** Stores `shape` (dims values) at position `pos`, growing as needed. */
  set(pos: number, shape: Float64Array): void {
    if (pos >= this.leaves) {
      let n = this.leaves;
      while (n <= pos) n *= 2;
      this.resize(n);
    }
    const D = this.dims;
    const leaf = pos + this.leaves;
    for (let d = 0; d < D; d++) this.tree[leaf * D + d] = shape[d];
    this.pullUp(leaf);
  }

  /** Empties position `pos` (it never fits again until set). */
  clear(pos: number): void {
    if (pos >= this.leaves) return;
    const D = this.dims;
    const leaf = pos + this.leaves;
    this.tree.fill(Infinity, leaf * D, leaf * D + D);
    this.pullUp(leaf);
  }

  /** Empties every position. */
  reset(): void {
    this.tree.fill(Infinity);
  }

  /**
   * The smallest position ≥ `from` whose shape fits under `free[off .. off+dims)` in every
   * dimension (shape[d] ≤ free[d]); -1 if none.
   */
  nextFit(from: number, free: Float64Array, off: number): number {
    if (from >= this.leaves) return -1;
    this.qFree = free;
    this.qOff = off;
    this.qFrom = from;
    return this.visit(1, 0, this.leaves);
  }

  private qFree: Float64Array = EMPTY;
  private qOff = 0;
  private qFrom = 0;

  private visit(slot: number, lo: number, hi: number): number {
    if (hi <= this.qFrom) return -1;
    const D = this.dims;
    const t = this.tree;
    const f = this.qFree;
    const o = this.qOff;
    for (let d = 0; d < D; d++) if (t[slot * D + d] > f[o + d]) return -1;
    if (hi - lo === 1) return lo;
    const mid = (lo + hi) >> 1;
    const left = this.visit(2 * slot, lo, mid);
    return left >= 0 ? left : this.visit(2 * slot + 1, mid, hi);
  }

  private pullUp(leaf: number): void {
    const D = this.dims;
    const t = this.tree;
    for (let s = leaf >> 1; s >= 1; s >>= 1) {
      let changed = false;
      for (let d = 0; d < D; d++) {
        const x = t[2 * s * D + d];
        const y = t[(2 * s + 1) * D + d];
        const m = x < y ? x : y;
        if (t[s * D + d] !== m) {
          t[s * D + d] = m;
          changed = true;
        }
      }
      if (!changed) return;
    }
  }

  private resize(leaves: number): void {
    const D = this.dims;
    const old = this.tree;
    const oldLeaves = this.leaves;
    this.leaves = leaves;
    this.tree = new Float64Array(2 * leaves * D).fill(Infinity);
    if (oldLeaves > 0) this.tree.set(old.subarray(oldLeaves * D, 2 * oldLeaves * D), leaves * D);
    const t = this.tree;
    for (let s = leaves - 1; s >= 1; s--) {
      for (let d = 0; d < D; d++) {
        const x = t[2 * s * D + d];
        const y = t[(2 * s + 1) * D + d];
        t[s * D + d] = x < y ? x : y;
      }
    }
  }
}

const EMPTY = new Float64Array(0);
