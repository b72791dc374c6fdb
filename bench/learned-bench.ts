/**
 * Learned policies benchmark (issue 14): training throughput of the two learned models on the
 * TensorFlow.js backend that loads (tfjs-node when it does, else wasm), and the learned placement
 * scorer's cost per placement beside best-fit's at 1,000 and 12,500 nodes (policy-bench.ts's loop:
 * same pre-fill, same task streams, cache on as the replay runs it, and off).
 *
 * Target (issue 14): learned under 3× best-fit's per-placement time at 12,500 nodes.
 */
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import * as path from 'node:path';
import { packageRoot } from '../model/package-root.js';
import { loadTf } from '../algorithms/learned/tf-backend.js';
import { trainPlacement, type CurveRow } from '../algorithms/learned/train-placement.js';
import { syntheticInstances } from '../harness/learned-episodes.js';
import { trainPeakPredictor, TRAIN_DEFAULTS } from '../algorithms/overcommit/predictors/learned-training.js';
import { gcdDataSet, planetlabDataSet } from '../harness/experiments/overcommit-data.js';
import { bestFit } from '../algorithms/classic/best-fit.js';
import { pretrainedLearned } from '../algorithms/learned/pretrained-policy.js';
import { pretrainedModelDir, readModelDir } from '../algorithms/learned/model-file.js';
import { benchPolicies, type PolicyBenchMode, type PolicyBenchRow } from './policy-bench.js';

const SIZES = [1_000, 12_500] as const;
const TARGET_RATIO = 3;
const MODES: readonly PolicyBenchMode[] = [{ order: 'job' }, { order: 'random' }, { order: 'job', scoreCache: false }, { order: 'random', scoreCache: false }];
const fmt = (x: number, digits = 0): string => x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const say = (m: string): void => {
  process.stderr.write(`bench: learned, ${m}\n`);
};

interface PlacementTraining {
  instances: number;
  samples: number;
  epochs: number;
  teacherSeconds: number;
  imitationSeconds: number;
  episodes: number;
  reinforceSeconds: number;
}

/** `schedlab train placement` with its defaults but fewer REINFORCE episodes, timed per phase. */
async function timePlacementTraining(): Promise<PlacementTraining> {
  const env = syntheticInstances({ instances: 12, seed: 1, nodes: [20, 50], tasks: [200, 400], hours: 1, standingPerNode: 2, instance: 'm5.2xlarge' });
  const stamps: Array<{ row: CurveRow; t: number }> = [];
  const t0 = performance.now();
  const epochs = 20;
  const episodes = 8;
  const r = await trainPlacement(env, { seed: 1, episodes, imitationInstances: 12, epochs, rollouts: 4, onProgress: (row) => stamps.push({ row, t: performance.now() }) });
  const im = stamps.filter((s) => s.row.phase === 'imitation');
  const rl = stamps.filter((s) => s.row.phase === 'reinforce');
  const imitation = r.model.training.imitation as { samples: number };
  return {
    instances: 12,
    samples: imitation.samples,
    epochs,
    teacherSeconds: (im[0].t - t0) / 1000,
    imitationSeconds: (im[im.length - 1].t - im[0].t) / 1000,
    episodes,
    reinforceSeconds: rl.length > 0 ? (rl[rl.length - 1].t - im[im.length - 1].t) / 1000 : 0,
  };
}

/** `schedlab train predictor` with its defaults on the usage library, or undefined when the library is absent. */
async function timePredictorTraining(): Promise<{ windows: number; epochs: number; seconds: number; firstEpochAt: number } | undefined> {
  const library = path.resolve(packageRoot(), '..', 'shared', 'data', 'usage');
  if (!existsSync(library)) return undefined;
  const sets = [await gcdDataSet(library), await planetlabDataSet(library)];
  let firstEpochAt = 0;
  const { model, curve } = await trainPeakPredictor(sets, { seed: 1, onEpoch: (row) => (row.epoch === 0 ? (firstEpochAt = row.seconds) : undefined) });
  const last = curve[curve.length - 1];
  return { windows: model.training.samples.train, epochs: TRAIN_DEFAULTS.epochs, seconds: last.seconds - firstEpochAt, firstEpochAt };
}

