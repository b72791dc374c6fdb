import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sweep } from '../harness/sweep/sweep.js';
import { runSpec } from '../harness/replay-spec.js';
import { sweepCharts, type SweepGroupStat } from '../reports/charts/sweep-charts.js';
import { tableFromIPC } from 'apache-arrow';
import { readParquet } from 'parquet-wasm';

/** Splits a CSV without quoted fields (the sweep's coordinates and numbers have none here). */
function csv(path: string): Array<Record<string, string>> {
  const [head, ...rows] = readFileSync(path, 'utf8').trim().split('\n');
  const cols = head.split(',');
  return rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [cols[i], v])));
}

describe('sweep() library entry point', () => {
  it('each cell is the replay of its spec; groups.csv holds the mean and 95% t interval over the seeds; a second call resumes everything', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'schedlab-sweep-lib-')), 'sweep');
    const config = { name: 'lib', policies: ['first-fit', 'worst-fit'], seeds: [3, 4, 5, 6], overcommit: ['none', '1.5'], nodes: 8, tasks: 300, hours: 2 };
    const r = await sweep(config, { out, version: 'test', report: false });
    expect(r.cells).toHaveLength(2 * 4 * 2);
    expect(r.ran).toBe(16);
    expect(r.resumed).toBe(0);

    // A cell's figures are exactly those of replaying its spec alone.
    const cell = r.cells.find((c) => c.policy === 'worst-fit' && c.seed === 5 && c.overcommit === '1.5')!;
    const alone = await runSpec({ workload: 'synthetic', policy: 'worst-fit', seed: 5, nodes: 8, tasks: 300, hours: 2, instance: 'm5.2xlarge', sampleSeconds: 300, queue: 'priority', placement: 'policy', onBadRow: 'fail', explicit: ['nodes', 'tasks', 'hours'], dynamics: { enabled: true, overcommit: '1.5' } });
    expect(cell.summary.nodes.meanBusy).toBe(alone.summary.nodes.meanBusy);
    expect(cell.summary.cost.busyPerYear).toBe(alone.summary.cost.busyPerYear);

    // groups.csv against cells.csv: mean, sample sd, mean ± t(0.975, 3)·s/2 with t = 3.182446 (table value).
    const cells = csv(join(out, 'cells.csv'));
    const groups = csv(join(out, 'groups.csv'));
    expect(cells).toHaveLength(16);
    for (const policy of config.policies) {
      for (const oc of config.overcommit) {
        const xs = cells.filter((c) => c.policy === policy && c.overcommit === oc).map((c) => Number(c.busy_nodes_mean));
        expect(xs).toHaveLength(4);
        const m = xs.reduce((a, b) => a + b, 0) / 4;
        const s = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / 3);
        const g = groups.find((x) => x.policy === policy && x.overcommit === oc && x.metric === 'busy_nodes_mean')!;
        expect(Number(g.n)).toBe(4);
        expect(Number(g.missing)).toBe(0);
        expect(Number(g.mean)).toBeCloseTo(m, 9);
        expect(Number(g.sd)).toBeCloseTo(s, 9);
        expect(Number(g.ci95_low)).toBeCloseTo(m - (3.182446 * s) / 2, 5);
        expect(Number(g.ci95_high)).toBeCloseTo(m + (3.182446 * s) / 2, 5);
      }
    }
    // The paired comparison: worst-fit minus first-fit (the first policy) seed by seed, same overcommit setting.
    for (const oc of config.overcommit) {
      const bySeed = (policy: string) => new Map(cells.filter((c) => c.policy === policy && c.overcommit === oc).map((c) => [c.seed, Number(c.busy_cost_per_year_usd)]));
      const ff = bySeed('first-fit');
      const wf = bySeed('worst-fit');
      const d = config.seeds.map((seed) => wf.get(String(seed))! - ff.get(String(seed))!);
      const m = d.reduce((a, b) => a + b, 0) / 4;
      const s = Math.sqrt(d.reduce((a, b) => a + (b - m) ** 2, 0) / 3);
      const g = groups.find((x) => x.policy === 'worst-fit' && x.overcommit === oc && x.metric === 'busy_cost_per_year_usd')!;
      expect([g.baseline, g.diff_n]).toEqual(['first-fit', '4']);
      expect(Number(g.diff_mean)).toBeCloseTo(m, 6);
      expect(Number(g.diff_ci95_low)).toBeCloseTo(m - (3.1824463053 * s) / 2, 3);
      expect(Number(g.diff_ci95_high)).toBeCloseTo(m + (3.1824463053 * s) / 2, 3);
      const base = groups.find((x) => x.policy === 'first-fit' && x.overcommit === oc && x.metric === 'busy_cost_per_year_usd')!;
      expect([base.baseline, base.diff_n, base.diff_mean]).toEqual(['', '0', '']);
    }
    // Every group has one row per metric; the dynamics metrics are measured (dynamics on by default).
    expect(groups.filter((g) => g.metric === 'evictions').every((g) => g.n === '4')).toBe(true);

    // The Parquet twins read back (apache-arrow) equal the CSVs, nulls where the CSV is empty; schema.json lists their columns.
    for (const [name, rows] of [['cells', cells], ['groups', groups]] as const) {
      const t = tableFromIPC(readParquet(new Uint8Array(readFileSync(join(out, `${name}.parquet`)))).intoIPCStream());
      expect(t.numRows).toBe(rows.length);
      const schema = JSON.parse(readFileSync(join(out, 'schema.json'), 'utf8')).tables[name];
      expect(t.schema.fields.map((f) => f.name)).toEqual(schema.columns.map((c: { name: string }) => c.name));
      expect(Object.keys(rows[0])).toEqual(schema.columns.map((c: { name: string }) => c.name));
      for (const f of t.schema.fields) {
        const column = t.getChild(f.name)!;
        rows.forEach((r, i) => {
          const v = column.get(i) as unknown;
          if (r[f.name] === '') expect(v, `${name}.${f.name}[${i}]`).toBeNull();
          else if (typeof v === 'number') expect(v, `${name}.${f.name}[${i}]`).toBe(Number(r[f.name]));
          else expect(String(v), `${name}.${f.name}[${i}]`).toBe(r[f.name]);
        });
      }
    }

    const again = await sweep(config, { out, version: 'test', report: false });
    expect([again.ran, again.resumed]).toEqual([0, 16]);
    expect(again.groups).toEqual(r.groups);
  }, 120_000);

  it('a metric not modeled (evictions with dynamics off) is empty in cells.csv, counted as missing, and gets no chart', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'schedlab-sweep-off-')), 'sweep');
    const r = await sweep({ policies: ['best-fit'], seeds: 2, nodes: 6, tasks: 200, hours: 2, dynamics: false }, { out, report: false });
    const ev = r.groups.find((g) => g.metric === 'evictions')!;
    expect([ev.n, ev.missing, ev.mean]).toEqual([0, 2, null]);
    expect(csv(join(out, 'cells.csv')).map((c) => c.evictions)).toEqual(['', '']);
    const parquet = tableFromIPC(readParquet(new Uint8Array(readFileSync(join(out, 'cells.parquet')))).intoIPCStream());
    expect([parquet.getChild('evictions')!.get(0), parquet.getChild('evictions')!.get(1)]).toEqual([null, null]);
    expect(parquet.getChild('busy_nodes_mean')!.get(1)).toBe(r.cells[1].summary.nodes.meanBusy);
    expect(sweepCharts(r.groups).map((c) => c.name)).not.toContain('sweep-evictions');
    expect(existsSync(join(out, 'report.html'))).toBe(false);
  }, 60_000);
});

