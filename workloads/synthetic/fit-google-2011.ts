/**
 * Fits the synthetic Borg-like generator to the Google ClusterData 2011 `task_events` sample.
 *
 *   npx tsc -p tsconfig.json
 *   node dist/workloads/synthetic/fit-google-2011.js ../shared/data/google-2011 --parts 0-9 \
 *     --out workloads/synthetic/google-2011-fit.ts
 *
 * (`<dir>` may be the dataset folder or its `task_events/` subfolder.) `--parts` picks the parts to
 * fit (default FIT_PARTS, 0–9: parts 10–13 are the temporal hold-out of the calibration test, see
 * google-2011-split.ts); every part named must exist, and part 0 must be among them. Without `--out`
 * the module source is printed to stdout; a summary always goes to stderr. Bad arguments or a
 * missing part: one line on stderr, exit code 2.
 *
 * What is fitted, on the jobs that arrive after t = 0 (population: google-2011-sample.ts):
 * - priority mix: share of new jobs per priority value (drawn per job; the task shares follow);
 * - job inter-arrival: empirical quantile table of the gaps between consecutive job arrivals;
 * - per priority group (every priority value with at least MIN_GROUP_JOBS jobs; rarer values use the
 *   nearest fitted priority): empirical quantile tables (62 knots, PROBABILITY_GRID) of tasks per
 *   job, per-job CPU request and per-job memory request (normalized units), their dependence with
 *   each other and with the job's run length (Spearman matrix, used as a Gaussian copula), and the
 *   task run length: the Kaplan–Meier estimate, job-weighted
 *   (window end, EVICT and LOST right-censor a run) as far as the risk set is large enough
 *   (TAIL_MIN_AT_RISK, TAIL_MIN_AT_RISK_SHARE), then a Pareto tail anchored there whose shape
 *   is the censored maximum-likelihood estimate over runs longer than ALPHA_FROM (pooled over
 *   groups when a group has too few). The within-job correlation of run lengths is fitted too (tasks 0 and 1 of each job).
 */
import { writeFileSync, existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sampleRankCorrelation } from 'simple-statistics';
import type { DurationFit, Google2011Fit, PriorityGroupFit } from './fit-types.js';
import { choleskyShrunk, spearmanToNormal } from './copula.js';
import { kaplanMeier, kmCdf, kmQuantile } from './kaplan-meier.js';
import { listTaskEventParts, readGoogle2011Sample, type Google2011Sample } from './google-2011-sample.js';
import { FIT_PARTS, parsePartList, partNumber } from './google-2011-split.js';
import { PROBABILITY_GRID, quantileTableFromSorted, type QuantileTable } from './quantile-table.js';

/** A priority value needs this many new jobs to get its own tables. */
export const MIN_GROUP_JOBS = 100;
/**
 * The Kaplan–Meier body runs to the last event time at which at least min(TAIL_MIN_AT_RISK,
 * TAIL_MIN_AT_RISK_SHARE × runs) runs are still at risk (or to the TAIL_P quantile if that comes
 * first); the Pareto tail takes the rest. The share keeps small groups from stopping too early.
 */
export const TAIL_P = 0.999;
export const TAIL_MIN_AT_RISK = 200;
export const TAIL_MIN_AT_RISK_SHARE = 0.05;
/**
 * The Pareto shape is estimated over runs longer than ALPHA_FROM seconds (1 h: every large group
 * has thousands of runs there, and it is well inside the 14.1 h window of parts 0–9); a group with fewer than
 * ALPHA_MIN_EVENTS completed runs beyond it uses the estimate pooled over all groups.
 */
export const ALPHA_FROM = 3600;
export const ALPHA_MIN_EVENTS = 100;

/** Censored Pareto MLE over runs longer than `from`: alpha = events / sum(log(t / from)). */
function paretoMle(
  durations: ArrayLike<number>,
  observed: ArrayLike<number>,
  weight: ArrayLike<number>,
  from: number,
): { alpha: number; events: number; runs: number } {
  let events = 0;
  let runs = 0;
  let wEvents = 0;
  let logSum = 0;
  for (let i = 0; i < durations.length; i++) {
    if (durations[i] > from) {
      runs++;
      if (observed[i]) {
        events++;
        wEvents += weight[i];
      }
      logSum += weight[i] * Math.log(durations[i] / from);
    }
  }
  return { alpha: logSum > 0 ? wEvents / logSum : NaN, events, runs };
}

