import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../model/package-root.js';
import { ARCHITECTURE_VARIANTS, DEFAULT_T_JOBS, runArchitecturesExperiment, type ArchitecturesExperimentResult } from '../harness/experiments/architectures-experiment.js';
import { prepareArchitectureWorkload, runPreparedArchitecture, type ArchitectureSpec } from '../harness/architectures/architecture-spec.js';
import { WORKLOAD_DEFAULTS } from '../workloads/workload-source.js';

const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : 'n/a');
const s2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');

function sweepTable(r: ArchitecturesExperimentResult, tJobs: number[]): string[] {
  const rows = ['| architecture | service t_job (s) | service busyness | batch busyness | conflict fraction | service unscheduled | batch unscheduled | service wait (s) | batch wait (s) | CPU locked |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|'];
  for (const p of r.points) {
    if (!tJobs.includes(p.serviceTJob)) continue;
    rows.push(`| ${p.variant} | ${p.serviceTJob} | ${pct(p.serviceBusyness)} | ${pct(p.batchBusyness)} | ${pct(p.serviceConflictFraction)} | ${pct(p.serviceUnscheduled)} | ${pct(p.batchUnscheduled)} | ${s2(p.serviceWaitFirst)} | ${s2(p.batchWaitFirst)} | ${pct(p.lockedCpu)} |`);
  }
  return rows;
}

/** The Omega paper's findings (EuroSys'13 §4) beside ours, each with the figures it rests on. */
function directions(r: ArchitecturesExperimentResult): string[] {
  const at = (v: string, x: number) => r.points.find((p) => p.variant === v && p.serviceTJob === x)!;
  const lo = 0.1;
  const hi = 100;
  const ms = [at('monolithic-single', lo), at('monolithic-single', hi)];
  const mm = [at('monolithic-multi', lo), at('monolithic-multi', hi)];
  const tl = [at('two-level', lo), at('two-level', hi)];
  const ss = [at('shared-state', lo), at('shared-state', hi), at('shared-state', 1)];
  return [
    'The paper\'s directions beside ours (service t_job 0.1 s → 100 s):',
    `- Monolithic saturates first (paper, Figure 5: the single-path scheduler's busyness reaches 100 % and jobs go unscheduled as t_job grows; multi-path delays it): ` +
      `single-path busyness ${pct(ms[0].serviceBusyness)} → ${pct(ms[1].serviceBusyness)}, batch wait ${s2(ms[0].batchWaitFirst)} → ${s2(ms[1].batchWaitFirst)} s; multi-path ${pct(mm[0].serviceBusyness)} → ${pct(mm[1].serviceBusyness)}, batch wait ${s2(mm[0].batchWaitFirst)} → ${s2(mm[1].batchWaitFirst)} s.`,
    `- Mesos: a slow service framework holds offers of nearly all free resources, so the other framework waits and jobs are abandoned at the retry limit (paper, Figure 7c): ` +
      `CPU locked in offers ${pct(tl[0].lockedCpu)} → ${pct(tl[1].lockedCpu)}, service wait ${s2(tl[0].serviceWaitFirst)} → ${s2(tl[1].serviceWaitFirst)} s, batch unscheduled ${pct(tl[0].batchUnscheduled)} → ${pct(tl[1].batchUnscheduled)}, service abandoned ${pct(tl[0].serviceAbandoned)} → ${pct(tl[1].serviceAbandoned)} ` +
      `(this cell is lightly loaded, about a quarter of its CPU requested, so freed room is rarely short; on the Google window below two-level places the fewest jobs).`,
    `- Omega: the batch scheduler is not held up by the slow service scheduler and the conflict fraction stays modest at the paper's decision times, rising with t_job (paper, Figure 8): ` +
      `batch wait ${s2(ss[0].batchWaitFirst)} → ${s2(ss[1].batchWaitFirst)} s, service conflict fraction ${pct(ss[0].serviceConflictFraction)} at 0.1 s, ${pct(ss[2].serviceConflictFraction)} at 1 s, ${pct(ss[1].serviceConflictFraction)} at 100 s ` +
      '(fine-grained detection; best-fit sends both schedulers to the same tightest machines, so their claims collide more often than a spreading policy\'s would).',
  ];
}

/**
 * Issue 16's benchmarks: the Omega paper's t_job sweep (8 points × the architectures) on the
 * synthetic Borg-like default, target under 2 minutes; the Google 2011 window under each
 * architecture at the paper's default decision times, shared-state within 2× monolithic.
 */
