/**
 * Feasibility index over nodes: a segment tree holding, for every subtree, the largest free amount
 * in each resource dimension. A search descends only into subtrees whose maxima cover the request,
 * so finding feasible nodes costs O(found · D · log n) instead of a scan of every node — the same
 * goal as Borg's and kube-scheduler's indexes (Verma et al., EuroSys'15 §3.4).
 *
 * Per-dimension maxima alone prune badly on a full, fragmented cluster: one node has CPU left,
 * another memory, none both, and the descent backtracks through most of the tree. So for one pair
 * of dimensions (CPU and memory) each subtree also keeps conditional maxima: the largest free CPU
 * among its nodes with at least T_j memory free, and the largest free memory among nodes with at
 * least U_j CPU free, for thresholds halving from half the first node's size. A request for m
 * memory may only descend where the max CPU among nodes with ≥ T_j ≤ m memory covers its CPU —
 * still a necessary condition (those nodes include every node with m free), so the search stays
 * exact, but far tighter. That holds only while every leaf's conditional maxima are computed
 * against the current thresholds, so setting them (`calibrate`) recomputes every leaf from its
 * stored free amounts; nodes added before any node had both CPU and memory free are included.
 */
export class NodeIndex {
  readonly dims: number;
  private leaves: number;
  /** max free per dim per tree slot: tree[slot * dims + d]; slot 1 is the root. */
  private tree: Float64Array;
  /** The conditioned pair: dimension a (CPU) and b (memory); -1 when the index has one dimension. */
  private readonly a: number;
  private readonly b: number;
  /** cond[slot * 2K + j]: max free a among nodes with free b ≥ tb[j]; [.. + K + j]: max free b with free a ≥ ta[j]. */
  private cond: Float64Array;
  private readonly tb = new Float64Array(THRESHOLDS);
  private readonly ta = new Float64Array(THRESHOLDS);
  /** Until set, searches ignore `cond` (its contents are not maintained). */
  private thresholdsSet = false;

  /** `pair`: the two dimensions to condition on (ignored with a single dimension). */
  constructor(dims: number, capacity: number, pair: [number, number] = [0, 1]) {
    this.dims = dims;
    this.leaves = 1;
    while (this.leaves < Math.max(1, capacity)) this.leaves *= 2;
    this.tree = new Float64Array(2 * this.leaves * dims).fill(-Infinity);
    const [pa, pb] = pair;
    const paired = dims >= 2;
    if (paired && !(pa >= 0 && pa < dims && pb >= 0 && pb < dims && pa !== pb)) {
      throw new RangeError(`index pair [${pa}, ${pb}] must name two different dimensions of ${dims}`);
    }
    this.a = paired ? pa : -1;
    this.b = paired ? pb : -1;
    this.cond = new Float64Array(paired ? 2 * this.leaves * 2 * THRESHOLDS : 0);
  }

  /** Grows to hold at least `capacity` nodes, keeping the current values. */
  ensureCapacity(capacity: number): void {
    if (capacity <= this.leaves) return;
    const old = this.tree;
    const oldLeaves = this.leaves;
    while (this.leaves < capacity) this.leaves *= 2;
    const D = this.dims;
    this.tree = new Float64Array(2 * this.leaves * D).fill(-Infinity);
    this.tree.set(old.subarray(oldLeaves * D, 2 * oldLeaves * D), this.leaves * D);
    if (this.a >= 0) this.cond = new Float64Array(2 * this.leaves * 2 * THRESHOLDS);
    this.rebuild();
  }

  /** Sets node's free vector (from free[off .. off+dims)); -Infinity marks a node that is down. */
  update(node: number, free: Float64Array, off: number): void {
    const D = this.dims;
    const slot = node + this.leaves;
    const t = this.tree;
    for (let d = 0; d < D; d++) t[slot * D + d] = free[off + d];
    this.leafChanged(slot);
  }

  /** Marks a node as never feasible (down or removed). */
  disable(node: number): void {
    const D = this.dims;
    const slot = node + this.leaves;
    this.tree.fill(-Infinity, slot * D, slot * D + D);
    this.leafChanged(slot);
  }

