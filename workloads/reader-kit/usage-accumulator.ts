/**
 * Mean and coefficient of variation of usage samples per task, accumulated while a usage table
 * streams by (Welford's online algorithm, one slot per task: 8·(2 + dims) bytes), so a usage table
 * of any length is read in one pass without keeping its rows.
 *
 * Welford, B. P. (1962). Note on a method for calculating corrected sums of squares and products.
 * Technometrics 4(3), 419–420.
 */
export class UsageAccumulator {
  readonly dims: number;
  private count = new Float64Array(0);
  private mean = new Float64Array(0);
  /** Sum of squared deviations of the first dimension (the CV is taken on CPU). */
  private m2 = new Float64Array(0);
  /** Per-dimension sums (for the means of the other dimensions; NaN samples are skipped). */
  private sums = new Float64Array(0);
  private sumCounts = new Float64Array(0);

  constructor(dims: number) {
    this.dims = dims;
  }

  private ensure(slot: number): void {
    if (slot < this.count.length) return;
    const n = Math.max(slot + 1, this.count.length * 2, 1024);
    const g = (a: Float64Array, m: number) => {
      const b = new Float64Array(n * m);
      b.set(a);
      return b;
    };
    this.count = g(this.count, 1);
    this.mean = g(this.mean, 1);
    this.m2 = g(this.m2, 1);
    this.sums = g(this.sums, this.dims);
    this.sumCounts = g(this.sumCounts, this.dims);
  }

  /**
   * One sample for `slot`: the value per dimension (NaN = not measured). `weight` lets a sample
   * stand for a window of a given length (Google 2019 windows are up to 300 s, sometimes shorter).
   */
  add(slot: number, values: ArrayLike<number>, weight = 1): void {
    this.ensure(slot);
    const D = this.dims;
    for (let d = 0; d < D; d++) {
      const v = values[d];
      if (v === v) {
        this.sums[slot * D + d] += v * weight;
        this.sumCounts[slot * D + d] += weight;
      }
    }
    const x = values[0];
    if (x !== x) return;
    // Weighted Welford (West 1979): exact for integer or fractional weights.
    const w = this.count[slot] + weight;
    const delta = x - this.mean[slot];
    this.mean[slot] += (delta * weight) / w;
    this.m2[slot] += weight * delta * (x - this.mean[slot]);
    this.count[slot] = w;
  }

  /** Mean of dimension d for `slot`; NaN when it has no sample. */
  meanOf(slot: number, d: number): number {
    if (slot >= this.count.length) return NaN;
    const c = this.sumCounts[slot * this.dims + d];
    return c > 0 ? this.sums[slot * this.dims + d] / c : NaN;
  }

  /** Coefficient of variation (population standard deviation / mean) of dimension 0; NaN without samples, 0 when the mean is 0. */
  cv(slot: number): number {
    if (slot >= this.count.length || this.count[slot] === 0) return NaN;
    const m = this.mean[slot];
    if (m === 0) return 0;
    return Math.sqrt(this.m2[slot] / this.count[slot]) / Math.abs(m);
  }

  /** Number of samples (summed weights) of dimension 0. */
  samples(slot: number): number {
    return slot < this.count.length ? this.count[slot] : 0;
  }
}
