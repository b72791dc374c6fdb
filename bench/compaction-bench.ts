import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../model/package-root.js';
import { openCompactionWorkload, runCompactionExperiment } from '../harness/experiments/compaction-experiment.js';
import { DEFAULT_COMPACTION_SEEDS } from '../harness/experiments/compaction.js';

/**
 * Borg's cell compaction (Verma et al., EuroSys'15 §5.1) of the Google 2011 cell as a benchmark:
 * 11 seeds × (baseline, segregated, rounded), timed end to end (reading the trace included), with
 * the paper's figures beside ours. Issue 11's target: under 3 minutes on 2 cores.
 */
export async function compactionSection(): Promise<string> {
  const title = '## Compaction (issue 11)';
  const data = join(packageRoot(), '..', 'shared', 'data', 'google-2011');
  if (!existsSync(join(data, 'task_events'))) return `${title}\n\nSkipped: ${data} is absent (see ../shared/data/README.md).\n`;
  const seeds = Array.from({ length: DEFAULT_COMPACTION_SEEDS }, (_, i) => i + 1);
  const load = loadavg().map((x) => x.toFixed(2)).join(' / ');
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const w = await openCompactionWorkload({ workload: data, seed: 1 });
  const variantSeconds: Record<string, number> = {};
  const res = await runCompactionExperiment(w, { seeds, onVariant: (n, s) => (variantSeconds[n] = s) });
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const rss = process.memoryUsage().rss / 2 ** 20;
  const n = (x: number | null) => (x === null ? 'n/a' : x.toLocaleString('en-US', { maximumFractionDigits: 1 }));
  const pct = (x: number | null) => (x === null ? 'n/a' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`);
  const probes = (name: string) => res.variants.find((v) => v.name === name)!.stats.trials.reduce((a, t) => a + t.probes, 0);
  const lines = [
    title,
    '',
    'Command: `schedlab experiment compaction` (library: `runCompactionExperiment()` in harness/experiments/compaction-experiment.ts), ' +
      `the Google 2011 cell (\`../shared/data/google-2011\`, CSV), seeds 1–${seeds.length}, no node dynamics (tasks hold their requests).`,
    `Tasks: the ${res.tasks.toLocaleString('en-US')} tasks the trace ran at ${res.atHours.toFixed(2)} h of the window (the peak of the standing requests on a 300-s grid) on ` +
      `the ${res.machines.toLocaleString('en-US')} machines up then; fits = at most ${res.allowedPending} tasks (0.2 %) pending.`,
    '',
    '| experiment | machines p90 | min | max | vs the cell | vs baseline | paper | packs tried | s |',
    '|---|---:|---:|---:|---:|---:|---|---:|---:|',
    ...res.variants.map(
      (v) =>
        `| ${v.name} | ${n(v.stats.p90)} | ${n(v.stats.min)} | ${n(v.stats.max)} | ${pct(v.stats.p90 === null ? null : v.stats.p90 / res.machines - 1)} | ` +
        `${v.name === 'baseline' ? '' : pct(v.vsBaseline)} | ${v.published ?? ''} | ${probes(v.name)} | ${(variantSeconds[v.name] ?? 0).toFixed(1)} |`,
    ),
    '',
  ];
  const seg = res.variants.find((v) => v.name === 'segregated');
  if (seg?.parts) {
    lines.push(`- segregated: production ${seg.parts.productionTasks.toLocaleString('en-US')} tasks → p90 ${n(seg.parts.production.p90)} machines, non-production ${seg.parts.nonProductionTasks.toLocaleString('en-US')} → p90 ${n(seg.parts.nonProduction.p90)}.`);
  }
  const round = res.variants.find((v) => v.name === 'rounded');
  if (round?.requestInflation) {
    lines.push(`- rounded: the requests themselves grow by ${Object.entries(round.requestInflation).map(([k, x]) => `${k} ${pct(x)}`).join(', ')}.`);
  }
  lines.push(
    `- Wall time, reading the trace included: **${wall.toFixed(1)} s** (target < 180 s on 2 cores), ${cpuSeconds.toFixed(1)} CPU-seconds (the experiment runs on one thread; ` +
      `load average at the start ${load} on this shared 2-core machine, so wall above CPU time is waiting for a core), RSS at the end ${rss.toFixed(0)} MiB (bench process).`,
    '',
  );
  return lines.join('\n');
}
