/**
 * Fits what a month-long Borg-like cell adds to the arrivals (fit-google-2011.ts): the standing
 * population running when the Google 2011 trace starts, and the daily profile of job arrivals.
 *
 *   npx tsc -p tsconfig.json
 *   node dist/workloads/synthetic/fit-google-2011-month.js ../shared/data/google-2011 --parts 0-13 \
 *     --out workloads/synthetic/google-2011-month-fit.ts
 *
 * `<dir>` is the dataset folder (task_events/ and machine_events/ under it). `--parts` picks the
 * task_events parts (default 0–13, all of the sample: the residual lifetimes of the standing tasks
 * are censored at the end of the data, so the longest window gives the most of them; the daily
 * profile needs the most hours). Part 0 must be among them. Without `--out` the module source is
 * printed; a summary goes to stderr. Bad arguments or missing files: one line on stderr, exit 2.
 *
 * What is fitted (population and censoring rules: google-2011-standing-sample.ts):
 * - tasksPerMachine: standing (running at time 0) tasks / machines added at time 0 in machine_events;
 * - the standing jobs' priority mix, and per priority group tasks per job, CPU and memory request,
 *   their Gaussian copula with the residual lifetime, and the residual lifetime itself (Kaplan–Meier
 *   body + Pareto tail with the censored MLE shape): fitSample() of fit-google-2011.ts, the method of
 *   the arrivals' fit, applied to the standing jobs;
 * - requestPerTask: per priority, the mean CPU and memory request of the standing tasks (their own
 *   rows): with the task shares, the cell's request sums per machine, which the generator matches;
 * - the daily profile: a least-squares daily harmonic through the new-job arrivals per whole hour
 *   (diurnal-profile.ts). The 2011 sample is 19.5 h: less than one cycle, so the fit cannot tell a
 *   daily cycle from a trend (a Sunday evening to a Monday afternoon); it is a measurement of this
 *   sample, stated as such where it is used.
 */
import { createReadStream, existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { createGunzip } from 'node:zlib';
import type { Google2011MonthFit } from './fit-types.js';
import { fitSample, renderGroupLines, num, runFitCommand } from './fit-google-2011.js';
import { listTaskEventParts } from './google-2011-sample.js';
import { readGoogle2011Standing, type Google2011StandingSample } from './google-2011-standing-sample.js';
import { partNumber } from './google-2011-split.js';
import { fitDailyHarmonic } from './diurnal-profile.js';
import { PriorityBand, bandOf } from '../../model/priority-bands.js';

/** Local hour at the 2011 trace's window start: 19:00 EDT, Sunday 1 May 2011 (google/cluster-data ClusterData2011_2.md). */
export const TRACE_START_HOUR = 19;
/** Default parts: the whole sample (0–13). */
export const MONTH_FIT_PARTS: readonly number[] = Array.from({ length: 14 }, (_, i) => i);

/** Machines with an ADD(0) row at time 0 in a machine_events part (gzip CSV). */
export async function countMachinesAtStart(file: string): Promise<number> {
  const ids = new Set<string>();
  const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.length === 0) continue;
    const c = line.split(',');
    if (c[0] === '0' && c[2] === '0') ids.add(c[1]);
  }
  return ids.size;
}

/**
 * Per priority of the standing jobs: the mean CPU and memory request of their standing tasks (each
 * task's own row), the cell-level totals the generator matches (standing-calibration.ts).
 */
export function requestPerTask(sample: Google2011StandingSample): Google2011MonthFit['standing']['requestPerTask'] {
  const acc = new Map<number, { tasks: number; cpu: number; mem: number }>();
  sample.standing.jobs.forEach((j, k) => {
    const a = acc.get(j.priority) ?? { tasks: 0, cpu: 0, mem: 0 };
    a.tasks += j.size;
    a.cpu += sample.jobTaskCpu[k];
    a.mem += sample.jobTaskMem[k];
    acc.set(j.priority, a);
  });
  return [...acc.entries()].sort((x, y) => x[0] - y[0]).map(([priority, a]) => ({ priority, cpu: a.cpu / a.tasks, mem: a.mem / a.tasks }));
}

