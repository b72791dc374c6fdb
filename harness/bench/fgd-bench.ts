import { existsSync } from 'node:fs';
import { fgdSummaryRows } from '../../cli/commands/experiment.js';
import { defaultFgdFiles, DEFAULT_FGD_SEEDS, runFgdExperiment } from '../experiments/fgd-experiment.js';

/**
 * The FGD experiment (Weng et al., ATC'23) as a benchmark: 10 seeds × 6 policies on the openb
 * default pod list and GPU nodes, timed end to end (reading the CSVs included). Returns a markdown
 * section for BENCHMARKS.md, or a note when the data is absent.
 */
export async function fgdSection(): Promise<string> {
  const title = '## GPU sharing experiment (issue 4)';
  const files = defaultFgdFiles();
  if (!existsSync(files.pods) || !existsSync(files.nodes)) {
    return `${title}\n\nSkipped: ${files.pods} or ${files.nodes} is absent (see ../shared/data/README.md).\n`;
  }
  const t0 = performance.now();
  const res = await runFgdExperiment({ seeds: DEFAULT_FGD_SEEDS });
  const wall = (performance.now() - t0) / 1000;
  const rows = fgdSummaryRows(res);
  const p = (x: number) => (x * 100).toFixed(2);
  const lines = [
    title,
    '',
    'Command: `schedlab experiment fgd` (library: `runFgdExperiment()` in harness/experiments/fgd-experiment.ts).',
    `Alibaba openb: ${res.nodes.toLocaleString('en-US')} GPU nodes, ${res.gpus.toLocaleString('en-US')} GPUs; openb_pod_list_default inflated to ${res.tuningRatio}× GPU capacity ` +
      `(${Math.round(res.podsPerSeed.reduce((a, b) => a + b, 0) / res.podsPerSeed.length).toLocaleString('en-US')} pods per seed), seeds ${res.seeds[0]}–${res.seeds[res.seeds.length - 1]}; ` +
      `ties ${res.tieBreak}, scores ${res.scoring} (as the authors' simulator).`,
    '',
    '| policy | allocated @100% demand (min–max) | allocated @130% (min–max) | GPUs unallocated @130% | s per run |',
    '|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.policy} | ${p(r.at100.mean)}% (${p(r.at100.min)}–${p(r.at100.max)}) | ${p(r.atEnd.mean)}% (${p(r.atEnd.min)}–${p(r.atEnd.max)}) | ${r.unallocatedGpus.toFixed(0)} | ${r.secondsPerRun.toFixed(2)} |`,
    ),
    '',
    `Wall time, ${res.seeds.length} seeds × ${rows.length} policies: **${wall.toFixed(1)} s**.`,
    '',
  ];
  return lines.join('\n');
}
