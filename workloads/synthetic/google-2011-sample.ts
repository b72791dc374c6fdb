/**
 * Streams Google ClusterData 2011 `task_events` parts (gzip CSV, no header; schema in
 * ../shared/docs/trace-formats.md §1.1) and keeps, for the jobs that **arrive inside the window** (first seen
 * after t = 0), what the synthetic generator is fitted on: per job its arrival, priority, size and
 * request; per task its first run (SCHEDULE to the next end event) with a censoring flag.
 *
 * Population and definitions (used by both the fit and the calibration test):
 * - Rows at time 0 are the initial state. Their tasks and jobs are remembered and excluded: the
 *   generator models arrivals, not the standing population of long-running services.
 * - A new job's arrival is the time of its first task SUBMIT; its size is the number of distinct
 *   task indices submitted in the parts read; its priority and CPU/memory request are those of its
 *   first submitted task (only 1 job in 15,165 mixes priorities and 3 mix requests).
 * - A task's duration is its first run: first SCHEDULE to the next FINISH(4), FAIL(3) or KILL(5),
 *   which end the run by themselves (observed), or EVICT(2) / LOST(6), which are caused by the
 *   cluster and so right-censor the task's own run length. A run still going at the end of the data
 *   is right-censored at (last time seen - SCHEDULE time). Tasks never scheduled have no duration.
 * - Missing CPU or memory requests (empty fields) are counted, and such jobs are left out of the
 *   request tables (none occur after t = 0 in parts 0-13).
 */
import { createReadStream, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';

export interface Google2011Job {
  id: string;
  /** First task SUBMIT, µs (trace time). */
  arrival: number;
  priority: number;
  /** Distinct tasks submitted in the parts read. */
  size: number;
  /** Normalized CPU request of the first task; NaN when missing. */
  cpu: number;
  /** Normalized memory request of the first task; NaN when missing. */
  mem: number;
}

export interface Google2011Sample {
  files: string[];
  rows: number;
  /** Smallest and largest non-zero time seen, µs. */
  firstTime: number;
  lastTime: number;
  jobs: Google2011Job[];
  /** Per scheduled task of a new job: index into `jobs`. */
  taskJob: Int32Array;
  /** Per scheduled task: task index within its job. */
  taskIndex: Int32Array;
  /** Per scheduled task: observed run length in seconds (to the end event or the censoring time). */
  taskDuration: Float64Array;
  /** Per scheduled task: 1 = the run ended by FINISH/FAIL/KILL, 0 = right-censored. */
  taskObserved: Uint8Array;
  /** Per scheduled task: seconds from SCHEDULE to the end of the data (the window censoring time). */
  taskWindowLeft: Float64Array;
  /** Tasks of new jobs that were submitted but never scheduled in the parts read. */
  neverScheduled: number;
  /** New jobs whose first task had an empty CPU or memory request. */
  missingRequest: number;
  /** Tasks submitted after t = 0 that belong to jobs present at t = 0 (excluded). */
  tasksOfInitialJobs: number;
}

/** Sorted list of `task_events` part files in `dir`, optionally only the given part numbers. */
export function listTaskEventParts(dir: string, parts?: readonly number[]): string[] {
  const all = readdirSync(dir)
    .filter((f) => /^part-\d{5}-of-\d{5}\.csv\.gz$/.test(f))
    .sort();
  const chosen = parts ? all.filter((f) => parts.includes(Number(f.slice(5, 10)))) : all;
  return chosen.map((f) => join(dir, f));
}

interface TaskState {
  job: number;
  index: number;
  sched: number;
  end: number;
  observed: boolean;
}

/**
 * Reads the given part files in order (they must be contiguous and start at part 0 if the initial
 * state is to be excluded properly; when part 0 is not among them, jobs already running before the
 * first part cannot be told apart and are treated as new).
 */
export async function readGoogle2011Sample(files: readonly string[]): Promise<Google2011Sample> {
  const initialTasks = new Set<string>();
  const initialJobs = new Set<string>();
  const jobIndex = new Map<string, number>();
  const jobs: Google2011Job[] = [];
  const tasks = new Map<string, TaskState>();
  let rows = 0;
  let firstTime = Infinity;
  let lastTime = 0;
  let missingRequest = 0;
  let tasksOfInitialJobs = 0;

  for (const file of files) {
    const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
    for await (const line of lines) {
      if (line.length === 0) continue;
      rows++;
      const c = line.split(',');
      const t = Number(c[0]);
      const jobId = c[2];
      const key = jobId + ':' + c[3];
      const ev = Number(c[5]);
      if (t === 0) {
        initialTasks.add(key);
        initialJobs.add(jobId);
        continue;
      }
      if (t < firstTime) firstTime = t;
      if (t > lastTime) lastTime = t;
      if (initialTasks.has(key)) continue;
      let task = tasks.get(key);
      if (ev === 0) {
        if (task) continue; // a resubmission after EVICT/FAIL/KILL: same task
        if (initialJobs.has(jobId)) {
          tasksOfInitialJobs++;
          initialTasks.add(key);
          continue;
        }
        let j = jobIndex.get(jobId);
        if (j === undefined) {
          const cpu = c[9] === '' ? NaN : Number(c[9]);
          const mem = c[10] === '' ? NaN : Number(c[10]);
          if (Number.isNaN(cpu) || Number.isNaN(mem)) missingRequest++;
          j = jobs.length;
          jobIndex.set(jobId, j);
          jobs.push({ id: jobId, arrival: t, priority: Number(c[8]), size: 0, cpu, mem });
        }
        jobs[j].size++;
        task = { job: j, index: Number(c[3]), sched: NaN, end: NaN, observed: false };
        tasks.set(key, task);
      } else if (task) {
        if (ev === 1) {
          if (Number.isNaN(task.sched)) task.sched = t;
        } else if (ev >= 2 && ev <= 6 && !Number.isNaN(task.sched) && Number.isNaN(task.end)) {
          task.end = t;
          task.observed = ev === 3 || ev === 4 || ev === 5;
        }
      }
    }
  }

  let scheduled = 0;
  for (const task of tasks.values()) if (!Number.isNaN(task.sched)) scheduled++;
  const taskJob = new Int32Array(scheduled);
  const taskIndex = new Int32Array(scheduled);
  const taskDuration = new Float64Array(scheduled);
  const taskObserved = new Uint8Array(scheduled);
  const taskWindowLeft = new Float64Array(scheduled);
  let k = 0;
  for (const task of tasks.values()) {
    if (Number.isNaN(task.sched)) continue;
    const windowLeft = (lastTime - task.sched) / 1e6;
    taskJob[k] = task.job;
    taskIndex[k] = task.index;
    taskWindowLeft[k] = windowLeft;
    if (Number.isNaN(task.end)) {
      taskDuration[k] = windowLeft;
      taskObserved[k] = 0;
    } else {
      taskDuration[k] = (task.end - task.sched) / 1e6;
      taskObserved[k] = task.observed ? 1 : 0;
    }
    k++;
  }
  return {
    files: [...files],
    rows,
    firstTime,
    lastTime,
    jobs,
    taskJob,
    taskIndex,
    taskDuration,
    taskObserved,
    taskWindowLeft,
    neverScheduled: tasks.size - scheduled,
    missingRequest,
    tasksOfInitialJobs,
  };
}