  /**
   * Sets the thresholds to halve from half of (`sizeA`, `sizeB`) and recomputes every conditional
   * maximum from the leaves' free amounts: O(n · K), done once when the first node with both
   * dimensions free arrives, or when a caller rescales to a more typical node. A no-op without a
   * conditioned pair; sizes must be positive.
   */
  calibrate(sizeA: number, sizeB: number): void {
    if (!(sizeA > 0 && sizeB > 0)) throw new RangeError(`index thresholds need positive sizes, got ${sizeA} and ${sizeB}`);
    // Stryker disable next-line ConditionalExpression: without a pair, searches never read the thresholds or cond.
    if (this.a < 0) return;
    // 1/2, 1/4, ... 1/2^K of the node.
    for (let j = 0; j < THRESHOLDS; j++) {
      this.ta[j] = sizeA / 2 ** (j + 1);
      this.tb[j] = sizeB / 2 ** (j + 1);
    }
    this.thresholdsSet = true;
    this.rebuild();
  }

  /** Could any node fit `req`, judging by the root's maxima? (Necessary, not sufficient.) */
  mayFit(req: Float64Array): boolean {
    this.prepare(req);
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
    this.examined = 0;
    this.prepare(req);
    this.visit(1, 0, this.leaves, start, nodeCount);
    this.visit(1, 0, this.leaves, 0, start);
    if (this.found < limit) this.lastStop = start;
    this.out = EMPTY;
    return this.found;
  }

  lastStop = 0;
  /**
   * Work of the last collect(): subtrees entered plus leaves compared. The index's promise is that
   * this stays near found · log n, not n (tests check it; a search that scanned everything would
   * still return the right nodes, only slowly).
   */
  examined = 0;
  private found = 0;
  private limit = 0;
  private out: Int32Array = EMPTY;
  private req: Float64Array = EMPTY_F;
  /** For the current request: which conditional maxima to check (-1 = none). */
  private jb = -1;
  private ja = -1;

  /** Picks, for this request, the largest thresholds not above its memory and CPU amounts. */
  private prepare(req: Float64Array): void {
    this.jb = -1;
    this.ja = -1;
    if (!this.thresholdsSet) return;
    const rb = req[this.b];
    const ra = req[this.a];
    for (let j = 0; j < THRESHOLDS; j++) {
      if (this.tb[j] <= rb) {
        this.jb = j;
        break;
      }
    }
    for (let j = 0; j < THRESHOLDS; j++) {
      if (this.ta[j] <= ra) {
        this.ja = j;
        break;
      }
    }
  }

  private visit(slot: number, lo: number, hi: number, from: number, to: number): void {
    if (hi <= from || lo >= to || this.found >= this.limit) return;
    this.examined++;
    if (!this.covers(slot, this.req)) return;
    if (hi - lo <= LEAF_BLOCK) {
      this.scanLeaves(lo > from ? lo : from, hi < to ? hi : to);
      return;
    }
    const mid = (lo + hi) >> 1;
    this.visit(2 * slot, lo, mid, from, to);
    this.visit(2 * slot + 1, mid, hi, from, to);
  }

  /**
   * Small subtrees are cheaper to scan than to descend: check their leaves in order. The search
   * state lives in locals while scanning (written back once), and the usual three dimensions
   * (CPU, memory, GPU) are compared without an inner loop.
   */
  private scanLeaves(from: number, to: number): void {
    const D = this.dims;
    const t = this.tree;
    const req = this.req;
    const out = this.out;
    const limit = this.limit;
    let found = this.found;
    let last = -1;
    this.examined += to - from;
    let base = (this.leaves + from) * D;
    if (D === 3) {
      const r0 = req[0];
      const r1 = req[1];
      const r2 = req[2];
      for (let node = from; node < to; node++, base += 3) {
        if (t[base] < r0 || t[base + 1] < r1 || t[base + 2] < r2) continue;
        out[found++] = node;
        last = node;
        if (found >= limit) break;
      }
    } else {
      for (let node = from; node < to; node++, base += D) {
        let fits = true;
        // Stryker disable next-line EqualityOperator: at d = D, req[D] is undefined and the comparison is false.
        for (let d = 0; d < D; d++) {
          if (t[base + d] < req[d]) {
            fits = false;
            break;
          }
        }
        if (!fits) continue;
        out[found++] = node;
        last = node;
        if (found >= limit) break;
      }
    }
    this.found = found;
    if (last >= 0) this.lastStop = last + 1;
  }

