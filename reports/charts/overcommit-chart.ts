import type { ChartSpec } from './chart-spec.js';
import { readCsvColumns } from '../csv-columns.js';
import { baseSpec, round6 } from './vega-lite-base.js';

/**
 * The overcommit experiment's trade-off (Bashir et al., EuroSys'21, the savings-vs-violations
 * figure; harness/experiments/overcommit-experiment.ts): per data set (panel) and peak predictor
 * (colour), savings — mean over machine-intervals of 1 − predicted peak / Σ limits — against the
 * violation rate — share of machine-intervals whose real usage exceeded the prediction. Up and to
 * the left is better. The records are OvercommitExperimentResult's outcomes, or the
 * `experiment overcommit --out FILE.csv` read back.
 */
export interface OvercommitOutcomes {
  outcomes: ReadonlyArray<{ data: string; results: ReadonlyArray<{ predictor: string; savings: number; violationRate: number }> }>;
}

export function overcommitChart(res: OvercommitOutcomes): ChartSpec {
  // A predictor with no machine-interval evaluated has no figures (empty in the CSV): named, not drawn at 0.
  const unmeasured = res.outcomes.flatMap((o) => o.results.filter((r) => !Number.isFinite(r.savings) || !Number.isFinite(r.violationRate)).map((r) => `${o.data}/${r.predictor}`));
  const values = res.outcomes.flatMap((o) =>
    o.results
      .filter((r) => Number.isFinite(r.savings) && Number.isFinite(r.violationRate))
      .map((r) => ({ data: o.data, predictor: r.predictor, savings_pct: round6(100 * r.savings), violation_pct: round6(100 * r.violationRate) })),
  );
  const predictors = [...new Set(values.map((v) => v.predictor))];
  return {
    name: 'overcommit-savings-vs-violations',
    title: 'Overcommit: savings against violations',
    caption: 'Per data set and peak predictor: capacity saved against admitting by limits (mean 1 − predicted peak / Σ limits) and the share of machine-intervals whose usage exceeded the prediction' + (unmeasured.length > 0 ? `; not measured: ${unmeasured.join(', ')}.` : '.'),
    spec: baseSpec('Overcommit: savings against violations', values, {
      facet: { column: { field: 'data', type: 'nominal', title: 'data set', sort: res.outcomes.map((o) => o.data) } },
      spec: {
        width: 280,
        height: 220,
        mark: { type: 'point', filled: true, size: 80 },
        encoding: {
          x: { field: 'violation_pct', type: 'quantitative', title: 'violation rate (% of intervals)' },
          y: { field: 'savings_pct', type: 'quantitative', title: 'savings (% of Σ limits)' },
          color: { field: 'predictor', type: 'nominal', title: 'predictor', sort: predictors },
          shape: { field: 'predictor', type: 'nominal', sort: predictors },
          tooltip: [{ field: 'data' }, { field: 'predictor' }, { field: 'savings_pct', format: '.2f' }, { field: 'violation_pct', format: '.3f' }],
        },
      },
      resolve: { scale: { x: 'independent' } },
    }),
  };
}

/** `experiment overcommit --out FILE.csv` (harness/experiments/overcommit-report.ts) read back. */
export function readOvercommitCsv(file: string): OvercommitOutcomes {
  const t = readCsvColumns(file, [
    { name: 'data', kind: 'text', required: true },
    { name: 'predictor', kind: 'text', required: true },
    { name: 'savings', kind: 'number' },
    { name: 'violation_rate', kind: 'number' },
  ], /^(tasks|machines|tasks_per_machine|machine_intervals|usable_cpu_gain|mean_overshoot)$/);
  const data = t.texts.get('data')!;
  const predictor = t.texts.get('predictor')!;
  const savings = t.numbers.get('savings')!;
  const rate = t.numbers.get('violation_rate')!;
  const outcomes: Array<{ data: string; results: Array<{ predictor: string; savings: number; violationRate: number }> }> = [];
  for (let i = 0; i < t.length; i++) {
    let o = outcomes.find((x) => x.data === data[i]);
    if (!o) outcomes.push((o = { data: data[i]!, results: [] }));
    o.results.push({ predictor: predictor[i]!, savings: savings[i], violationRate: rate[i] });
  }
  return { outcomes };
}
