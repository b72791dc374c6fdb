import type { UsageSeriesSet } from '../../model/usage-series.js';

/**
 * Per-series statistics of one dimension of a usage series set, the ones the synthetic process is
 * calibrated on (issue 10; ../shared/data/README.md § Usage time series, "Known facts"):
 *   mean m = Σx_t / n;  CV = population sd / m, sd = sqrt(Σ(x_t − m)² / n);
 *   lag-1 autocorrelation r₁ = Σ_{t<n−1}(x_t − m)(x_{t+1} − m) / Σ_t(x_t − m)²;
 *   peak/mean = max_t x_t / m.
 * A series with a NaN point in the dimension gives NaN throughout; a constant one has r₁ NaN, a
 * zero-mean one CV and peak/mean NaN (undefined, not 0).
 */
export interface SeriesStatistics {
  readonly mean: Float64Array;
  readonly cv: Float64Array;
  readonly lag1: Float64Array;
  readonly peakToMean: Float64Array;
}

export function seriesStatistics(set: UsageSeriesSet, d: number): SeriesStatistics {
  const n = set.count;
  const out = { mean: new Float64Array(n), cv: new Float64Array(n), lag1: new Float64Array(n), peakToMean: new Float64Array(n) };
  for (let s = 0; s < n; s++) {
    const st = statisticsOf(set.values, set.offsets[s], set.offsets[s + 1], set.dims, d);
    out.mean[s] = st[0];
    out.cv[s] = st[1];
    out.lag1[s] = st[2];
    out.peakToMean[s] = st[3];
  }
  return out;
}

/** [mean, CV, lag-1, peak/mean] of points [from, to) of dimension d in flat `values`. */
export function statisticsOf(values: ArrayLike<number>, from: number, to: number, dims: number, d: number): [number, number, number, number] {
  const len = to - from;
  if (len <= 0) return [NaN, NaN, NaN, NaN];
  let sum = 0;
  let peak = -Infinity;
  for (let p = from; p < to; p++) {
    const x = values[p * dims + d];
    sum += x;
    if (x > peak) peak = x;
  }
  const m = sum / len;
  if (Number.isNaN(m)) return [NaN, NaN, NaN, NaN];
  let ss = 0;
  let cross = 0;
  for (let p = from; p < to; p++) {
    const e = values[p * dims + d] - m;
    ss += e * e;
    if (p + 1 < to) cross += e * (values[(p + 1) * dims + d] - m);
  }
  const sd = Math.sqrt(ss / len);
  return [m, m > 0 ? sd / m : NaN, ss > 0 ? cross / ss : NaN, m > 0 ? peak / m : NaN];
}

/** Median of the non-NaN values (linear interpolation between order statistics); NaN if none. */
export function median(values: ArrayLike<number>): number {
  return quantile(values, 0.5);
}

/** Quantile q of the non-NaN values, linear interpolation (Hyndman & Fan type 7). */
export function quantile(values: ArrayLike<number>, q: number): number {
  const v = Float64Array.from(values).filter((x) => !Number.isNaN(x)).sort();
  if (v.length === 0) return NaN;
  const h = (v.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(v.length - 1, lo + 1);
  return v[lo] + (h - lo) * (v[hi] - v[lo]);
}
