/**
 * A segment tree over bins (in opening order) for d-dimensional item-centric packing. Each node keeps
 * the per-dimension maximum residual of the bins below it, and the minimum / maximum bin measure
 * over the opened bins below it. Queries are branch-and-bound descents:
 *  - firstFit: leftmost bin whose residual covers the item in every dimension (a subtree is skipped
 *    as soon as one dimension's maximum residual is too small);
 *  - bestFit / worstFit: the fitting opened bin with the smallest / largest measure, ties to the
 *    lowest bin index (subtrees are also skipped when their measure range cannot beat the best).
 * Not-yet-opened bins hold the full capacity (so firstFit returns the next bin to open when nothing
 * open fits) and are excluded from bestFit / worstFit.
 */
export class VectorBinTree {
  readonly size: number;
  readonly d: number;
  private readonly res: Float64Array;
  private readonly mmin: Float64Array;
  private readonly mmax: Float64Array;
  private bestIdx = -1;
  private bestVal = 0;

  constructor(d: number, capacity: Float64Array, maxBins: number) {
    let s = 1;
    while (s < Math.max(1, maxBins)) s <<= 1;
    this.size = s;
    this.d = d;
    this.res = new Float64Array(2 * s * d);
    for (let p = 0; p < 2 * s; p++) for (let h = 0; h < d; h++) this.res[p * d + h] = capacity[h];
    this.mmin = new Float64Array(2 * s).fill(Infinity);
    this.mmax = new Float64Array(2 * s).fill(-Infinity);
  }

  /** Sets bin b's residual (d values from src at off) and measure, and repairs its ancestors. */
  setBin(b: number, src: Float64Array, off: number, measure: number): void {
    const d = this.d;
    const res = this.res;
    let p = this.size + b;
    for (let h = 0; h < d; h++) res[p * d + h] = src[off + h];
    this.mmin[p] = measure;
    this.mmax[p] = measure;
    p >>= 1;
    while (p >= 1) {
      const l = 2 * p;
      const r = l + 1;
      for (let h = 0; h < d; h++) {
        const a = res[l * d + h];
        const c = res[r * d + h];
        res[p * d + h] = a > c ? a : c;
      }
      const mn = this.mmin[l] < this.mmin[r] ? this.mmin[l] : this.mmin[r];
      const mx = this.mmax[l] > this.mmax[r] ? this.mmax[l] : this.mmax[r];
      this.mmin[p] = mn;
      this.mmax[p] = mx;
      p >>= 1;
    }
  }

  private covers(p: number, sizes: Float64Array, off: number): boolean {
    const d = this.d;
    const res = this.res;
    for (let h = 0; h < d; h++) if (res[p * d + h] < sizes[off + h]) return false;
    return true;
  }

  /** Leftmost bin (opened or the next to open) that fits the item, or -1. */
  firstFit(sizes: Float64Array, off: number): number {
    return this.ff(1, sizes, off);
  }

  private ff(p: number, sizes: Float64Array, off: number): number {
    if (!this.covers(p, sizes, off)) return -1;
    if (p >= this.size) return p - this.size;
    const a = this.ff(2 * p, sizes, off);
    return a >= 0 ? a : this.ff(2 * p + 1, sizes, off);
  }

  /** Opened fitting bin of minimum measure (ties: lowest index), or -1. */
  bestFit(sizes: Float64Array, off: number): number {
    this.bestIdx = -1;
    this.bestVal = Infinity;
    this.bf(1, 0, this.size, sizes, off);
    return this.bestIdx;
  }

  private bf(p: number, lo: number, span: number, sizes: Float64Array, off: number): void {
    const m = this.mmin[p];
    if (m === Infinity || m > this.bestVal || (m === this.bestVal && lo > this.bestIdx)) return;
    if (!this.covers(p, sizes, off)) return;
    if (p >= this.size) {
      this.bestVal = m;
      this.bestIdx = lo;
      return;
    }
    const half = span >> 1;
    const l = 2 * p;
    const r = l + 1;
    // Visit the more promising child first; the (measure, index) comparison keeps ties exact.
    if (this.mmin[r] < this.mmin[l]) {
      this.bf(r, lo + half, half, sizes, off);
      this.bf(l, lo, half, sizes, off);
    } else {
      this.bf(l, lo, half, sizes, off);
      this.bf(r, lo + half, half, sizes, off);
    }
  }

  /** Opened fitting bin of maximum measure (ties: lowest index), or -1. */
  worstFit(sizes: Float64Array, off: number): number {
    this.bestIdx = -1;
    this.bestVal = -Infinity;
    this.wf(1, 0, this.size, sizes, off);
    return this.bestIdx;
  }

  private wf(p: number, lo: number, span: number, sizes: Float64Array, off: number): void {
    const m = this.mmax[p];
    if (m === -Infinity || m < this.bestVal || (m === this.bestVal && lo > this.bestIdx)) return;
    if (!this.covers(p, sizes, off)) return;
    if (p >= this.size) {
      this.bestVal = m;
      this.bestIdx = lo;
      return;
    }
    const half = span >> 1;
    const l = 2 * p;
    const r = l + 1;
    if (this.mmax[r] > this.mmax[l]) {
      this.wf(r, lo + half, half, sizes, off);
      this.wf(l, lo, half, sizes, off);
    } else {
      this.wf(l, lo, half, sizes, off);
      this.wf(r, lo + half, half, sizes, off);
    }
  }
}
