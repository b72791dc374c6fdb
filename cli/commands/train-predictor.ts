import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { UsageError } from '../../model/errors.js';
import { abandonOutput, beginOutput, commitOutput } from '../../model/atomic-output.js';
import { defaultUsageLibrary, gcdDataSet, planetlabDataSet } from '../../harness/experiments/overcommit-data.js';
import { checkTrainOptions, trainPeakPredictor, TRAIN_DEFAULTS, type EpochRow } from '../../algorithms/overcommit/predictors/learned-training.js';
import { LEARNED_MODEL_FILE, learnedModelJson } from '../../algorithms/overcommit/predictors/learned-model.js';
import { forceOption, text } from '../options.js';
import { clearProgress, progressWanted, writeProgress } from '../progress.js';

/**
 * `schedlab train predictor --seed S --out DIR`: trains the learned peak predictor of the
 * overcommit experiment (algorithms/overcommit/predictors/learned-training.ts) on the usage
 * library and writes DIR/model.json (weights + metadata) and DIR/training.csv (the curve). A
 * subcommand of `schedlab train` (cli/commands/train.ts registers it with `.command(trainPredictorCommand)`).
 */
export interface TrainPredictorArgs {
  seed: number;
  out: string;
  data: string;
  usageLibrary?: string;
  epochs?: number;
  window?: number;
  horizon?: number;
  quantile?: number;
  hidden?: string;
  batchSize?: number;
  learningRate?: number;
  validationFraction?: number;
  force: boolean;
  quiet: boolean;
}

/** A number option (range checked by checkTrainOptions, which names the option). */
function num(option: string) {
  return (v: unknown): number => {
    if (Array.isArray(v)) throw new UsageError(`--${option}: given more than once; give it once`);
    const n = typeof v === 'boolean' || String(v).trim() === '' ? NaN : Number(v);
    if (!Number.isFinite(n)) throw new UsageError(`--${option}: expected a number, got '${String(v)}'`);
    return n;
  };
}

const TRAIN_SETS = ['gcd', 'planetlab'] as const;

export function trainPredictorBuilder(y: Argv): Argv<TrainPredictorArgs> {
  return y
    .option('seed', { type: 'string', default: '1', coerce: num('seed'), describe: 'seed of the split, the machines, the initial weights and the epoch order' })
    .option('out', { type: 'string', demandOption: true, coerce: text('out'), describe: 'model folder to write (model.json, training.csv)' })
    .option('data', { type: 'string', default: 'gcd,planetlab', coerce: text('data'), describe: 'usage-library sets to train on: gcd, planetlab (comma-separated)' })
    .option('usage-library', { type: 'string', coerce: text('usage-library'), describe: 'usage-library folder (default ../shared/data/usage beside the schedlab package)' })
    .option('epochs', { type: 'string', coerce: num('epochs'), describe: `passes over the training windows (default ${TRAIN_DEFAULTS.epochs})` })
    .option('window', { type: 'string', coerce: num('window'), describe: `history steps (5 min each; default ${TRAIN_DEFAULTS.window})` })
    .option('horizon', { type: 'string', coerce: num('horizon'), describe: `steps whose peak is predicted (default ${TRAIN_DEFAULTS.horizon})` })
    .option('quantile', { type: 'string', coerce: num('quantile'), describe: `pinball-loss quantile (default ${TRAIN_DEFAULTS.quantile})` })
    .option('hidden', { type: 'string', coerce: text('hidden'), describe: `hidden layer widths, comma-separated (default ${TRAIN_DEFAULTS.hidden.join(',')})` })
    .option('batch-size', { type: 'string', coerce: num('batch-size'), describe: `default ${TRAIN_DEFAULTS.batchSize}` })
    .option('learning-rate', { type: 'string', coerce: num('learning-rate'), describe: `Adam step size (default ${TRAIN_DEFAULTS.learningRate})` })
    .option('validation-fraction', { type: 'string', coerce: num('validation-fraction'), describe: `share of each set's series held out (default ${TRAIN_DEFAULTS.validationFraction})` })
    .option('force', forceOption)
    .option('quiet', { type: 'boolean', default: false, describe: 'no progress on stderr' })
    .example('$0 train predictor --seed 1 --out my-peak-model', 'train the learned peak predictor on the usage library') as unknown as Argv<TrainPredictorArgs>;
}

