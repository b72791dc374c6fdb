import type { OvercommitNode } from '../overcommit-policy.js';
import { stepsOf, sumWarmWindow, type PeakPredictor, type WarmWindow } from './peak-predictor.js';

/**
 * N-sigma (Bashir et al., EuroSys'21 §4; by the central limit theorem the machine's usage, a sum
 * of many tasks', is near normal): mean + N standard deviations of the machine's usage history,
 * N = 5 in the paper. As in the authors' simulator (`simulator/n_sigma_predictor.py`) the history
 * is normalized by the limits so it survives tasks coming and going: for each of the last 2 h of
 * steps k, r_k = Σ usage_k / Σ limit over the warm tasks with usage known at k; then
 *   peak = min(1, mean(r) + N · sd(r)) · Σ limits of the warm tasks + Σ limits of the cold ones,
 * sd the sample standard deviation (n − 1; 0 with one sample), usage capped at the limit.
 */
export function nSigmaPredictor(n = 5, warmupSeconds = 7200, historySeconds = 7200): PeakPredictor {
  return {
    name: `n-sigma:n=${n}`,
    predict(node: OvercommitNode, d: number): number {
      const warmup = stepsOf(warmupSeconds, node.stepLength);
      const history = stepsOf(historySeconds, node.stepLength);
      const used = new Float64Array(history);
      const lim = new Float64Array(history);
      const present = new Int32Array(history);
      const w: WarmWindow = { cold: 0, warmLimit: 0, warm: 0 };
      sumWarmWindow(node, d, warmup, history, used, lim, present, w);
      const { cold, warmLimit, warm } = w;
      if (warm === 0) return cold;
      // Steps with no warm task known are skipped; a step whose tasks have no limit has ratio 0 (as the artifact).
      let count = 0;
      let sum = 0;
      for (let j = 0; j < history; j++) {
        if (present[j] === 0) continue;
        used[count] = lim[j] > 0 ? used[j] / lim[j] : 0;
        sum += used[count++];
      }
      if (count === 0) return cold + warmLimit;
      const mean = sum / count;
      let ss = 0;
      for (let j = 0; j < count; j++) ss += (used[j] - mean) * (used[j] - mean);
      const sd = count > 1 ? Math.sqrt(ss / (count - 1)) : 0;
      return Math.min(1, mean + n * sd) * warmLimit + cold;
    },
  };
}