export interface MonthFitResult {
  fit: Google2011MonthFit;
  diagnostics: string[];
}

export async function fitGoogle2011Month(dir: string, parts: readonly number[] = MONTH_FIT_PARTS): Promise<MonthFitResult> {
  const eventsDir = join(dir, 'task_events');
  const machinesFile = join(dir, 'machine_events', 'part-00000-of-00001.csv.gz');
  if (!existsSync(eventsDir)) throw new Error(`${eventsDir}: no such folder (expected the google-2011 dataset folder)`);
  if (!existsSync(machinesFile)) throw new Error(`${machinesFile}: not found (the machine table counts the cell at time 0)`);
  const files = listTaskEventParts(eventsDir, parts);
  const found = new Set(files.map(partNumber));
  const missing = parts.filter((p) => !found.has(p));
  if (missing.length > 0) throw new Error(`${eventsDir}: --parts names part(s) ${missing.join(', ')}, not found there`);
  if (!found.has(0)) throw new Error(`--parts: part 0 must be read (it holds the time-0 rows of the standing population)`);
  const [sample, machinesAtStart] = await Promise.all([readGoogle2011Standing(files), countMachinesAtStart(machinesFile)]);
  const { fit: standingFit, diagnostics: groupDiag } = fitSample(sample.standing);
  const st = sample.standing;
  const standingTasks = st.taskJob.length;
  const harmonic = fitDailyHarmonic(sample.hourlyNewJobs, TRACE_START_HOUR);
  const perTask = requestPerTask(sample);
  let cpuPerMachine = 0;
  let memPerMachine = 0;
  for (const r of perTask) {
    if (bandOf(r.priority, 'google-2011') === PriorityBand.Free) continue;
    const share = standingFit.priorityMix.find((m) => m.priority === r.priority)?.taskShare ?? 0;
    cpuPerMachine += (share * standingTasks * r.cpu) / machinesAtStart;
    memPerMachine += (share * standingTasks * r.mem) / machinesAtStart;
  }
  const diagnostics = [
    `standing: ${standingTasks} tasks running at time 0 in ${st.jobs.length} jobs on ${machinesAtStart} machines ` +
      `(${(standingTasks / machinesAtStart).toFixed(3)} per machine); ${sample.pendingAtStart} tasks pending at time 0 (not modelled)`,
    `standing requests of the non-free tasks (priority >= 2) per machine: cpu ${cpuPerMachine.toFixed(4)}, mem ${memPerMachine.toFixed(4)} (normalized)`,
    ...groupDiag.map((d) => `standing ${d}`),
    `daily harmonic over ${sample.hourlyNewJobs.length} whole hours from ${TRACE_START_HOUR}:00: A=${harmonic.amplitude.toFixed(3)} ` +
      `peak ${harmonic.peakHour.toFixed(2)} h, mean ${harmonic.mean.toFixed(1)} jobs/h, residual sd ${harmonic.residualSd.toFixed(1)}`,
  ];
  const fit: Google2011MonthFit = {
    source: {
      parts: files.map((f) => basename(f)),
      rows: st.rows,
      windowSeconds: (st.lastTime - st.firstTime) / 1e6,
      machinesAtStart,
      standingJobs: st.jobs.length,
      standingTasks,
      pendingAtStart: sample.pendingAtStart,
      missingRequest: st.missingRequest,
    },
    standing: {
      tasksPerMachine: standingTasks / machinesAtStart,
      priorityMix: standingFit.priorityMix,
      groups: standingFit.groups,
      requestPerTask: perTask,
    },
    diurnal: {
      startHour: TRACE_START_HOUR,
      hourlyNewJobs: sample.hourlyNewJobs,
      amplitude: harmonic.amplitude,
      peakHour: harmonic.peakHour,
      residualSd: harmonic.residualSd,
      meanPerHour: harmonic.mean,
    },
  };
  return { fit, diagnostics };
}