describe('sweep charts', () => {
  const stat = (policy: string, overcommit: string, mean: number | null, low: number | null, high: number | null, nodes = 10): SweepGroupStat => ({
    workload: 'synthetic', policy, overcommit, nodes, dynamics: true, metric: 'busy_nodes_mean', unit: 'nodes', n: 5, missing: 0, mean, sd: 1, ci95Low: low, ci95High: high,
    baseline: null, diffN: 0, diffMean: null, diffCi95Low: null, diffCi95High: null,
  });

  it('plot each group mean as a point and its interval as an error bar (y = ci95Low, y2 = ci95High), colour by overcommit', () => {
    const charts = sweepCharts([stat('first-fit', 'none', 7, 6, 8), stat('first-fit', '1.5', 5, 4.5, 5.5), stat('best-fit', 'none', 6.5, 6, 7)], 'demo');
    expect(charts.map((c) => c.name)).toEqual(['sweep-busy-nodes-mean']);
    const spec = charts[0].spec as { data: { values: Array<Record<string, unknown>> }; layer: Array<{ mark: { type: string }; encoding: Record<string, { field: string; title?: string }> }> };
    expect(spec.data.values).toEqual([
      { panel: 'synthetic, 10 nodes', policy: 'first-fit', overcommit: 'none', n: 5, mean: 7, ci95Low: 6, ci95High: 8 },
      { panel: 'synthetic, 10 nodes', policy: 'first-fit', overcommit: '1.5', n: 5, mean: 5, ci95Low: 4.5, ci95High: 5.5 },
      { panel: 'synthetic, 10 nodes', policy: 'best-fit', overcommit: 'none', n: 5, mean: 6.5, ci95Low: 6, ci95High: 7 },
    ]);
    const [bars, points] = spec.layer;
    expect(bars.mark.type).toBe('errorbar');
    expect([bars.encoding.y.field, bars.encoding.y2.field, bars.encoding.x.field, bars.encoding.color.field]).toEqual(['ci95Low', 'ci95High', 'policy', 'overcommit']);
    expect(points.mark.type).toBe('point');
    expect(points.encoding.y.field).toBe('mean');
    expect(points.encoding.y.title).toMatch(/\[nodes\]$/);
    expect(charts[0].caption).toMatch(/95% confidence intervals/);
  });

  it('chart the paired difference with the baseline (points, error bars, a zero rule) when groups have one', () => {
    const vs = (policy: string, d: number, lo: number, hi: number): SweepGroupStat => ({ ...stat(policy, 'none', 7, 6, 8), baseline: 'first-fit', diffN: 5, diffMean: d, diffCi95Low: lo, diffCi95High: hi });
    const charts = sweepCharts([stat('first-fit', 'none', 7, 6, 8), vs('best-fit', 0.4, -0.3, 1.1), vs('kube-default', 27.9, 19.4, 36.4)], 'demo');
    expect(charts.map((c) => c.name)).toEqual(['sweep-busy-nodes-mean', 'sweep-busy-nodes-mean-vs-baseline']);
    const spec = charts[1].spec as { data: { values: Array<Record<string, unknown>> }; layer: Array<{ mark: { type: string }; encoding: Record<string, { field?: string; datum?: number; title?: string }> }> };
    expect(spec.data.values.map((v) => [v.policy, v.baseline, v.diffMean, v.diffCi95Low, v.diffCi95High])).toEqual([['best-fit', 'first-fit', 0.4, -0.3, 1.1], ['kube-default', 'first-fit', 27.9, 19.4, 36.4]]);
    expect(spec.layer.map((l) => l.mark.type)).toEqual(['rule', 'errorbar', 'point']);
    expect(spec.layer[0].encoding.y.datum).toBe(0);
    expect([spec.layer[1].encoding.y.field, spec.layer[1].encoding.y2.field, spec.layer[2].encoding.y.field]).toEqual(['diffCi95Low', 'diffCi95High', 'diffMean']);
    expect(spec.layer[2].encoding.y.title).toBe('busy nodes, time-weighted mean − first-fit [nodes]');
  });

  it('facet by workload × cluster size when the sweep has several, and leave out unmeasured groups', () => {
    const charts = sweepCharts([stat('first-fit', 'none', 7, 6, 8, 10), stat('first-fit', 'none', 3, 2, 4, 20), stat('best-fit', 'none', null, null, null, 20)]);
    const spec = charts[0].spec as { facet: { column: { field: string } }; spec: { layer: unknown[] }; data: { values: unknown[] } };
    expect(spec.facet.column.field).toBe('panel');
    expect(spec.spec.layer).toHaveLength(2);
    expect(spec.data.values).toHaveLength(2);
  });
});

