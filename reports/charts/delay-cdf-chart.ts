import type { ChartSpec } from './chart-spec.js';
import type { TasksColumns } from '../loaded-run.js';
import { baseSpec, round6 } from './vega-lite-base.js';

export interface LabelledTasks {
  label: string;
  tasks: Pick<TasksColumns, 'length' | 'submitS' | 'startS'>;
}

/** Most points drawn per curve: beyond this the CDF is thinned to evenly spaced ranks (the shape is unchanged at print size). */
export const MAX_CDF_POINTS = 2000;

/** The left end of the log-scaled delay axis: shorter delays are drawn here. */
export const MIN_DELAY_S = 1;

/**
 * Scheduling-delay CDF: for each run, the share of **all submitted tasks** that had started
 * within a delay d (start − submit, seconds; tasks.csv), F(d) = #{started, start − submit ≤ d} / #submitted.
 *
 * Censoring: a task still pending at the end has an unknown delay, only known to exceed the time it
 * has waited. It stays in the denominator and never adds a step, so the curve tops out at
 * scheduled / submitted (the gap to 100 % is the pending share). Below the shortest wait of a
 * pending task this is the exact empirical CDF; above it, a lower bound of it. Dropping pending
 * tasks instead would make a policy that starves tasks look fast.
 *
 * x is on a log scale from 1 s (delays span seconds to hours): a delay under 1 s, most often 0,
 * is drawn at 1 s, so the curve's level at 1 s is the share started within a second.
 */
export function delayCdfChart(runs: readonly LabelledTasks[]): ChartSpec {
  const values: Array<{ run: string; delay_s: number; share: number }> = [];
  for (const r of runs) {
    const t = r.tasks;
    const d: number[] = [];
    for (let i = 0; i < t.length; i++) if (Number.isFinite(t.startS[i])) d.push(Math.max(MIN_DELAY_S, t.startS[i] - t.submitS[i]));
    const delays = Float64Array.from(d).sort();
    const n = t.length;
    if (n === 0) continue;
    // One point per distinct delay, at the highest rank reaching it (a step CDF).
    const ranks: number[] = [];
    for (let k = 0; k < delays.length; k++) if (k === delays.length - 1 || delays[k + 1] !== delays[k]) ranks.push(k);
    const step = Math.max(1, Math.ceil(ranks.length / MAX_CDF_POINTS));
    for (let j = 0; j < ranks.length; j++) {
      if (j % step !== 0 && j !== ranks.length - 1) continue;
      const k = ranks[j];
      values.push({ run: r.label, delay_s: round6(delays[k]), share: round6((k + 1) / n) });
    }
  }
  const maxDelay = Math.max(MIN_DELAY_S * 10, ...values.map((v) => v.delay_s));
  return {
    name: 'scheduling-delay-cdf',
    title: 'Scheduling delay (CDF)',
    caption:
      'Share of all submitted tasks started within a given delay (start − submit), per run; tasks still pending at the end stay in the denominator without a step (censored), so each curve ends at its scheduled share.',
    spec: baseSpec('Scheduling delay (CDF)', values, {
      width: 600,
      height: 280,
      mark: { type: 'line', interpolate: 'step-after' },
      encoding: {
        x: { field: 'delay_s', type: 'quantitative', title: 'scheduling delay, start − submit (s, log scale; under 1 s drawn at 1 s)', scale: { type: 'log', domain: [MIN_DELAY_S, maxDelay] } },
        y: { field: 'share', type: 'quantitative', title: 'tasks started (% of submitted)', scale: { domain: [0, 1] }, axis: { format: '%' } },
        color: { field: 'run', type: 'nominal', title: 'run', sort: null },
      },
    }),
  };
}
