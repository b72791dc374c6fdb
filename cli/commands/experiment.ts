import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { GPU_POLICIES } from '../../algorithms/gpu/registry.js';
import type { Scoring, TieBreak } from '../../algorithms/gpu/policy.js';
import {
  DEFAULT_FGD_SEEDS,
  fgdCurvesCsv,
  fgdTimings,
  runFgdExperiment,
  type FgdExperimentResult,
} from '../../harness/experiments/fgd-experiment.js';
import { fgdResultRows, fgdSummaryRows } from '../../harness/experiments/fgd-summary.js';
import { UsageError } from '../../model/errors.js';
import { abandonOutput, beginOutput, commitOutput } from '../../model/atomic-output.js';
import { checkOutputTarget } from '../../reports/output-target.js';
import { writeTimingFile } from '../../reports/timing-file.js';
import { existingFile, forceOption, nonNegativeInt, positiveInt } from '../options.js';
import { runOvercommitExperiment, parseDataOption } from '../../harness/experiments/overcommit-run.js';
import { checkPredictorSpecs } from '../../harness/experiments/overcommit-experiment.js';
import { OVERCOMMIT_CSV_HEADER, overcommitCsv, renderOvercommitReport } from '../../harness/experiments/overcommit-report.js';
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { COMPACTION_VARIANTS, openCompactionWorkload, runCompactionExperiment, type CompactionVariantName } from '../../harness/experiments/compaction-experiment.js';
import { DEFAULT_COMPACTION_SEEDS } from '../../harness/experiments/compaction.js';
import { compactionReportInput, renderCompactionReport } from '../../harness/experiments/compaction-report.js';
import { packageRoot } from '../../model/package-root.js';

/** More seeds than anyone runs (each is one run per policy): bounds a typo such as 1e20. */
const MAX_SEEDS = 10_000;
import { schedlabVersion } from '../version.js';
import { runArchitecturesCommand } from './experiment-architectures.js';
import { ARCHITECTURE_VARIANTS, DEFAULT_T_JOBS } from '../../harness/experiments/architectures-experiment.js';
import { writeReport, type ReportInput } from '../../reports/report/write-report.js';
import { fgdAllocationChart } from '../../reports/charts/fgd-allocation-chart.js';
import { clearProgress, progressWanted, writeProgress } from '../progress.js';

/**
 * `schedlab experiment <name>`: published experiments run as published (../shared/docs/experiments.md).
 * `fgd`: GPU allocation under fragmentation (Weng et al., USENIX ATC'23); `overcommit`: peak-prediction
 * overcommit (Bashir et al., EuroSys'21).
 */
export interface ExperimentArgs {
  name: string;
  pods?: string;
  nodes?: string;
  /** Absent: the experiment's own default (fgd 10, compaction 11). */
  seeds?: number;
  policies?: string;
  tieBreak: string;
  scoring: string;
  json: boolean;
  out?: string;
  force: boolean;
  // experiment overcommit
  data: string;
  seed: number;
  usageLibrary?: string;
  azureReadings?: string;
  machines?: number;
  predictors?: string;
  // experiment compaction
  workload?: string;
  format?: string;
  machineScale?: string;
  at: string;
  experiments?: string;
  // experiment architectures
  tJobs?: string;
  architectures?: string;
  policy?: string;
  schedulers?: number;
}

const pct = (x: number) => (x * 100).toFixed(2);

function table(rows: string[][]): string {
  const w = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((v, c) => (c === 0 ? v.padEnd(w[c]) : v.padStart(w[c]))).join('  ')).join('\n');
}

/** The FGD summary: header and one row per policy (wall time per run last, for the terminal only). */
function fgdTable(res: FgdExperimentResult): { header: string[]; rows: string[][]; secondsPerRun: string[] } {
  const summary = fgdSummaryRows(res);
  return {
    header: ['policy', 'alloc @100% (min–max)', `alloc @${res.maxPercent}% (min–max)`, 'GPUs unallocated', 'failed pods'],
    rows: summary.map((r) => [
      r.policy,
      `${pct(r.at100.mean)}% (${pct(r.at100.min)}–${pct(r.at100.max)})`,
      `${pct(r.atEnd.mean)}% (${pct(r.atEnd.min)}–${pct(r.atEnd.max)})`,
      r.unallocatedGpus.toFixed(0),
      r.failedPods.toFixed(0),
    ]),
    secondsPerRun: summary.map((r) => r.secondsPerRun.toFixed(2)),
  };
}