export interface FitResult {
  fit: Google2011Fit;
  /** Human-readable diagnostics (tail checks, KM survival at checkpoints). */
  diagnostics: string[];
}

function sortedOf(values: Iterable<number>): Float64Array {
  return Float64Array.from(values).sort();
}

export function fitDuration(
  durations: number[],
  observed: number[],
  weights: number[],
  pairsA: number[],
  pairsB: number[],
  pooledAlpha: number,
  diag: string[],
  label: string,
): DurationFit {
  const km = kaplanMeier(durations, observed, weights);
  let tailStart = kmQuantile(km, TAIL_P);
  const minAtRisk = Math.min(TAIL_MIN_AT_RISK, Math.ceil(TAIL_MIN_AT_RISK_SHARE * durations.length));
  let lastReliable = 0;
  for (let i = 0; i < km.times.length; i++) if (km.atRiskCount[i] >= minAtRisk) lastReliable = km.times[i];
  if (Number.isNaN(tailStart) || tailStart > lastReliable) tailStart = lastReliable;
  const tailP = kmCdf(km, tailStart);
  const grid = PROBABILITY_GRID.filter((p) => p < tailP);
  const body: QuantileTable = {
    p: [...grid, tailP],
    v: [...grid.map((p) => (p === 0 ? km.times[0] : kmQuantile(km, p))), tailStart],
  };
  const own = paretoMle(durations, observed, weights, ALPHA_FROM);
  const alphaPooled = !(own.events >= ALPHA_MIN_EVENTS);
  const paretoAlpha = alphaPooled ? pooledAlpha : own.alpha;
  const events = own.events;
  const obs = own.runs;
  let censored = 0;
  for (const o of observed) if (!o) censored++;
  const withinJobCorrelation = pairsA.length >= 30 ? 2 * Math.sin((Math.PI * sampleRankCorrelation(pairsA, pairsB)) / 6) : 0;
  const checkpoints = [60, 600, 3600, 4 * 3600, 12 * 3600, 18 * 3600];
  diag.push(
    `${label}: n=${durations.length} censored=${censored} tailStart=${tailStart.toFixed(0)}s F=${tailP.toFixed(4)} ` +
      `alpha=${paretoAlpha.toFixed(3)}${alphaPooled ? ' (pooled)' : ''} (${events} events / ${obs} runs beyond ${ALPHA_FROM}s) pairs=${pairsA.length} withinJob=${withinJobCorrelation.toFixed(3)}`,
  );
  diag.push(
    `  KM S(t): ` +
      checkpoints
        .map((t) => {
          const s = 1 - kmCdf(km, t);
          const pareto = t > tailStart ? (1 - tailP) * Math.pow(t / tailStart, -paretoAlpha) : NaN;
          return `${t}s ${s.toFixed(4)}${Number.isNaN(pareto) ? '' : ` (pareto ${pareto.toFixed(4)})`}`;
        })
        .join(', '),
  );
  return {
    body,
    tailP,
    tailStart,
    paretoAlpha,
    alphaFrom: ALPHA_FROM,
    alphaPooled,
    tailEvents: events,
    tailObservations: obs,
    censoredShare: censored / durations.length,
    withinJobCorrelation,
  };
}

