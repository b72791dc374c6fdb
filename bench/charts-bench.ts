/**
 * The chart benchmark (issue 11): all charts of a compare of 4 policies — first-fit, best-fit,
 * worst-fit, kube-default on the default workload (100 × m5.2xlarge, 20,000 synthetic tasks over
 * 24 h, node dynamics on, seed 1). The four results folders are written first by the compiled CLI
 * (not timed); then, timed in this process: reading them back (readResultsFolder), building the
 * figure set (chartsForRuns) and rendering + writing every chart (writeCharts: Vega-Lite → SVG →
 * PNG). Target: under 5 s for the whole. Median of 3 repetitions (the first warms the code up and
 * is reported too).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../model/package-root.js';
import { readResultsFolder } from '../reports/results-reader.js';
import { chartsForRuns } from '../reports/charts/charts-for-runs.js';
import { writeCharts } from '../reports/charts/render.js';

const POLICIES = ['first-fit', 'best-fit', 'worst-fit', 'kube-default'];
const REPEATS = 3;

export async function chartsSection(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'schedlab-charts-bench-'));
  const cli = join(packageRoot(), 'dist', 'cli', 'main.js');
  try {
    for (const p of POLICIES) {
      process.stderr.write(`bench: charts — replay ${p} for the results folder...\n`);
      const r = spawnSync(process.execPath, [cli, 'replay', '--policy', p, '--seed', '1', '--quiet', '--out', join(dir, p)], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`charts bench: replay ${p} failed: ${r.stderr}`);
    }
    const load = loadavg().map((x) => x.toFixed(2)).join(' / ');
    const runsTimes: Array<{ read: number; build: number; render: number; total: number }> = [];
    let charts = 0, files = 0, bytes = 0, tasks = 0, samples = 0, events = 0;
    for (let k = 0; k < REPEATS; k++) {
      const out = join(dir, `charts-${k}`);
      const t0 = performance.now();
      const runs = POLICIES.map((p) => readResultsFolder(join(dir, p)));
      const t1 = performance.now();
      const specs = chartsForRuns(runs);
      const t2 = performance.now();
      await writeCharts(out, specs);
      const t3 = performance.now();
      runsTimes.push({ read: (t1 - t0) / 1000, build: (t2 - t1) / 1000, render: (t3 - t2) / 1000, total: (t3 - t0) / 1000 });
      charts = specs.length;
      const names = readdirSync(out);
      files = names.length;
      bytes = names.reduce((s, n) => s + statSync(join(out, n)).size, 0);
      tasks = runs.reduce((s, r) => s + r.tasks.length, 0);
      samples = runs.reduce((s, r) => s + r.timeseries.length, 0);
      events = runs.reduce((s, r) => s + (r.events?.length ?? 0), 0);
    }
    const sorted = [...runsTimes].sort((a, b) => a.total - b.total);
    const med = sorted[Math.floor(sorted.length / 2)];
    const f = (x: number) => x.toFixed(2);
    return [
      '## Charts (issue 11)',
      '',
      `All charts of a compare of 4 policies (${POLICIES.join(', ')}) on the default workload: 100 × m5.2xlarge, 20,000 synthetic tasks over 24 h,`,
      'node dynamics on, seed 1; the results folders are written by `schedlab replay --policy P --out DIR` first (not timed). Timed in one process:',
      '`readResultsFolder` × 4, `chartsForRuns`, `writeCharts` (Vega-Lite compile, vega View `toSVG`, resvg PNG at 2×, three files per chart).',
      '',
      `Read back: ${tasks.toLocaleString('en-US')} task rows, ${samples.toLocaleString('en-US')} time-series rows, ${events.toLocaleString('en-US')} event rows; ${charts} charts, ${files} files, ${(bytes / 1024 / 1024).toFixed(1)} MiB. Load average at start (1 / 5 / 15 min): ${load}.`,
      '',
      '| repetition | read s | build s | render + write s | total s |',
      '|---:|---:|---:|---:|---:|',
      ...runsTimes.map((t, i) => `| ${i + 1} | ${f(t.read)} | ${f(t.build)} | ${f(t.render)} | ${f(t.total)} |`),
      '',
      `- median total ${f(med.total)} s (target < 5 s: ${med.total < 5 ? 'met' : 'NOT met'}); of it ${f(med.read)} s reading the four folders back, ${f(med.render)} s rendering and writing. The machine is shared: see the load average.`,
      '',
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
