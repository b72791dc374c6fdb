/**
 * Usage profile of synthetic tasks: mean usage as a fraction of the request, per dimension, and the
 * coefficient of variation of usage over time. NOT fitted: the Google 2011 `task_usage` table is
 * not available here (see data README), so these are documented assumptions.
 *
 * Source for the levels: Reiss, Tumanov, Ganger, Katz & Kozuch, "Heterogeneity and dynamicity of
 * clouds at scale: Google trace analysis", SoCC 2012 (same 2011 cell). They report that the cell's
 * CPU requests ran at or above its capacity while measured CPU usage stayed far below the requests,
 * and that memory usage sat much closer to memory requests; and that many longer-running jobs have
 * fairly stable usage. We take round, modest per-task means in line with that qualitative picture —
 * CPU uses 40 % of its request on average, memory 60 % — not numbers read off a figure.
 *
 * Per task: fraction = mean · exp(σ Z − σ²/2) (lognormal with the given mean), clamped to
 * [MIN_FRACTION, 1] (a task never uses more than its request here; the clamp lowers the realized
 * mean by about 0.004 for both: 0.3959 for CPU and 0.5958 for memory, the values
 * test/synthetic-generator.test.ts derives from the lognormal). GPU requests are 0, so the GPU fraction is NaN
 * (unknown / not applicable). Variation: CV = VARIATION_MEAN · exp(σ_v Z − σ_v²/2).
 */
import type { Rng } from '../../model/rng.js';

export const USAGE_MODEL = {
  cpuMeanFraction: 0.4,
  cpuLogSigma: 0.5,
  memMeanFraction: 0.6,
  memLogSigma: 0.3,
  minFraction: 0.01,
  variationMean: 0.3,
  variationLogSigma: 0.5,
} as const;

function lognormalAround(rng: Rng, mean: number, sigma: number): number {
  return mean * Math.exp(sigma * rng.normal() - (sigma * sigma) / 2);
}

/** Writes one task's usage fractions (cpu, memory, gpu) at `out[offset..offset+2]`; returns the CV. */
export function sampleUsage(rng: Rng, out: Float32Array, offset: number): number {
  const m = USAGE_MODEL;
  out[offset] = Math.min(1, Math.max(m.minFraction, lognormalAround(rng, m.cpuMeanFraction, m.cpuLogSigma)));
  out[offset + 1] = Math.min(1, Math.max(m.minFraction, lognormalAround(rng, m.memMeanFraction, m.memLogSigma)));
  out[offset + 2] = NaN;
  return lognormalAround(rng, m.variationMean, m.variationLogSigma);
}
