import type { ChartSpec } from './chart-spec.js';
import type { TimeSeriesColumns } from '../loaded-run.js';
import { baseSpec, round6, toHours } from './vega-lite-base.js';

/** A run's time series with the label it has in the figure (a LoadedRun fits). */
export interface LabelledSeries {
  label: string;
  timeseries: TimeSeriesColumns;
}

/** Most points drawn per line: longer series are averaged over runs of consecutive samples. */
export const MAX_SERIES_POINTS = 1500;

type SeriesRow = { run: string; time_h: number; metric: string; resource: string | null; value: number };

/**
 * Charts over time from timeseries.csv (README § Results folder: one sample every
 * --sample-seconds, long format `time_s, metric, resource, value`). A value that was not measured
 * (empty field, NaN: used utilization of a run without usage) is left out, never drawn as 0.
 * A series longer than MAX_SERIES_POINTS (a fine --sample-seconds over a long window) is drawn as
 * the means of k consecutive samples, each at its first sample's time, and the caption says k.
 */
function rowsOf(runs: readonly LabelledSeries[], keep: (metric: string) => boolean): { rows: SeriesRow[]; k: number } {
  const series = new Map<string, Array<{ time: number; value: number; run: string; metric: string; resource: string | null }>>();
  for (const r of runs) {
    const t = r.timeseries;
    for (let i = 0; i < t.length; i++) {
      const m = t.metric[i]!;
      if (!keep(m) || !Number.isFinite(t.value[i])) continue;
      const key = `${r.label}\u0000${m}\u0000${t.resource[i] ?? ''}`;
      let s = series.get(key);
      if (!s) series.set(key, (s = []));
      s.push({ time: t.timeS[i], value: t.value[i], run: r.label, metric: m, resource: t.resource[i] });
    }
  }
  const rows: SeriesRow[] = [];
  let kMax = 1;
  for (const s of series.values()) {
    const k = Math.ceil(s.length / MAX_SERIES_POINTS);
    kMax = Math.max(kMax, k);
    for (let j = 0; j < s.length; j += k) {
      let sum = 0;
      const end = Math.min(s.length, j + k);
      for (let q = j; q < end; q++) sum += s[q].value;
      rows.push({ run: s[j].run, time_h: toHours(s[j].time), metric: s[j].metric, resource: s[j].resource, value: round6(sum / (end - j)) });
    }
  }
  return { rows, k: kMax };
}

const averaged = (k: number): string => (k > 1 ? ` Lines show means of ${k} consecutive samples.` : '');

const TIME_AXIS = { field: 'time_h', type: 'quantitative', title: 'time (h)' };

/**
 * Requested and used utilization over time: per resource (one panel each), per run (colour),
 * requested solid, used dashed. Requested is Σ requests of running tasks / allocatable at the
 * sample; used is the sampled usage / allocatable (README § What the summary means).
 */
export function utilizationChart(runs: readonly LabelledSeries[]): ChartSpec {
  const { rows, k } = rowsOf(runs, (m) => m === 'requested_fraction' || m === 'used_fraction');
  const values = rows.map((r) => ({
    run: r.run,
    time_h: r.time_h,
    resource: r.resource,
    kind: r.metric === 'requested_fraction' ? 'requested' : 'used',
    value: r.value,
  }));
  // 0–100 %, widened when requests exceed allocatable (an allocation ratio above 1 promises more).
  let yMax = 1;
  for (const v of values) if (v.value > yMax) yMax = v.value;
  return {
    name: 'utilization-over-time',
    title: 'Requested and used utilization over time',
    caption: 'Share of allocatable capacity requested (solid) and used (dashed) by running tasks at each sample, per resource and run; a run without usage measurements shows requested only.' + averaged(k),
    spec: baseSpec('Requested and used utilization over time', values, {
      facet: { column: { field: 'resource', type: 'nominal', title: 'resource' } },
      spec: {
        width: 320,
        height: 220,
        mark: { type: 'line', interpolate: 'step-after' },
        encoding: {
          x: TIME_AXIS,
          y: { field: 'value', type: 'quantitative', title: 'utilization (% of allocatable)', scale: { domain: [0, yMax] }, axis: { format: '%' } },
          color: { field: 'run', type: 'nominal', title: 'run', sort: null },
          strokeDash: { field: 'kind', type: 'nominal', title: 'utilization', sort: ['requested', 'used'] },
        },
      },
    }),
  };
}

/** A count metric over time, one line per run. */
function countChart(runs: readonly LabelledSeries[], metric: string, name: string, title: string, axis: string, caption: string): ChartSpec {
  const { rows, k } = rowsOf(runs, (m) => m === metric);
  const values = rows.map((r) => ({ run: r.run, time_h: r.time_h, value: r.value }));
  return {
    name,
    title,
    caption: caption + averaged(k),
    spec: baseSpec(title, values, {
      width: 600,
      height: 260,
      mark: { type: 'line', interpolate: 'step-after' },
      encoding: {
        x: TIME_AXIS,
        y: { field: 'value', type: 'quantitative', title: axis },
        color: { field: 'run', type: 'nominal', title: 'run', sort: null },
      },
    }),
  };
}

/** Tasks submitted and not yet started (waiting in the scheduling queue) at each sample. */
export function pendingTasksChart(runs: readonly LabelledSeries[]): ChartSpec {
  return countChart(runs, 'tasks_pending', 'pending-tasks-over-time', 'Pending tasks over time', 'pending tasks (tasks)',
    'Tasks submitted but not running (waiting to be placed) at each sample, per run.');
}

/** Nodes running at least one task at each sample: what a tighter packing could switch off is the rest. */
export function busyNodesChart(runs: readonly LabelledSeries[]): ChartSpec {
  return countChart(runs, 'nodes_busy', 'busy-nodes-over-time', 'Busy nodes over time', 'busy nodes (nodes running ≥ 1 task)',
    'Nodes running at least one task at each sample, per run; the nodes up and idle are what a tighter packing could switch off.');
}
