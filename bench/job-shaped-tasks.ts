/**
 * The task stream the policy benchmark draws from (issue 13): the first batch of the synthetic
 * Borg-like workload (workloads/synthetic/generator.ts) in submission order, m5.2xlarge units,
 * missing amounts counted as 0. The generator gives every task of a job the job's request and
 * submit time, so in this order consecutive tasks share a job's shape, and the lengths of those
 * runs are the generator's own tasks-per-job distribution (fitted on Google 2011) — the way a
 * replay sees tasks (Borg's equivalence classes, Verma et al., EuroSys'15 §3.4), as opposed to
 * shapes drawn one at a time at random.
 */
import { syntheticWorkload } from '../workloads/synthetic/generator.js';

export const BENCH_INSTANCE = { name: 'm5.2xlarge', cpuMillicores: 8000, memoryBytes: 32 * 2 ** 30 };

export interface TaskStream {
  /** Requests, `count × dims`, task i at `i * dims`. */
  shapes: Float64Array;
  /** Job of each task. */
  job: Int32Array;
  count: number;
  dims: number;
}

/** The first synthetic batch of up to `count` tasks (24 h, seed `seed`), in submission order. */
export async function syntheticTaskStream(count: number, seed: number): Promise<TaskStream> {
  const w = syntheticWorkload({ seed, nodes: 1, tasks: count, hours: 24, instance: BENCH_INSTANCE });
  const it = w.taskBatches()[Symbol.asyncIterator]();
  const first = await it.next();
  await it.return?.(undefined);
  if (first.done) throw new Error('policy bench: the synthetic workload produced no tasks');
  const b = first.value;
  const dims = w.resources.names.length;
  const shapes = new Float64Array(b.count * dims);
  for (let i = 0; i < b.count * dims; i++) shapes[i] = Number.isNaN(b.request[i]) ? 0 : b.request[i];
  return { shapes, job: Int32Array.from(b.job.subarray(0, b.count)), count: b.count, dims };
}

/** Runs of consecutive tasks of one job in a stream: how job-shaped it is. */
export interface JobRuns {
  runs: number;
  /** Tasks per run, averaged over runs (tasks / runs). */
  meanTasks: number;
  maxTasks: number;
  /** Share of the tasks that belong to a run of at least `bigRun` tasks. */
  shareInBig: number;
}

/** Splits `job[0 … count)` into maximal runs of equal job numbers. */
export function jobRuns(job: ArrayLike<number>, count: number, bigRun = 100): JobRuns {
  let runs = 0;
  let maxTasks = 0;
  let inBig = 0;
  let start = 0;
  for (let i = 1; i <= count; i++) {
    if (i < count && job[i] === job[start]) continue;
    const len = i - start;
    runs++;
    if (len > maxTasks) maxTasks = len;
    if (len >= bigRun) inBig += len;
    start = i;
  }
  return { runs, meanTasks: runs === 0 ? 0 : count / runs, maxTasks, shareInBig: count === 0 ? 0 : inBig / count };
}
