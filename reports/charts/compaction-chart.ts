import type { ChartSpec } from './chart-spec.js';
import { baseSpec } from './vega-lite-base.js';

/**
 * Borg cell compaction (Verma et al., EuroSys'15 §5.1; harness/experiments/compaction-experiment.ts):
 * per experiment (baseline, segregated, rounded), the smallest cell that still runs the workload —
 * the 90th percentile over seeds as a bar, the min–max range over seeds as an error bar — against
 * the size of the real cell (a rule). Structural input so reports/ needs nothing of harness/.
 */
export interface CompactionOutcome {
  machines: number;
  variants: ReadonlyArray<{ name: string; stats: { p90: number | null; min: number | null; max: number | null } }>;
}

export function compactionChart(r: CompactionOutcome): ChartSpec {
  const values = r.variants
    .filter((v) => v.stats.p90 !== null)
    .map((v) => ({ experiment: v.name, p90: v.stats.p90, min: v.stats.min, max: v.stats.max, cell: r.machines }));
  const order = values.map((v) => v.experiment);
  const x = { field: 'experiment', type: 'nominal', title: 'experiment', sort: order, axis: { labelAngle: 0 } };
  return {
    name: 'compaction-machines',
    title: 'Cell compaction: smallest cell that runs the workload',
    caption: `Per experiment, the 90th percentile over seeds of the smallest cell that still fits (bar) and its min–max over seeds (error bar); the rule is the real cell, ${r.machines.toLocaleString('en-US')} machines.`,
    spec: baseSpec('Cell compaction: smallest cell that runs the workload', values, {
      width: 360,
      height: 240,
      layer: [
        {
          mark: { type: 'bar' },
          encoding: {
            x,
            y: { field: 'p90', type: 'quantitative', title: 'machines (p90 over seeds)' },
            color: { field: 'experiment', type: 'nominal', title: 'experiment', sort: order, legend: null },
            tooltip: [{ field: 'experiment' }, { field: 'p90' }, { field: 'min' }, { field: 'max' }],
          },
        },
        { mark: { type: 'rule', strokeWidth: 2 }, encoding: { x, y: { field: 'min', type: 'quantitative' }, y2: { field: 'max' } } },
        { mark: { type: 'rule', strokeDash: [4, 3] }, encoding: { y: { datum: r.machines, type: 'quantitative' } } },
      ],
    }),
  };
}