/** Fits every quantity from an already-read sample. */
export function fitSample(sample: Google2011Sample): FitResult {
  const diagnostics: string[] = [];
  const { jobs } = sample;
  const totalTasks = jobs.reduce((s, j) => s + j.size, 0);

  // Priority mix.
  const byPriority = new Map<number, number[]>();
  jobs.forEach((j, i) => {
    const list = byPriority.get(j.priority) ?? [];
    list.push(i);
    byPriority.set(j.priority, list);
  });
  const priorities = [...byPriority.keys()].sort((a, b) => a - b);
  const priorityMix = priorities.map((priority) => {
    const idx = byPriority.get(priority) ?? [];
    return {
      priority,
      jobShare: idx.length / jobs.length,
      taskShare: idx.reduce((s, i) => s + jobs[i].size, 0) / totalTasks,
    };
  });

  // Inter-arrival gaps between consecutive new jobs.
  const arrivals = sortedOf(jobs.map((j) => j.arrival));
  const gaps: number[] = [];
  for (let i = 1; i < arrivals.length; i++) gaps.push((arrivals[i] - arrivals[i - 1]) / 1e6);
  const sortedGaps = sortedOf(gaps);
  const interArrival = quantileTableFromSorted(sortedGaps);
  const meanInterArrival = gaps.reduce((s, g) => s + g, 0) / gaps.length;

  // Priority groups.
  const fitted = priorities.filter((p) => (byPriority.get(p)?.length ?? 0) >= MIN_GROUP_JOBS);
  const owner = new Map<number, number>();
  for (const p of priorities) {
    let best = fitted[0];
    for (const f of fitted) if (Math.abs(f - p) < Math.abs(best - p) || (Math.abs(f - p) === Math.abs(best - p) && f > best)) best = f;
    owner.set(p, best);
  }
  // Pareto shape pooled over all groups (used by groups with too few long runs of their own).
  const scheduledInJob = new Float64Array(jobs.length);
  for (let k = 0; k < sample.taskJob.length; k++) scheduledInJob[sample.taskJob[k]]++;
  const taskWeight = Float64Array.from(sample.taskJob, (j) => 1 / scheduledInJob[j]);
  const pooled = paretoMle(sample.taskDuration, sample.taskObserved, taskWeight, ALPHA_FROM);
  diagnostics.push(`pooled Pareto alpha beyond ${ALPHA_FROM}s: ${pooled.alpha.toFixed(3)} (${pooled.events} events / ${pooled.runs} runs)`);
  // Tasks grouped by job, for durations.
  const tasksOfJob: number[][] = jobs.map(() => []);
  for (let k = 0; k < sample.taskJob.length; k++) tasksOfJob[sample.taskJob[k]].push(k);

  const groups: PriorityGroupFit[] = fitted.map((gp) => {
    const members = priorities.filter((p) => owner.get(p) === gp);
    const jobIdx = members.flatMap((p) => byPriority.get(p) ?? []);
    const withReq = jobIdx.filter((i) => !Number.isNaN(jobs[i].cpu) && !Number.isNaN(jobs[i].mem));
    const cpuValues = withReq.map((i) => jobs[i].cpu);
    const memValues = withReq.map((i) => jobs[i].mem);
    const durations: number[] = [];
    const observed: number[] = [];
    const weights: number[] = [];
    const pairsA: number[] = [];
    const pairsB: number[] = [];
    const copulaVars: number[][] = [[], [], [], []];
    for (const j of jobIdx) {
      let first = -1;
      let second = -1;
      for (const k of tasksOfJob[j]) {
        durations.push(sample.taskDuration[k]);
        observed.push(sample.taskObserved[k]);
        weights.push(taskWeight[k]);
        if (sample.taskIndex[k] === 0) first = k;
        else if (sample.taskIndex[k] === 1) second = k;
      }
      if (first >= 0 && second >= 0) {
        pairsA.push(sample.taskDuration[first]);
        pairsB.push(sample.taskDuration[second]);
      }
      // Job-level copula variables: size, cpu, mem, run length of the lowest-index scheduled task.
      let lowest = -1;
      for (const k of tasksOfJob[j]) if (lowest < 0 || sample.taskIndex[k] < sample.taskIndex[lowest]) lowest = k;
      if (lowest >= 0 && !Number.isNaN(jobs[j].cpu) && !Number.isNaN(jobs[j].mem)) {
        copulaVars[0].push(jobs[j].size);
        copulaVars[1].push(jobs[j].cpu);
        copulaVars[2].push(jobs[j].mem);
        copulaVars[3].push(sample.taskDuration[lowest]);
      }
    }
    const spearman = copulaVars.map((a, r) => copulaVars.map((b, c) => (r === c ? 1 : sampleRankCorrelation(a, b))));
    const { factor, shrink } = choleskyShrunk(spearman.map((row, r) => row.map((x, c) => (c === r ? 1 : spearmanToNormal(x)))));
    diagnostics.push(
      `priority ${members.join(',')} job copula (size, cpu, mem, duration) over ${copulaVars[0].length} jobs: spearman ` +
        spearman.map((row) => row.map((x) => x.toFixed(2)).join(' ')).join(' | ') +
        (shrink > 0 ? ` (shrunk ${shrink})` : ''),
    );
    const label = `priority ${members.join(',')}`;
    return {
      priorities: [gp, ...members.filter((p) => p !== gp)],
      jobs: jobIdx.length,
      tasks: jobIdx.reduce((s, i) => s + jobs[i].size, 0),
      tasksPerJob: quantileTableFromSorted(sortedOf(jobIdx.map((i) => jobs[i].size))),
      cpu: quantileTableFromSorted(sortedOf(cpuValues)),
      mem: quantileTableFromSorted(sortedOf(memValues)),
      jobCopula: { variables: ['tasksPerJob', 'cpu', 'mem', 'duration'], jobs: copulaVars[0].length, spearman, cholesky: factor },
      duration: fitDuration(durations, observed, weights, pairsA, pairsB, pooled.alpha, diagnostics, label),
    };
  });

  const fit: Google2011Fit = {
    source: {
      parts: sample.files.map((f) => basename(f)),
      rows: sample.rows,
      windowSeconds: (sample.lastTime - sample.firstTime) / 1e6,
      newJobs: jobs.length,
      newTasks: totalTasks,
      scheduledTasks: sample.taskJob.length,
      neverScheduled: sample.neverScheduled,
      tasksOfInitialJobs: sample.tasksOfInitialJobs,
      missingRequest: sample.missingRequest,
    },
    priorityMix,
    interArrival,
    meanInterArrival,
    groups,
  };
  return { fit, diagnostics };
}

