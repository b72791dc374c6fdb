import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OvercommitNode, OvercommitTask } from '../algorithms/overcommit/overcommit-policy.js';
import { fillGaps, featureCount, windowFeatures } from '../algorithms/overcommit/predictors/learned-features.js';
import { learnedPredictor } from '../algorithms/overcommit/predictors/learned.js';
import {
  defaultLearnedModelDir,
  forwardPeakRatio,
  forwardScratch,
  LEARNED_MODEL_FORMAT,
  LEARNED_MODEL_VERSION,
  learnedModelJson,
  loadLearnedModel,
  type LearnedPeakModel,
} from '../algorithms/overcommit/predictors/learned-model.js';
import { machineRatios, splitSeries, type TrainingSeriesSet } from '../algorithms/overcommit/predictors/learned-samples.js';
import { checkTrainOptions, networkOf, trainPeakPredictor, type TrainPredictorOptions } from '../algorithms/overcommit/predictors/learned-training.js';
import { predictorFromText } from '../algorithms/overcommit/predictors/predictor-registry.js';
import { loadTf } from '../algorithms/learned/tf-backend.js';
import { UsageError } from '../model/errors.js';
import { PriorityBand } from '../model/priority-bands.js';
import { QosClass } from '../model/qos-class.js';
import { Rng } from '../model/rng.js';

process.env.SCHEDLAB_TF_BACKEND = 'wasm';

/** A node whose tasks have limits `limits` and usage rows `usage[task][step]`, all started at `start`. */
function node(limits: number[], usage: number[][], step: number, start: number[] = limits.map(() => 0)): OvercommitNode {
  const facts: OvercommitTask[] = limits.map((l, id) => ({ id, request: Float64Array.of(NaN), limit: Float64Array.of(l), priority: 0, band: PriorityBand.Production, qos: QosClass.Burstable }));
  return {
    dims: 1,
    now: step * 300e6,
    step,
    stepLength: 300e6,
    capacity: Float64Array.of(10),
    allocatable: Float64Array.of(10),
    taskCount: limits.length,
    tasks: Int32Array.from(limits.keys()),
    task: (id) => facts[id],
    startStep: (id) => start[id],
    usage: (id, _d, k) => (k >= start[id] && k < usage[id].length ? usage[id][k] : NaN),
  };
}

/** A hand-made model over a window of 2: one linear layer, out = max(r) + 0.1 (no standardization). */
function maxPlusModel(bias = 0.1): LearnedPeakModel {
  const F = featureCount(2);
  const kernel = new Array(F).fill(0);
  kernel[F - 1] = 1; // the max feature
  return {
    format: LEARNED_MODEL_FORMAT,
    version: LEARNED_MODEL_VERSION,
    window: 2,
    horizon: 1,
    stepSeconds: 300,
    quantile: 0.99,
    features: F,
    featureMean: new Array(F).fill(0),
    featureScale: new Array(F).fill(1),
    targetMean: 0,
    targetScale: 1,
    layers: [{ units: 1, activation: 'linear', kernel, bias: [bias] }],
    training: { seed: 0, backend: 'none', series: {}, validationFraction: 0.2, samples: { train: 0, validation: 0 }, epochs: 0, batchSize: 1, learningRate: 1, loss: 'none', finalTrainLoss: 0, finalValidationLoss: 0, validationCoverage: 0, seconds: 0 },
  };
}

describe('learned peak predictor: features', () => {
  it('window features are the ratios, then mean, sample sd and max', () => {
    const out = new Float64Array(6);
    windowFeatures([0.2, 0.4, 0.6], 0, 3, out, 0);
    expect(Array.from(out.subarray(0, 3))).toEqual([0.2, 0.4, 0.6]);
    expect(out[3]).toBeCloseTo(0.4, 12);
    expect(out[4]).toBeCloseTo(0.2, 12); // sqrt(((-0.2)² + 0 + 0.2²) / 2)
    expect(out[5]).toBe(0.6);
  });
  it('gaps take the nearest earlier known value (leading ones the first known); none known is false', () => {
    const r = Float64Array.of(NaN, 0.3, NaN, NaN, 0.5);
    expect(fillGaps(r, 5)).toBe(true);
    expect(Array.from(r)).toEqual([0.3, 0.3, 0.3, 0.3, 0.5]);
    expect(fillGaps(Float64Array.of(NaN, NaN), 2)).toBe(false);
  });
  it('machine ratios: history over the known tasks, real over all limits, usage capped at the limit', () => {
    const set: TrainingSeriesSet = { name: 't', steps: 2, stepLength: 300e6, taskCount: 2, usage: Float64Array.of(0.5, 2, NaN, 1), limit: Float64Array.of(1, 3), capacity: 4 };
    const { history, real } = machineRatios(set, Int32Array.of(0, 1));
    expect(Array.from(history)).toEqual([0.5 / 1, (1 + 1) / 4]);
    expect(Array.from(real)).toEqual([0.5 / 4, 2 / 4]);
  });
  it('the split is by series, disjoint and complete, and seeded', () => {
    const a = splitSeries(50, 0.2, new Rng(3));
    expect(a.validation.length).toBe(10);
    expect([...a.train, ...a.validation].sort((x, y) => x - y)).toEqual([...Array(50).keys()]);
    expect(splitSeries(50, 0.2, new Rng(3))).toEqual(a);
    expect(Array.from(splitSeries(50, 0.2, new Rng(4)).validation)).not.toEqual(Array.from(a.validation));
  });
});

