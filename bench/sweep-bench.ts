/**
 * The sweep benchmark (issue 11): a 200-cell sweep of the default workload — 5 policies × 20 seeds
 * × 2 overcommit settings (none, 1.5) on 100 × m5.2xlarge, 20,000 synthetic tasks over 24 h, node
 * dynamics on — run once on one worker thread (the serial time) and once on
 * os.availableParallelism() threads, each into a fresh folder so nothing is resumed. Target: the
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
  const serial = await timed(1);
  const parallel = await timed(threads);
  const ratio = parallel.wall / serial.wall;
  const same = serial.groups === parallel.groups;
  return [
    '## Sweep (issue 11)',
    '',
    'A 200-cell sweep of the default workload: 5 policies (first-fit, best-fit, worst-fit, kube-default, random) × 20 seeds × overcommit none and 1.5,',
    'each cell a full default replay (100 × m5.2xlarge, 20,000 synthetic tasks over 24 h, node dynamics on). Library call',
    '`sweep(config, { out, threads, report: false })` into a fresh folder (nothing resumed); charts and report not timed.',
    '',
    '| threads | mode | cells | wall s | s per cell | CPU s (all threads) | cores used (CPU / wall) | load avg at start (1 / 5 / 15 min) |',
    '|---:|---|---:|---:|---:|---:|---:|---|',
    ...[[1, serial], [threads, parallel]].map(([t, r]) => {
      const x = r as Awaited<ReturnType<typeof timed>>;
      return `| ${t} | ${x.mode} | ${x.cells} | ${x.wall.toFixed(1)} | ${(x.wall / x.cells).toFixed(3)} | ${x.cpu.toFixed(1)} | ${(x.cpu / x.wall).toFixed(2)} | ${x.load} |`;
    }),
    '',
    `- parallel / serial wall = ${ratio.toFixed(2)} (target ≤ 0.60: ${ratio <= 0.6 ? 'met' : 'NOT met'}); groups.csv identical between the two runs: ${same ? 'yes' : 'NO'}.`,
    '- The machine is shared: other processes running at the same time (see the load average) slow the parallel run more than the serial one.',
    '',
  ].join('\n');
}
