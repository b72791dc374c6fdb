/**
 * Feasibility index over nodes: a segment tree holding, for every subtree, the largest free amount
 * in each resource dimension. A search descends only into subtrees whose maxima cover the request,
 * so finding feasible nodes costs O(found · D · log n) instead of a scan of every node — the same
 * goal as Borg's and kube-scheduler's indexes (Verma et al., EuroSys'15 §3.4). A subtree whose
 * maxima cover the request may still hold no node that fits in all dimensions at once; the descent
 * then backtracks, which is exact but can cost more on fragmented clusters.
 */
export class NodeIndex {
  readonly dims: number;
  private leaves: number;
  /** max free per dim per tree slot: tree[slot * dims + d]; slot 1 is the root. */
  private tree: Float64Array;

  constructor(dims: number, capacity: number) {
    this.dims = dims;
    this.leaves = 1;
    while (this.leaves < Math.max(1, capacity)) this.leaves *= 2;
    this.tree = new Float64Array(2 * this.leaves * dims).fill(-Infinity);
  }

  get capacity(): number {
    return this.leaves;
  }

  /** Grows to hold at least `capacity` nodes, keeping the current values. */
  ensureCapacity(capacity: number): void {
    if (capacity <= this.leaves) return;
    const old = this.tree;
    const oldLeaves = this.leaves;
    while (this.leaves < capacity) this.leaves *= 2;
    this.tree = new Float64Array(2 * this.leaves * this.dims).fill(-Infinity);
    const D = this.dims;
    this.tree.set(old.subarray(oldLeaves * D, 2 * oldLeaves * D), this.leaves * D);
    for (let slot = this.leaves - 1; slot >= 1; slot--) this.pull(slot);
  }

  /** Sets node's free vector (from free[off .. off+dims)); -Infinity marks a node that is down. */
  update(node: number, free: Float64Array, off: number): void {
    const D = this.dims;
    let slot = node + this.leaves;
    const t = this.tree;
    for (let d = 0; d < D; d++) t[slot * D + d] = free[off + d];
    slot >>= 1;
    while (slot >= 1) {
      this.pull(slot);
      slot >>= 1;
    }
  }

  /** Marks a node as never feasible (down or removed). */
  disable(node: number): void {
    const D = this.dims;
    let slot = node + this.leaves;
    for (let d = 0; d < D; d++) this.tree[slot * D + d] = -Infinity;
    slot >>= 1;
    while (slot >= 1) {
      this.pull(slot);
      slot >>= 1;
    }
  }

  /** Largest free amount of dimension d on any node (the root's maximum). */
  maxFree(d: number): number {
    return this.tree[this.dims + d];
  }

  /** Could any node fit `req` judging by per-dimension maxima alone? (Necessary, not sufficient.) */
  mayFit(req: Float64Array): boolean {
    return this.covers(1, req);
  }

  /**
   * Collects up to `limit` nodes that fit `req`, in circular node order from `start`, into `out`.
   * Returns the count found; `this.lastStop` is the position after the last node examined, so a
   * caller can resume the next search there (kube-scheduler's nextStartNodeIndex).
   */
  collect(req: Float64Array, start: number, limit: number, nodeCount: number, out: Int32Array): number {
    this.found = 0;
    this.limit = limit;
    this.out = out;
    this.req = req;
    this.lastStop = start;
    if (nodeCount === 0 || !this.covers(1, req)) return 0;
    this.visit(1, 0, this.leaves, start, nodeCount);
    if (this.found < limit && start > 0) this.visit(1, 0, this.leaves, 0, start);
    if (this.found < limit) this.lastStop = start;
    this.out = EMPTY;
    return this.found;
  }

  lastStop = 0;
  private found = 0;
  private limit = 0;
  private out: Int32Array = EMPTY;
  private req: Float64Array = EMPTY_F;

  private visit(slot: number, lo: number, hi: number, from: number, to: number): void {
    if (hi <= from || lo >= to || this.found >= this.limit) return;
    if (!this.covers(slot, this.req)) return;
    if (hi - lo <= LEAF_BLOCK) {
      this.scanLeaves(lo > from ? lo : from, hi < to ? hi : to);
      return;
    }
    const mid = (lo + hi) >> 1;
    this.visit(2 * slot, lo, mid, from, to);
    this.visit(2 * slot + 1, mid, hi, from, to);
  }

  /** Small subtrees are cheaper to scan than to descend: check their leaves in order. */
  private scanLeaves(from: number, to: number): void {
    const D = this.dims;
    const t = this.tree;
    const req = this.req;
    const out = this.out;
    for (let node = from; node < to; node++) {
      const base = (this.leaves + node) * D;
      let fits = true;
      for (let d = 0; d < D; d++) {
        if (t[base + d] < req[d]) {
          fits = false;
          break;
        }
      }
      if (!fits) continue;
      out[this.found++] = node;
      this.lastStop = node + 1;
      if (this.found >= this.limit) return;
    }
  }

  private covers(slot: number, req: Float64Array): boolean {
    const D = this.dims;
    const base = slot * D;
    const t = this.tree;
    for (let d = 0; d < D; d++) if (t[base + d] < req[d]) return false;
    return true;
  }

  private pull(slot: number): void {
    const D = this.dims;
    const t = this.tree;
    const a = 2 * slot * D;
    const b = (2 * slot + 1) * D;
    const s = slot * D;
    for (let d = 0; d < D; d++) {
      const x = t[a + d];
      const y = t[b + d];
      t[s + d] = x > y ? x : y;
    }
  }
}

/** Subtrees of at most this many nodes are scanned linearly (contiguous leaf values). */
const LEAF_BLOCK = 16;
const EMPTY = new Int32Array(0);
const EMPTY_F = new Float64Array(0);