describe('learned peak predictor: prediction on a node', () => {
  it('peak = clamp(f(window), 0, 1) × warm limits + cold limits', () => {
    // Tasks 0 and 1 warm (limits 2 and 2), task 2 cold (limit 1, started at step 3). Warm-up 2 steps.
    const usage = [
      [0.2, 0.4, 0.8, 1.0],
      [0.2, 0.4, 0.4, 0.2],
      [0, 0, 0, 0.5],
    ];
    const p = learnedPredictor(maxPlusModel(), 600);
    // Window = steps 2, 3: ratios (0.8 + 0.4) / 4 = 0.3 and (1.0 + 0.2) / 4 = 0.3; f = 0.3 + 0.1.
    expect(p.predict(node([2, 2, 1], usage, 3, [0, 0, 3]), 0)).toBeCloseTo(0.4 * 4 + 1, 12);
    // A model above 1 is capped at the warm limits.
    expect(learnedPredictor(maxPlusModel(5), 600).predict(node([2, 2], usage.slice(0, 2), 3), 0)).toBe(4);
    // No warm task: the cold limits alone.
    expect(p.predict(node([2], [[1, 1, 1, 1]], 3, [3]), 0)).toBe(2);
  });
});

/** Small series: a daily wave with noise and bursts, limit = the series' own peak, 3 a machine. */
function tinySet(seed: number, count = 36, steps = 96): TrainingSeriesSet {
  const rng = new Rng(seed);
  const usage = new Float64Array(count * steps);
  const limit = new Float64Array(count);
  for (let t = 0; t < count; t++) {
    const level = 0.1 + 0.2 * rng.next();
    for (let k = 0; k < steps; k++) {
      const u = level * (1 + 0.3 * Math.sin((2 * Math.PI * k) / steps + t)) + 0.03 * rng.normal() + (rng.next() < 0.02 ? 0.1 : 0);
      usage[t * steps + k] = Math.max(0, u);
      limit[t] = Math.max(limit[t], usage[t * steps + k]);
    }
  }
  return { name: 'tiny', steps, stepLength: 300e6, taskCount: count, usage, limit, capacity: 1 };
}

const tiny: TrainPredictorOptions = { seed: 5, window: 6, horizon: 2, hidden: [8], epochs: 4, batchSize: 64, learningRate: 5e-3 };

