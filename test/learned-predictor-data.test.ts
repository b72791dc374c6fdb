import { existsSync, mkdtempSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import yargs from 'yargs';
import { gcdDataSet, planetlabDataSet } from '../harness/experiments/overcommit-data.js';
import { runOvercommitDataSet } from '../harness/experiments/overcommit-experiment.js';
import { loadLearnedModel } from '../algorithms/overcommit/predictors/learned-model.js';
import { trainPredictorCommand } from '../cli/commands/train-predictor.js';
import { UsageError } from '../model/errors.js';

process.env.SCHEDLAB_TF_BACKEND = 'wasm';

const LIBRARY = path.join(import.meta.dirname, '..', '..', 'shared', 'data', 'usage');
const hasLibrary = existsSync(path.join(LIBRARY, 'google-2011-jobs', 'GCD_VMs')) && existsSync(path.join(LIBRARY, 'planetlab', 'planetlab.tar.gz'));
if (!hasLibrary) console.warn(`skipping the learned peak predictor on the usage library: ${LIBRARY} is absent`);

/** `schedlab train predictor ARGS` through its yargs module (cli/commands/train.ts mounts it under `train`). */
const train = (args: string[]) => yargs().command(trainPredictorCommand).strict().fail((msg, err) => {
  throw err ?? new UsageError(msg);
}).parseAsync(['predictor', ...args]);

describe.skipIf(!hasLibrary)('learned peak predictor on the usage library', () => {
  it('runs in the overcommit experiment beside n-sigma, max and the oracle, its row in range', async () => {
    for (const data of [await gcdDataSet(LIBRARY), await planetlabDataSet(LIBRARY)]) {
      const o = runOvercommitDataSet(data, { seed: 1, predictors: ['n-sigma', 'max', 'oracle', 'learned'], machines: 60 });
      const learned = o.results.find((r) => r.predictor.startsWith('learned:'))!;
      const nSigma = o.results.find((r) => r.predictor.startsWith('n-sigma'))!;
      expect(learned).toBeDefined();
      expect(learned.intervals).toBe(nSigma.intervals);
      expect(learned.intervals).toBeGreaterThan(0);
      // A prediction between 0 and Σ limits: savings in [0, 1); a rate in [0, 1]; the gain from the savings.
      expect(learned.savings).toBeGreaterThanOrEqual(0);
      expect(learned.savings).toBeLessThan(1);
      expect(learned.violationRate).toBeGreaterThanOrEqual(0);
      expect(learned.violationRate).toBeLessThanOrEqual(1);
      expect(Number.isFinite(learned.usableGain) && learned.usableGain >= 0).toBe(true);
      expect(learned.meanOvershoot).toBeGreaterThanOrEqual(0);
    }
  }, 30_000);

  it('schedlab train predictor writes a model folder that loads, with its metadata; bad options and targets are UsageErrors', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'schedlab-train-predictor-'));
    const out = path.join(root, 'model');
    const base = ['--seed', '3', '--out', out, '--usage-library', LIBRARY, '--epochs', '1', '--hidden', '8', '--quiet', '--data'];
    base.push('gcd');
    await train(base);
    const m = loadLearnedModel(out);
    expect([m.training.seed, m.training.backend, m.window, m.horizon, m.quantile]).toEqual([3, 'wasm', 24, 6, 0.99]);
    expect(Object.keys(m.training.series)).toEqual(['gcd']);
    // 803 GCD series: a fifth held out, the rest trained on.
    expect(m.training.series.gcd.validationIndices.length + m.training.series.gcd.train).toBe(803);
    expect(readFileSync(path.join(out, 'training.csv'), 'utf8').split('\n')[0]).toBe('epoch,train_loss,validation_loss,validation_coverage,seconds');
    await expect(train(base)).rejects.toThrow(/^--out: .* holds an earlier model; add --force/);
    const foreign = path.join(root, 'foreign');
    mkdirSync(foreign);
    await expect(train([...base.slice(0, 2), '--out', foreign, ...base.slice(4)])).rejects.toThrow(/is not a model folder schedlab wrote/);
    await expect(train([...base, '--force', '--quantile', '2'])).rejects.toThrow(/^--quantile: expected a quantile in \(0, 1\)/);
    await expect(train([...base.slice(0, -1), 'gcd,azure', '--force'])).rejects.toThrow(/^--data: expected gcd, planetlab/);
  }, 60_000);
});