/**
 * Reads the `task_events` parts `parts` (all of them when omitted) under `dir` (the dataset folder
 * or its task_events/) and fits. Every named part must exist, and part 0 (the t = 0 initial state,
 * needed to tell new jobs from the standing population) must be read.
 */
export async function fitGoogle2011(dir: string, parts?: readonly number[]): Promise<FitResult> {
  const eventsDir = existsSync(join(dir, 'task_events')) ? join(dir, 'task_events') : dir;
  if (!existsSync(eventsDir)) throw new Error(`${eventsDir}: no such folder (expected the google-2011 dataset or its task_events/)`);
  const files = listTaskEventParts(eventsDir, parts);
  if (files.length === 0) throw new Error(`${eventsDir}: no task_events part files (part-NNNNN-of-NNNNN.csv.gz)`);
  const found = new Set(files.map(partNumber));
  const missing = (parts ?? []).filter((p) => !found.has(p));
  if (missing.length > 0) {
    const list = missing.length > 5 ? `${missing.slice(0, 5).join(', ')}, … (${missing.length} in all)` : missing.join(', ');
    throw new Error(`${eventsDir}: --parts names part(s) ${list}, not found there`);
  }
  if (!found.has(0)) throw new Error(`--parts: part 0 must be fitted (it holds the t = 0 initial state that tells new jobs apart)`);
  return fitSample(await readGoogle2011Sample(files));
}

/** A number as the fit tables write it: integers as they are, others to 7 significant digits. */
export function num(x: number): string {
  if (Number.isInteger(x)) return String(x);
  return String(Number(x.toPrecision(7)));
}

/** A quantile table as source text. */
export function table(t: QuantileTable, indent: string): string {
  return `{\n${indent}  p: [${t.p.map(num).join(', ')}],\n${indent}  v: [${t.v.map(num).join(', ')}],\n${indent}}`;
}