describe('sweep over a trace', () => {
  it('runs a trace fixture on its own machines (nodes coordinate 0) and names a failing cell in its error', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'schedlab-sweep-trace-')), 'sweep');
    const trace = 'test/fixtures/google-2011/trace';
    const r = await sweep({ workloads: [trace], policies: ['first-fit', 'best-fit'], seeds: [1, 2], dynamics: false }, { out, report: false });
    expect(r.cells.map((c) => [c.policy, c.seed, c.nodes])).toEqual([['first-fit', 1, 0], ['first-fit', 2, 0], ['best-fit', 1, 0], ['best-fit', 2, 0]]);
    const alone = await runSpec({ workload: trace, policy: 'best-fit', seed: 2, nodes: 100, tasks: 20_000, hours: 24, instance: 'm5.2xlarge', sampleSeconds: 300, queue: 'priority', placement: 'policy', onBadRow: 'fail', explicit: [], dynamics: { enabled: false } });
    expect(r.cells[3].summary.tasks).toEqual(alone.summary.tasks);
    expect(r.cells[3].summary.nodes.initial).toBe(alone.summary.nodes.initial);
    // A mistake only a cell's replay finds (too many usage samples) is a UsageError naming the cell.
    const bad = sweep({ policies: ['first-fit'], 'sample-seconds': 0.01, tasks: 10, nodes: 2 }, { out: join(out, '..', 'bad'), report: false });
    await expect(bad).rejects.toThrow(/^cell synthetic, 2 nodes, dynamics on, overcommit none, first-fit, seed 1: --sample-seconds: 0.01 s over the 24 h window/);
  }, 60_000);
});
