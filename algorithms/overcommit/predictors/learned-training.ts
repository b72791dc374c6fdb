import { UsageError } from '../../../model/errors.js';
import { permutation, Rng } from '../../../model/rng.js';
import { loadTf, type LoadedTf } from '../../learned/tf-backend.js';
import { featureCount } from './learned-features.js';
import { LEARNED_MODEL_FORMAT, LEARNED_MODEL_VERSION, type LearnedLayer, type LearnedPeakModel } from './learned-model.js';
import { machinesOf, samplesOf, splitSeries, type TrainingSamples, type TrainingSeriesSet } from './learned-samples.js';

type Tf = LoadedTf['tf'];
type LayersModel = import('@tensorflow/tfjs').LayersModel;

/**
 * Training of the learned peak predictor with TensorFlow.js (tfjs-node when it loads, else wasm:
 * algorithms/learned/tf-backend.ts). Loss: the pinball (quantile) loss of Koenker & Bassett
 * (Econometrica 1978) at a high quantile τ, on the standardized target z = (y − μ_y) / σ_y:
 *   L_τ(z, ẑ) = mean( max(τ · (z − ẑ), (τ − 1) · (z − ẑ)) )
 * Its minimizer is the conditional τ-quantile of the peak, so a violation (peak above the
 * prediction) happens with probability about 1 − τ on data like the training data: the knob the
 * overcommit trade-off needs. MSE would fit the conditional mean, violated about half the time.
 * Deterministic for a seed on one backend: seeded initializers, our own seeded epoch order, no dropout.
 */
export interface TrainPredictorOptions {
  seed: number;
  /** History steps (default 24 = 2 h of 5-minute steps, the artifact's history). */
  window?: number;
  /** Steps whose peak is predicted (default 6 = 30 min). */
  horizon?: number;
  /** Pinball quantile τ (default 0.99). */
  quantile?: number;
  /** Hidden layer widths (default [32, 16]). */
  hidden?: number[];
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  /** Share of each set's series held out for validation (default 0.2). */
  validationFraction?: number;
  /** Called after each epoch (epoch 0 = before training). */
  onEpoch?: (row: EpochRow) => void;
}

export interface EpochRow {
  epoch: number;
  trainLoss: number;
  validationLoss: number;
  validationCoverage: number;
  seconds: number;
}

export const TRAIN_DEFAULTS = { window: 24, horizon: 6, quantile: 0.99, hidden: [32, 16], epochs: 6, batchSize: 256, learningRate: 2e-3, validationFraction: 0.2 } as const;

/** Option bounds, checked before any work: UsageError naming the option (`--name` as on the command line). */
export function checkTrainOptions(o: TrainPredictorOptions): Required<Omit<TrainPredictorOptions, 'onEpoch'>> {
  // An option given as undefined (absent on the command line) keeps its default.
  const given = Object.fromEntries(Object.entries(o).filter(([k, v]) => v !== undefined && k !== 'onEpoch')) as TrainPredictorOptions;
  const r = { ...TRAIN_DEFAULTS, ...given, hidden: o.hidden ?? [...TRAIN_DEFAULTS.hidden] };
  const int = (name: string, v: number, lo: number, hi: number) => {
    if (!(Number.isInteger(v) && v >= lo && v <= hi)) throw new UsageError(`--${name}: expected a whole number from ${lo} to ${hi}, got '${v}'`);
  };
  int('seed', r.seed, 0, 0xffffffff);
  int('window', r.window, 1, 288);
  int('horizon', r.horizon, 1, 288);
  int('epochs', r.epochs, 1, 1000);
  int('batch-size', r.batchSize, 1, 65536);
  if (!(r.quantile > 0 && r.quantile < 1)) throw new UsageError(`--quantile: expected a quantile in (0, 1), got '${r.quantile}'`);
  if (!(r.learningRate > 0 && r.learningRate <= 1)) throw new UsageError(`--learning-rate: expected a rate in (0, 1], got '${r.learningRate}'`);
  if (!(r.validationFraction > 0 && r.validationFraction < 1)) throw new UsageError(`--validation-fraction: expected a fraction in (0, 1), got '${r.validationFraction}'`);
  if (r.hidden.length === 0 || r.hidden.length > 4) throw new UsageError(`--hidden: expected 1 to 4 layer widths, got ${r.hidden.length}`);
  for (const h of r.hidden) int('hidden', h, 1, 512);
  return r;
}