  private covers(slot: number, req: Float64Array): boolean {
    const D = this.dims;
    const base = slot * D;
    const t = this.tree;
    // Stryker disable next-line EqualityOperator: at d = D, req[D] is undefined and the comparison is false.
    for (let d = 0; d < D; d++) if (t[base + d] < req[d]) return false;
    const c = slot * 2 * THRESHOLDS;
    if (this.jb >= 0 && this.cond[c + this.jb] < req[this.a]) return false;
    if (this.ja >= 0 && this.cond[c + THRESHOLDS + this.ja] < req[this.b]) return false;
    return true;
  }

  /** After a leaf's free amounts changed: its conditional maxima, then its ancestors. */
  private leafChanged(slot: number): void {
    if (this.a >= 0) {
      const D = this.dims;
      const fa = this.tree[slot * D + this.a];
      const fb = this.tree[slot * D + this.b];
      if (this.thresholdsSet) this.writeLeafCond(slot, fa, fb);
      // No thresholds yet: the first node with both free sets them, and calibrate recomputes every
      // leaf, this one and all added before it, and every ancestor.
      else if (fa > 0 && fb > 0) return this.calibrate(fa, fb);
    }
    // Stop climbing once a subtree's maxima come out unchanged: its ancestors cannot change either.
    // Stryker disable next-line ConditionalExpression: slot 0 is unused; pull(0) finds it unchanged the second time and stops.
    for (let s = slot >> 1; s >= 1 && this.pull(s); s >>= 1);
  }

  /** Every leaf's conditional maxima (once thresholds exist), then every inner slot, bottom up. */
  private rebuild(): void {
    if (this.thresholdsSet) {
      const D = this.dims;
      const t = this.tree;
      for (let slot = this.leaves; slot < 2 * this.leaves; slot++) this.writeLeafCond(slot, t[slot * D + this.a], t[slot * D + this.b]);
    }
    for (let slot = this.leaves - 1; slot >= 1; slot--) this.pull(slot);
  }

  private writeLeafCond(slot: number, fa: number, fb: number): void {
    const c = slot * 2 * THRESHOLDS;
    const cond = this.cond;
    for (let j = 0; j < THRESHOLDS; j++) {
      cond[c + j] = fb >= this.tb[j] ? fa : -Infinity;
      cond[c + THRESHOLDS + j] = fa >= this.ta[j] ? fb : -Infinity;
    }
  }

  /** Recomputes a slot's maxima from its children; returns whether any value changed. */
  private pull(slot: number): boolean {
    const D = this.dims;
    const t = this.tree;
    const a = 2 * slot * D;
    const b = (2 * slot + 1) * D;
    const s = slot * D;
    let changed = false;
    for (let d = 0; d < D; d++) {
      const x = t[a + d];
      const y = t[b + d];
      // Stryker disable next-line EqualityOperator: x >= y picks the same maximum.
      const m = x > y ? x : y;
      if (t[s + d] !== m) {
        t[s + d] = m;
        changed = true;
      }
    }
    if (this.thresholdsSet) {
      const C = 2 * THRESHOLDS;
      const cond = this.cond;
      const l = 2 * slot * C;
      const r = (2 * slot + 1) * C;
      const o = slot * C;
      for (let j = 0; j < C; j++) {
        const x = cond[l + j];
        const y = cond[r + j];
        // Stryker disable next-line EqualityOperator: x >= y picks the same maximum.
        const m = x > y ? x : y;
        if (cond[o + j] !== m) {
          cond[o + j] = m;
          changed = true;
        }
      }
    }
    return changed;
  }
}

/** Conditional maxima kept per direction: thresholds from 1/2 down to 1/256 of a node. */
const THRESHOLDS = 8;
/** Subtrees of at most this many nodes are scanned linearly (contiguous leaf values). */
const LEAF_BLOCK = 16;
const EMPTY = new Int32Array(0);
const EMPTY_F = new Float64Array(0);
