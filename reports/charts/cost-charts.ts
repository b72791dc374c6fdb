import type { ChartSpec } from './chart-spec.js';
import type { RunSummary } from '../summary.js';
import { savingsPerYear } from '../savings.js';
import { baseSpec } from './vega-lite-base.js';

export interface LabelledSummary {
  label: string;
  record: { summary: RunSummary };
}

/**
 * Cost per year per run (README § What the summary means): the whole fleet (node-hours × price,
 * annualized) beside the busy nodes only (nodes running ≥ 1 task), in US dollars per year.
 */
export function costChart(runs: readonly LabelledSummary[]): ChartSpec {
  const values = runs.flatMap((r) => [
    { run: r.label, fleet: 'all nodes', usd_per_year: r.record.summary.cost.perYear },
    { run: r.label, fleet: 'busy nodes', usd_per_year: r.record.summary.cost.busyPerYear },
  ]);
  return {
    name: 'cost-per-year',
    title: 'Cost per year',
    caption: 'Yearly cost of all nodes and of the busy nodes only (nodes running at least one task), per run, at the catalog prices.',
    spec: baseSpec('Cost per year', values, {
      width: { step: 28 },
      height: 260,
      mark: 'bar',
      encoding: {
        x: { field: 'run', type: 'nominal', title: 'run', sort: null, axis: { labelAngle: -30 } },
        xOffset: { field: 'fleet', type: 'nominal', sort: ['all nodes', 'busy nodes'] },
        y: { field: 'usd_per_year', type: 'quantitative', title: 'cost (USD per year)', axis: { format: '$,.0f' } },
        color: { field: 'fleet', type: 'nominal', title: 'nodes priced', sort: ['all nodes', 'busy nodes'] },
      },
    }),
  };
}

/**
 * Savings per year of each run against the first (reports/savings.ts: busy-node cost per unit of
 * CPU work placed, so leaving work pending saves nothing), in US dollars per year; positive =
 * cheaper than the baseline.
 */
export function savingsChart(runs: readonly LabelledSummary[]): ChartSpec {
  const base = runs[0];
  const values = runs.map((r) => ({ run: r.label, usd_per_year: savingsPerYear(base.record.summary, r.record.summary), pending_at_end: r.record.summary.tasks.pendingAtEnd }));
  return {
    name: 'savings-per-year',
    title: `Savings per year against ${base.label}`,
    caption: `Busy-node cost saved per year against ${base.label}, per unit of CPU work placed (a run cannot save by leaving work pending); positive is cheaper.`,
    spec: baseSpec(`Savings per year against ${base.label}`, values, {
      width: { step: 40 },
      height: 260,
      mark: 'bar',
      encoding: {
        x: { field: 'run', type: 'nominal', title: 'run', sort: null, axis: { labelAngle: -30 } },
        y: { field: 'usd_per_year', type: 'quantitative', title: `savings against ${base.label} (USD per year)`, axis: { format: '$,.0f' } },
        color: { field: 'run', type: 'nominal', title: 'run', sort: null, legend: null },
        tooltip: [{ field: 'run' }, { field: 'usd_per_year', format: '$,.2f' }, { field: 'pending_at_end', title: 'pending at end' }],
      },
    }),
  };
}
