import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { UsageError } from '../../model/errors.js';
import { beginOutput, commitOutput } from '../../model/atomic-output.js';
import { instanceType, loadCatalog } from '../../model/instance-catalog.js';
import { openWorkload } from '../../workloads/open-workload.js';
import { syntheticInstances, workloadInstance } from '../../harness/learned-episodes.js';
import { checkTrainingOptions, trainPlacement, type CurveRow, type PlacementTrainingOptions } from '../../algorithms/learned/train-placement.js';
import { MODEL_FILE, writeModelDir } from '../../algorithms/learned/model-file.js';
import { loadTf } from '../../algorithms/learned/tf-backend.js';
import { DEFAULT_HIDDEN } from '../../algorithms/learned/tf-model.js';
import type { TrainingEnvironment } from '../../algorithms/learned/training-environment.js';
import { trainingCurveCharts, trainingCurveCsv } from '../../reports/charts/training-curve-charts.js';
import { writeCharts } from '../../reports/charts/render.js';
import { forceOption, nonNegativeInt, positiveInt, positiveNumber, text } from '../options.js';
import { clearProgress, progressWanted, writeProgress } from '../progress.js';
import { trainPredictorCommand } from './train-predictor.js';

/**
 * `schedlab train placement --workload W --episodes N --seed S --out DIR`: trains the learned
 * placement scorer (algorithms/learned/): imitation of the best heuristic per small instance, then
 * REINFORCE on simulated episodes. Writes DIR/model.json (load it with `--policy learned:DIR`),
 * DIR/training.csv and the training-curve charts (NAME.vl.json, .svg, .png).
 */
interface TrainArgs {
  workload: string;
  episodes: number;
  seed: number;
  out: string;
  instances: number;
  epochs: number;
  rollouts: number;
  nodes: string;
  tasks: string;
  hours: number;
  standingPerNode: number;
  instance: string;
  learningRate?: number;
  hidden: string;
  quiet: boolean;
  force: boolean;
}

/** `--hidden 8` or `--hidden 16,8`: one to four hidden layers of 1–256 units. */
function hiddenWidths(v: unknown): number[] {
  const parts = String(v).split(',').map((p) => p.trim());
  const widths = parts.map(Number);
  if (parts.length < 1 || parts.length > 4 || widths.some((w, i) => parts[i] === '' || !Number.isInteger(w) || w < 1 || w > 256)) {
    throw new UsageError(`--hidden: expected one to four comma-separated layer widths from 1 to 256 (e.g. 8 or 16,8), got '${String(v)}'`);
  }
  return widths;
}

/** "A-B" or "A": a whole-number range within [1, max], for the instance sizes. */
function range(option: string, max: number) {
  return (v: unknown): [number, number] => {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(String(v));
    const lo = m ? Number(m[1]) : NaN;
    const hi = m ? Number(m[2] ?? m[1]) : NaN;
    if (!m || lo < 1 || hi < lo || hi > max) throw new UsageError(`--${option}: expected a whole number or a range A-B from 1 to ${max.toLocaleString('en-US')}, got '${String(v)}'`);
    return [lo, hi];
  };
}

const NODES = range('nodes', 5_000);
const TASKS = range('tasks', 1_000_000);

/** DIR may be new, empty, or an earlier model directory replaced with --force; nothing else is touched. */
function checkOut(dir: string, force: boolean): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw new UsageError(`--out: '${dir}' exists and is not a directory`);
  const entries = readdirSync(dir);
  if (entries.length === 0) return;
  if (!entries.includes(MODEL_FILE)) throw new UsageError(`--out: '${dir}' is a non-empty directory without ${MODEL_FILE}: not a model directory, left alone`);
  if (!force) throw new UsageError(`--out: '${dir}' already holds a model; give --force to replace it`);
}

export async function environmentFromArgs(a: Pick<TrainArgs, 'workload' | 'seed' | 'instances' | 'episodes' | 'nodes' | 'tasks' | 'hours' | 'standingPerNode' | 'instance'>): Promise<TrainingEnvironment> {
  const catalog = loadCatalog();
  const inst = instanceType(catalog, a.instance);
  if (a.workload === 'synthetic') {
    return syntheticInstances({ instances: Math.max(1, a.instances), seed: a.seed, nodes: NODES(a.nodes), tasks: TASKS(a.tasks), hours: a.hours, standingPerNode: a.standingPerNode, instance: inst.name });
  }
  if (!existsSync(a.workload)) throw new UsageError(`--workload: no such trace '${a.workload}' (give 'synthetic' or a trace path)`);
  const open = () => openWorkload({ workload: a.workload, seed: a.seed, nodes: 100, tasks: 0, hours: a.hours, instance: inst, region: catalog.region });
  await open();
  return workloadInstance(`the trace ${a.workload}`, open);
}

