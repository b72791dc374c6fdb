import type { ChartSpec } from './chart-spec.js';
import { baseSpec, round6 } from './vega-lite-base.js';

/**
 * The training curve of a learned placement model (training.csv, written by `schedlab train
 * placement`): one row per imitation epoch (mean listwise cross-entropy over the teacher samples;
 * epoch 0 = before training) and per REINFORCE update (surrogate loss and the mean episode reward
 * of its rollouts). Typed here, so reports/ needs nothing from algorithms/.
 */
export interface TrainingCurvePoint {
  phase: 'imitation' | 'reinforce';
  step: number;
  loss: number;
  reward: number | null;
}

type Row = Record<string, number>;

/** One curve of the training: a line with points, `x` against `y`, the other fields in the tooltip. */
function curveChart(name: string, title: string, caption: string, values: Row[], x: { field: string; title: string; integer?: boolean }, y: { field: string; title: string }, extra: string[] = []): ChartSpec {
  return {
    name,
    title,
    caption,
    spec: baseSpec(title, values, {
      width: 520,
      height: 240,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: x.field, type: 'quantitative', title: x.title, ...(x.integer ? { axis: { format: 'd', tickMinStep: 1 } } : {}) },
        y: { field: y.field, type: 'quantitative', title: y.title, scale: { zero: false } },
        tooltip: [{ field: x.field }, { field: y.field, format: '.4f' }, ...extra.map((f) => ({ field: f, format: '.4f' }))],
      },
    }),
  };
}

/** Imitation loss per epoch: does the scorer learn to rank the teacher's choice first? */
export function imitationLossChart(curve: readonly TrainingCurvePoint[]): ChartSpec {
  const values = curve.filter((p) => p.phase === 'imitation' && Number.isFinite(p.loss)).map((p) => ({ epoch: p.step, loss: round6(p.loss) }));
  return curveChart(
    'training-curve-imitation',
    'Imitation: cross-entropy of the teacher’s choice',
    'Mean softmax cross-entropy of the teacher’s node among each decision’s candidate nodes, per epoch over the teacher samples (epoch 0: before training; log(candidates) is a uniform guess).',
    values,
    { field: 'epoch', title: 'epoch', integer: true },
    { field: 'loss', title: 'cross-entropy (nats)' },
  );
}

/** REINFORCE mean reward per update: does fine-tuning pack better than the imitated policy? */
export function reinforceRewardChart(curve: readonly TrainingCurvePoint[]): ChartSpec {
  const values = curve.filter((p) => p.phase === 'reinforce' && p.reward !== null).map((p) => ({ episodes: p.step, reward: round6(p.reward!), loss: round6(p.loss) }));
  return curveChart(
    'training-curve-reinforce',
    'REINFORCE: mean episode reward',
    'Mean reward of each update’s rollouts (−nodes used/nodes − α·pending − β·evictions; higher is better) against episodes played.',
    values,
    { field: 'episodes', title: 'episodes' },
    { field: 'reward', title: 'mean reward' },
    ['loss'],
  );
}

/** The charts a training run has data for. */
export function trainingCurveCharts(curve: readonly TrainingCurvePoint[]): ChartSpec[] {
  const out: ChartSpec[] = [];
  if (curve.some((p) => p.phase === 'imitation')) out.push(imitationLossChart(curve));
  if (curve.some((p) => p.phase === 'reinforce')) out.push(reinforceRewardChart(curve));
  return out;
}

/** training.csv: phase, step, loss, reward (empty for imitation). */
export function trainingCurveCsv(curve: readonly TrainingCurvePoint[]): string {
  return ['phase,step,loss,reward', ...curve.map((p) => `${p.phase},${p.step},${p.loss},${p.reward ?? ''}`)].join('\n') + '\n';
}
