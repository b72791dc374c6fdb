import { mean, sampleStandardDeviation } from 'simple-statistics';
import { studentTQuantile } from './student-t.js';

/** A sample's mean with its two-sided confidence interval. */
export interface MeanInterval {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1 in the denominator); null for a single value. */
  sd: number | null;
  /** Interval bounds; null when n < 2 (no spread to estimate from one value). */
  low: number | null;
  high: number | null;
}

/**
 * The mean of `values` (one per seed) and its `level` (default 95 %) confidence interval from the
 * t distribution: mean ± t_{(1+level)/2, n−1} · s / √n (Student 1908; any statistics text, e.g.
 * NIST/SEMATECH e-Handbook §7.2.2.1). Seeds are independent replications, so the usual
 * assumptions hold approximately; with few seeds the t quantile, not the normal 1.96, is what keeps
 * the coverage honest. Non-finite values are an error, not skipped: a metric absent from some
 * cells of a group would bias the mean.
 */
export function meanInterval(values: readonly number[], level = 0.95): MeanInterval {
  if (values.length === 0) throw new RangeError('meanInterval: no values');
  if (values.some((v) => !Number.isFinite(v))) throw new RangeError('meanInterval: every value must be a finite number');
  const m = mean(values as number[]);
  if (values.length < 2) return { n: values.length, mean: m, sd: null, low: null, high: null };
  const sd = sampleStandardDeviation(values as number[]);
  const half = (studentTQuantile((1 + level) / 2, values.length - 1) * sd) / Math.sqrt(values.length);
  return { n: values.length, mean: m, sd, low: m - half, high: m + half };
}
