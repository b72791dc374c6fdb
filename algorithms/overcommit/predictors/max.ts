import type { OvercommitNode } from '../overcommit-policy.js';
import { nSigmaPredictor } from './n-sigma.js';
import { rcLikePredictor } from './rc-like.js';
import type { PeakPredictor } from './peak-predictor.js';

/**
 * max (Bashir et al., EuroSys'21 §4–5, the predictor the paper recommends and deployed): the larger
 * of RC-like and N-sigma, `peak = max(Σ_task P_p, min(1, mean + N·sd) · Σ limits)` — the
 * artifact's `max_decorator.py` over the two. Each catches what the other misses: N-sigma reacts
 * to a machine whose tasks vary together, RC-like to a few tasks that each peak rarely.
 */
export function maxPredictor(p = 99, n = 5, warmupSeconds = 7200, historySeconds = 7200): PeakPredictor {
  const rc = rcLikePredictor(p, warmupSeconds, historySeconds);
  const ns = nSigmaPredictor(n, warmupSeconds, historySeconds);
  return {
    name: `max:p=${p},n=${n}`,
    predict: (node: OvercommitNode, d: number) => Math.max(rc.predict(node, d), ns.predict(node, d)),
  };
}