/** Standardization of features and target from the training samples (scale 1 where constant). */
export function standardization(s: TrainingSamples): { featureMean: number[]; featureScale: number[]; targetMean: number; targetScale: number } {
  const F = s.features;
  const mean = new Float64Array(F);
  const ss = new Float64Array(F);
  for (let i = 0; i < s.count; i++) for (let f = 0; f < F; f++) mean[f] += s.x[i * F + f];
  for (let f = 0; f < F; f++) mean[f] /= Math.max(1, s.count);
  for (let i = 0; i < s.count; i++) for (let f = 0; f < F; f++) ss[f] += (s.x[i * F + f] - mean[f]) ** 2;
  const scale = (v: number) => (v > 1e-12 ? Math.sqrt(v) : 1);
  let ym = 0;
  for (let i = 0; i < s.count; i++) ym += s.y[i];
  ym /= Math.max(1, s.count);
  let yss = 0;
  for (let i = 0; i < s.count; i++) yss += (s.y[i] - ym) ** 2;
  return {
    featureMean: Array.from(mean),
    featureScale: Array.from(ss, (v) => scale(v / Math.max(1, s.count))),
    targetMean: ym,
    targetScale: scale(yss / Math.max(1, s.count)),
  };
}

/** The network: Dense relu hidden layers, a linear output; Glorot-uniform weights seeded per layer. */
export function buildNetwork(tf: Tf, features: number, hidden: readonly number[], seed: number): LayersModel {
  const m = tf.sequential();
  hidden.forEach((units, l) => {
    m.add(tf.layers.dense({ units, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + l }), ...(l === 0 ? { inputShape: [features] } : {}) }));
  });
  m.add(tf.layers.dense({ units: 1, activation: 'linear', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + hidden.length }) }));
  return m;
}

/** A tfjs network holding a stored model's weights (for checking the plain-JS forward pass). */
export function networkOf(tf: Tf, model: LearnedPeakModel): LayersModel {
  const net = buildNetwork(tf, model.features, model.layers.slice(0, -1).map((l) => l.units), 0);
  let inputs = model.features;
  const weights = model.layers.flatMap((l) => {
    const w = [tf.tensor2d(l.kernel as number[], [inputs, l.units]), tf.tensor1d(l.bias as number[])];
    inputs = l.units;
    return w;
  });
  net.setWeights(weights);
  weights.forEach((w) => w.dispose());
  return net;
}

/** Standardized features as a Float32Array, rows in `order`. */
export function standardized(s: TrainingSamples, st: ReturnType<typeof standardization>, order?: Int32Array): { x: Float32Array; y: Float32Array } {
  const F = s.features;
  const x = new Float32Array(s.count * F);
  const y = new Float32Array(s.count);
  for (let i = 0; i < s.count; i++) {
    const r = order ? order[i] : i;
    for (let f = 0; f < F; f++) x[i * F + f] = (s.x[r * F + f] - st.featureMean[f]) / st.featureScale[f];
    y[i] = (s.y[r] - st.targetMean) / st.targetScale;
  }
  return { x, y };
}

/** tfjs predict's default batch of 32 makes a 200k-row predict take minutes on wasm; large batches take under a second. */
const PREDICT_BATCH = 8192;

function pinball(tf: Tf, tau: number) {
  return (yTrue: import('@tensorflow/tfjs').Tensor, yPred: import('@tensorflow/tfjs').Tensor) =>
    tf.tidy(() => {
      const e = tf.sub(yTrue, yPred);
      return tf.mean(tf.maximum(tf.mul(e, tau), tf.mul(e, tau - 1)));
    });
}

