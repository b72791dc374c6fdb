import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { UsageError } from '../../model/errors.js';
import { abandonOutput, beginOutput, commitOutput } from '../../model/atomic-output.js';
import { checkOutputTarget } from '../../reports/output-target.js';
import { writeTimingFile } from '../../reports/timing-file.js';
import { writeReport } from '../../reports/report/write-report.js';
import { ARCHITECTURE_VARIANTS, runArchitecturesExperiment, type ArchitectureVariant } from '../../harness/experiments/architectures-experiment.js';
import { architecturesReportInput, renderArchitecturesReport } from '../../harness/experiments/architectures-report.js';
import { WORKLOAD_DEFAULTS } from '../options.js';
import { clearProgress, progressWanted, writeProgress } from '../progress.js';
import { schedlabVersion } from '../version.js';

/** The `experiment` arguments this experiment reads. */
export interface ArchitecturesExperimentArgs {
  tJobs?: string;
  architectures?: string;
  workload?: string;
  format?: string;
  machineScale?: string;
  seed: number;
  policy?: string;
  schedulers?: number;
  json: boolean;
  out?: string;
  force: boolean;
}

function list(option: string, v: string | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  const parts = String(v).split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (parts.length === 0) throw new UsageError(`--${option}: give at least one value`);
  return parts;
}

/**
 * `experiment architectures`: the Omega paper's decision-time sweep over the scheduler
 * architectures on one workload (harness/experiments/architectures-experiment.ts); prints the
 * table (or JSON) and writes `--out DIR` (run.json, summary.json, timing.json, the charts and the
 * report) whole or not at all.
 */
export async function runArchitecturesCommand(a: ArchitecturesExperimentArgs): Promise<void> {
  const tJobs = list('t-jobs', a.tJobs)?.map((s) => {
    const x = Number(s);
    if (!Number.isFinite(x) || x < 0) throw new UsageError(`--t-jobs: expected seconds ≥ 0, got '${s}'`);
    return x;
  });
  const variants = list('architectures', a.architectures);
  for (const v of variants ?? []) {
    if (!(ARCHITECTURE_VARIANTS as readonly string[]).includes(v)) throw new UsageError(`--architectures: unknown architecture '${v}'; choose from: ${ARCHITECTURE_VARIANTS.join(', ')}`);
  }
  const workload = a.workload ?? 'synthetic';
  if (workload !== 'synthetic' && !existsSync(workload)) throw new UsageError(`--workload: '${workload}' does not exist (give synthetic or a trace path)`);
  const policy = a.policy ?? 'best-fit';
  const spec = { workload, format: a.format, machineScale: a.machineScale, seed: a.seed, ...WORKLOAD_DEFAULTS, policy };
  if (a.out !== undefined) await checkOutputTarget({ path: a.out, kind: 'results-folder', force: a.force });
  const progress = progressWanted(a.json);
  const res = await runArchitecturesExperiment({
    spec,
    tJobs,
    variants: variants as ArchitectureVariant[] | undefined,
    schedulers: a.schedulers,
    onRun: progress ? (v, x, sec) => writeProgress(`${v} t_job ${x} s: ${sec.toFixed(2)} s`) : undefined,
  });
  if (progress) clearProgress();
  const { wallSeconds, points, ...head } = res;
  const summary = { experiment: 'architectures', ...head, points: points.map(({ results, wallSeconds: _w, ...p }) => ({ ...p, results })) };
  if (a.out !== undefined) {
    const tmp = beginOutput(a.out, 'folder');
    try {
      const run = { schedlab: schedlabVersion(), command: 'experiment architectures', seed: a.seed, config: { ...spec, tJobs: res.tJobs, architectures: variants ?? ARCHITECTURE_VARIANTS, schedulers: a.schedulers } };
      writeFileSync(path.join(tmp, 'run.json'), JSON.stringify(run, null, 2) + '\n');
      writeFileSync(path.join(tmp, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
      writeTimingFile(tmp, 'experiment architectures', { wallSeconds, runs: points.map((p) => ({ architecture: p.variant, serviceTJob: p.serviceTJob, wallSeconds: p.wallSeconds })) });
      await writeReport(tmp, architecturesReportInput(res));
      commitOutput(tmp, a.out);
    } catch (e) {
      abandonOutput(tmp);
      throw e;
    }
  }
  if (a.json) process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
  else process.stdout.write(renderArchitecturesReport(res) + `\n\nwall time ${wallSeconds.toFixed(1)} s\n`);
}
