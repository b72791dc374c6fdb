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

/** Imitation loss per epoch: does the scorer learn to rank the teacher's choice first? */
export function imitationLossChart(curve: readonly TrainingCurvePoint[]): ChartSpec {
  const values = curve.filter((p) => p.phase === 'imitation' && Number.isFinite(p.loss)).map((p) => ({ epoch: p.step, loss: round6(p.loss) }));
  return {
    name: 'training-curve-imitation',
    title: 'Imitation: cross-entropy of the teacher’s choice',
    caption: 'Mean softmax cross-entropy of the teacher’s node among each decision’s candidate nodes, per epoch over the teacher samples (epoch 0: before training; log(candidates) is a uniform guess).',
    spec: baseSpec('Imitation: cross-entropy of the teacher’s choice', values, {
      width: 520,
      height: 240,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { format: 'd', tickMinStep: 1 } },
        y: { field: 'loss', type: 'quantitative', title: 'cross-entropy (nats)', scale: { zero: false } },
        tooltip: [{ field: 'epoch' }, { field: 'loss', format: '.4f' }],
      },
    }),
  };
}

/** REINFORCE mean reward per update: does fine-tuning pack better than the imitated policy? */
export function reinforceRewardChart(curve: readonly TrainingCurvePoint[]): ChartSpec {
  const values = curve.filter((p) => p.phase === 'reinforce' && p.reward !== null).map((p) => ({ episodes: p.step, reward: round6(p.reward!), loss: round6(p.loss) }));
  return {
    name: 'training-curve-reinforce',
    title: 'REINFORCE: mean episode reward',
    caption: 'Mean reward of each update’s rollouts (−nodes used/nodes − α·pending − β·evictions; higher is better) against episodes played.',
    spec: baseSpec('REINFORCE: mean episode reward', values, {
      width: 520,
      height: 240,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'episodes', type: 'quantitative', title: 'episodes' },
        y: { field: 'reward', type: 'quantitative', title: 'mean reward', scale: { zero: false } },
        tooltip: [{ field: 'episodes' }, { field: 'reward', format: '.4f' }, { field: 'loss', format: '.4f' }],
      },
    }),
  };
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
