import type { ChartSpec } from './chart-spec.js';
import { chartConfig } from './palette.js';

/**
 * One group of a sweep (every grid coordinate but the seed) and one metric: the mean over its
 * seeds and the 95 % t confidence interval (harness/sweep/confidence-interval.ts). `null` = not
 * measured (no seed modeled the metric; for the interval, fewer than two seeds).
 */
export interface SweepGroupStat {
  workload: string;
  policy: string;
  overcommit: string;
  /** Generated nodes; 0 = a trace's own machines. */
  nodes: number;
  dynamics: boolean;
  metric: string;
  unit: string;
  /** Seeds the figure averages. */
  n: number;
  /** Seeds of the group whose run did not model the metric. */
  missing: number;
  mean: number | null;
  sd: number | null;
  ci95Low: number | null;
  ci95High: number | null;
  /**
   * The paired comparison with the baseline — the sweep's first policy at the same workload,
   * cluster size, dynamics and overcommit setting: per seed, this group's value minus the
   * baseline's (same seed = same workload, so the seed-to-seed spread cancels), then the mean of
   * those differences and its 95 % t interval. null for the baseline itself, or without two pairs.
   */
  baseline: string | null;
  diffN: number;
  diffMean: number | null;
  diffCi95Low: number | null;
  diffCi95High: number | null;
}

/** The metrics charted, with the axis title (unit in brackets) and what the chart says. */
const CHARTED: ReadonlyArray<{ metric: string; axis: string; title: string }> = [
  { metric: 'busy_nodes_mean', axis: 'busy nodes, time-weighted mean [nodes]', title: 'Busy nodes per policy' },
  { metric: 'busy_cost_per_year_usd', axis: 'busy-node cost [USD/year]', title: 'Cost of the busy nodes per policy' },
  { metric: 'cpu_requested_frac', axis: 'CPU requested / allocatable [fraction]', title: 'Requested CPU utilization per policy' },
  { metric: 'delay_p95_s', axis: 'p95 scheduling delay [s]', title: 'Scheduling delay (p95) per policy' },
  { metric: 'evictions', axis: 'evictions and OOM kills [attempts]', title: 'Evictions per policy' },
  { metric: 'violation_rate', axis: 'violated machine-intervals [fraction]', title: 'Violation rate per policy' },
];

/** A short panel label for a group's workload × cluster size × dynamics (faceted when the sweep has several). */
function panelOf(g: SweepGroupStat): string {
  const w = g.workload === 'synthetic' ? 'synthetic' : (g.workload.split(/[\\/]/).filter(Boolean).pop() ?? g.workload);
  return `${w}, ${g.nodes === 0 ? "the trace's machines" : `${g.nodes} nodes`}${g.dynamics ? '' : ', no dynamics'}`;
}

/**
 * The sweep's charts with error bars: per charted metric, the mean over seeds of each policy
 * (x) and overcommit setting (colour, side by side), with its 95 % confidence interval as an
 * error bar; one panel per workload × cluster size × dynamics when there are several. A metric no
 * group measured (evictions without node dynamics) gets no chart. Data inline; names are
 * `sweep-<metric>` with dashes.
 */
export function sweepCharts(stats: readonly SweepGroupStat[], sweepName = 'sweep'): ChartSpec[] {
  const charts: ChartSpec[] = [];
  for (const c of CHARTED) {
    const rows = stats.filter((g) => g.metric === c.metric && g.mean !== null);
    if (rows.length === 0) continue;
    const values = rows.map((g) => ({
      panel: panelOf(g),
      policy: g.policy,
      overcommit: g.overcommit,
      n: g.n,
      mean: g.mean,
      ci95Low: g.ci95Low,
      ci95High: g.ci95High,
    }));
    const panels = new Set(values.map((v) => v.panel));
    const seeds = [...new Set(rows.map((g) => g.n))].sort((a, b) => a - b);
    const x = { field: 'policy', type: 'nominal', title: 'policy', sort: null, axis: { labelAngle: -30 } };
    const xOffset = { field: 'overcommit', type: 'nominal', sort: null };
    const color = { field: 'overcommit', type: 'nominal', title: 'overcommit', sort: null };
    const layer = [
      {
        mark: { type: 'errorbar', ticks: true },
        encoding: {
          x,
          xOffset,
          y: { field: 'ci95Low', type: 'quantitative', title: c.axis, scale: { zero: false } },
          y2: { field: 'ci95High' },
          color,
        },
      },
      {
        mark: { type: 'point', filled: true, size: 60 },
        encoding: {
          x,
          xOffset,
          y: { field: 'mean', type: 'quantitative', title: c.axis, scale: { zero: false } },
          color,
          tooltip: [
            { field: 'panel', type: 'nominal' },
            { field: 'policy', type: 'nominal' },
            { field: 'overcommit', type: 'nominal' },
            { field: 'n', type: 'quantitative', title: 'seeds' },
            { field: 'mean', type: 'quantitative', format: '.4~g' },
            { field: 'ci95Low', type: 'quantitative', title: '95% CI low', format: '.4~g' },
            { field: 'ci95High', type: 'quantitative', title: '95% CI high', format: '.4~g' },
          ],
        },
      },
    ];
    const body = panels.size > 1 ? { facet: { column: { field: 'panel', type: 'nominal', title: null, sort: null } }, spec: { width: 220, height: 220, layer } } : { width: 320, height: 240, layer };
    const seedText = seeds.length === 1 ? `${seeds[0]} seeds` : `${seeds[0]}–${seeds[seeds.length - 1]} seeds`;
    const paired = pairedChart(stats, c, panels.size > 1, sweepName);
    charts.push({
      name: `sweep-${c.metric.replace(/_/g, '-')}`,
      title: `${c.title} (${sweepName})`,
      caption: `${c.title}: mean over ${seedText} per policy and overcommit setting; bars are 95% confidence intervals (t distribution).`,
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        title: `${c.title} (${sweepName})`,
        data: { values },
        ...body,
        config: chartConfig(),
      },
    });
    if (paired) charts.push(paired);
  }
  return charts;
}

