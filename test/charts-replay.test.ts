import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chartsForRuns, readResultsFolder, type LoadedRun } from '../reports/results-reader.js';
import { selectCharts } from '../reports/charts/charts-for-runs.js';
import { CHART_FILE } from '../reports/charts/render.js';
import { renderChart } from '../reports/charts/render.js';
import { utilizationChart, pendingTasksChart, busyNodesChart, MAX_SERIES_POINTS } from '../reports/charts/timeseries-charts.js';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { writeCharts } from '../reports/charts/render.js';
import { delayCdfChart, MAX_CDF_POINTS } from '../reports/charts/delay-cdf-chart.js';
import { binHoursFor, evictionsChart } from '../reports/charts/dynamics-events-chart.js';
import { costChart, savingsChart } from '../reports/charts/cost-charts.js';
import { OKABE_ITO } from '../reports/charts/palette.js';
import { UsageError } from '../model/errors.js';
import { ROOT } from './helpers/cli.js';

/**
 * The replay figure set on the hand-written fixture folders (test/fixtures/results/README.md):
 * every expected number below is worked out by hand from the fixture rows.
 */
const FIX = join(ROOT, 'test', 'fixtures', 'results');
const ff = readResultsFolder(join(FIX, 'first-fit'));
const bf = readResultsFolder(join(FIX, 'best-fit'));
type Row = Record<string, unknown>;
const values = (spec: Record<string, unknown>): Row[] => (spec.data as { values: Row[] }).values;
const inner = (spec: Record<string, unknown>) => ((spec.spec ?? spec) as { encoding: Record<string, Row>; mark: unknown });

describe('utilization over time', () => {
  const c = utilizationChart([ff, bf]);
  it('has one row per run, sample, resource and kind, leaving unmeasured used fractions out', () => {
    const v = values(c.spec);
    expect(v.length).toBe(12 + 6);
    const pick = (run: string, resource: string, kind: string) => v.filter((r) => r.run === run && r.resource === resource && r.kind === kind).map((r) => [r.time_h, r.value]);
    expect(pick('first-fit', 'cpu', 'requested')).toEqual([[0, 0.1], [0.5, 0.3], [1, 0.2]]);
    expect(pick('first-fit', 'memory', 'used')).toEqual([[0, 0.02], [0.5, 0.1], [1, 0.08]]);
    expect(pick('best-fit', 'cpu', 'requested')).toEqual([[0, 0.1], [0.5, 0.35], [1, 0.25]]);
    expect(pick('best-fit', 'cpu', 'used')).toEqual([]);
  });
  it('encodes time in hours, utilization as a 0–1 share, run as colour, kind as dash, a panel per resource', () => {
    const e = inner(c.spec).encoding;
    expect(e.x).toMatchObject({ field: 'time_h', type: 'quantitative', title: 'time (h)' });
    expect(e.y).toMatchObject({ field: 'value', type: 'quantitative', title: 'utilization (% of allocatable)', scale: { domain: [0, 1] } });
    expect(e.color).toMatchObject({ field: 'run', type: 'nominal' });
    expect(e.strokeDash).toMatchObject({ field: 'kind', type: 'nominal' });
    expect(c.spec.facet).toEqual({ column: { field: 'resource', type: 'nominal', title: 'resource' } });
    expect((c.spec.config as { range: { category: string[] } }).range.category).toEqual(OKABE_ITO);
  });
});

describe('long series', () => {
  it('averages runs of k consecutive samples when a series is longer than MAX_SERIES_POINTS, and says so', () => {
    const n = 2 * MAX_SERIES_POINTS + 1; // k = 3
    const timeS = Float64Array.from({ length: n }, (_, i) => i * 60);
    const value = Float64Array.from({ length: n }, (_, i) => i % 3);
    const ts = { length: n, timeS, metric: new Array(n).fill('tasks_pending'), resource: new Array(n).fill(null), value };
    const c = pendingTasksChart([{ label: 'long', timeseries: ts }]);
    const v = values(c.spec);
    expect(v.length).toBe(Math.ceil(n / 3));
    expect(v[0]).toEqual({ run: 'long', time_h: 0, value: 1 }); // (0 + 1 + 2) / 3
    expect(v[1]).toEqual({ run: 'long', time_h: 0.05, value: 1 }); // from 180 s
    expect(v[v.length - 1]).toEqual({ run: 'long', time_h: toH((n - 1) * 60), value: (n - 1) % 3 }); // the last sample alone
    expect(c.caption).toContain('means of 3 consecutive samples');
    expect(pendingTasksChart([ff]).caption).not.toContain('consecutive');
  });
});

const toH = (s: number) => Math.round((s / 3600) * 1e6) / 1e6;