/** Trains on the sets' training series; returns the model (weights, standardization, provenance) and the curve. */
export async function trainPeakPredictor(sets: readonly TrainingSeriesSet[], options: TrainPredictorOptions): Promise<{ model: LearnedPeakModel; curve: EpochRow[] }> {
  const o = checkTrainOptions(options);
  const t0 = performance.now();
  const rng = new Rng(o.seed);
  const trainMachines: Array<{ set: TrainingSeriesSet; ids: Int32Array }> = [];
  const valMachines: Array<{ set: TrainingSeriesSet; ids: Int32Array }> = [];
  const series: Record<string, { train: number; groupings: number; validationIndices: number[] }> = {};
  const splits = sets.map((set, i) => splitSeries(set.taskCount, o.validationFraction, rng.fork(100 + i)));
  const firstGrouping = sets.map((set, i) => machinesOf(set, splits[i].train, rng.fork(200 + i)));
  const most = Math.max(...firstGrouping.map((g) => g.length));
  sets.forEach((set, i) => {
    const { train, validation } = splits[i];
    // A set with fewer machines (GCD: 3 series a machine, PlanetLab: 8) gets more groupings of its
    // training series into machines, other mixes of the same series, so each set weighs about alike.
    const groupings = Math.max(1, Math.round(most / Math.max(1, firstGrouping[i].length)));
    series[set.name] = { train: train.length, groupings, validationIndices: Array.from(validation) };
    for (let g = 0; g < groupings; g++) {
      for (const ids of g === 0 ? firstGrouping[i] : machinesOf(set, train, rng.fork(1000 * (g + 1) + i))) trainMachines.push({ set, ids });
    }
    for (const ids of machinesOf(set, validation, rng.fork(300 + i))) valMachines.push({ set, ids });
  });
  const train = samplesOf(trainMachines, o.window, o.horizon);
  const val = samplesOf(valMachines, o.window, o.horizon);
  if (train.count === 0) throw new UsageError(`--window/--horizon: no training window fits (series of ${sets[0]?.steps ?? 0} steps, window ${o.window} + horizon ${o.horizon})`);
  const st = standardization(train);
  const { tf, backend } = await loadTf();
  const F = featureCount(o.window);
  const net = buildNetwork(tf, F, o.hidden, o.seed);
  const loss = pinball(tf, o.quantile);
  const v = standardized(val, st);
  const vx = tf.tensor2d(v.x, [val.count, F]);
  const vy = tf.tensor2d(v.y, [val.count, 1]);
  const curve: EpochRow[] = [];
  const evaluate = (epoch: number, trainLoss: number) => {
    let validationLoss = NaN;
    let validationCoverage = NaN;
    if (val.count > 0) {
      const p = net.predict(vx, { batchSize: PREDICT_BATCH }) as import('@tensorflow/tfjs').Tensor;
      const pd = p.dataSync();
      let l = 0;
      let covered = 0;
      for (let i = 0; i < val.count; i++) {
        const e = v.y[i] - pd[i];
        l += Math.max(o.quantile * e, (o.quantile - 1) * e);
        if (e <= 0) covered++;
      }
      p.dispose();
      validationLoss = l / val.count;
      validationCoverage = covered / val.count;
    }
    const row = { epoch, trainLoss, validationLoss, validationCoverage, seconds: (performance.now() - t0) / 1000 };
    curve.push(row);
    options.onEpoch?.(row);
  };
  const whole = standardized(train, st);
  const tx0 = tf.tensor2d(whole.x, [train.count, F]);
  const ty0 = tf.tensor2d(whole.y, [train.count, 1]);
  const initial = tf.tidy(() => loss(ty0, net.predict(tx0, { batchSize: PREDICT_BATCH }) as import('@tensorflow/tfjs').Tensor).dataSync()[0]);
  tx0.dispose();
  ty0.dispose();
  evaluate(0, initial);
  const order = rng.fork(400);
  const optimizer = tf.train.adam(o.learningRate);
  net.compile({ optimizer, loss });
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    // Cosine decay of the step size over the epochs (Loshchilov & Hutter, ICLR 2017, without restarts):
    // the last epochs settle instead of jumping around the quantile, so the final weights are stable.
    (optimizer as unknown as { learningRate: number }).learningRate = (o.learningRate * (1 + Math.cos((Math.PI * (epoch - 1)) / o.epochs))) / 2;
    const e = standardized(train, st, permutation(train.count, order));
    const tx = tf.tensor2d(e.x, [train.count, F]);
    const ty = tf.tensor2d(e.y, [train.count, 1]);
    const h = await net.fit(tx, ty, { batchSize: o.batchSize, epochs: 1, shuffle: false, verbose: 0 });
    tx.dispose();
    ty.dispose();
    evaluate(epoch, Number(h.history.loss[0]));
  }
  vx.dispose();
  vy.dispose();
  const layers: LearnedLayer[] = [];
  const w = net.getWeights();
  for (let l = 0; l < w.length; l += 2) {
    layers.push({ units: w[l + 1].shape[0], activation: l + 2 === w.length ? 'linear' : 'relu', kernel: Array.from(w[l].dataSync()), bias: Array.from(w[l + 1].dataSync()) });
  }
  net.dispose();
  const last = curve[curve.length - 1];
  const model: LearnedPeakModel = {
    format: LEARNED_MODEL_FORMAT,
    version: LEARNED_MODEL_VERSION,
    window: o.window,
    horizon: o.horizon,
    stepSeconds: (sets[0]?.stepLength ?? 300e6) / 1e6,
    quantile: o.quantile,
    features: F,
    ...st,
    layers,
    training: {
      seed: o.seed,
      backend,
      series,
      validationFraction: o.validationFraction,
      samples: { train: train.count, validation: val.count },
      epochs: o.epochs,
      batchSize: o.batchSize,
      learningRate: o.learningRate,
      loss: `pinball(q=${o.quantile}) on the standardized peak ratio`,
      finalTrainLoss: last.trainLoss,
      finalValidationLoss: last.validationLoss,
      validationCoverage: last.validationCoverage,
      seconds: (performance.now() - t0) / 1000,
    },
  };
  return { model, curve };
}
