import { Rng } from '../../model/rng.js';
import { UsageError } from '../../model/errors.js';
import type { PolicyModule } from '../policy.js';
import { builtinPolicy } from '../registry.js';
import { loadTf } from './tf-backend.js';
import { buildScorer, DEFAULT_HIDDEN, exportLayers } from './tf-model.js';
import { FEATURE_COUNT, FEATURE_NAMES } from './placement-features.js';
import { packageVersion, type LearnedModel } from './model-file.js';
import { imitate, teacherSamples } from './train-imitation.js';
import { reinforce } from './train-reinforce.js';
import type { RewardWeights, TrainingEnvironment } from './training-environment.js';

/** The heuristics whose best per instance is imitated. */
export const DEFAULT_TEACHERS = ['best-fit', 'dot-product', 'kube-default'] as const;

export interface PlacementTrainingOptions {
  seed: number;
  /** REINFORCE episodes after imitation (0 = imitation only). */
  episodes: number;
  /** Instances the teachers play for imitation (at most the environment's). */
  imitationInstances: number;
  /** Imitation passes over the teacher samples. */
  epochs: number;
  batchSize?: number;
  imitationLearningRate?: number;
  reinforceLearningRate?: number;
  /** Rollouts per REINFORCE update (default 4). */
  rollouts?: number;
  hidden?: readonly number[];
  reward?: RewardWeights;
  teachers?: readonly string[];
  /** One call per curve row, as it happens (the CLI's progress line). */
  onProgress?: (row: CurveRow) => void;
}

/** One row of training.csv and the training-curve chart. */
export interface CurveRow {
  phase: 'imitation' | 'reinforce';
  /** Epoch (imitation, 0 = before training) or episodes so far (reinforce). */
  step: number;
  /** Imitation: mean cross-entropy; reinforce: the surrogate loss of the update. */
  loss: number;
  /** Reinforce: mean reward of the update's rollouts; imitation: null. */
  reward: number | null;
}

export interface PlacementTrainingResult {
  model: LearnedModel;
  curve: CurveRow[];
  backend: 'tensorflow' | 'wasm';
}

/** Option bounds, checked before any work (UsageError names the option as the CLI spells it). */
export function checkTrainingOptions(o: PlacementTrainingOptions): void {
  const int = (v: number | undefined, name: string, lo: number, hi: number) => {
    if (v !== undefined && (!Number.isInteger(v) || v < lo || v > hi)) throw new UsageError(`--${name}: expected an integer from ${lo} to ${hi.toLocaleString('en-US')}, got ${v}`);
  };
  int(o.seed, 'seed', 0, 0xffffffff);
  int(o.episodes, 'episodes', 0, 100_000);
  int(o.imitationInstances, 'instances', 0, 10_000);
  int(o.epochs, 'epochs', 0, 10_000);
  int(o.batchSize, 'batch-size', 1, 65_536);
  int(o.rollouts, 'rollouts', 2, 256);
  for (const [v, name] of [[o.imitationLearningRate, 'learning-rate'], [o.reinforceLearningRate, 'rl-learning-rate']] as const) {
    if (v !== undefined && !(v > 0 && v <= 1)) throw new UsageError(`--${name}: expected a number in (0, 1], got ${v}`);
  }
  if (o.episodes > 0 && o.episodes < (o.rollouts ?? 4)) throw new UsageError(`--episodes: ${o.episodes} is fewer than one update of ${o.rollouts ?? 4} rollouts (give 0 for imitation only)`);
  if (o.imitationInstances === 0 && o.episodes === 0) throw new UsageError('--episodes: 0 with --instances 0 trains nothing');
  for (const t of o.teachers ?? []) if (!builtinPolicy(t)) throw new UsageError(`--teachers: unknown policy '${t}'`);
}

/**
 * Trains a learned placement scorer: (a) imitation of the best of the teachers per instance
 * (train-imitation.ts), then (b) REINFORCE fine-tuning on simulated episodes (train-reinforce.ts).
 * Deterministic on one backend: the sampling and shuffling draw from Rng(seed) forks, the weight
 * initialization is seeded, and the environment replays from seeds.
 */
export async function trainPlacement(env: TrainingEnvironment, o: PlacementTrainingOptions): Promise<PlacementTrainingResult> {
  checkTrainingOptions(o);
  const { tf, backend } = await loadTf();
  const hidden = o.hidden ?? DEFAULT_HIDDEN;
  const batchSize = o.batchSize ?? 64;
  const rollouts = o.rollouts ?? 4;
  const rewardWeights = o.reward ?? { alpha: 1, beta: 1 };
  const imitationLearningRate = o.imitationLearningRate ?? 0.01;
  const reinforceLearningRate = o.reinforceLearningRate ?? 0.002;
  const teacherNames = o.teachers ?? DEFAULT_TEACHERS;
  const teachers = teacherNames.map((t) => builtinPolicy(t)) as PolicyModule[];
  const rng = new Rng(o.seed);
  const curve: CurveRow[] = [];
  const push = (row: CurveRow) => {
    curve.push(row);
    o.onProgress?.(row);
  };
  const model = buildScorer(tf, FEATURE_COUNT, hidden, o.seed);
  try {
    const instances = Math.min(o.imitationInstances, env.instances);
    const taught = await teacherSamples(env, teachers, instances, o.seed, rng.fork(1));
    const imitation = tf.train.adam(imitationLearningRate);
    imitate(tf, model, imitation, taught.sets, rng.fork(2), { epochs: instances > 0 ? o.epochs : 0, batchSize, onEpoch: (step, loss) => push({ phase: 'imitation', step, loss, reward: null }) });
    imitation.dispose();
    const rl = tf.train.adam(reinforceLearningRate);
    const rewards = await reinforce(tf, model, rl, env, rng.fork(3), {
      episodes: o.episodes,
      rollouts,
      reward: rewardWeights,
      seed: o.seed,
      onUpdate: (step, loss, r) => push({ phase: 'reinforce', step, loss, reward: r }),
    });
    rl.dispose();
    const imitationRows = curve.filter((r) => r.phase === 'imitation');
    const result: LearnedModel = {
      schedlab: packageVersion(),
      features: [...FEATURE_NAMES],
      layers: exportLayers(model),
      training: {
        seed: o.seed,
        backend,
        episodes: o.episodes,
        teacher: `best of ${teacherNames.join(', ')} per instance, by nodes used`,
        teacherWins: taught.wins,
        environment: env.description,
        imitation: {
          instances,
          samples: taught.sets.size,
          epochs: instances > 0 ? o.epochs : 0,
          batchSize,
          learningRate: imitationLearningRate,
          lossBefore: imitationRows[0]?.loss ?? null,
          lossAfter: imitationRows[imitationRows.length - 1]?.loss ?? null,
        },
        reinforce: { episodes: o.episodes, rollouts, learningRate: reinforceLearningRate, reward: rewardWeights, firstMeanReward: rewards[0] ?? null, lastMeanReward: rewards[rewards.length - 1] ?? null },
        network: { hidden: [...hidden], activation: 'relu', loss: 'listwise softmax cross-entropy', optimizer: 'adam' },
      },
    };
    return { model: result, curve, backend };
  } finally {
    model.dispose();
  }
}