describe('counts over time', () => {
  it('pending tasks and busy nodes per run and sample', () => {
    const p = values(pendingTasksChart([ff, bf]).spec);
    expect(p.filter((r) => r.run === 'first-fit').map((r) => r.value)).toEqual([0, 1, 1]);
    expect(p.filter((r) => r.run === 'best-fit').map((r) => r.value)).toEqual([0, 0, 0]);
    const b = busyNodesChart([ff, bf]);
    expect(values(b.spec).filter((r) => r.run === 'first-fit').map((r) => [r.time_h, r.value])).toEqual([[0, 1], [0.5, 3], [1, 2]]);
    expect(values(b.spec).filter((r) => r.run === 'best-fit').map((r) => r.value)).toEqual([1, 2, 2]);
    expect(inner(b.spec).encoding.y.title).toMatch(/busy nodes/);
  });
});

describe('scheduling-delay CDF', () => {
  it('steps at each distinct delay over all submitted tasks; a pending task keeps the curve below 100 %', () => {
    const v = values(delayCdfChart([ff, bf]).spec);
    // first-fit delays 0, 60, 300, 0 (0 drawn at 1 s) and task 3 pending (censored): 2/5, 3/5, 4/5.
    expect(v.filter((r) => r.run === 'first-fit').map((r) => [r.delay_s, r.share])).toEqual([[1, 0.4], [60, 0.6], [300, 0.8]]);
    // best-fit: 0, 0, 0, 300, 0, nothing pending.
    expect(v.filter((r) => r.run === 'best-fit').map((r) => [r.delay_s, r.share])).toEqual([[1, 0.8], [300, 1]]);
    const e = inner(delayCdfChart([ff]).spec).encoding;
    expect(e.x).toMatchObject({ field: 'delay_s', type: 'quantitative', scale: { type: 'log', domain: [1, 300] } });
    expect(e.y).toMatchObject({ field: 'share', scale: { domain: [0, 1] } });
  });
  it('thins a long curve to at most MAX_CDF_POINTS points and keeps its last step', () => {
    const n = 10_000;
    const submitS = new Float64Array(n);
    const startS = Float64Array.from({ length: n }, (_, i) => (i < n - 100 ? i : NaN));
    const v = values(delayCdfChart([{ label: 'big', tasks: { length: n, submitS, startS } }]).spec);
    expect(v.length).toBeLessThanOrEqual(MAX_CDF_POINTS + 1);
    expect(v[v.length - 1]).toEqual({ run: 'big', delay_s: n - 101, share: 0.99 });
    for (let i = 1; i < v.length; i++) expect(v[i].share as number).toBeGreaterThan(v[i - 1].share as number);
  });
});

describe('evictions and OOM kills', () => {
  it('counts the attempt-ending events per 5-minute bin by cause and QoS class; runs without dynamics are named', () => {
    expect(binHoursFor(1)).toBeCloseTo(5 / 60, 12);
    expect(binHoursFor(24)).toBe(0.5);
    const c = evictionsChart([ff, bf], 1);
    // 2,000 s → the bin from 30 min, 2,100 s → from 35 min; the throttling and pressure rows are not kills.
    expect(values(c.spec)).toEqual([
      { run: 'first-fit', bin_start_h: 0.5, bin_end_h: 0.583333, cause: 'eviction-memory-pressure', qos: 'BestEffort', events: 1 },
      { run: 'first-fit', bin_start_h: 0.583333, bin_end_h: 0.666667, cause: 'oom-node', qos: 'Burstable', events: 1 },
    ]);
    expect(c.caption).toContain('per 5 min');
    expect(c.caption).toContain('without node dynamics (no events): best-fit');
    const e = inner(c.spec).encoding;
    expect(e.y).toMatchObject({ aggregate: 'sum', field: 'events', type: 'quantitative' });
    expect(e.color).toMatchObject({ field: 'cause', type: 'nominal' });
    expect(c.spec.facet).toMatchObject({ row: { field: 'run' }, column: { field: 'qos' } });
    expect(e.x).toMatchObject({ field: 'bin_start_h', scale: { domain: [0, 1] } });
    // A mid-trace window (hours 100–124 of trace time): 30-min bins over that span only.
    expect((inner(evictionsChart([ff], 24, 100).spec).encoding.x as { scale: unknown }).scale).toEqual({ domain: [100, 124] });
  });
});

describe('cost and savings', () => {
  it('cost per year of all and of busy nodes, savings against the first run per unit of work', () => {
    expect(values(costChart([ff, bf]).spec)).toEqual([
      { run: 'first-fit', fleet: 'all nodes', usd_per_year: 13455.36 },
      { run: 'first-fit', fleet: 'busy nodes', usd_per_year: 8409.6 },
      { run: 'best-fit', fleet: 'all nodes', usd_per_year: 13455.36 },
      { run: 'best-fit', fleet: 'busy nodes', usd_per_year: 6727.68 },
    ]);
    // (0.96 − 0.768) $ per 2,000 millicore-hours × 2,000 × 8,760 h / 1 h = $1,681.92.
    const s = savingsChart([ff, bf]);
    expect(values(s.spec).map((r) => [r.run, r.usd_per_year])).toEqual([['first-fit', 0], ['best-fit', 1681.92]]);
    expect(inner(s.spec).encoding.y.title).toBe('savings against first-fit (USD per year)');
  });
});

