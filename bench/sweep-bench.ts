/**
 * The sweep benchmark (issue 11): a 200-cell sweep of the default workload — 5 policies × 20 seeds
 * × 2 overcommit settings (none, 1.5) on 100 × m5.2xlarge, 20,000 synthetic tasks over 24 h, node
 * dynamics on — run on one worker thread (the serial time) and on os.availableParallelism()
 * threads, twice each in ABBA order, each into a fresh folder so nothing is resumed. Target: the
 * parallel wall ≤ 0.6 × the serial one on this 2-core machine. Charts and report are left out of
 * both timings (the chart benchmark measures them); both runs must give identical group tables.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sweep } from '../harness/sweep/sweep.js';

const CONFIG = {
  name: 'bench',
  policies: ['first-fit', 'best-fit', 'worst-fit', 'kube-default', 'random'],
  seeds: 20,
  overcommit: ['none', '1.5'],
};
const loads = (): string => loadavg().map((x) => x.toFixed(2)).join(' / ');

async function timed(threads: number): Promise<{ wall: number; cpu: number; groups: string; cells: number; mode: string; load: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'schedlab-sweep-bench-'));
  const load = loads();
  try {
    process.stderr.write(`bench: sweep of 200 cells on ${threads} thread(s)...\n`);
    const cpu0 = process.cpuUsage();
    const r = await sweep(CONFIG, { out: join(dir, 'out'), threads, report: false, version: 'bench' });
    // CPU time of this process, every thread included: how many cores the run actually got.
    const cpu = process.cpuUsage(cpu0);
    if (r.ran !== 200) throw new Error(`sweep bench: expected 200 cells run, got ${r.ran}`);
    return { wall: r.wallSeconds, cpu: (cpu.user + cpu.system) / 1e6, groups: readFileSync(join(dir, 'out', 'groups.csv'), 'utf8'), cells: r.cells.length, mode: r.mode, load };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function sweepSection(): Promise<string> {
  const threads = availableParallelism();
  // ABBA order (serial, parallel, parallel, serial): a load from other processes that drifts
  // linearly during the benchmark weighs on both modes alike; each mode's wall is its two runs' mean.
  const runs: Array<[number, Awaited<ReturnType<typeof timed>>]> = [];
  for (const t of [1, threads, threads, 1]) runs.push([t, await timed(t)]);
  const meanWall = (t: number) => runs.filter(([x]) => x === t).reduce((a, [, r]) => a + r.wall, 0) / 2;
  const ratio = meanWall(threads) / meanWall(1);
  const cpuPerCell = (t: number) => runs.filter(([x]) => x === t).reduce((a, [, r]) => a + r.cpu / r.cells, 0) / 2;
  const same = runs.every(([, r]) => r.groups === runs[0][1].groups);
  return [
    '## Sweep (issue 11)',
    '',
    'A 200-cell sweep of the default workload: 5 policies (first-fit, best-fit, worst-fit, kube-default, random) × 20 seeds × overcommit none and 1.5,',
    'each cell a full default replay (100 × m5.2xlarge, 20,000 synthetic tasks over 24 h, node dynamics on). Library call',
    '`sweep(config, { out, threads, report: false })` into a fresh folder (nothing resumed); charts and report not timed.',
    '',
    '| threads | mode | cells | wall s | s per cell | CPU s (all threads) | cores used (CPU / wall) | load avg at start (1 / 5 / 15 min) |',
    '|---:|---|---:|---:|---:|---:|---:|---|',
    ...runs.map(([t, x]) => `| ${t} | ${x.mode} | ${x.cells} | ${x.wall.toFixed(1)} | ${(x.wall / x.cells).toFixed(3)} | ${x.cpu.toFixed(1)} | ${(x.cpu / x.wall).toFixed(2)} | ${x.load} |`),
    '',
    `- Runs in ABBA order (1, ${threads}, ${threads}, 1 threads) so a drifting load from other processes weighs on both alike.`,
    `- parallel / serial wall (mean of each mode's two runs: ${meanWall(threads).toFixed(1)} s / ${meanWall(1).toFixed(1)} s) = ${ratio.toFixed(2)} (target ≤ 0.60: ${ratio <= 0.6 ? 'met' : 'NOT met'}); groups.csv identical in all four runs: ${same ? 'yes' : 'NO'}.`,
    `- CPU seconds per cell (every thread): ${cpuPerCell(1).toFixed(3)} on 1 thread, ${cpuPerCell(threads).toFixed(3)} on ${threads}: the pool adds ${cpuPerCell(threads) > cpuPerCell(1) ? `${(100 * (cpuPerCell(threads) / cpuPerCell(1) - 1)).toFixed(0)} %` : 'no'} work; the ${threads}-thread runs got ${runs.filter(([t]) => t === threads).map(([, r]) => (r.cpu / r.wall).toFixed(2)).join(' and ')} cores of ${threads}.`,
    '- The machine is shared: other processes running at the same time (see the load average) take cores from the parallel runs, so the wall ratio measures the share of the machine the sweep got as much as the pool; with both cores free the parallel wall would be about the CPU time / ' + threads + '.',
    '',
  ].join('\n');
}
