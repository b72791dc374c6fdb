/**
 * The input of the learned peak predictor (learned.ts): a machine's usage ratio over the last W
 * steps, as N-sigma reads it (n-sigma.ts; Bashir et al., EuroSys'21 §4): for each step k of the
 * window, r_k = Σ capped usage_k / Σ limit over the warm tasks whose usage is known at k, so the
 * window survives tasks coming and going and lies in [0, 1]. Features, before standardization:
 *   x = (r_1 … r_W, mean(r), sd(r), max(r))      (oldest step first; sd with n − 1, 0 for W = 1)
 * The summary statistics are the ones the hand-made predictors use (n-sigma: mean + N·sd; max of
 * history), given explicitly so a small network need not rediscover them. Each feature is then
 * standardized with the training set's mean and scale (stored with the model).
 */
export const SUMMARY_FEATURES = 3;

/** Feature count for a window of W steps. */
export function featureCount(window: number): number {
  return window + SUMMARY_FEATURES;
}

/**
 * Fills the steps of `ratio[0..W)` that are NaN (no warm task known there) with the nearest
 * earlier known value, leading ones with the first known value; false when none is known.
 */
export function fillGaps(ratio: Float64Array | Float32Array, W: number): boolean {
  let first = -1;
  for (let j = 0; j < W; j++) {
    if (!Number.isNaN(ratio[j])) {
      first = j;
      break;
    }
  }
  if (first < 0) return false;
  for (let j = 0; j < first; j++) ratio[j] = ratio[first];
  for (let j = first + 1; j < W; j++) if (Number.isNaN(ratio[j])) ratio[j] = ratio[j - 1];
  return true;
}

/** Writes the raw (unstandardized) features of a gap-free window `ratio[from..from+W)` into out[at..at+W+3). */
export function windowFeatures(ratio: ArrayLike<number>, from: number, W: number, out: Float64Array | Float32Array, at: number): void {
  let sum = 0;
  let max = -Infinity;
  for (let j = 0; j < W; j++) {
    const r = ratio[from + j];
    out[at + j] = r;
    sum += r;
    if (r > max) max = r;
  }
  const mean = sum / W;
  let ss = 0;
  for (let j = 0; j < W; j++) ss += (ratio[from + j] - mean) * (ratio[from + j] - mean);
  out[at + W] = mean;
  out[at + W + 1] = W > 1 ? Math.sqrt(ss / (W - 1)) : 0;
  out[at + W + 2] = max;
}