/** Metrics whose paired difference with the baseline gets its own chart: the packing figures. */
const PAIRED = new Set(['busy_nodes_mean', 'busy_cost_per_year_usd']);

/**
 * The paired comparison of a metric: per policy other than the baseline and overcommit setting,
 * the mean per-seed difference with the baseline policy and its 95 % interval, with a rule at 0
 * (an interval off the rule is a difference the seeds support). None when no group has one.
 */
function pairedChart(stats: readonly SweepGroupStat[], c: (typeof CHARTED)[number], facet: boolean, sweepName: string): ChartSpec | undefined {
  if (!PAIRED.has(c.metric)) return undefined;
  const rows = stats.filter((g) => g.metric === c.metric && g.baseline !== null && g.diffMean !== null);
  if (rows.length === 0) return undefined;
  const baselines = [...new Set(rows.map((g) => g.baseline))];
  const values = rows.map((g) => ({ panel: panelOf(g), policy: g.policy, overcommit: g.overcommit, baseline: g.baseline, n: g.diffN, diffMean: g.diffMean, diffCi95Low: g.diffCi95Low, diffCi95High: g.diffCi95High }));
  const x = { field: 'policy', type: 'nominal', title: 'policy', sort: null, axis: { labelAngle: -30 } };
  const xOffset = { field: 'overcommit', type: 'nominal', sort: null };
  const color = { field: 'overcommit', type: 'nominal', title: 'overcommit', sort: null };
  const axis = `${c.axis.replace(/ \[/, ` − ${baselines.join('/')} [`)}`;
  const layer = [
    { mark: { type: 'rule', color: '#000000', strokeDash: [4, 3] }, encoding: { y: { datum: 0, type: 'quantitative' } } },
    { mark: { type: 'errorbar', ticks: true }, encoding: { x, xOffset, y: { field: 'diffCi95Low', type: 'quantitative', title: axis }, y2: { field: 'diffCi95High' }, color } },
    {
      mark: { type: 'point', filled: true, size: 60 },
      encoding: {
        x, xOffset, y: { field: 'diffMean', type: 'quantitative', title: axis }, color,
        tooltip: [
          { field: 'policy', type: 'nominal' },
          { field: 'baseline', type: 'nominal' },
          { field: 'overcommit', type: 'nominal' },
          { field: 'n', type: 'quantitative', title: 'paired seeds' },
          { field: 'diffMean', type: 'quantitative', title: 'mean difference', format: '.4~g' },
          { field: 'diffCi95Low', type: 'quantitative', title: '95% CI low', format: '.4~g' },
          { field: 'diffCi95High', type: 'quantitative', title: '95% CI high', format: '.4~g' },
        ],
      },
    },
  ];
  const body = facet ? { facet: { column: { field: 'panel', type: 'nominal', title: null, sort: null } }, spec: { width: 220, height: 220, layer } } : { width: 320, height: 240, layer };
  const title = `${c.title} minus ${baselines.join('/')}, paired by seed (${sweepName})`;
  return {
    name: `sweep-${c.metric.replace(/_/g, '-')}-vs-baseline`,
    title,
    caption: `${c.title}, each policy minus ${baselines.join('/')} on the same seed: mean difference over the seeds with its 95% confidence interval (t distribution); an interval clear of the dashed zero line is a difference the seeds support.`,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      // Two lines: the long title would otherwise widen the canvas past the plot.
      title: { text: `${c.title} minus ${baselines.join('/')}`, subtitle: `paired by seed, 95% confidence intervals (${sweepName})` },
      data: { values },
      ...body,
      config: chartConfig(),
    },
  };
}
