import type { OvercommitNode } from '../overcommit-policy.js';
import { limitOrRequest } from '../task-limit.js';
import { capped, stepsOf, type PeakPredictor } from './peak-predictor.js';

/** The artifact's default oracle horizon: one day (`horizon_in_seconds: 86400`). */
export const DEFAULT_HORIZON_SECONDS = 86400;

/**
 * The peak oracle (Bashir et al., EuroSys'21 §3): the true peak of the machine over the coming
 * horizon, read from the future — the best any predictor could do safely, the yardstick of the
 * others. As the authors' simulator (`simulator/oracle.py`): the largest, over the steps
 * node.step + 1 … node.step + H (H = 24 h by default), of the sum of the current tasks' usage
 * capped at their limits (a task with unknown usage at a step — it has ended — adds nothing);
 * when no future step is known at all, the sum of the limits. Only a simulation can run it.
 */
export function oraclePredictor(horizonSeconds = DEFAULT_HORIZON_SECONDS): PeakPredictor {
  return {
    name: `oracle:horizon=${horizonSeconds}`,
    predict(node: OvercommitNode, d: number): number {
      const H = stepsOf(horizonSeconds, node.stepLength);
      const limits = new Float64Array(node.taskCount);
      let limitSum = 0;
      for (let i = 0; i < node.taskCount; i++) {
        limits[i] = limitOrRequest(node.task(node.tasks[i]), d);
        limitSum += limits[i];
      }
      let peak = -Infinity;
      for (let k = node.step + 1; k <= node.step + H; k++) {
        let total = 0;
        let known = false;
        for (let i = 0; i < node.taskCount; i++) {
          const u = capped(node.usage(node.tasks[i], d, k), limits[i]);
          if (Number.isNaN(u)) continue;
          known = true;
          total += u;
        }
        if (known && total > peak) peak = total;
      }
      return peak === -Infinity ? limitSum : peak;
    },
  };
}
