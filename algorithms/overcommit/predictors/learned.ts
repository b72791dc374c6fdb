import type { OvercommitNode } from '../overcommit-policy.js';
import { limitOrRequest } from '../task-limit.js';
import { fillGaps, windowFeatures } from './learned-features.js';
import { forwardPeakRatio, forwardScratch, type LearnedPeakModel } from './learned-model.js';
import { capped, DEFAULT_WARMUP_SECONDS, isWarm, stepsOf, type PeakPredictor } from './peak-predictor.js';

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
  const scratch = forwardScratch(model);
  return {
    name: `${label}:window=${W},horizon=${model.horizon},q=${model.quantile}`,
    predict(node: OvercommitNode, d: number): number {
      const warmup = stepsOf(warmupSeconds, node.stepLength);
      used.fill(0);
      lim.fill(0);
      const first = node.step - W + 1;
      let cold = 0;
      let warmLimit = 0;
      let warm = 0;
      for (let i = 0; i < node.taskCount; i++) {
        const id = node.tasks[i];
        const L = limitOrRequest(node.task(id), d);
        if (!isWarm(node, id, warmup)) {
          cold += L;
          continue;
        }
        warm++;
        warmLimit += L;
        for (let k = Math.max(node.startStep(id), first); k <= node.step; k++) {
          const u = capped(node.usage(id, d, k), L);
          if (Number.isNaN(u)) continue;
          used[k - first] += u;
          lim[k - first] += L;
        }
      }
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
