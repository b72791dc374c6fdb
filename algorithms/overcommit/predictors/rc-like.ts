import type { OvercommitNode } from '../overcommit-policy.js';
import { limitOrRequest } from '../task-limit.js';
import { capped, isWarm, percentile, scratchBuffer, stepsOf, type PeakPredictor } from './peak-predictor.js';

/**
 * RC-like (Bashir et al., EuroSys'21 §4, after Resource Central, Cortez et al. SOSP'17): the sum
 * over the node's tasks of a per-task percentile of its own usage history,
 * `peak = Σ_task P_p(usage over the last 2 h)`, usage capped at the limit; cold tasks at their
 * limit. The percentile is a parameter in the authors' simulator (`per_vm_percentile_predictor`,
 * default 100 = the max of history); we default to p = 99 — our reading of the paper's RC-like
 * set-up, which we could not check against its text: give `peak:rc-like:p=...` to change it.
 * A warm task with no known usage in its window counts its limit.
 */
export function rcLikePredictor(p = 99, warmupSeconds = 7200, historySeconds = 7200): PeakPredictor {
  return {
    name: `rc-like:p=${p}`,
    predict(node: OvercommitNode, d: number): number {
      const warmup = stepsOf(warmupSeconds, node.stepLength);
      const history = stepsOf(historySeconds, node.stepLength);
      const buf = scratchBuffer(history);
      let peak = 0;
      for (let i = 0; i < node.taskCount; i++) {
        const id = node.tasks[i];
        const L = limitOrRequest(node.task(id), d);
        if (!isWarm(node, id, warmup)) {
          peak += L;
          continue;
        }
        let n = 0;
        for (let k = Math.max(node.startStep(id), node.step - history + 1); k <= node.step; k++) {
          const u = capped(node.usage(id, d, k), L);
          if (!Number.isNaN(u)) buf[n++] = u;
        }
        peak += n === 0 ? L : percentile(buf, n, p);
      }
      return peak;
    },
  };
}
