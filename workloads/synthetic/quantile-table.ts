/**
 * An empirical quantile table: the fitted form of a one-dimensional distribution. `p` are
 * cumulative probabilities (ascending, first 0), `v` the quantile at each (non-decreasing).
 * Sampling inverts the table with interpolation between knots, so between two knots the sampled
 * CDF runs between the same two points as the data's: the CDF error is at most the knot spacing
 * in p (plus sampling noise), and point masses (knots with equal values) are reproduced exactly.
 */
export interface QuantileTable {
  readonly p: readonly number[];
  readonly v: readonly number[];
}

/**
 * The probability knots used for every fitted table: dense in both tails, 0.02 apart in the body
 * (62 knots).
 */
export const PROBABILITY_GRID: readonly number[] = (() => {
  const g = [0, 0.001, 0.0025, 0.005, 0.01, 0.015];
  for (let k = 1; k <= 49; k++) g.push(Math.round(k * 2) / 100);
  g.push(0.985, 0.99, 0.995, 0.9975, 0.999, 0.9995, 1);
  return g;
})();

/**
 * Quantiles of sorted `values` at each probability of `grid` (linear interpolation between order
 * statistics, Hyndman & Fan type 7).
 */
export function quantileTableFromSorted(sorted: ArrayLike<number>, grid: readonly number[] = PROBABILITY_GRID): QuantileTable {
  const n = sorted.length;
  if (n === 0) throw new Error('quantileTableFromSorted: no values');
  const v = grid.map((p) => {
    const h = (n - 1) * p;
    const lo = Math.floor(h);
    const hi = Math.min(n - 1, lo + 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  });
  return { p: [...grid], v };
}

/**
 * Inverse-CDF sample from a table for uniform `u` in [0, 1]. With `logScale`, interpolation between
 * two positive knots is linear in log(value) (right for heavy-tailed positive quantities);
 * segments touching zero are interpolated linearly.
 */
export function sampleQuantileTable(table: QuantileTable, u: number, logScale: boolean): number {
  const { p, v } = table;
  const last = p.length - 1;
  if (u <= p[0]) return v[0];
  if (u >= p[last]) return v[last];
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (p[mid] <= u) lo = mid;
    else hi = mid;
  }
  const a = v[lo];
  const b = v[hi];
  if (a === b) return a;
  const f = (u - p[lo]) / (p[hi] - p[lo]);
  if (logScale && a > 0) return a * Math.exp(f * Math.log(b / a));
  return a + f * (b - a);
}