/** What the FGD run was: cluster, pods, seeds, tie-breaking and scoring. */
function fgdLines(res: FgdExperimentResult): string[] {
  const meanPods = res.podsPerSeed.reduce((a, b) => a + b, 0) / res.podsPerSeed.length;
  return [
    `FGD experiment (Weng et al., ATC'23): ${res.nodes.toLocaleString('en-US')} nodes, ${res.gpus.toLocaleString('en-US')} GPUs (${path.basename(res.nodesFile)})`,
    `pods: ${path.basename(res.podsFile)} inflated to ${res.tuningRatio}× GPU capacity, ${Math.round(meanPods).toLocaleString('en-US')} pods per seed on average; seeds ${res.seeds.join(',')}`,
    `ties: ${res.tieBreak}; scores: ${res.scoring}; allocated share of GPU capacity at arrived GPU demand 100% and ${res.maxPercent}%, mean over ${res.seeds.length} seed${res.seeds.length === 1 ? '' : 's'}`,
  ];
}

/** The report of `experiment fgd --out`: the allocation figure and the summary table (no wall times: those stay in timing.json). */
function fgdReport(res: FgdExperimentResult): ReportInput {
  const t = fgdTable(res);
  return { title: 'schedlab experiment fgd', lines: fgdLines(res), charts: [fgdAllocationChart(res)], tables: [{ title: 'Allocated share of GPU capacity', header: t.header, rows: t.rows }] };
}

export function renderFgdReport(res: FgdExperimentResult): string {
  const t = fgdTable(res);
  const rows = [[...t.header, 's/run'], ...t.rows.map((r, i) => [...r, t.secondsPerRun[i]])];
  return [
    ...fgdLines(res),
    '',
    table(rows),
    '',
    `wall time ${res.wallSeconds.toFixed(1)} s`,
  ].join('\n');
}