export async function architecturesSection(): Promise<string> {
  const title = '## Scheduler architectures (issue 16)';
  const lines = [title, ''];
  const spec = { workload: 'synthetic', seed: 1, ...WORKLOAD_DEFAULTS, policy: 'best-fit' };
  const four = ['monolithic-single', 'two-level', 'shared-state', 'queues'] as const;
  const t0 = performance.now();
  const sweep = await runArchitecturesExperiment({ spec, variants: [...four] });
  const sweepWall = (performance.now() - t0) / 1000;
  const multi = await runArchitecturesExperiment({ spec, variants: ['monolithic-multi'] });
  const all = { ...sweep, points: [...sweep.points, ...multi.points].sort((a, b) => ARCHITECTURE_VARIANTS.indexOf(a.variant) - ARCHITECTURE_VARIANTS.indexOf(b.variant)) };
  lines.push(
    `Command: \`schedlab experiment architectures --architectures ${four.join(',')}\` (library: \`runArchitecturesExperiment()\`), the synthetic Borg-like default ` +
      `(${sweep.nodes} nodes, ${sweep.jobs.batch} batch and ${sweep.jobs.service} service jobs, 20,000 tasks over 24 h), policy best-fit, seed 1; batch t_job 0.1 s, t_task 5 ms; service t_job ${DEFAULT_T_JOBS.join(', ')} s.`,
    '',
    `- ${DEFAULT_T_JOBS.length} points × ${four.length} architectures (${sweep.points.length} runs, the workload read once): **${sweepWall.toFixed(1)} s** (target < 120 s).`,
    '',
    ...sweepTable(all, [0.1, 1, 10, 100]),
    '',
    ...directions(all),
    '',
  );
  const data = join(packageRoot(), '..', 'shared', 'data', 'google-2011');
  if (!existsSync(join(data, 'task_events'))) {
    lines.push(`Google 2011 window: skipped, ${data} is absent (see ../shared/data/README.md).`, '');
    return lines.join('\n');
  }
  const g0 = performance.now();
  const prepared = await prepareArchitectureWorkload({ workload: data, seed: 1, ...WORKLOAD_DEFAULTS, policy: 'best-fit' });
  const readSeconds = (performance.now() - g0) / 1000;
  const base = { tJob: 0.1, tTask: 0.005 };
  const specs: ArchitectureSpec[] = [{ architecture: 'monolithic', ...base }, { architecture: 'shared-state', ...base }, { architecture: 'two-level', ...base }, { architecture: 'queues', ...base }];
  const rows = ['| architecture | wall (s) | vs monolithic | busiest scheduler | conflict fraction | jobs fully placed | abandoned | waiting at end | wait to first task, mean (s) |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|'];
  let mono = NaN;
  for (const a of specs) {
    const out = runPreparedArchitecture(prepared, a);
    const r = out.results;
    if (a.architecture === 'monolithic') mono = out.wallSeconds;
    const busiest = r.schedulers.reduce((x, y) => (y.busyness > x.busyness ? y : x));
    const conflicts = Math.max(...r.schedulers.map((x) => x.conflictFraction));
    rows.push(`| ${r.architecture} | ${out.wallSeconds.toFixed(1)} | ${(out.wallSeconds / mono).toFixed(2)}× | ${busiest.name} ${pct(busiest.busyness)} | ${pct(conflicts)} | ${r.jobs.all.fullyPlaced.toLocaleString('en-US')} / ${r.jobs.all.submitted.toLocaleString('en-US')} | ${r.jobs.all.abandoned.toLocaleString('en-US')} | ${r.jobs.all.waitingAtEnd.toLocaleString('en-US')} | ${s2(r.jobs.all.waitFirst.mean)} |`);
  }
  lines.push(
    `Google 2011 window (\`../shared/data/google-2011\`, ${prepared.workload.machines.length.toLocaleString('en-US')} machines, ${prepared.jobs.jobCount.toLocaleString('en-US')} jobs = (trace job, submit instant) groups, ${prepared.jobs.taskCount.toLocaleString('en-US')} task submissions), policy best-fit, the paper's default decision times; reading and grouping the trace once: ${readSeconds.toFixed(1)} s. Target: shared-state within 2× monolithic.`,
    '',
    ...rows,
    '',
  );
  return lines.join('\n');
}