/** The `## Learned placement and prediction (issue 14)` section of BENCHMARKS.md. */
export async function learnedSection(): Promise<string> {
  const load0 = loadavg();
  const { backend } = await loadTf();
  say('training the placement scorer...');
  const pt = await timePlacementTraining();
  say('training the peak predictor...');
  const pp = await timePredictorTraining();
  say('per-placement cost...');
  const rows = await benchPolicies({ sizes: SIZES, policies: [bestFit, pretrainedLearned], modes: MODES, onProgress: (m) => process.stderr.write(m + '\n') });
  const load1 = loadavg();
  const find = (p: string, order: string, cache: boolean, n: number): PolicyBenchRow | undefined =>
    rows.find((r) => r.policy === p && r.order === order && r.scoreCache === cache && r.nodes === n);
  const lines = [
    '## Learned placement and prediction (issue 14)',
    '',
    `\`node dist/bench/learned-bench.js\` (\`npm run bench -- learned\`). TensorFlow.js backend: **${backend}**` +
      (backend === 'wasm' ? ' (`@tensorflow/tfjs-node` is an optional dependency whose install downloads a native library; it does not load on this machine, so no tfjs-node row).' : '.'),
    `Load average (1 / 5 / 15 min) ${load0.map((x) => x.toFixed(2)).join(' / ')} at the start, ${load1.map((x) => x.toFixed(2)).join(' / ')} at the end.`,
    '',
    '### Training throughput',
    '',
    '| model | command | phase | work | seconds | throughput |',
    '|---|---|---|---:|---:|---:|',
    `| placement scorer | \`schedlab train placement --episodes ${pt.episodes} --seed 1\` (other options at their defaults) | teachers play (best-fit, dot-product, kube-default on ${pt.instances} instances) | ${fmt(3 * pt.instances)} episodes | ${fmt(pt.teacherSeconds, 2)} | ${fmt((3 * pt.instances) / pt.teacherSeconds, 1)} episodes/s |`,
    `| placement scorer | | imitation (listwise cross-entropy) | ${fmt(pt.samples)} decisions × ${pt.epochs} epochs | ${fmt(pt.imitationSeconds, 2)} | ${fmt((pt.samples * pt.epochs) / pt.imitationSeconds)} decisions/s |`,
    `| placement scorer | | REINFORCE (4 rollouts per update) | ${pt.episodes} episodes | ${fmt(pt.reinforceSeconds, 2)} | ${fmt(pt.episodes / Math.max(1e-9, pt.reinforceSeconds), 2)} episodes/s |`,
    pp === undefined
      ? '| peak predictor | `schedlab train predictor --seed 1` | — | ../shared/data/usage absent | — | — |'
      : `| peak predictor | \`schedlab train predictor --seed 1\` | ${pp.epochs} epochs (after ${fmt(pp.firstEpochAt, 1)} s of windowing and epoch 0) | ${fmt(pp.windows)} windows × ${pp.epochs} epochs | ${fmt(pp.seconds, 1)} | ${fmt((pp.windows * pp.epochs) / pp.seconds)} samples/s |`,
    '',
    '### Cost per placement: learned vs best-fit',
    '',
    'bench/policy-bench.ts\'s loop (m5.2xlarge nodes pre-filled to 65 % requested, one `select()` timed at a time, median over blocks of 100 and',
    'the plain mean), for best-fit and the shipped learned model only. "job" = the synthetic stream in submission order (tasks of a job',
    'consecutive, as a replay sees them), "random" = a shape drawn per task. Cache on = the replay default: both scorers are cacheable',
    '(the learned one per request shape and priority band / QoS class). Cache off = every decision scores kube\'s sample of feasible nodes',
    '(420 at 1,000 nodes, 625 at 12,500) through the network.',
    '',
    `| order | cache | ${SIZES.map((n) => `best-fit µs at ${fmt(n)} | learned µs at ${fmt(n)}`).join(' | ')} | learned / best-fit at ${fmt(SIZES[1])} (median / mean) | ≤ ${TARGET_RATIO}× |`,
    `|---|---|${SIZES.map(() => '---:|---:').join('|')}|---:|---|`,
  ];
  const verdicts: string[] = [];
  for (const m of MODES) {
    const cache = m.scoreCache !== false;
    const cells = SIZES.map((n) => `${fmt(find('best-fit', m.order, cache, n)?.microsPerPlacement ?? NaN, 1)} | ${fmt(find('learned', m.order, cache, n)?.microsPerPlacement ?? NaN, 1)}`);
    const b = find('best-fit', m.order, cache, SIZES[1]);
    const l = find('learned', m.order, cache, SIZES[1]);
    const rMedian = b && l ? l.microsPerPlacement / b.microsPerPlacement : NaN;
    const rMean = b && l ? l.meanMicros / b.meanMicros : NaN;
    const ok = rMedian <= TARGET_RATIO && rMean <= TARGET_RATIO ? 'met' : rMedian <= TARGET_RATIO ? 'median only' : '**not met**';
    lines.push(`| ${m.order} | ${cache ? 'on' : 'off'} | ${cells.join(' | ')} | ${rMedian.toFixed(2)} / ${rMean.toFixed(2)} | ${ok} |`);
    verdicts.push(`${m.order} order, cache ${cache ? 'on' : 'off'}: ${ok.replace(/\*/g, '')} (${rMedian.toFixed(2)}× median, ${rMean.toFixed(2)}× mean)`);
  }
  const layers = readModelDir(pretrainedModelDir()).layers;
  const macs = 8 * layers[0].outputs + layers.slice(1).reduce((sum, l) => sum + l.inputs * l.outputs, 0);
  lines.push(
    '',
    `- Target (issue 14): learned under ${TARGET_RATIO}× best-fit's per-placement time at ${fmt(SIZES[1])} nodes. ${verdicts.join('; ')}.`,
    `- The shipped network is ${[layers[0].inputs, ...layers.map((l) => l.outputs)].join(' → ')}: ${macs} multiply-adds per scored node (8 per first-layer unit on a node of the last node's shape, 11 otherwise; algorithms/learned/placement-scorer.ts), against best-fit's one subtraction and division per resource. With the cache on, a decision served from a score tree costs the same for both scorers, and a new (shape, band) run fills its tree at that per-node price.`,
    '- Inference never loads TensorFlow.js: the replay\'s forward pass is plain JS.',
    '',
  );
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]).endsWith(path.join('bench', 'learned-bench.js'))) {
  process.stdout.write(await learnedSection());
}