export const trainPlacementCommand: CommandModule<object, TrainArgs> = {
  command: 'placement',
  describe: 'train the learned placement scorer (imitation of the best heuristic, then REINFORCE) → a model directory for --policy learned:DIR',
  builder: (y: Argv<object>) =>
    y
      .option('workload', { type: 'string', default: 'synthetic', coerce: text('workload'), describe: "training instances: 'synthetic' (small generated clusters, sized by --nodes/--tasks/--hours) or a trace path (one instance)" })
      .option('episodes', { type: 'string', default: '40', coerce: (v: unknown) => (String(v).trim() === '0' ? 0 : positiveInt('episodes', 100_000)(v)), describe: 'REINFORCE episodes after imitation (0 = imitation only)' })
      .option('seed', { type: 'string', default: '1', coerce: nonNegativeInt('seed'), describe: 'seed of the instances, the sampling, the shuffling and the weight initialization' })
      .option('out', { type: 'string', demandOption: true, coerce: text('out'), describe: 'model directory to write (model.json, training.csv, charts)' })
      .option('instances', { type: 'string', default: '12', coerce: (v: unknown) => (String(v).trim() === '0' ? 0 : positiveInt('instances', 10_000)(v)), describe: 'synthetic instances the teachers play for imitation (0 = no imitation)' })
      .option('epochs', { type: 'string', default: '20', coerce: positiveInt('epochs', 10_000), describe: 'imitation epochs over the teacher samples' })
      .option('rollouts', { type: 'string', default: '4', coerce: positiveInt('rollouts', 256), describe: 'REINFORCE rollouts per update (the mean-reward baseline is theirs); at least 2' })
      .option('nodes', { type: 'string', default: '20-50', describe: 'synthetic instances: node count or range A-B' })
      .option('tasks', { type: 'string', default: '200-400', describe: 'synthetic instances: task count or range A-B' })
      .option('hours', { type: 'string', default: '1', coerce: positiveNumber('hours', 24 * 30), describe: 'synthetic instances: arrival window, hours' })
      .option('standing-per-node', { type: 'string', default: '2', coerce: (v: unknown) => (String(v).trim() === '0' ? 0 : positiveNumber('standing-per-node', 100)(v)), describe: 'synthetic instances: tasks already running at t = 0, per node' })
      .option('instance', { type: 'string', default: 'm5.2xlarge', coerce: text('instance'), describe: 'instance type of the nodes (catalog)' })
      .option('learning-rate', { type: 'string', coerce: positiveNumber('learning-rate', 1), describe: 'imitation Adam learning rate (default 0.01)' })
      .option('hidden', { type: 'string', default: DEFAULT_HIDDEN.join(','), coerce: (v: unknown) => (hiddenWidths(v), String(v)), describe: 'hidden layer widths, comma-separated (each first-layer unit costs 8–11 multiply-adds per scored node, see README Learned placement)' })
      .option('quiet', { type: 'boolean', default: false, describe: 'no progress on stderr' })
      .option('force', forceOption) as unknown as Argv<TrainArgs>,
  handler: async (a: ArgumentsCamelCase<TrainArgs>) => {
    NODES(a.nodes);
    TASKS(a.tasks);
    const options: PlacementTrainingOptions = { seed: a.seed, episodes: a.episodes, imitationInstances: a.workload === 'synthetic' ? a.instances : Math.min(1, a.instances), epochs: a.epochs, rollouts: a.rollouts, imitationLearningRate: a.learningRate, hidden: hiddenWidths(a.hidden) };
    checkTrainingOptions(options);
    checkOut(a.out, a.force);
    const env = await environmentFromArgs(a);
    const progress = progressWanted(a.quiet);
    const { backend } = await loadTf();
    const t0 = performance.now();
    const result = await trainPlacement(env, {
      ...options,
      onProgress: (row: CurveRow) => {
        if (!progress) return;
        const r = row.reward === null ? '' : `, mean reward ${row.reward.toFixed(4)}`;
        writeProgress(`train placement (${backend}): ${row.phase} ${row.phase === 'imitation' ? 'epoch' : 'episode'} ${row.step}, loss ${row.loss.toPrecision(4)}${r}`);
      },
    });
    if (progress) clearProgress();
    const tmp = beginOutput(a.out, 'folder');
    writeModelDir(tmp, result.model);
    writeFileSync(join(tmp, 'training.csv'), trainingCurveCsv(result.curve));
    await writeCharts(tmp, trainingCurveCharts(result.curve));
    commitOutput(tmp, a.out);
    const im = result.model.training.imitation as { samples: number; lossBefore: number | null; lossAfter: number | null };
    const rl = result.model.training.reinforce as { firstMeanReward: number | null; lastMeanReward: number | null };
    const lines = [
      `trained on the ${result.backend} backend in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${env.description}`,
      `imitation: ${im.samples.toLocaleString('en-US')} decisions, cross-entropy ${im.lossBefore?.toFixed(4) ?? '-'} → ${im.lossAfter?.toFixed(4) ?? '-'}`,
      `reinforce: ${a.episodes} episodes, mean reward ${rl.firstMeanReward?.toFixed(4) ?? '-'} → ${rl.lastMeanReward?.toFixed(4) ?? '-'}`,
      `wrote ${join(a.out, MODEL_FILE)} (use --policy learned:${a.out}), training.csv and the training-curve charts`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
  },
};

/** `schedlab train placement|predictor`: the two learned models (README "Learned placement", "Overcommit experiment"). */
export const trainCommand: CommandModule = {
  command: 'train',
  describe: 'train a learned model: placement (the scorer for --policy learned:DIR) or predictor (the peak predictor of the overcommit experiment)',
  builder: (y: Argv) => y.command(trainPlacementCommand).command(trainPredictorCommand).demandCommand(1, 'give what to train: placement or predictor'),
  handler: () => {},
};

export default trainCommand;