/** TypeScript source of `google-2011-month-fit.ts`. */
export function renderMonthFitModule(fit: Google2011MonthFit, command: string, date: string, diagnostics: readonly string[]): string {
  const s = fit.source;
  const d = fit.diurnal;
  const lines: string[] = [];
  lines.push('/**');
  lines.push(' * GENERATED by workloads/synthetic/fit-google-2011-month.ts — do not edit by hand; re-run the fit.');
  lines.push(' *');
  lines.push(` * Command: ${command}`);
  lines.push(` * Date: ${date}`);
  lines.push(` * Data: Google ClusterData 2011 (clusterdata-2011-2) task_events ${s.parts[0]} … ${s.parts[s.parts.length - 1]}`);
  lines.push(` *   (${s.parts.length} parts, ${s.rows} rows, ${s.windowSeconds.toFixed(0)} s after the window start) and machine_events.`);
  lines.push(` * Standing population: ${s.standingTasks} tasks running at time 0 (a SCHEDULE row at time 0) in ${s.standingJobs} jobs,`);
  lines.push(` *   on the ${s.machinesAtStart} machines added at time 0; ${s.pendingAtStart} tasks pending at time 0 are not modelled;`);
  lines.push(` *   ${s.missingRequest} standing jobs had a missing request (left out of the request tables).`);
  lines.push(' * Method: google-2011-standing-sample.ts (population, residual lifetimes and their censoring) and');
  lines.push(' *   fit-google-2011.ts fitSample (priority mix, per-group tables, copula, Kaplan–Meier + Pareto), applied to');
  lines.push(' *   the standing jobs; the residual lifetime takes the place of the run length.');
  lines.push(` * Daily profile: least-squares daily harmonic through the new-job arrivals per whole hour, local time from`);
  lines.push(` *   ${d.startHour}:00 US Eastern (less than one day of data: a measurement of this sample, not a fitted cycle).`);
  lines.push(' * Diagnostics at fit time:');
  for (const x of diagnostics) lines.push(` *   ${x}`);
  lines.push(' */');
  lines.push("import type { Google2011MonthFit } from './fit-types.js';");
  lines.push('');
  lines.push('export const GOOGLE_2011_MONTH_FIT: Google2011MonthFit = {');
  lines.push(`  source: ${JSON.stringify(s)},`);
  lines.push('  standing: {');
  lines.push(`    tasksPerMachine: ${num(fit.standing.tasksPerMachine)},`);
  lines.push('    priorityMix: [');
  for (const m of fit.standing.priorityMix) lines.push(`      { priority: ${m.priority}, jobShare: ${num(m.jobShare)}, taskShare: ${num(m.taskShare)} },`);
  lines.push('    ],');
  lines.push('    groups: [');
  for (const l of renderGroupLines(fit.standing.groups)) lines.push(`  ${l}`);
  lines.push('    ],');
  lines.push('    requestPerTask: [');
  for (const r of fit.standing.requestPerTask) lines.push(`      { priority: ${r.priority}, cpu: ${num(r.cpu)}, mem: ${num(r.mem)} },`);
  lines.push('    ],');
  lines.push('  },');
  lines.push('  diurnal: {');
  lines.push(`    startHour: ${d.startHour},`);
  lines.push(`    hourlyNewJobs: [${d.hourlyNewJobs.join(', ')}],`);
  lines.push(`    amplitude: ${num(d.amplitude)},`);
  lines.push(`    peakHour: ${num(d.peakHour)},`);
  lines.push(`    residualSd: ${num(d.residualSd)},`);
  lines.push(`    meanPerHour: ${num(d.meanPerHour)},`);
  lines.push('  },');
  lines.push('};');
  lines.push('');
  return lines.join('\n');
}

const main = (argv: string[]): Promise<void> =>
  runFitCommand(argv, { script: 'dist/workloads/synthetic/fit-google-2011-month.js', defaultParts: MONTH_FIT_PARTS, fit: fitGoogle2011Month, render: renderMonthFitModule });

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv).catch((err: unknown) => {
    process.stderr.write(`fit-google-2011-month: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  });
}
