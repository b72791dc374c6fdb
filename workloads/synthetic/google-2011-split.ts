/**
 * The temporal hold-out of the Google 2011 sample: the synthetic generator is fitted on
 * `task_events` parts 0–9 and checked, in test/synthetic-calibration.test.ts, both on them
 * (in-sample) and on parts 10–13 (out-of-sample).
 *
 * Why this split:
 * - The parts are consecutive time slices of about 5,010 s each (part 0 also holds the t = 0 initial
 *   state), so splitting by part is a temporal hold-out: the fit sees 0 – 50,712 s (14.1 h), the
 *   hold-out is the 5.6 h after it. That is how the generator is used — to stand in for workload it
 *   was not fitted on — and a later window also carries whatever drifts over the day, which a random
 *   split of jobs would hide.
 * - The fit must start at part 0: only there can the standing population be told apart from new
 *   jobs (google-2011-sample.ts).
 * - 10 parts keep about three quarters of the jobs for the fit (every priority group keeps its
 *   MIN_GROUP_JOBS); the 4 held-out parts still hold a few thousand jobs, so per-job KS statistics
 *   out of sample have a critical value near 0.03 at α = 0.001.
 *
 * Held-out population: jobs whose first SUBMIT comes after the last event of the fitted parts, read
 * with all parts so that jobs started earlier are recognised and left out, and with their tasks
 * followed to the end of the data.
 */
import type { Google2011Sample } from './google-2011-sample.js';

/** Parts the committed fit (google-2011-fit.ts) is made from. */
export const FIT_PARTS: readonly number[] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
/** Parts of ../shared/data/google-2011 kept out of the fit. */
export const HOLD_OUT_PARTS: readonly number[] = [10, 11, 12, 13];

/** Part number of a `part-NNNNN-of-MMMMM.csv.gz` file name (or path). */
export function partNumber(file: string): number {
  const m = /part-(\d{5})-of-\d{5}\.csv\.gz$/.exec(file);
  if (!m) throw new Error(`not a task_events part file name: ${file}`);
  return Number(m[1]);
}

/**
 * Part numbers from a command-line value: ranges and lists, `0-9`, `0,1,2`, `0-3,5`. Throws a
 * one-line message naming the option and what was expected.
 */
export function parsePartList(value: string, option = '--parts'): number[] {
  const out = new Set<number>();
  for (const item of value.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(item);
    const from = m ? Number(m[1]) : NaN;
    const to = m && m[2] !== undefined ? Number(m[2]) : from;
    if (!m || to < from) throw new Error(`${option}: expected part numbers such as 0-9 or 0,1,2, got '${value}'`);
    for (let p = from; p <= to; p++) out.add(p);
  }
  return [...out].sort((a, b) => a - b);
}

/**
 * The sub-sample of jobs whose arrival is after `afterUs` (trace µs), with their scheduled tasks;
 * job indices are renumbered. `neverScheduled` and `missingRequest` are recounted for the kept jobs;
 * `firstTime` becomes the first kept arrival; `lastTime` (the censoring time) is unchanged;
 * `tasksOfInitialJobs` is the source sample's (those tasks were excluded before the split).
 */
export function jobsArrivingAfter(sample: Google2011Sample, afterUs: number): Google2011Sample {
  const newIndex = new Int32Array(sample.jobs.length).fill(-1);
  const jobs = sample.jobs.filter((j, i) => {
    if (!(j.arrival > afterUs)) return false;
    newIndex[i] = 0;
    return true;
  });
  let next = 0;
  for (let i = 0; i < newIndex.length; i++) if (newIndex[i] === 0) newIndex[i] = next++;
  let kept = 0;
  for (let k = 0; k < sample.taskJob.length; k++) if (newIndex[sample.taskJob[k]] >= 0) kept++;
  const taskJob = new Int32Array(kept);
  const taskIndex = new Int32Array(kept);
  const taskDuration = new Float64Array(kept);
  const taskObserved = new Uint8Array(kept);
  const taskWindowLeft = new Float64Array(kept);
  let t = 0;
  for (let k = 0; k < sample.taskJob.length; k++) {
    const j = newIndex[sample.taskJob[k]];
    if (j < 0) continue;
    taskJob[t] = j;
    taskIndex[t] = sample.taskIndex[k];
    taskDuration[t] = sample.taskDuration[k];
    taskObserved[t] = sample.taskObserved[k];
    taskWindowLeft[t] = sample.taskWindowLeft[k];
    t++;
  }
  const tasks = jobs.reduce((s, j) => s + j.size, 0);
  return {
    files: sample.files,
    rows: sample.rows,
    firstTime: jobs.reduce((m, j) => Math.min(m, j.arrival), Infinity),
    lastTime: sample.lastTime,
    jobs,
    taskJob,
    taskIndex,
    taskDuration,
    taskObserved,
    taskWindowLeft,
    neverScheduled: tasks - kept,
    missingRequest: jobs.filter((j) => Number.isNaN(j.cpu) || Number.isNaN(j.mem)).length,
    tasksOfInitialJobs: sample.tasksOfInitialJobs,
  };
}