export const experimentCommand: CommandModule<object, ExperimentArgs> = {
  command: 'experiment <name>',
  describe: 'run a published experiment as published (fgd: GPU-sharing allocation, Weng et al. ATC\'23; overcommit: peak prediction, Bashir et al. EuroSys\'21; compaction: Borg cell compaction, Verma et al. EuroSys\'15; architectures: scheduler decision time, Schwarzkopf et al. EuroSys\'13)',
  builder: (y: Argv<object>) =>
    y
      .positional('name', { type: 'string', choices: ['fgd', 'overcommit', 'compaction', 'architectures'], demandOption: true, describe: 'which experiment' })
      .option('pods', { type: 'string', coerce: existingFile('pods'), describe: 'openb pod list (default ../shared/data/alibaba-openb-2023/openb_pod_list_default.csv)' })
      .option('nodes', { type: 'string', coerce: existingFile('nodes'), describe: 'openb node list (default openb_node_list_gpu_node.csv beside the pod list)' })
      .option('seeds', { type: 'string', coerce: positiveInt('seeds', MAX_SEEDS), describe: `number of seeds (${DEFAULT_FGD_SEEDS[0]}, ${DEFAULT_FGD_SEEDS[0] + 1}, ...); default fgd 10, compaction ${DEFAULT_COMPACTION_SEEDS} (from 1)` })
      .option('policies', { type: 'string', describe: `comma-separated, default all: ${GPU_POLICIES.map((p) => p.name).join(',')}` })
      .option('tie-break', { type: 'string', default: 'ranked', choices: ['ranked', 'random'], describe: "equal scores: 'ranked' (authors' simulator) or 'random' (upstream kube-scheduler)" })
      .option('scoring', { type: 'string', default: 'kube', choices: ['kube', 'exact'], describe: "'kube' integer 0–100 plugin scores (authors' simulator) or 'exact'" })
      .option('json', { type: 'boolean', default: false, describe: 'print the summary and curves as JSON' })
      .option('out', { type: 'string', describe: 'folder for run.json, summary.json, curves.csv (tidy: policy, seed, arrived %, allocated share), timing.json (wall times, host), the allocation chart, report.html and report.md; an earlier one is replaced only with --force' })
      .option('force', forceOption)
      .option('data', { type: 'string', default: 'all', describe: 'overcommit: gcd, planetlab, azure, synthetic (comma-separated) or all' })
      .option('seed', { type: 'string', default: '1', coerce: nonNegativeInt('seed'), describe: 'overcommit: seed of the placement (and of the synthetic series)' })
      .option('usage-library', { type: 'string', describe: 'overcommit: usage-library folder (default ../shared/data/usage beside the schedlab package)' })
      .option('azure-readings', { type: 'string', coerce: existingFile('azure-readings'), describe: 'overcommit: Azure V1 vm_cpu_readings file (default the sample in ../shared/data/realworld/azure)' })
      .option('machines', { type: 'string', coerce: positiveInt('machines'), describe: 'overcommit: evaluate only the first N machines of each data set' })
      .option('predictors', { type: 'string', describe: 'overcommit: comma-separated predictors with settings, e.g. max,n-sigma:n=3 (default borg-default,rc-like,n-sigma,max,oracle)' })
      .option('workload', { type: 'string', describe: 'compaction: synthetic or a trace path (default ../shared/data/google-2011 beside the schedlab package); architectures: the same (default synthetic)' })
      .option('format', { type: 'string', describe: 'compaction: trace format instead of auto-detection' })
      .option('machine-scale', { type: 'string', describe: 'compaction: normalized traces, the real size of a 1.0 machine (default cpu=32,mem=128GiB)' })
      .option('at', { type: 'string', default: 'peak', describe: "compaction: the instant whose standing tasks are packed, hours from the window start, or 'peak' (largest standing requests on a 300-s grid)" })
      .option('experiments', { type: 'string', describe: `compaction: comma-separated, default all: ${COMPACTION_VARIANTS.join(',')}` })
      .option('t-jobs', { type: 'string', describe: `architectures: the service scheduler's t_job values swept, seconds, comma-separated (default ${DEFAULT_T_JOBS.join(',')})` })
      .option('architectures', { type: 'string', describe: `architectures: comma-separated, default all: ${ARCHITECTURE_VARIANTS.join(',')}` })
      .option('policy', { type: 'string', describe: 'architectures: the per-task policy inside every architecture (default best-fit)' })
      .option('schedulers', { type: 'string', coerce: positiveInt('schedulers', 64), describe: 'architectures: parallel batch schedulers under shared-state (default 1)' })
      .example('$0 experiment architectures --t-jobs 0.1,1,10', 'Omega paper sweep on the synthetic Borg-like default')
      .example('$0 experiment fgd --seeds 2 --policies random,best-fit,fgd', 'two seeds, three policies')
      .example('$0 experiment compaction --experiments baseline,rounded', 'Borg cell compaction of the Google 2011 cell, 11 seeds')
      .example('$0 experiment overcommit --data gcd --out overcommit.csv', 'peak predictors on the Google 2011 usage library') as never,
  handler: async (a: ArgumentsCamelCase<ExperimentArgs>) => {
    if (a.name === 'overcommit') return runOvercommitCommand(a);
    if (a.name === 'compaction') return runCompactionCommand(a);
    if (a.name === 'architectures') return runArchitecturesCommand(a);
    if (a.name !== 'fgd') throw new UsageError(`unknown experiment '${a.name}'; choose from: fgd`);
    const policies = a.policies?.split(',').map((s) => s.trim()).filter((s) => s !== '');
    if (policies !== undefined && policies.length === 0) throw new UsageError('--policies: give at least one policy name');
    for (const p of policies ?? []) {
      if (!GPU_POLICIES.some((g) => g.name === p)) throw new UsageError(`--policies: unknown GPU policy '${p}'; choose from: ${GPU_POLICIES.map((g) => g.name).join(', ')}`);
    }
    const seeds = Array.from({ length: a.seeds ?? 10 }, (_, i) => DEFAULT_FGD_SEEDS[0] + i);
    if (a.out !== undefined) await checkOutputTarget({ path: a.out, kind: 'results-folder', force: a.force });
    const progress = progressWanted(a.json);
    const res = await runFgdExperiment({
      pods: a.pods,
      nodes: a.nodes,
      seeds,
      policies,
      tieBreak: a.tieBreak as TieBreak,
      scoring: a.scoring as Scoring,
      onRun: progress ? (p, s, sec) => writeProgress(`${p} seed ${s}: ${sec.toFixed(2)} s`) : undefined,
    });
    if (progress) clearProgress();
    const summary = {
      experiment: 'fgd',
      podsFile: res.podsFile,
      nodesFile: res.nodesFile,
      nodes: res.nodes,
      gpus: res.gpus,
      tuningRatio: res.tuningRatio,
      tieBreak: res.tieBreak,
      scoring: res.scoring,
      seeds: res.seeds,
      podsPerSeed: res.podsPerSeed,
      policies: fgdResultRows(res),
    };
    if (a.out !== undefined) {
      const tmp = beginOutput(a.out, 'folder');
      try {
        // The results-folder marker (reports/output-target.ts): what ran, so a later --force may replace it.
        const run = { schedlab: schedlabVersion(), command: 'experiment fgd', seeds, config: { pods: a.pods, nodes: a.nodes, policies, tieBreak: a.tieBreak, scoring: a.scoring } };
        writeFileSync(path.join(tmp, 'run.json'), JSON.stringify(run, null, 2) + '\n');
        writeFileSync(path.join(tmp, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
        writeFileSync(path.join(tmp, 'curves.csv'), fgdCurvesCsv(res));
        writeTimingFile(tmp, 'experiment fgd', fgdTimings(res));
        await writeReport(tmp, fgdReport(res));
        commitOutput(tmp, a.out);
      } catch (e) {
        abandonOutput(tmp);
        throw e;
      }
    }
    if (a.json) {
      const curves = Object.fromEntries(res.results.map((r) => [r.policy, r.curves.map((c) => Array.from(c, (v) => Number(v.toFixed(6))))]));
      process.stdout.write(JSON.stringify({ ...summary, curves }, null, 2) + '\n');
    } else {
      process.stdout.write(renderFgdReport(res) + '\n');
    }
  },
};

/**
 * `experiment overcommit`: the peak-prediction protocol on the data at hand; prints the table (or
 * JSON) and writes `--out FILE.csv` whole or not at all. An existing file is replaced only when
 * it is an earlier overcommit CSV (same header) and --force is given.
 */
async function runOvercommitCommand(a: ArgumentsCamelCase<ExperimentArgs>): Promise<void> {
  const data = parseDataOption(a.data);
  const predictors = a.predictors?.split(',').map((s) => s.trim()).filter((s) => s !== '');
  // Settings also use commas (max:p=99,n=5): a piece with '=' and no ':' belongs to the previous predictor.
  const specs: string[] = [];
  for (const p of predictors ?? []) {
    if (p.includes('=') && !p.includes(':') && specs.length > 0) specs[specs.length - 1] += `,${p}`;
    else specs.push(p);
  }
  if (predictors !== undefined) checkPredictorSpecs(specs);
  if (a.out !== undefined) checkCsvTarget(a.out, a.force);
  const progress = progressWanted(a.json);
  const res = await runOvercommitExperiment({
    data,
    seed: a.seed,
    usageLibrary: a.usageLibrary,
    azureReadings: a.azureReadings,
    machines: a.machines,
    predictors: predictors === undefined ? undefined : specs,
    onDataSet: progress ? (n, sec) => writeProgress(`${n}: ${sec.toFixed(1)} s`) : undefined,
  });
  if (progress) clearProgress();
  if (a.out !== undefined) {
    const tmp = beginOutput(a.out, 'file');
    try {
      writeFileSync(tmp, overcommitCsv(res));
      commitOutput(tmp, a.out);
    } catch (e) {
      abandonOutput(tmp);
      throw e;
    }
  }
  if (a.json) process.stdout.write(JSON.stringify({ experiment: 'overcommit', ...res }, null, 2) + '\n');
  else process.stdout.write(renderOvercommitReport(res) + '\n');
}

/** --out for the overcommit CSV: a new file, or an earlier overcommit CSV with --force. */
function checkCsvTarget(out: string, force: boolean): void {
  if (out.trim() === '') throw new UsageError(`--out: expected a file path, got '${out}'`);
  if (!existsSync(out)) return;
  const st = lstatSync(out);
  if (!st.isFile()) throw new UsageError(`--out: expected a file path, got '${out}' (${st.isDirectory() ? 'a folder' : 'not a regular file'})`);
  const first = readFileSync(out, 'utf8').split('\n', 1)[0];
  if (first !== OVERCOMMIT_CSV_HEADER) throw new UsageError(`--out: '${out}' is a file schedlab did not write (not an overcommit experiment CSV); schedlab never replaces what it did not write; choose another path`);
  if (!force) throw new UsageError(`--out: '${out}' holds an earlier overcommit experiment CSV; add --force to replace it, or choose another path`);
}

/**
 * `experiment compaction`: Borg's cell compaction and the paper's directions on one workload
 * (harness/experiments/compaction-experiment.ts); prints the table (or JSON) and writes `--out DIR`
 * (run.json, summary.json with every trial, timing.json) whole or not at all.
 */
async function runCompactionCommand(a: ArgumentsCamelCase<ExperimentArgs>): Promise<void> {
  const variants = (a.experiments ?? COMPACTION_VARIANTS.join(',')).split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (variants.length === 0) throw new UsageError(`--experiments: give at least one of ${COMPACTION_VARIANTS.join(', ')}`);
  for (const v of variants) {
    if (!(COMPACTION_VARIANTS as readonly string[]).includes(v)) throw new UsageError(`--experiments: unknown experiment '${v}'; choose from: ${COMPACTION_VARIANTS.join(', ')}`);
  }
  let atHours: number | undefined;
  if (a.at !== 'peak') {
    atHours = Number(a.at);
    if (Array.isArray(a.at) || a.at.trim() === '' || !Number.isFinite(atHours) || atHours < 0) throw new UsageError(`--at: expected 'peak' or hours from the window start (a number ≥ 0), got '${String(a.at)}'`);
  }
  const workload = a.workload ?? path.resolve(packageRoot(), '..', 'shared', 'data', 'google-2011');
  if (workload !== 'synthetic' && !existsSync(workload)) throw new UsageError(`--workload: '${workload}' does not exist (give synthetic or a trace path)`);
  const seeds = Array.from({ length: a.seeds ?? DEFAULT_COMPACTION_SEEDS }, (_, i) => 1 + i);
  if (a.out !== undefined) await checkOutputTarget({ path: a.out, kind: 'results-folder', force: a.force });
  const progress = progressWanted(a.json);
  const w = await openCompactionWorkload({ workload, format: a.format, machineScale: a.machineScale, seed: a.seed });
  const res = await runCompactionExperiment(w, {
    seeds,
    atHours,
    variants: variants as CompactionVariantName[],
    onVariant: progress ? (n, sec) => writeProgress(`${n}: ${sec.toFixed(1)} s`) : undefined,
  });
  if (progress) clearProgress();
  const { wallSeconds, ...summary } = res;
  if (a.out !== undefined) {
    const tmp = beginOutput(a.out, 'folder');
    try {
      const run = { schedlab: schedlabVersion(), command: 'experiment compaction', seeds, config: { workload, format: a.format, machineScale: a.machineScale, at: a.at, experiments: variants, seed: a.seed } };
      writeFileSync(path.join(tmp, 'run.json'), JSON.stringify(run, null, 2) + '\n');
      writeFileSync(path.join(tmp, 'summary.json'), JSON.stringify({ experiment: 'compaction', ...summary }, null, 2) + '\n');
      writeTimingFile(tmp, 'experiment compaction', { wallSeconds });
      // The report (the figure and the table) goes in with the rest, renamed into place at once.
      await writeReport(tmp, compactionReportInput(res));
      commitOutput(tmp, a.out);
    } catch (e) {
      abandonOutput(tmp);
      throw e;
    }
  }
  if (a.json) process.stdout.write(JSON.stringify({ experiment: 'compaction', ...summary }, null, 2) + '\n');
  else process.stdout.write(renderCompactionReport(res) + '\n');
}
