import { existsSync } from 'node:fs';
import { fgdSummaryRows } from '../harness/experiments/fgd-summary.js';
import { defaultFgdFiles, DEFAULT_FGD_SEEDS, runFgdExperiment } from '../harness/experiments/fgd-experiment.js';
import { FGD_PUBLISHED, publishedAllocation } from '../harness/experiments/fgd-published.js';

/**
 * The FGD experiment (Weng et al., ATC'23) as a benchmark: 10 seeds × 6 policies on the openb
 * default pod list and GPU nodes, timed end to end (reading the CSVs included), with the published
 * figures beside ours (fgd-published.ts). Returns a markdown section for BENCHMARKS.md, or a note
 * when the data is absent.
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
  const range = (a: { mean: number; min: number; max: number }) => `${p(a.mean)}% (${p(a.min)}–${p(a.max)})`;
  const published = (policy: string, percent: 100 | 130): string => {
    const a = publishedAllocation(policy, percent);
    return a ? range(a) : 'not published';
  };
  const publishedUnallocated = (policy: string): string => {
    const a = publishedAllocation(policy, 130);
    return a ? ((1 - a.mean) * FGD_PUBLISHED.gpus).toFixed(0) : '–';
  };
  const lines = [
    title,
    '',
    'Command: `schedlab experiment fgd` (library: `runFgdExperiment()` in harness/experiments/fgd-experiment.ts).',
    `Alibaba openb: ${res.nodes.toLocaleString('en-US')} GPU nodes, ${res.gpus.toLocaleString('en-US')} GPUs; openb_pod_list_default inflated to ${res.tuningRatio}× GPU capacity ` +
      `(${Math.round(res.podsPerSeed.reduce((a, b) => a + b, 0) / res.podsPerSeed.length).toLocaleString('en-US')} pods per seed), seeds ${res.seeds[0]}–${res.seeds[res.seeds.length - 1]}; ` +
      `ties ${res.tieBreak}, scores ${res.scoring} (as the authors' simulator).`,
    '',
    `Published beside ours: ${FGD_PUBLISHED.citation} — workload ${FGD_PUBLISHED.workload}, tuning ratio ${FGD_PUBLISHED.tuningRatio}, ` +
      `seeds ${FGD_PUBLISHED.seeds[0]}–${FGD_PUBLISHED.seeds[FGD_PUBLISHED.seeds.length - 1]}, mean (min–max) over seeds. The paper's text gives only the headline: ` +
      'FGD leaves up to 49% fewer GPUs unallocated than the packing-based schedulers (about 290 more GPUs allocated). ' +
      '`test/gpu-experiment.test.ts` checks each mean against the published one (Welch two-sample bound at α = 0.001).',
    '',
    '| policy | allocated @100% demand (min–max) | published @100% | allocated @130% (min–max) | published @130% | GPUs unallocated @130%: ours / published | s per run |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.policy} | ${range(r.at100)} | ${published(r.policy, 100)} | ${range(r.atEnd)} | ${res.maxPercent === 130 ? published(r.policy, 130) : '–'} | ` +
        `${r.unallocatedGpus.toFixed(0)} / ${res.maxPercent === 130 ? publishedUnallocated(r.policy) : '–'} | ${r.secondsPerRun.toFixed(2)} |`,
    ),
    '',
    `Wall time, ${res.seeds.length} seeds × ${rows.length} policies: **${wall.toFixed(1)} s**.`,
    '',
  ];
  return lines.join('\n');
}