/** Source lines of a `groups: [...]` array body (the priority groups of a fit), indented for a top-level field. */
export function renderGroupLines(groups: readonly PriorityGroupFit[]): string[] {
  const lines: string[] = [];
  for (const g of groups) {
    const d = g.duration;
    lines.push('    {');
    lines.push(`      priorities: [${g.priorities.join(', ')}],`);
    lines.push(`      jobs: ${g.jobs},`);
    lines.push(`      tasks: ${g.tasks},`);
    lines.push(`      tasksPerJob: ${table(g.tasksPerJob, '      ')},`);
    lines.push(`      cpu: ${table(g.cpu, '      ')},`);
    lines.push(`      mem: ${table(g.mem, '      ')},`);
    const c = g.jobCopula;
    const mat = (m: readonly (readonly number[])[]): string => `[${m.map((row) => `[${row.map(num).join(', ')}]`).join(', ')}]`;
    lines.push(`      jobCopula: {`);
    lines.push(`        variables: [${c.variables.map((v) => `'${v}'`).join(', ')}],`);
    lines.push(`        jobs: ${c.jobs},`);
    lines.push(`        spearman: ${mat(c.spearman)},`);
    lines.push(`        cholesky: ${mat(c.cholesky)},`);
    lines.push(`      },`);
    lines.push('      duration: {');
    lines.push(`        body: ${table(d.body, '        ')},`);
    lines.push(`        tailP: ${num(d.tailP)},`);
    lines.push(`        tailStart: ${num(d.tailStart)},`);
    lines.push(`        paretoAlpha: ${num(d.paretoAlpha)},`);
    lines.push(`        alphaFrom: ${num(d.alphaFrom)},`);
    lines.push(`        alphaPooled: ${d.alphaPooled},`);
    lines.push(`        tailEvents: ${d.tailEvents},`);
    lines.push(`        tailObservations: ${d.tailObservations},`);
    lines.push(`        censoredShare: ${num(d.censoredShare)},`);
    lines.push(`        withinJobCorrelation: ${num(d.withinJobCorrelation)},`);
    lines.push('      },');
    lines.push('    },');
  }
  return lines;
}

/** TypeScript source of `google-2011-fit.ts` for a fit. */
export function renderFitModule(fit: Google2011Fit, command: string, date: string, diagnostics: readonly string[]): string {
  const s = fit.source;
  const lines: string[] = [];
  lines.push('/**');
  lines.push(' * GENERATED by workloads/synthetic/fit-google-2011.ts — do not edit by hand; re-run the fit.');
  lines.push(' *');
  lines.push(` * Command: ${command}`);
  lines.push(` * Date: ${date}`);
  lines.push(` * Data: Google ClusterData 2011 (clusterdata-2011-2) task_events ${s.parts[0]} … ${s.parts[s.parts.length - 1]}`);
  lines.push(` *   (${s.parts.length} parts, ${s.rows} rows, ${s.windowSeconds.toFixed(0)} s of trace after t = 0). Later parts of the`);
  lines.push(' *   sample are held out of the fit (google-2011-split.ts): test/synthetic-calibration.test.ts checks on them.');
  lines.push(` * Population: ${s.newJobs} jobs first seen after t = 0 with ${s.newTasks} tasks (${s.scheduledTasks} scheduled,`);
  lines.push(` *   ${s.neverScheduled} never scheduled); the t = 0 initial state and ${s.tasksOfInitialJobs} later tasks of initial jobs are excluded;`);
  lines.push(` *   ${s.missingRequest} new jobs had a missing request.`);
  lines.push(' * Method (details in fit-google-2011.ts and google-2011-sample.ts):');
  lines.push(' * - priorityMix: share of new jobs per priority value (taskShare is reported, not drawn).');
  lines.push(' * - interArrival: empirical quantiles (62 knots) of the gaps between consecutive job arrivals, seconds.');
  lines.push(` * - groups: one per priority value with >= ${MIN_GROUP_JOBS} new jobs; rarer values use the nearest one.`);
  lines.push(' *   tasksPerJob, cpu, mem: empirical quantile tables of per-job values (normalized units).');
  lines.push(' *   jobCopula: Spearman matrix of per-job (tasks, cpu, mem, run length of the lowest-index task); the');
  lines.push(' *   generator draws these four jointly through a Gaussian copula (Cholesky factor of 2 sin(pi rho_s / 6)).');
  lines.push(` *   duration: first run (SCHEDULE to FINISH/FAIL/KILL; EVICT, LOST and the window end right-censor),`);
  lines.push(' *   job-weighted (each task weighs 1 / scheduled tasks of its job, so each job counts once),');
  lines.push(` *   Kaplan–Meier quantiles up to the last event with >= min(${TAIL_MIN_AT_RISK}, ${TAIL_MIN_AT_RISK_SHARE} × runs) at risk (or the ${TAIL_P} quantile),`);
  lines.push(` *   then a Pareto tail anchored there whose shape is the censored maximum-likelihood estimate over runs`);
  lines.push(` *   longer than ${ALPHA_FROM} s (alpha = events / sum(log(t / ${ALPHA_FROM}))); pooled over all groups when a group has`);
  lines.push(` *   fewer than ${ALPHA_MIN_EVENTS} completed runs there.`);
  lines.push(' * Diagnostics at fit time:');
  for (const d of diagnostics) lines.push(` *   ${d}`);
  lines.push(' */');
  lines.push("import type { Google2011Fit } from './fit-types.js';");
  lines.push('');
  lines.push('export const GOOGLE_2011_FIT: Google2011Fit = {');
  lines.push(`  source: ${JSON.stringify(s)},`);
  lines.push('  priorityMix: [');
  for (const m of fit.priorityMix) lines.push(`    { priority: ${m.priority}, jobShare: ${num(m.jobShare)}, taskShare: ${num(m.taskShare)} },`);
  lines.push('  ],');
  lines.push(`  interArrival: ${table(fit.interArrival, '  ')},`);
  lines.push(`  meanInterArrival: ${num(fit.meanInterArrival)},`);
  lines.push('  groups: [');
  lines.push(...renderGroupLines(fit.groups));
  lines.push('  ],');
  lines.push('};');
  lines.push('');
  return lines.join('\n');
}

