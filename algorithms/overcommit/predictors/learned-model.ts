import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { UsageError } from '../../../model/errors.js';
import { packageRoot } from '../../../model/package-root.js';
import { featureCount } from './learned-features.js';

/**
 * The learned peak predictor's model file, `model.json` in a model folder: a small MLP's weights
 * (JSON numbers, float32 values) and what is needed to use and to reproduce it. Layer l computes
 *   h_l = act_l(W_lᵀ h_{l−1} + b_l),   act = relu for hidden layers, identity for the output,
 * W_l stored row-major with shape [inputs, units] (tfjs's Dense kernel layout). The output is the
 * standardized peak ratio: ratio = targetMean + targetScale · out.
 */
export const LEARNED_MODEL_FORMAT = 'schedlab-learned-peak';
export const LEARNED_MODEL_VERSION = 1;
export const LEARNED_MODEL_FILE = 'model.json';

export interface LearnedLayer {
  readonly units: number;
  readonly activation: 'relu' | 'linear';
  /** [inputs × units], row-major. */
  readonly kernel: readonly number[];
  readonly bias: readonly number[];
}

export interface LearnedTraining {
  readonly seed: number;
  readonly backend: string;
  /**
   * Per data set: training series (count; the rest of the set), how many seeded groupings of them
   * into machines were trained on, and the series held out for validation (indices into the set).
   */
  readonly series: Readonly<Record<string, { readonly train: number; readonly groupings: number; readonly validationIndices: readonly number[] }>>;
  readonly validationFraction: number;
  readonly samples: { readonly train: number; readonly validation: number };
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly loss: string;
  readonly finalTrainLoss: number;
  readonly finalValidationLoss: number;
  /** Share of validation windows whose real peak is at or below the prediction. */
  readonly validationCoverage: number;
  readonly seconds: number;
}

export interface LearnedPeakModel {
  readonly format: typeof LEARNED_MODEL_FORMAT;
  readonly version: number;
  /** Steps of history in (5-minute usage steps) and of the horizon whose peak is predicted. */
  readonly window: number;
  readonly horizon: number;
  readonly stepSeconds: number;
  /** The quantile τ of the pinball loss the model was trained with. */
  readonly quantile: number;
  readonly features: number;
  readonly featureMean: readonly number[];
  readonly featureScale: readonly number[];
  readonly targetMean: number;
  readonly targetScale: number;
  readonly layers: readonly LearnedLayer[];
  readonly training: LearnedTraining;
}

/** The model shipped with schedlab (trained by `schedlab train predictor`, see README). */
export function defaultLearnedModelDir(): string {
  return path.join(packageRoot(), 'algorithms', 'overcommit', 'predictors', 'learned-peak');
}

/**
 * Reads and checks a model folder. Missing folder or file, unreadable JSON, another format or
 * version, or sizes that do not fit together: UsageError, one line saying which.
 */
export function loadLearnedModel(dir: string): LearnedPeakModel {
  const file = path.join(dir, LEARNED_MODEL_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`learned peak model '${dir}': ${code === 'ENOENT' ? `no ${LEARNED_MODEL_FILE} (not a model folder, or missing)` : `cannot read ${LEARNED_MODEL_FILE}: ${code ?? String(e)}`}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new UsageError(`learned peak model '${dir}': ${LEARNED_MODEL_FILE} is not valid JSON`);
  }
  const problem = modelProblem(raw);
  if (problem) throw new UsageError(`learned peak model '${dir}': ${problem}`);
  return raw as LearnedPeakModel;
}

const isNumbers = (a: unknown, n: number): boolean => Array.isArray(a) && a.length === n && a.every((x) => typeof x === 'number' && Number.isFinite(x));
const isPositiveInt = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x > 0;

/** What is wrong with a parsed model file, or undefined when it is usable. */
export function modelProblem(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return 'not a model object';
  const m = raw as Record<string, unknown>;
  if (m.format !== LEARNED_MODEL_FORMAT) return `format '${String(m.format)}', expected '${LEARNED_MODEL_FORMAT}'`;
  if (m.version !== LEARNED_MODEL_VERSION) return `model format version ${String(m.version)}, this schedlab reads version ${LEARNED_MODEL_VERSION} (from another schedlab version: retrain with schedlab train predictor)`;
  if (!isPositiveInt(m.window) || !isPositiveInt(m.horizon)) return 'window and horizon must be positive whole numbers of steps';
  if (m.features !== featureCount(m.window)) return `feature size ${String(m.features)} does not match window ${m.window} (expected ${featureCount(m.window)})`;
  const F = m.features as number;
  if (!isNumbers(m.featureMean, F) || !isNumbers(m.featureScale, F)) return `featureMean and featureScale must hold ${F} numbers each`;
  if ((m.featureScale as number[]).some((s) => !(s > 0))) return 'featureScale values must be > 0';
  if (typeof m.targetMean !== 'number' || !(typeof m.targetScale === 'number' && m.targetScale > 0)) return 'targetMean must be a number and targetScale > 0';
  if (!Array.isArray(m.layers) || m.layers.length === 0) return 'no layers';
  let inputs = F;
  for (let l = 0; l < m.layers.length; l++) {
    const L = m.layers[l] as Record<string, unknown>;
    const last = l === m.layers.length - 1;
    if (!isPositiveInt(L.units)) return `layer ${l}: units must be a positive whole number`;
    if (L.activation !== (last ? 'linear' : 'relu')) return `layer ${l}: activation must be ${last ? 'linear (output)' : 'relu (hidden)'}`;
    if (!isNumbers(L.kernel, inputs * L.units)) return `layer ${l}: kernel must hold ${inputs} × ${L.units} numbers (feature sizes do not match)`;
    if (!isNumbers(L.bias, L.units)) return `layer ${l}: bias must hold ${L.units} numbers`;
    inputs = L.units;
  }
  if (inputs !== 1) return `output layer has ${inputs} units, expected 1`;
  return undefined;
}

/** The model file's text (weights as exact float32 values). */
export function learnedModelJson(m: LearnedPeakModel): string {
  return JSON.stringify(m) + '\n';
}

/**
 * The plain-JS forward pass (float64 arithmetic over the float32 weights; equals tfjs predict to
 * float32 rounding): standardizes raw features x[0..F), runs the layers, returns the peak ratio.
 * `scratch` must hold 2 × the widest layer (a reusable buffer: no allocation per prediction).
 */
export function forwardPeakRatio(m: LearnedPeakModel, x: ArrayLike<number>, scratch: Float64Array): number {
  const width = scratch.length >> 1;
  let cur = 0; // offset of the current activations in scratch
  const F = m.features;
  for (let i = 0; i < F; i++) scratch[i] = (x[i] - m.featureMean[i]) / m.featureScale[i];
  let inputs = F;
  for (const L of m.layers) {
    const next = cur === 0 ? width : 0;
    const k = L.kernel;
    for (let u = 0; u < L.units; u++) {
      let s = L.bias[u];
      for (let i = 0; i < inputs; i++) s += scratch[cur + i] * k[i * L.units + u];
      scratch[next + u] = L.activation === 'relu' && s < 0 ? 0 : s;
    }
    cur = next;
    inputs = L.units;
  }
  return m.targetMean + m.targetScale * scratch[cur];
}

/** The scratch buffer forwardPeakRatio needs for this model. */
export function forwardScratch(m: LearnedPeakModel): Float64Array {
  return new Float64Array(2 * Math.max(m.features, ...m.layers.map((l) => l.units)));
}
