import type { OvercommitNode } from '../overcommit-policy.js';
import { limitOrRequest } from '../task-limit.js';
import { isWarm, stepsOf, type PeakPredictor } from './peak-predictor.js';

/**
 * borg-default (Bashir et al., EuroSys'21 §4, "inspired by Borg"): the peak is a fixed fraction of
 * the sum of the tasks' limits, `peak = φ · Σ limits`, with φ = 0.9 — the value of the authors'
 * simulator (`simulator/limit_predictor.py`, BorgPredictor; note that file multiplies by 0.9 twice,
 * 0.81 in effect; we apply the stated fraction once). Cold tasks (under the warm-up) count their
 * whole limit, as every predictor of the artifact does.
 */
export function borgDefaultPredictor(fraction = 0.9, warmupSeconds = 7200): PeakPredictor {
  return {
    name: `borg-default:fraction=${fraction}`,
    predict(node: OvercommitNode, d: number): number {
      const warmup = stepsOf(warmupSeconds, node.stepLength);
      let peak = 0;
      for (let i = 0; i < node.taskCount; i++) {
        const id = node.tasks[i];
        const L = limitOrRequest(node.task(id), d);
        peak += isWarm(node, id, warmup) ? fraction * L : L;
      }
      return peak;
    },
  };
}
