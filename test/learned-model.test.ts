import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../model/rng.js';
import { UsageError } from '../model/errors.js';
import { loadTf } from '../algorithms/learned/tf-backend.js';
import { buildScorer, exportLayers, importLayers } from '../algorithms/learned/tf-model.js';
import { MlpForward } from '../algorithms/learned/mlp.js';
import { FEATURE_COUNT, FEATURE_NAMES } from '../algorithms/learned/placement-features.js';
import { MODEL_FILE, modelJson, readModelDir, writeModelDir, type LearnedModel } from '../algorithms/learned/model-file.js';
import { loadPolicy } from '../harness/load-policy.js';
import { schedlab } from './helpers/cli.js';

async function randomModel(seed: number): Promise<LearnedModel> {
  const { tf, backend } = await loadTf();
  const m = buildScorer(tf, FEATURE_COUNT, [16, 8], seed);
  // Non-zero biases too, so the bias path is checked.
  m.layers.forEach((l) => l.setWeights(l.getWeights().map((w, i) => (i === 1 ? tf.randomUniform(w.shape, -0.5, 0.5, 'float32', seed + 11) : w))));
  const layers = exportLayers(m);
  m.dispose();
  return { schedlab: 'test', features: [...FEATURE_NAMES], layers, training: { seed, backend, episodes: 0, teacher: 'none' } };
}

describe('learned scorer: JS forward pass, model files', () => {
  it('the plain-JS forward pass equals tfjs model.predict within 1e-5 on random inputs', async () => {
    const { tf } = await loadTf();
    const model = await randomModel(5);
    const m = buildScorer(tf, FEATURE_COUNT, [16, 8], 99);
    importLayers(tf, m, model.layers);
    const rng = new Rng(3);
    const n = 500;
    const x = new Float32Array(n * FEATURE_COUNT);
    for (let i = 0; i < x.length; i++) x[i] = rng.next() * 2 - 0.5;
    const want = (m.predict(tf.tensor2d(x, [n, FEATURE_COUNT])) as ReturnType<typeof tf.tensor>).dataSync();
    const net = new MlpForward(model.layers);
    let worst = 0;
    let positive = 0;
    for (let i = 0; i < n; i++) {
      const got = net.score(x, i * FEATURE_COUNT);
      worst = Math.max(worst, Math.abs(got - want[i]));
      if (want[i] !== model.layers[2].bias[0]) positive++;
    }
    expect(worst).toBeLessThan(1e-5);
    // The inputs reach the output (not a network whose ReLUs are all off).
    expect(positive).toBeGreaterThan(n / 2);
    m.dispose();
  });

  it('save → load round trip keeps every weight bit and the metadata', async () => {
    const model = await randomModel(8);
    const dir = join(mkdtempSync(join(tmpdir(), 'schedlab-learned-')), 'm');
    writeModelDir(dir, model);
    const back = readModelDir(dir);
    expect(back.features).toEqual(model.features);
    expect(back.training).toEqual(model.training);
    back.layers.forEach((l, k) => {
      expect(l.inputs).toBe(model.layers[k].inputs);
      expect(l.activation).toBe(model.layers[k].activation);
      expect(Array.from(l.weights)).toEqual(Array.from(model.layers[k].weights));
      expect(Array.from(l.bias)).toEqual(Array.from(model.layers[k].bias));
    });
    expect(modelJson(back)).toBe(readFileSync(join(dir, MODEL_FILE), 'utf8'));
  });

  it('bad model directories: one UsageError line saying which problem', async () => {
    const root = mkdtempSync(join(tmpdir(), 'schedlab-learned-bad-'));
    const good = JSON.parse(modelJson(await randomModel(2)));
    const make = (name: string, doc: unknown) => {
      mkdirSync(join(root, name));
      writeFileSync(join(root, name, MODEL_FILE), typeof doc === 'string' ? doc : JSON.stringify(doc));
      return join(root, name);
    };
    mkdirSync(join(root, 'empty'));
    const cases: Array<[string, RegExp]> = [
      [join(root, 'missing'), /no such model directory/],
      [join(root, 'empty'), /no model\.json in/],
      [make('notjson', '{oops'), /is not JSON/],
      [make('format', { ...good, format: 'tfjs-layers-model' }), /format "tfjs-layers-model", expected "schedlab-learned-placement"/],
      [make('version', { ...good, version: 2 }), /format version 2; this schedlab .* reads version 1/],
      [make('features', { ...good, features: good.features.slice(1) }), /21 features, this schedlab computes 22/],
      [make('sizes', { ...good, layers: [{ ...good.layers[0], outputs: 15 }, ...good.layers.slice(1)] }), /layer 1: "weights" must be 22 × 15/],
      [make('chain', { ...good, layers: [good.layers[0], good.layers[2]] }), /layer 2 has 8 inputs, expected 16/],
    ];
    for (const [dir, re] of cases) {
      let err: unknown;
      try {
        await loadPolicy(`learned:${dir}`);
      } catch (e) {
        err = e;
      }
      expect(err, dir).toBeInstanceOf(UsageError);
      expect((err as Error).message, dir).toMatch(re);
      expect((err as Error).message).not.toMatch(/\n/);
    }
    // Through the CLI: exit 2, one line on stderr.
    for (const [dir, re] of [cases[0], cases[4], cases[5]]) {
      const r = schedlab(['replay', '--policy', `learned:${dir}`, '--tasks', '100', '--quiet']);
      expect(r.code).toBe(2);
      expect(r.stderr.trim()).toMatch(re);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('`learned` loads the shipped pretrained model and replays with it', async () => {
    const p = await loadPolicy('learned');
    expect(p.name).toBe('learned');
    const r = schedlab(['replay', '--policy', 'learned', '--nodes', '30', '--tasks', '500', '--hours', '2', '--json']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.policy).toBe('learned');
    expect(s.tasks.scheduled).toBeGreaterThan(0);
  });
});
