import type { OvercommitNode } from '../overcommit-policy.js';
import { fillGaps, windowFeatures } from './learned-features.js';
import { forwardPeakRatio, forwardScratch, type LearnedPeakModel } from './learned-model.js';
import { DEFAULT_WARMUP_SECONDS, stepsOf, sumWarmWindow, type PeakPredictor, type WarmWindow } from './peak-predictor.js';

/**
 * learned (issue 14): a small MLP, trained with a pinball loss at a high quantile τ on the usage
 * library (learned-training.ts), predicts the τ-quantile of a machine's peak usage ratio over the
 * next `horizon` steps from its ratio over the last `window` steps (learned-features.ts, the
 * history N-sigma reads). As every predictor (peak-predictor.ts), cold tasks count their limit:
 *   peak = clamp(f(r_{s−W+1..s}), 0, 1) · Σ limits of the warm tasks + Σ limits of the cold ones.
 * Inference is a plain-JS forward pass over the stored weights (no tfjs at prediction time).
 */
export function learnedPredictor(model: LearnedPeakModel, warmupSeconds = DEFAULT_WARMUP_SECONDS, label = 'learned'): PeakPredictor {
  const W = model.window;
  const used = new Float64Array(W);
  const lim = new Float64Array(W);
  const features = new Float64Array(model.features);
  const w: WarmWindow = { cold: 0, warmLimit: 0, warm: 0 };
  const scratch = forwardScratch(model);
  return {
    name: `${label}:window=${W},horizon=${model.horizon},q=${model.quantile}`,
    predict(node: OvercommitNode, d: number): number {
      const warmup = stepsOf(warmupSeconds, node.stepLength);
      sumWarmWindow(node, d, warmup, W, used, lim, undefined, w);
      const { cold, warmLimit, warm } = w;
      if (warm === 0) return cold;
      // used becomes the ratio window: NaN where no warm task is known (filled from its neighbours).
      for (let j = 0; j < W; j++) used[j] = lim[j] > 0 ? used[j] / lim[j] : NaN;
      if (!fillGaps(used, W)) return cold + warmLimit;
      windowFeatures(used, 0, W, features, 0);
      const ratio = forwardPeakRatio(model, features, scratch);
      return (ratio < 0 ? 0 : ratio > 1 ? 1 : ratio) * warmLimit + cold;
    },
  };
}
