#!/usr/bin/env node
// Makes the README's figures (docs/figures/*.png) with schedlab itself, from the compiled dist/
// (run `npm run build` first) and the shared data beside the repository:
//   - a compare of 4 policies on the default synthetic workload (seed 1): the replay figure set;
//   - `experiment fgd --seeds 10` on Alibaba openb: allocation vs arrived demand;
//   - `pack --json` on the first 10 instances of each BPPLIB class (FF, BF, NF, FFD, BFD): gap to optimum;
//   - `experiment overcommit --data all`: savings vs violation rate.
// Usage: node scripts/readme-figures.mjs   (a few minutes on 2 cores)
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli', 'main.js');
const bpp = join(root, '..', 'shared', 'data', 'binpacking-1d', 'instances');
const { readResultsFolder, chartsForRuns } = await import(join(root, 'dist', 'reports', 'results-reader.js'));
const { writeCharts } = await import(join(root, 'dist', 'reports', 'charts', 'render.js'));
const { fgdAllocationChart, readFgdCurvesCsv } = await import(join(root, 'dist', 'reports', 'charts', 'fgd-allocation-chart.js'));
const { packGapChart, readPackJson } = await import(join(root, 'dist', 'reports', 'charts', 'pack-gap-chart.js'));
const { overcommitChart, readOvercommitCsv } = await import(join(root, 'dist', 'reports', 'charts', 'overcommit-chart.js'));

const work = mkdtempSync(join(tmpdir(), 'schedlab-figures-'));
function schedlab(args) {
  process.stderr.write(`schedlab ${args.join(' ')}\n`);
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.status !== 0) throw new Error(`schedlab ${args.join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
}
try {
  const policies = ['first-fit', 'best-fit', 'worst-fit', 'kube-default'];
  for (const p of policies) schedlab(['replay', '--policy', p, '--seed', '1', '--quiet', '--out', join(work, p)]);
  const charts = chartsForRuns(policies.map((p) => readResultsFolder(join(work, p))));
  schedlab(['experiment', 'fgd', '--seeds', '10', '--out', join(work, 'fgd')]);
  charts.push(fgdAllocationChart(readFgdCurvesCsv(join(work, 'fgd', 'curves.csv'))));
  const files = readdirSync(bpp).sort().flatMap((cls) => readdirSync(join(bpp, cls)).sort().slice(0, 10).map((f) => join(bpp, cls, f)));
  writeFileSync(join(work, 'pack.json'), schedlab(['pack', ...files, '--algorithms', 'FF,BF,NF,FFD,BFD', '--json']));
  charts.push(packGapChart(readPackJson(join(work, 'pack.json'))));
  schedlab(['experiment', 'overcommit', '--data', 'all', '--out', join(work, 'overcommit.csv')]);
  charts.push(overcommitChart(readOvercommitCsv(join(work, 'overcommit.csv'))));
  await writeCharts(join(work, 'charts'), charts);
  const out = join(root, 'docs', 'figures');
  mkdirSync(out, { recursive: true });
  for (const c of charts) copyFileSync(join(work, 'charts', `${c.name}.png`), join(out, `${c.name}.png`));
  process.stderr.write(`wrote ${charts.length} figures to ${out}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