describe('chartsForRuns', () => {
  it('gives the replay figure set, each chart rendering its axis titles', async () => {
    const charts = chartsForRuns([ff, bf]);
    expect(charts.map((c) => c.name)).toEqual([
      'utilization-over-time', 'pending-tasks-over-time', 'scheduling-delay-cdf', 'busy-nodes-over-time', 'evictions-over-time', 'cost-per-year', 'savings-per-year',
    ]);
    for (const c of charts) {
      const { svg } = await renderChart(c);
      expect(svg, c.name).toContain(c.title.replace(/&/g, '&amp;'));
      const e = inner(c.spec).encoding;
      for (const axis of ['x', 'y'] as const) {
        const title = (e[axis] as { title?: string }).title;
        if (typeof title === 'string') expect(svg, `${c.name} ${axis}`).toContain(title.replace(/&/g, '&amp;'));
      }
    }
  });
  it('leaves out what does not apply: no savings for one run, no evictions chart without dynamics', () => {
    expect(chartsForRuns([bf]).map((c) => c.name)).toEqual(['utilization-over-time', 'pending-tasks-over-time', 'scheduling-delay-cdf', 'busy-nodes-over-time', 'cost-per-year']);
    expect(() => chartsForRuns([])).toThrow(UsageError);
  });
  it('leaves out the evictions chart when dynamics ran but no attempt was ended by them', () => {
    // The first-fit fixture with only its throttling and pressure rows kept.
    const e = ff.events!;
    const keep = [...Array(e.length).keys()].filter((i) => e.cause[i] === 'throttling' || e.cause[i] === 'pressure-on' || e.cause[i] === 'pressure-off');
    expect(keep.length).toBeGreaterThan(0);
    const pickF = (a: Float64Array) => Float64Array.from(keep.map((i) => a[i]));
    const pickS = <T,>(a: readonly T[]) => keep.map((i) => a[i]);
    const quiet: LoadedRun = {
      ...ff,
      events: { ...e, length: keep.length, timeS: pickF(e.timeS), cause: pickS(e.cause), qos: pickS(e.qos) } as typeof e,
    };
    expect(chartsForRuns([quiet]).map((c) => c.name)).not.toContain('evictions-over-time');
    expect(chartsForRuns([ff]).map((c) => c.name)).toContain('evictions-over-time');
  });
  it('widens the utilization axis when requests exceed allocatable (overcommit), else keeps 0–100 %', () => {
    const t = ff.timeseries;
    const over: LoadedRun = { ...ff, timeseries: { ...t, value: Float64Array.from(t.value, (v, i) => (t.metric[i] === 'requested_fraction' && t.resource[i] === 'memory' ? v * 20 : v)) } };
    const maxMem = Math.max(...[...Array(t.length).keys()].filter((i) => t.metric[i] === 'requested_fraction' && t.resource[i] === 'memory').map((i) => over.timeseries.value[i]));
    expect(maxMem).toBeGreaterThan(1);
    const y = (c: ReturnType<typeof utilizationChart>) => (inner(c.spec).encoding.y as { scale: { domain: number[] } }).scale.domain;
    expect(y(utilizationChart([over]))).toEqual([0, maxMem]);
    expect(y(utilizationChart([ff]))).toEqual([0, 1]);
  });
  it('keeps two runs with one label apart', () => {
    const twin: LoadedRun = { ...ff };
    const v = values(chartsForRuns([ff, twin])[0].spec);
    expect(new Set(v.map((r) => r.run))).toEqual(new Set(['first-fit (#1, seed 1)', 'first-fit (#2, seed 1)']));
  });
  it('selects charts by name; an unknown name lists the valid ones', () => {
    const charts = chartsForRuns([ff, bf]);
    expect(selectCharts(charts, ['cost-per-year', 'scheduling-delay-cdf']).map((c) => c.name)).toEqual(['cost-per-year', 'scheduling-delay-cdf']);
    expect(() => selectCharts(charts, ['pie'])).toThrow("--charts: unknown chart 'pie' (expected one of: utilization-over-time, pending-tasks-over-time, scheduling-delay-cdf, busy-nodes-over-time, evictions-over-time, cost-per-year, savings-per-year)");
    for (const c of charts) for (const ext of ['.vl.json', '.svg', '.png']) expect(CHART_FILE.test(c.name + ext)).toBe(true);
    expect(CHART_FILE.test('run.json')).toBe(false);
    expect(CHART_FILE.test('notes.txt')).toBe(false);
  });
  it('writes the same bytes twice', async () => {
    const root = mkdtempSync(join(tmpdir(), 'schedlab-charts-twice-'));
    try {
      await writeCharts(join(root, 'a'), chartsForRuns([ff, bf]));
      await writeCharts(join(root, 'b'), chartsForRuns([ff, bf]));
      const names = readdirSync(join(root, 'a')).sort();
      expect(names.length).toBe(21);
      expect(readdirSync(join(root, 'b')).sort()).toEqual(names);
      for (const f of names) expect(readFileSync(join(root, 'b', f)).equals(readFileSync(join(root, 'a', f))), f).toBe(true);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