/** A fitter's command line: `<google-2011 dir> [--parts A-B] [--out file.ts]`, shared by this fit and the month fit. */
export interface FitCommand<F> {
  /** The compiled script, as the usage line and the module header name it. */
  script: string;
  defaultParts: readonly number[];
  fit(dir: string, parts: readonly number[]): Promise<{ fit: F; diagnostics: string[] }>;
  render(fit: F, command: string, date: string, diagnostics: string[]): string;
}

/** Parses the arguments, fits, writes the module (to --out or stdout) and the diagnostics to stderr. */
export async function runFitCommand<F>(argv: string[], cmd: FitCommand<F>): Promise<void> {
  const usage = `usage: node ${cmd.script} <google-2011 dir> [--parts ${cmd.defaultParts[0]}-${cmd.defaultParts[cmd.defaultParts.length - 1]}] [--out file.ts]`;
  const args = argv.slice(2);
  const valued = new Set(['--out', '--parts']);
  const opts = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (valued.has(a)) {
      if (i + 1 >= args.length || args[i + 1].startsWith('--')) throw new Error(`${a}: expected a value. ${usage}`);
      opts.set(a, args[++i]);
    } else if (a.startsWith('--')) throw new Error(`unknown option ${a}. ${usage}`);
    else positional.push(a);
  }
  if (positional.length !== 1) throw new Error(usage);
  const out = opts.get('--out');
  const partsArg = opts.get('--parts');
  const parts = partsArg === undefined ? cmd.defaultParts : parsePartList(partsArg);
  const started = Date.now();
  const { fit, diagnostics } = await cmd.fit(positional[0], parts);
  const source = cmd.render(fit, `node ${cmd.script} ${args.join(' ')}`, new Date().toISOString().slice(0, 10), diagnostics);
  if (out) writeFileSync(out, source);
  else process.stdout.write(source);
  process.stderr.write(`${diagnostics.join('\n')}\nfitted in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

const main = (argv: string[]): Promise<void> =>
  runFitCommand(argv, { script: 'dist/workloads/synthetic/fit-google-2011.js', defaultParts: FIT_PARTS, fit: fitGoogle2011, render: renderFitModule });

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv).catch((err: unknown) => {
    // Every failure here is a bad argument or unreadable input: one line, exit code 2.
    process.stderr.write(`fit-google-2011: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  });
}
