/**
 * A static k-d tree (Bentley, "Multidimensional binary search trees used for associative searching",
 * CACM 18, 1975) over item size vectors with deletion counts, used by the bin-centric packers to
 * find the best-scoring remaining item that fits a bin by branch and bound instead of scanning all
 * remaining items. Each node covers a contiguous range of `perm` and stores the bounding box of its
 * items, the number still unpacked, and the smallest item index (for exact lowest-index tie-breaks).
 */
export interface ItemScorer {
  /**
   * Upper bound on the score of any item inside the box [boxMin, boxMax] (d values at `off`) that
   * fits, or -Infinity when no item in the box can fit.
   */
  bound(boxMin: Float64Array, boxMax: Float64Array, off: number): number;
  /** Score of item i, or -Infinity when it does not fit. */
  score(i: number): number;
}

const LEAF = 8;

export class ItemKdTree {
  readonly perm: Uint32Array;
  private readonly d: number;
  private readonly nodeLo: Int32Array;
  private readonly nodeHi: Int32Array;
  private readonly nodeLeft: Int32Array;
  private readonly nodeRight: Int32Array;
  private readonly nodeParent: Int32Array;
  private readonly alive: Int32Array;
  private readonly minIdx: Int32Array;
  readonly boxMin: Float64Array;
  readonly boxMax: Float64Array;
  private readonly leafOf: Int32Array;
  private readonly removed: Uint8Array;
  private nodes = 0;
  private bestScore = -Infinity;
  private bestItem = -1;
  private scorer: ItemScorer | null = null;

  constructor(
    private readonly sizes: Float64Array,
    d: number,
    n: number,
  ) {
    this.d = d;
    this.perm = new Uint32Array(n);
    for (let i = 0; i < n; i++) this.perm[i] = i;
    const maxNodes = Math.max(1, 2 * Math.ceil(n / (LEAF / 2)) + 2);
    this.nodeLo = new Int32Array(maxNodes);
    this.nodeHi = new Int32Array(maxNodes);
    this.nodeLeft = new Int32Array(maxNodes).fill(-1);
    this.nodeRight = new Int32Array(maxNodes).fill(-1);
    this.nodeParent = new Int32Array(maxNodes).fill(-1);
    this.alive = new Int32Array(maxNodes);
    this.minIdx = new Int32Array(maxNodes);
    this.boxMin = new Float64Array(maxNodes * d);
    this.boxMax = new Float64Array(maxNodes * d);
    this.leafOf = new Int32Array(n);
    this.removed = new Uint8Array(n);
    if (n > 0) this.build(0, n, -1);
  }

  private build(lo: number, hi: number, parent: number): number {
    const { d, sizes, perm } = this;
    const id = this.nodes++;
    this.nodeLo[id] = lo;
    this.nodeHi[id] = hi;
    this.nodeParent[id] = parent;
    this.alive[id] = hi - lo;
    let mi = Infinity;
    for (let h = 0; h < d; h++) {
      this.boxMin[id * d + h] = Infinity;
      this.boxMax[id * d + h] = -Infinity;
    }
    for (let k = lo; k < hi; k++) {
      const i = perm[k];
      if (i < mi) mi = i;
      for (let h = 0; h < d; h++) {
        const v = sizes[i * d + h];
        if (v < this.boxMin[id * d + h]) this.boxMin[id * d + h] = v;
        if (v > this.boxMax[id * d + h]) this.boxMax[id * d + h] = v;
      }
    }
    this.minIdx[id] = mi;
    if (hi - lo <= LEAF) {
      for (let k = lo; k < hi; k++) this.leafOf[perm[k]] = id;
      return id;
    }
    // Split on the dimension of largest spread at the median.
    let dim = 0;
    let spread = -1;
    for (let h = 0; h < d; h++) {
      const s = this.boxMax[id * d + h] - this.boxMin[id * d + h];
      if (s > spread) {
        spread = s;
        dim = h;
      }
    }
    const sub = Array.from(perm.subarray(lo, hi));
    sub.sort((a, b) => sizes[a * d + dim] - sizes[b * d + dim] || a - b);
    perm.set(sub, lo);
    const mid = (lo + hi) >> 1;
    this.nodeLeft[id] = this.build(lo, mid, id);
    this.nodeRight[id] = this.build(mid, hi, id);
    return id;
  }

  /** Marks item i as packed. */
  remove(i: number): void {
    if (this.removed[i]) return;
    this.removed[i] = 1;
    for (let p = this.leafOf[i]; p >= 0; p = this.nodeParent[p]) this.alive[p]--;
  }

  isRemoved(i: number): boolean {
    return this.removed[i] === 1;
  }

  /** The remaining item of maximum score (ties: lowest item index), or -1 when none fits. */
  best(scorer: ItemScorer): number {
    this.bestScore = -Infinity;
    this.bestItem = -1;
    this.scorer = scorer;
    if (this.nodes > 0) this.search(0);
    this.scorer = null;
    return this.bestItem;
  }

  private search(id: number): void {
    if (this.alive[id] === 0) return;
    const sc = this.scorer as ItemScorer;
    const ub = sc.bound(this.boxMin, this.boxMax, id * this.d);
    if (ub === -Infinity) return;
    if (ub < this.bestScore || (ub === this.bestScore && this.minIdx[id] > this.bestItem)) return;
    const l = this.nodeLeft[id];
    if (l < 0) {
      const { perm } = this;
      for (let k = this.nodeLo[id]; k < this.nodeHi[id]; k++) {
        const i = perm[k];
        if (this.removed[i]) continue;
        const s = sc.score(i);
        if (s === -Infinity) continue;
        if (s > this.bestScore || (s === this.bestScore && i < this.bestItem)) {
          this.bestScore = s;
          this.bestItem = i;
        }
      }
      return;
    }
    const r = this.nodeRight[id];
    // Larger bound first.
    const bl = sc.bound(this.boxMin, this.boxMax, l * this.d);
    const br = sc.bound(this.boxMin, this.boxMax, r * this.d);
    if (br > bl) {
      this.search(r);
      this.search(l);
    } else {
      this.search(l);
      this.search(r);
    }
  }
}
