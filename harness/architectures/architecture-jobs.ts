import type { Workload } from '../../model/workload.js';
import { bandOf, isProductionBand } from '../../model/priority-bands.js';

/** Which scheduler path a job takes in the Omega paper's split (§2.1): batch or service. */
export const enum JobKind {
  Batch = 0,
  Service = 1,
}
export const JOB_KIND_NAMES = ['batch', 'service'] as const;
export type JobKindName = (typeof JOB_KIND_NAMES)[number];

/**
 * The workload as the architecture simulator schedules it: **jobs**, each the tasks of one
 * workload job submitted at one instant (a trace job whose tasks arrive at several times is
 * several jobs here, each decided on its own, as the Omega simulator's jobs are). Tasks are stored
 * job by job, so a job's tasks are `taskStart[j] … taskStart[j + 1] - 1`.
 *
 * A job is **service** when its priority is in Borg's production band (priority ≥ 9 on the Google
 * 2011 scale, model/priority-bands.ts; Verma et al. EuroSys'15 §2.5: "prod" jobs are the
 * long-running services), else **batch** — the split the Omega paper makes (§2.1, Figure 2).
 */
export interface ArchitectureJobs {
  readonly dims: number;
  readonly jobCount: number;
  readonly taskCount: number;
  /** Per job: submit time (µs), the workload's job index, kind, user, priority. */
  readonly submit: Float64Array;
  readonly workloadJob: Int32Array;
  readonly kind: Uint8Array;
  readonly user: Int32Array;
  readonly priority: Int32Array;
  /** Per job, with one extra entry at the end: the job's first task. */
  readonly taskStart: Int32Array;
  /** Per task: request (flat, task × dims + d; a missing request is 0), duration (µs; NaN = runs to the end). */
  readonly request: Float64Array;
  readonly duration: Float64Array;
  /** Per task: its job (the inverse of taskStart). */
  readonly taskJob: Int32Array;
  /** Per task: 1 when its request was missing in some dimension (policies apply their defaults, as kube's non-zero requests). */
  readonly missing: Uint8Array;
  /** Tasks whose request was missing in some dimension (priced and placed as 0 there, counted). */
  readonly missingRequests: number;
}

class Grow {
  f64(a: Float64Array<ArrayBuffer>, n: number): Float64Array<ArrayBuffer> {
    if (n <= a.length) return a;
    const b = new Float64Array(Math.max(n, a.length * 2));
    b.set(a);
    return b;
  }
  i32(a: Int32Array<ArrayBuffer>, n: number): Int32Array<ArrayBuffer> {
    if (n <= a.length) return a;
    const b = new Int32Array(Math.max(n, a.length * 2));
    b.set(a);
    return b;
  }
  u8(a: Uint8Array<ArrayBuffer>, n: number): Uint8Array<ArrayBuffer> {
    if (n <= a.length) return a;
    const b = new Uint8Array(Math.max(n, a.length * 2));
    b.set(a);
    return b;
  }
}

/**
 * Reads every batch of `workload` into jobs. Consecutive tasks with the same workload job and
 * submit time form one job (readers emit a job's simultaneous tasks together).
 */
export async function readArchitectureJobs(workload: Workload): Promise<ArchitectureJobs> {
  const D = workload.resources.names.length;
  const g = new Grow();
  let submit = new Float64Array(1024);
  let wjob = new Int32Array(1024);
  let kind = new Uint8Array(1024);
  let user = new Int32Array(1024);
  let priority = new Int32Array(1024);
  let taskStart = new Int32Array(1025);
  let request = new Float64Array(4096 * D);
  let duration = new Float64Array(4096);
  let missingFlag = new Uint8Array(4096);
  let taskJob = new Int32Array(4096);
  let jobs = 0;
  let tasks = 0;
  let missing = 0;
  const scale = workload.priorityScale ?? 'google-2011';
  for await (const b of workload.taskBatches()) {
    request = g.f64(request, (tasks + b.count) * D);
    duration = g.f64(duration, tasks + b.count);
    missingFlag = g.u8(missingFlag, tasks + b.count);
    taskJob = g.i32(taskJob, tasks + b.count);
    for (let i = 0; i < b.count; i++) {
      const t = b.submitTime[i];
      const j = b.job[i];
      if (jobs === 0 || wjob[jobs - 1] !== j || submit[jobs - 1] !== t) {
        submit = g.f64(submit, jobs + 1);
        wjob = g.i32(wjob, jobs + 1);
        kind = g.u8(kind, jobs + 1);
        user = g.i32(user, jobs + 1);
        priority = g.i32(priority, jobs + 1);
        taskStart = g.i32(taskStart, jobs + 2);
        submit[jobs] = t;
        wjob[jobs] = j;
        priority[jobs] = b.priority[i];
        user[jobs] = b.user[i];
        kind[jobs] = isProductionBand(bandOf(b.priority[i], scale)) ? JobKind.Service : JobKind.Batch;
        taskStart[jobs] = tasks;
        jobs++;
      }
      let miss = false;
      for (let d = 0; d < D; d++) {
        const r = b.request[i * D + d];
        if (Number.isNaN(r)) miss = true;
        request[tasks * D + d] = Number.isNaN(r) ? 0 : r;
      }
      if (miss) missing++;
      missingFlag[tasks] = miss ? 1 : 0;
      taskJob[tasks] = jobs - 1;
      duration[tasks] = b.duration[i];
      tasks++;
    }
  }
  taskStart = g.i32(taskStart, jobs + 1);
  taskStart[jobs] = tasks;
  return {
    dims: D,
    jobCount: jobs,
    taskCount: tasks,
    submit: submit.subarray(0, jobs),
    workloadJob: wjob.subarray(0, jobs),
    kind: kind.subarray(0, jobs),
    user: user.subarray(0, jobs),
    priority: priority.subarray(0, jobs),
    taskStart: taskStart.subarray(0, jobs + 1),
    request: request.subarray(0, tasks * D),
    duration: duration.subarray(0, tasks),
    missing: missingFlag.subarray(0, tasks),
    taskJob: taskJob.subarray(0, tasks),
    missingRequests: missing,
  };
}