export async function trainPredictorHandler(a: ArgumentsCamelCase<TrainPredictorArgs>): Promise<void> {
  const hidden = a.hidden === undefined ? undefined : a.hidden.split(',').map((s) => (s.trim() === '' ? NaN : Number(s)));
  const options = checkTrainOptions({
    seed: a.seed,
    epochs: a.epochs,
    window: a.window,
    horizon: a.horizon,
    quantile: a.quantile,
    hidden,
    batchSize: a.batchSize,
    learningRate: a.learningRate,
    validationFraction: a.validationFraction,
  });
  const names = a.data.split(',').map((s) => s.trim());
  for (const n of names) if (!(TRAIN_SETS as readonly string[]).includes(n)) throw new UsageError(`--data: expected ${TRAIN_SETS.join(', ')} (comma-separated), got '${n}'`);
  const out = path.resolve(a.out);
  checkModelTarget(out, a.force);
  const library = path.resolve(a.usageLibrary ?? defaultUsageLibrary());
  if (!existsSync(library)) throw new UsageError(`--usage-library: no such folder '${library}' (expected the ../shared/data/usage layout)`);
  const sets = [];
  for (const n of names) sets.push(n === 'gcd' ? await gcdDataSet(library) : await planetlabDataSet(library));
  const progress = progressWanted(a.quiet);
  const { model, curve } = await trainPeakPredictor(sets, {
    ...options,
    onEpoch: (r) => {
      if (progress) writeProgress(`train predictor: epoch ${r.epoch}/${options.epochs}, train loss ${r.trainLoss.toFixed(5)}, validation loss ${r.validationLoss.toFixed(5)}, coverage ${(100 * r.validationCoverage).toFixed(2)}%, ${r.seconds.toFixed(1)} s`);
    },
  });
  if (progress) clearProgress();
  const tmp = beginOutput(out, 'folder');
  try {
    writeFileSync(path.join(tmp, LEARNED_MODEL_FILE), learnedModelJson(model));
    writeFileSync(path.join(tmp, 'training.csv'), curveCsv(curve));
    commitOutput(tmp, out);
  } catch (e) {
    abandonOutput(tmp);
    throw e;
  }
  const t = model.training;
  process.stdout.write(
    `trained learned peak predictor (backend ${t.backend}, seed ${t.seed}): ${t.samples.train.toLocaleString('en-US')} training / ${t.samples.validation.toLocaleString('en-US')} validation windows from ${names.join(', ')}; ` +
      `validation pinball loss ${t.finalValidationLoss.toFixed(5)} (epoch 0: ${curve[0].validationLoss.toFixed(5)}), coverage ${(100 * t.validationCoverage).toFixed(2)}% (target ${(100 * model.quantile).toFixed(1)}%); ${t.seconds.toFixed(1)} s; wrote ${out}\n`,
  );
}

/** CSV of the training curve. */
export function curveCsv(curve: readonly EpochRow[]): string {
  return ['epoch,train_loss,validation_loss,validation_coverage,seconds', ...curve.map((r) => [r.epoch, r.trainLoss, r.validationLoss, r.validationCoverage, r.seconds.toFixed(2)].join(','))].join('\n') + '\n';
}

/** --out: a new folder, or an earlier model folder (holding model.json) with --force. */
function checkModelTarget(out: string, force: boolean): void {
  if (!existsSync(out)) return;
  let entries: string[];
  try {
    entries = readdirSync(out);
  } catch {
    throw new UsageError(`--out: '${out}' exists and is not a folder; choose another path`);
  }
  if (!entries.includes(LEARNED_MODEL_FILE)) throw new UsageError(`--out: '${out}' is not a model folder schedlab wrote (no ${LEARNED_MODEL_FILE}); schedlab never replaces what it did not write; choose another path`);
  if (!force) throw new UsageError(`--out: '${out}' holds an earlier model; add --force to replace it, or choose another path`);
}

/** `predictor` under `schedlab train`. */
export const trainPredictorCommand: CommandModule<object, TrainPredictorArgs> = {
  command: 'predictor',
  describe: 'train the learned peak predictor of the overcommit experiment on the usage library',
  builder: trainPredictorBuilder as (y: Argv) => Argv<TrainPredictorArgs>,
  handler: trainPredictorHandler,
};
