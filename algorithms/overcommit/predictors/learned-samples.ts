import { permutation, type Rng } from '../../../model/rng.js';
import { featureCount, fillGaps, windowFeatures } from './learned-features.js';
import { firstFitByLimit } from '../machines-by-limit.js';

/**
 * Training samples of the learned peak predictor from usage series (one series = one task with a
 * limit, as the overcommit experiment reads the usage library: harness/experiments/overcommit-data.ts).
 * Structurally an OvercommitDataSet: every series `steps` long, usage row-major, NaN = unknown.
 */
export interface TrainingSeriesSet {
  readonly name: string;
  readonly steps: number;
  /** Step length, µs (300e6 in the usage library). */
  readonly stepLength: number;
  readonly taskCount: number;
  readonly usage: Float64Array;
  readonly limit: Float64Array;
  readonly capacity: number;
}

export interface TrainingSamples {
  readonly count: number;
  readonly features: number;
  /** Raw features, `sample * features + f` (learned-features.ts). */
  readonly x: Float32Array;
  /** Target peak ratio per sample. */
  readonly y: Float32Array;
}

/**
 * Split by series (never by window, so no validation window shares a series with training): a
 * seeded shuffle, the first round(fraction · n) series held out; both lists sorted.
 */
export function splitSeries(n: number, fraction: number, rng: Rng): { train: Int32Array; validation: Int32Array } {
  const order = permutation(n, rng);
  const cut = Math.round(fraction * n);
  return { validation: order.slice(0, cut).sort(), train: order.slice(cut).sort() };
}

/**
 * Machines as the overcommit experiment builds them (firstFitByLimit): the series in a seeded
 * order, first-fit by limit onto machines of the set's capacity; series without a positive limit
 * are left out.
 */
export function machinesOf(set: TrainingSeriesSet, ids: Int32Array, rng: Rng): Int32Array[] {
  const order = permutation(ids.length, rng);
  return firstFitByLimit(Int32Array.from(order, (o) => ids[o]), set.limit, set.capacity);
}

/**
 * A machine's two ratio series over its steps: `history[k]` = Σ capped usage / Σ limits of the
 * tasks known at k (NaN when none: what the predictor reads), `real[k]` = Σ capped usage / Σ all
 * limits (what the experiment compares the prediction with).
 */
export function machineRatios(set: TrainingSeriesSet, ids: Int32Array): { history: Float64Array; real: Float64Array } {
  const history = new Float64Array(set.steps);
  const real = new Float64Array(set.steps);
  let total = 0;
  for (const t of ids) total += set.limit[t];
  for (let k = 0; k < set.steps; k++) {
    let u = 0;
    let lim = 0;
    for (const t of ids) {
      const v = set.usage[t * set.steps + k];
      if (Number.isNaN(v)) continue;
      u += Math.min(v, set.limit[t]);
      lim += set.limit[t];
    }
    history[k] = lim > 0 ? u / lim : NaN;
    real[k] = total > 0 ? u / total : 0;
  }
  return { history, real };
}

/**
 * Every (window, target) pair of the machines: for each step s with W steps before it and H from
 * it, features of history[s−W..s) and target max(real[s..s+H)), the peak over the horizon.
 */
export function samplesOf(machines: ReadonlyArray<{ set: TrainingSeriesSet; ids: Int32Array }>, W: number, H: number): TrainingSamples {
  const F = featureCount(W);
  const perMachine = machines.map((m) => Math.max(0, m.set.steps - W - H + 1));
  const capacity = perMachine.reduce((a, b) => a + b, 0);
  const x = new Float32Array(capacity * F);
  const y = new Float32Array(capacity);
  const win = new Float64Array(W);
  let n = 0;
  for (const { set, ids } of machines) {
    const { history, real } = machineRatios(set, ids);
    for (let s = W; s + H <= set.steps; s++) {
      for (let j = 0; j < W; j++) win[j] = history[s - W + j];
      if (!fillGaps(win, W)) continue;
      windowFeatures(win, 0, W, x, n * F);
      let peak = 0;
      for (let k = s; k < s + H; k++) if (real[k] > peak) peak = real[k];
      y[n++] = peak;
    }
  }
  return { count: n, features: F, x: x.subarray(0, n * F), y: y.subarray(0, n) };
}