describe('learned peak predictor: training (wasm)', () => {
  it('a tiny run reduces the loss; the same seed gives the same weights, another seed others', async () => {
    const a = await trainPeakPredictor([tinySet(1)], tiny);
    expect(a.model.training.backend).toBe('wasm');
    expect(a.curve.map((r) => r.epoch)).toEqual([0, 1, 2, 3, 4]);
    const [first, last] = [a.curve[0], a.curve[a.curve.length - 1]];
    expect(last.trainLoss).toBeLessThan(0.5 * first.trainLoss);
    expect(last.validationLoss).toBeLessThan(0.5 * first.validationLoss);
    const b = await trainPeakPredictor([tinySet(1)], tiny);
    expect(b.model.layers).toEqual(a.model.layers);
    expect(b.curve.map((r) => r.validationLoss)).toEqual(a.curve.map((r) => r.validationLoss));
    const c = await trainPeakPredictor([tinySet(1)], { ...tiny, seed: 6, epochs: 1 });
    expect(c.model.layers[0].kernel).not.toEqual(a.model.layers[0].kernel);
  }, 30_000);

  it('the plain-JS forward pass equals tfjs predict within 1e-5 (a tiny model and the shipped one)', async () => {
    const { tf } = await loadTf();
    const trained = (await trainPeakPredictor([tinySet(2)], { ...tiny, epochs: 1 })).model;
    for (const m of [trained, loadLearnedModel(defaultLearnedModelDir())]) {
      const rng = new Rng(9);
      const n = 64;
      const raw = new Float64Array(n * m.features);
      for (let i = 0; i < raw.length; i++) raw[i] = rng.next();
      const z = new Float32Array(raw.length);
      for (let i = 0; i < raw.length; i++) z[i] = (raw[i] - m.featureMean[i % m.features]) / m.featureScale[i % m.features];
      const net = networkOf(tf, m);
      const out = tf.tidy(() => (net.predict(tf.tensor2d(z, [n, m.features])) as import('@tensorflow/tfjs').Tensor).dataSync());
      net.dispose();
      const scratch = forwardScratch(m);
      let worst = 0;
      for (let i = 0; i < n; i++) {
        const js = forwardPeakRatio(m, raw.subarray(i * m.features, (i + 1) * m.features), scratch);
        worst = Math.max(worst, Math.abs(js - (m.targetMean + m.targetScale * out[i])));
      }
      expect(worst).toBeLessThan(1e-5);
    }
  }, 30_000);

  it('training options out of range are a UsageError naming the option', () => {
    expect(() => checkTrainOptions({ seed: 1, quantile: 1 })).toThrow(/^--quantile: /);
    expect(() => checkTrainOptions({ seed: 1, horizon: 0 })).toThrow(/^--horizon: /);
    expect(() => checkTrainOptions({ seed: 1, hidden: [8, 0] })).toThrow(/^--hidden: /);
    expect(() => checkTrainOptions({ seed: -1 })).toThrow(/^--seed: /);
    // Absent (undefined) options keep their defaults.
    expect(checkTrainOptions({ seed: 1, epochs: undefined }).epochs).toBeGreaterThan(0);
  });
});

describe('learned peak predictor: model folder', () => {
  const dir = () => mkdtempSync(path.join(tmpdir(), 'schedlab-peak-model-'));
  const write = (m: unknown) => {
    const d = dir();
    writeFileSync(path.join(d, 'model.json'), typeof m === 'string' ? m : JSON.stringify(m));
    return d;
  };

  it('save and load round trip: the same model, the same predictions', () => {
    const m = loadLearnedModel(defaultLearnedModelDir());
    const d = write(learnedModelJson(m));
    const back = loadLearnedModel(d);
    expect(back).toEqual(m);
    const usage = Array.from({ length: 3 }, (_, t) => Array.from({ length: 40 }, (_, k) => 0.2 + 0.1 * Math.sin(k + t)));
    const n = node([1, 1, 1], usage, 39);
    expect(learnedPredictor(back).predict(n, 0)).toBe(learnedPredictor(m).predict(n, 0));
  });

  it('a missing, foreign, other-version or mis-sized model is a one-line UsageError saying which', () => {
    const m = maxPlusModel();
    const cases: Array<[string, RegExp]> = [
      [path.join(dir(), 'nothing-here'), /no model\.json \(not a model folder, or missing\)/],
      [write('{not json'), /model\.json is not valid JSON/],
      [write({ ...m, format: 'something-else' }), /format 'something-else', expected 'schedlab-learned-peak'/],
      [write({ ...m, version: 99 }), /model format version 99, this schedlab reads version 1 \(from another schedlab version/],
      [write({ ...m, features: 9 }), /feature size 9 does not match window 2 \(expected 5\)/],
      [write({ ...m, layers: [{ ...m.layers[0], kernel: [1, 2, 3] }] }), /layer 0: kernel must hold 5 × 1 numbers \(feature sizes do not match\)/],
    ];
    for (const [d, re] of cases) {
      let err: unknown;
      try {
        loadLearnedModel(d);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UsageError);
      expect((err as Error).message).toMatch(re);
      expect((err as Error).message).not.toContain('\n');
    }
  });

  it('is registered as peak predictor `learned` (shipped model) and as --overcommit peak:learned', () => {
    const p = predictorFromText('peak:learned', 'learned');
    const shipped = loadLearnedModel(defaultLearnedModelDir());
    expect(p.name).toBe(`learned:window=${shipped.window},horizon=${shipped.horizon},q=${shipped.quantile}`);
    expect(() => predictorFromText('peak:learned:foo=1', 'learned:foo=1')).toThrow(/unknown setting 'foo'; expected warmup/);
    // The shipped model says how it was made.
    expect(shipped.training.backend).toMatch(/^(wasm|tensorflow)$/);
    expect(Object.keys(shipped.training.series).sort()).toEqual(['gcd', 'planetlab']);
  });
});
