import type { JobController } from '../../model/workload-controllers.js';
import { jobPodBackoff } from './job-backoff.js';

/** spec.backoffLimit's default (batch/v1). */
export const DEFAULT_BACKOFF_LIMIT = 6;

export const enum JobState {
  Active = 0,
  Succeeded = 1,
  Failed = 2,
}

/**
 * The Job controller's bookkeeping (pkg/controller/job/job_controller.go; kubernetes.io/docs/
 * concepts/workloads/controllers/job/), per Workload job of kind Job or CronJob (each CronJob
 * run is a Job):
 * - a pod lost for any reason but success — failed (OOM-killed under restartPolicy Never),
 *   evicted, preempted, on a lost node — is a failed pod; the Job creates its replacement after
 *   the back-off (job-backoff.ts, counted from the failures since the last success);
 * - failed pods > backoffLimit (default 6) → the Job fails (BackoffLimitExceeded);
 * - restartPolicy OnFailure: the kubelet restarts failing containers in place, and the Job also
 *   fails when the restarts of its active (pending or running) pods sum to ≥ backoffLimit
 *   (> 0 when backoffLimit is 0; upstream pastBackoffLimitOnFailure). The host reports no
 *   in-place restart, so the sum is checked at the Job's own pod events (a start, a stop) — a
 *   Job failing by restarts alone fails at its next pod event, not at the restart itself;
 * - activeDeadlineSeconds after the Job started (its first pod's arrival) → the Job fails
 *   (DeadlineExceeded);
 * - a failed Job's running pods are terminated (with their grace period), its waiting ones never
 *   start; a Job whose pods all finished succeeded.
 * The pods of a Job are the tasks of its Workload job (the reader's slots: desired = their number).
 */
export class JobBook {
  state = new Uint8Array(0);
  failures = new Int32Array(0);
  private sinceSuccess = new Int32Array(0);
  private finished = new Int32Array(0);
  private registered = new Int32Array(0);
  private head = new Int32Array(0);
  private tail = new Int32Array(0);
  /** Per task: the next pod of its Job (-1 = last); its starts; the restarts of its earlier lives. */
  private nextPod = new Int32Array(0);
  private starts = new Int32Array(0);
  private restartBase = new Int32Array(0);
  succeeded = 0;
  failed = 0;

  /** A pod of the Job, first seen. */
  addPod(job: number, task: number): void {
    this.ensureJobs(job + 1);
    this.ensureTasks(task + 1);
    this.nextPod[task] = -1;
    if (this.registered[job]++ === 0) this.head[job] = task;
    else this.nextPod[this.tail[job]] = task;
    this.tail[job] = task;
  }

  /** Visits the Job's pods in arrival order (fn may stop and end them). */
  forEachPod(job: number, fn: (task: number) => void): void {
    if (job >= this.registered.length || this.registered[job] === 0) return;
    for (let task = this.head[job]; task >= 0; task = this.nextPod[task]) fn(task);
  }

  isActive(job: number): boolean {
    return this.state[job] === JobState.Active;
  }

  /**
   * A pod of the Job failed: counts it. Returns the back-off (µs) before its replacement, or -1
   * when the Job is now past its backoffLimit.
   */
  podFailed(job: number, c: JobController): number {
    this.failures[job]++;
    this.sinceSuccess[job]++;
    if (this.failures[job] > (c.backoffLimit ?? DEFAULT_BACKOFF_LIMIT)) return -1;
    return jobPodBackoff(this.sinceSuccess[job]);
  }

  /** A pod of the Job succeeded (ran to its end): true when that completes the Job. */
  podSucceeded(job: number, c: JobController): boolean {
    this.sinceSuccess[job] = 0;
    this.finished[job]++;
    if (this.state[job] !== JobState.Active) return false;
    const all = this.registered[job];
    if (this.finished[job] < all || all < c.desired) return false;
    this.state[job] = JobState.Succeeded;
    this.succeeded++;
    return true;
  }

  /** Marks the Job failed (once). */
  fail(job: number): boolean {
    if (this.state[job] !== JobState.Active) return false;
    this.state[job] = JobState.Failed;
    this.failed++;
    return true;
  }

  /**
   * A pod of the Job started. Under OnFailure, true when the in-place restarts of the Job's
   * active pods (`active`: pending or running) reach its limit (pastRestartLimit).
   */
  podStarted(job: number, task: number, c: JobController, attempts: Uint16Array, active: (task: number) => boolean): boolean {
    this.starts[task]++;
    return c.restartPolicy === 'OnFailure' && this.pastRestartLimit(job, c, attempts, active);
  }

  /**
   * A pod of the Job stopped (still counted active by `active`): under OnFailure, true when the
   * restarts reached the limit. It then leaves the active set: its replacement is a new pod with
   * no restarts.
   */
  podStopped(job: number, task: number, c: JobController, attempts: Uint16Array, active: (task: number) => boolean): boolean {
    const exceeded = c.restartPolicy === 'OnFailure' && this.pastRestartLimit(job, c, attempts, active);
    this.restartBase[task] = attempts[task] - this.starts[task];
    return exceeded;
  }

  /**
   * Upstream pastBackoffLimitOnFailure: Σ container restarts of the Job's pending and running
   * pods ≥ backoffLimit (> 0 for a limit of 0). A pod's restarts in its current life =
   * attempts (TaskStore: starts and in-place restarts) − starts − the restarts of its earlier
   * lives. O(pods of the Job), at the Job's pod events only.
   */
  private pastRestartLimit(job: number, c: JobController, attempts: Uint16Array, active: (task: number) => boolean): boolean {
    let sum = 0;
    for (let p = this.head[job]; p >= 0; p = this.nextPod[p]) {
      if (active(p)) sum += Math.max(0, attempts[p] - this.starts[p] - this.restartBase[p]);
    }
    const limit = c.backoffLimit ?? DEFAULT_BACKOFF_LIMIT;
    return limit === 0 ? sum > 0 : sum >= limit;
  }

  private ensureJobs(n: number): void {
    if (n <= this.state.length) return;
    const size = Math.max(n, this.state.length * 2, 16);
    const u8 = new Uint8Array(size);
    u8.set(this.state);
    this.state = u8;
    const g = (a: Int32Array): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    this.failures = g(this.failures);
    this.sinceSuccess = g(this.sinceSuccess);
    this.finished = g(this.finished);
    this.registered = g(this.registered);
    this.head = g(this.head);
    this.tail = g(this.tail);
  }

  private ensureTasks(n: number): void {
    if (n <= this.nextPod.length) return;
    const size = Math.max(n, this.nextPod.length * 2, 64);
    const g = (a: Int32Array): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    this.nextPod = g(this.nextPod);
    this.starts = g(this.starts);
    this.restartBase = g(this.restartBase);
  }
}
