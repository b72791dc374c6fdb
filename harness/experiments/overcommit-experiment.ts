import { fnv1a32 } from '../../model/hash.js';
import { UsageError } from '../../model/errors.js';
import { PEAK_PREDICTORS, predictorFromText } from '../../algorithms/overcommit/predictors/predictor-registry.js';
import { stepsOf, DEFAULT_WARMUP_SECONDS } from '../../algorithms/overcommit/predictors/peak-predictor.js';
import { ExperimentMachine, placeByLimits } from './overcommit-machines.js';
import type { OvercommitDataSet } from './overcommit-data.js';

/**
 * The peak-prediction overcommit experiment (Bashir et al., "Take it to the limit", EuroSys'21 §5;
 * protocol in ../shared/docs/experiments.md § Peak-prediction overcommit) on one data set:
 * tasks placed by limits without overcommit (overcommit-machines.ts, seeded); then for every
 * machine and every 5-minute step s after the 2 h warm-up, each predictor predicts the machine's
 * peak from the steps before s (the node seen at step s − 1; the oracle reads s … s − 1 + horizon)
 * and the prediction is compared with the real usage at s (Σ usage capped at the limits). Per
 * predictor:
 * - savings: mean over machine-intervals of 1 − predicted / Σ limits;
 * - violation rate: share of machine-intervals whose real usage exceeds the prediction;
 * - usable CPU gained over no overcommit: Σ(Σ limits) / Σ(predicted) − 1 over the machine-
 *   intervals — admitting until the predicted peak fills the machine lets it take that much more
 *   limit than admitting by limits (at a constant saving s this is 1/(1 − s) − 1).
 */
export const DEFAULT_OVERCOMMIT_PREDICTORS = PEAK_PREDICTORS.map((p) => p.name);

export interface PredictorOutcome {
  predictor: string;
  /** Machine-intervals evaluated. */
  intervals: number;
  savings: number;
  violationRate: number;
  usableGain: number;
  /** Mean (real − predicted) / Σ limits over the violations (0 without any). */
  meanOvershoot: number;
}

export interface DataSetOutcome {
  data: string;
  note: string;
  tasks: number;
  machines: number;
  tasksPerMachine: number;
  steps: number;
  results: PredictorOutcome[];
}

export interface OvercommitRunOptions {
  seed: number;
  /** Predictor specs `name[:settings]` (default: all five with the paper's settings). */
  predictors?: string[];
  /** Evaluate only the first N machines of the placement. */
  machines?: number;
}

export function runOvercommitDataSet(data: OvercommitDataSet, o: OvercommitRunOptions): DataSetOutcome {
  const specs = o.predictors ?? DEFAULT_OVERCOMMIT_PREDICTORS;
  const predictors = specs.map((s) => predictorOf(s));
  // One placement per (seed, data set), the same for every predictor.
  const placement = placeByLimits(data, (o.seed ^ fnv1a32(data.name)) >>> 0);
  const chosen = o.machines === undefined ? placement : placement.slice(0, o.machines);
  const machines = chosen.map((ids) => new ExperimentMachine(data, ids));
  const warmup = stepsOf(DEFAULT_WARMUP_SECONDS, data.stepLength);
  const results: PredictorOutcome[] = predictors.map((p) => {
    let n = 0;
    let savings = 0;
    let violations = 0;
    let limitTotal = 0;
    let predictedTotal = 0;
    let overshoot = 0;
    for (const m of machines) {
      const limits = m.limitSum();
      for (let s = warmup; s < data.steps; s++) {
        m.step = s - 1;
        const predicted = p.predict(m, 0);
        const real = m.usageAt(s);
        n++;
        savings += 1 - predicted / limits;
        limitTotal += limits;
        predictedTotal += predicted;
        if (real > predicted) {
          violations++;
          overshoot += (real - predicted) / limits;
        }
      }
    }
    return {
      predictor: p.name,
      intervals: n,
      savings: n === 0 ? NaN : savings / n,
      violationRate: n === 0 ? NaN : violations / n,
      usableGain: predictedTotal > 0 ? limitTotal / predictedTotal - 1 : NaN,
      meanOvershoot: violations === 0 ? 0 : overshoot / violations,
    };
  });
  const placed = chosen.reduce((a, ids) => a + ids.length, 0);
  return {
    data: data.name,
    note: data.note,
    tasks: placed,
    machines: chosen.length,
    tasksPerMachine: chosen.length === 0 ? 0 : placed / chosen.length,
    steps: data.steps,
    results,
  };
}

/** A predictor from a --predictors item; its errors name --predictors. */
function predictorOf(spec: string) {
  try {
    return predictorFromText(spec, spec);
  } catch (e) {
    if (e instanceof UsageError) throw new UsageError(e.message.replace(/^--overcommit/, '--predictors'));
    throw e;
  }
}

/** Checks --predictors before any data is read. */
export function checkPredictorSpecs(specs: string[]): void {
  if (specs.length === 0) throw new UsageError('--predictors: give at least one predictor');
  for (const s of specs) predictorOf(s);
}
