import { limitOrRequest } from '../task-limit.js';
import type { OvercommitNode } from '../overcommit-policy.js';

/**
 * A peak predictor (Bashir et al., "Take it to the limit: peak prediction-driven resource
 * overcommitment in datacenters", EuroSys'21 §3–4; ../shared/docs/experiments.md § Peak-prediction
 * overcommit): from the usage history of the tasks on a machine, the peak usage they will reach in
 * one dimension over the coming steps. A pure function of the node view (no state), so the same
 * node at the same step always gets the same prediction.
 *
 * Conventions shared by every predictor, from the authors' simulator
 * (googleinterns/cluster-resource-forecast, `simulator/predictor.py`, `fortune_teller.py` and the
 * artifact configuration in `docs/experiments/running-predictors.md`):
 * - samples are the 5-minute usage steps; history is the task's usage at steps ≤ node.step;
 * - usage is capped at the task's limit (`cap_to_limit: true`, the artifact default);
 * - a task with fewer than `warmup` steps since it started (2 h = 24 samples,
 *   `min_num_samples: 24`) is "cold" and predicted at its limit; the others are "warm";
 * - history window: the last 2 h (`num_history_samples: 24`);
 * - a task's "limit" is its limit, else its request, else 0 (algorithms/overcommit/task-limit.ts).
 */
export interface PeakPredictor {
  /** e.g. 'n-sigma:n=5'. */
  readonly name: string;
  /** Predicted peak usage of the node's tasks in dimension d, absolute units. */
  predict(node: OvercommitNode, d: number): number;
}

/** Warm-up and history as in the paper's artifact: 2 h each. */
export const DEFAULT_WARMUP_SECONDS = 7200;
export const DEFAULT_HISTORY_SECONDS = 7200;

/** A duration in seconds as a count of usage steps (at least 1). */
export function stepsOf(seconds: number, stepLength: number): number {
  return Math.max(1, Math.round((seconds * 1e6) / stepLength));
}

/** Whether the task has been on the node for at least `warmupSteps` samples (current step included). */
export function isWarm(node: OvercommitNode, id: number, warmupSteps: number): boolean {
  return node.step - node.startStep(id) + 1 >= warmupSteps;
}

/** What sumWarmWindow found beside its per-step sums. */
export interface WarmWindow {
  /** Σ limits of the tasks still in their warm-up. */
  cold: number;
  /** Σ limits of the warm tasks, and how many there are. */
  warmLimit: number;
  warm: number;
}

/**
 * The usage history predictors read (Bashir et al., EuroSys'21 §4, as N-sigma): for the `steps`
 * steps ending at the node's current one, Σ capped usage (`used`) and Σ limits (`lim`) of the warm
 * tasks whose usage is known there, and (`present`, optional) how many they are; the arrays are
 * zeroed first. Cold tasks only add their limit to `out.cold`.
 */
export function sumWarmWindow(node: OvercommitNode, d: number, warmupSteps: number, steps: number, used: Float64Array, lim: Float64Array, present: Int32Array | undefined, out: WarmWindow): void {
  used.fill(0, 0, steps);
  lim.fill(0, 0, steps);
  present?.fill(0, 0, steps);
  const first = node.step - steps + 1;
  out.cold = 0;
  out.warmLimit = 0;
  out.warm = 0;
  for (let i = 0; i < node.taskCount; i++) {
    const id = node.tasks[i];
    const L = limitOrRequest(node.task(id), d);
    if (!isWarm(node, id, warmupSteps)) {
      out.cold += L;
      continue;
    }
    out.warm++;
    out.warmLimit += L;
    for (let k = Math.max(node.startStep(id), first); k <= node.step; k++) {
      const u = capped(node.usage(id, d, k), L);
      if (Number.isNaN(u)) continue;
      used[k - first] += u;
      lim[k - first] += L;
      if (present) present[k - first]++;
    }
  }
}

/** Usage capped at the limit (no cap without a limit); NaN stays NaN. */
export function capped(u: number, limit: number): number {
  return limit > 0 && u > limit ? limit : u;
}

/**
 * The p-th percentile (0–100) of x[0..n) by linear interpolation between closest ranks (numpy's
 * default, as the artifact uses): rank = p/100 · (n − 1). Sorts x in place.
 */
export function percentile(x: Float64Array, n: number, p: number): number {
  const v = x.subarray(0, n).sort();
  if (n === 0) return NaN;
  const rank = (p / 100) * (n - 1);
  const lo = Math.floor(rank);
  const hi = Math.min(n - 1, lo + 1);
  return v[lo] + (v[hi] - v[lo]) * (rank - lo);
}

let scratch = new Float64Array(64);
/** A reusable buffer of at least n values (predictors run one at a time). */
export function scratchBuffer(n: number): Float64Array {
  if (scratch.length < n) scratch = new Float64Array(Math.max(n, scratch.length * 2));
  return scratch;
}
