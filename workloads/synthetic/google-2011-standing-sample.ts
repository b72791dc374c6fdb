/**
 * Streams Google ClusterData 2011 `task_events` parts (gzip CSV, schema in
 * ../shared/docs/trace-formats.md §1.1) and keeps what the month generator's standing population
 * and daily arrival profile are measured on (fit-google-2011-month.ts).
 *
 * Standing population (the tasks already running when the trace starts):
 * - Rows at time 0 are the initial state (trace-formats.md: "machines, jobs and tasks that already
 *   existed"). A task with a SCHEDULE(1) row at time 0 was running then: it is a standing task. A
 *   task with only a SUBMIT at time 0 was pending: counted (`pendingAtStart`), not modelled.
 * - A standing job is a job with at least one standing task; its size is its number of standing
 *   tasks, its priority and CPU/memory request those of its first standing task row (empty request
 *   fields: NaN, counted in `missingRequest`). `arrival` is 0 for every standing job.
 * - Residual lifetime of a standing task: from the window start (the first non-zero time, 600 s in
 *   the full trace) to its first FINISH(4), FAIL(3) or KILL(5) — ended by itself, observed — or
 *   EVICT(2) / LOST(6), caused by the cluster, which right-censor it; a task still running at the
 *   end of the data is right-censored at the window end. These are the same censoring rules as the
 *   arrivals' run lengths (google-2011-sample.ts), so the two fits are comparable.
 * The result is a Google2011Sample (jobs = standing jobs, tasks = standing tasks with their residual
 * lifetimes), so fitSample() fits it with the same tables as the arrivals.
 *
 * Cell-level totals: per standing job, the sums of its standing tasks' own requests (a job's tasks
 * may differ from its first row), which the generator's per-priority request totals are fitted on.
 *
 * Daily profile: new jobs (first SUBMIT after time 0 of a job absent at time 0) counted per whole
 * hour of the window, from the window start.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { Google2011Job, Google2011Sample } from './google-2011-sample.js';

export interface Google2011StandingSample {
  /** Standing jobs and tasks, residual lifetimes as task durations (seconds). */
  standing: Google2011Sample;
  /** Tasks with only a SUBMIT at time 0 (pending when the trace starts): not in `standing`. */
  pendingAtStart: number;
  /** New-job arrivals per whole hour from the window start (the last, partial hour dropped). */
  hourlyNewJobs: number[];
  /** Window start, µs of trace time (the first non-zero time). */
  windowStart: number;
  /**
   * Per standing job (index of `standing.jobs`): the sums of its standing tasks' own CPU and memory
   * requests (each task's time-0 SCHEDULE row; empty fields count 0), for the cell-level totals.
   */
  jobTaskCpu: Float64Array;
  jobTaskMem: Float64Array;
}

interface StandingTask {
  job: number;
  index: number;
  end: number;
  observed: boolean;
}

/** Reads the part files in order; part 0 (the time-0 rows) must be among them for a non-empty result. */
export async function readGoogle2011Standing(files: readonly string[]): Promise<Google2011StandingSample> {
  const standingTasks = new Map<string, StandingTask>();
  const jobIndex = new Map<string, number>();
  const jobs: Google2011Job[] = [];
  const initialJobs = new Set<string>();
  const submittedAtZero = new Set<string>();
  const newJobs = new Set<string>();
  const newJobArrivals: number[] = [];
  let rows = 0;
  let firstTime = Infinity;
  let lastTime = 0;
  let missingRequest = 0;
  let tasksOfInitialJobs = 0;
  const taskCpu: number[] = [];
  const taskMem: number[] = [];

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
        initialJobs.add(jobId);
        if (ev === 0) submittedAtZero.add(key);
        if (ev !== 1 || standingTasks.has(key)) continue;
        let j = jobIndex.get(jobId);
        if (j === undefined) {
          const cpu = c[9] === '' ? NaN : Number(c[9]);
          const mem = c[10] === '' ? NaN : Number(c[10]);
          if (Number.isNaN(cpu) || Number.isNaN(mem)) missingRequest++;
          j = jobs.length;
          jobIndex.set(jobId, j);
          jobs.push({ id: jobId, arrival: 0, priority: Number(c[8]), size: 0, cpu, mem });
        }
        jobs[j].size++;
        taskCpu[j] = (taskCpu[j] ?? 0) + (c[9] === '' ? 0 : Number(c[9]));
        taskMem[j] = (taskMem[j] ?? 0) + (c[10] === '' ? 0 : Number(c[10]));
        standingTasks.set(key, { job: j, index: Number(c[3]), end: NaN, observed: false });
        continue;
      }
      if (t < firstTime) firstTime = t;
      if (t > lastTime) lastTime = t;
      if (ev === 0 && !initialJobs.has(jobId) && !newJobs.has(jobId)) {
        newJobs.add(jobId);
        newJobArrivals.push(t);
      } else if (ev === 0 && initialJobs.has(jobId) && !standingTasks.has(key)) tasksOfInitialJobs++;
      const task = standingTasks.get(key);
      if (task && Number.isNaN(task.end) && ev >= 2 && ev <= 6) {
        task.end = t;
        task.observed = ev === 3 || ev === 4 || ev === 5;
      }
    }
  }

  const n = standingTasks.size;
  const taskJob = new Int32Array(n);
  const taskIndex = new Int32Array(n);
  const taskDuration = new Float64Array(n);
  const taskObserved = new Uint8Array(n);
  const taskWindowLeft = new Float64Array(n);
  const origin = Number.isFinite(firstTime) ? firstTime : 0;
  const windowLeft = (lastTime - origin) / 1e6;
  let k = 0;
  let pendingAtStart = 0;
  for (const key of submittedAtZero) if (!standingTasks.has(key)) pendingAtStart++;
  for (const task of standingTasks.values()) {
    taskJob[k] = task.job;
    taskIndex[k] = task.index;
    taskWindowLeft[k] = windowLeft;
    if (Number.isNaN(task.end)) {
      taskDuration[k] = windowLeft;
      taskObserved[k] = 0;
    } else {
      // An end in the first 600 s is at least 1 µs long (the task ran before the window started).
      taskDuration[k] = Math.max(1e-6, (task.end - origin) / 1e6);
      taskObserved[k] = task.observed ? 1 : 0;
    }
    k++;
  }
  const fullHours = Math.floor((lastTime - origin) / 3600e6);
  const hourlyNewJobs = new Array<number>(Math.max(0, fullHours)).fill(0);
  for (const t of newJobArrivals) {
    const h = Math.floor((t - origin) / 3600e6);
    if (h < fullHours) hourlyNewJobs[h]++;
  }
  return {
    standing: {
      files: [...files],
      rows,
      firstTime: origin,
      lastTime,
      jobs,
      taskJob,
      taskIndex,
      taskDuration,
      taskObserved,
      taskWindowLeft,
      neverScheduled: 0,
      missingRequest,
      tasksOfInitialJobs,
    },
    pendingAtStart,
    hourlyNewJobs,
    windowStart: origin,
    jobTaskCpu: Float64Array.from(jobs, (_, j) => taskCpu[j]),
    jobTaskMem: Float64Array.from(jobs, (_, j) => taskMem[j]),
  };
}
