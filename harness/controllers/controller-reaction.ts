import type { Workload } from '../../model/workload.js';
import type { JobController } from '../../model/workload-controllers.js';
import { TaskStatus } from '../../model/task-status.js';
import { Rng } from '../../model/rng.js';
import { US_PER_SECOND } from '../../model/units.js';
import { StopCause, type Reaction, type ReactionHost } from '../reactions/reaction-host.js';
import { ReactionCause, type ReactionsResults } from '../../reports/reaction-results.js';
import { AvailabilityTracker, MAX_LISTED_WORKLOADS } from './availability-tracker.js';
import { BorgResubmission } from './borg-resubmission.js';
import { KindCode, isJobKind, isReplicaKind, kindCode } from './controller-kinds.js';
import { DaemonPods } from './daemon-set.js';
import { DueQueue } from './due-queue.js';
import { JobBook } from './job-controller.js';
import { StatefulSetOrdinals } from './stateful-set.js';
import { uncontrolledRequeueDelay } from './uncontrolled-requeue.js';

/** Where a task stands for the controllers. */
const enum Phase {
  Unseen = 0,
  /** In the queue, or waiting somewhere the controllers do not manage (a quota, a nomination). */
  Queued = 1,
  Running = 2,
  /** Kept out of the queue in `admit` (StatefulSet ordering); earlier admission hooks passed it. */
  Held = 3,
  /** Lost, its StatefulSet replacement waiting for the pods below it. */
  HeldLost = 4,
  /** Lost, waiting for its back-off or resubmission delay (DueQueue). */
  Awaiting = 5,
  /** Ended for good, or completed. */
  Done = 6,
}

/** Salt of the controllers' random stream (Borg resubmission delays), forked from the run's seed. */
const RNG_SALT = 0x636f6e74;
/** terminationGracePeriodSeconds' default (30 s), for a controller that does not state one. */
const DEFAULT_GRACE = 30 * US_PER_SECOND;

/**
 * The workload controllers (harness/controllers/): they decide what follows every lost pod — a
 * stop for any cause but a finish or the source's kill — from the controller behind its job
 * (Workload.controllers[job]), and measure each workload's availability (availability-tracker.ts).
 * With them on, the simulator never requeues on its own (ownsRecreation). What follows a loss:
 * - Deployment / ReplicaSet / ReplicationController: a new pod at once (the same task row, so
 *   tasks.csv `attempts` counts the pods; upstream's ReplicaSet creates it as soon as the old pod
 *   is terminating — here when it is gone, the row being one pod at a time);
 * - StatefulSet: the same ordinal, in order (stateful-set.ts);
 * - Job, CronJob's Jobs: a failed pod, its replacement after the back-off, the Job failing past
 *   backoffLimit or activeDeadlineSeconds (job-controller.ts, job-backoff.ts);
 * - DaemonSet: a new pod on the same node while the node exists (daemon-set.ts);
 * - a bare Pod: nothing recreates it; it ends Failed (kubelet restarts in place are the kubelet's);
 * - Borg job: back in the queue after a delay drawn from the trace's EVICT→SUBMIT gaps (borg-resubmission.ts);
 * - no controller known: requeued as before controllers (uncontrolled-requeue.ts).
 * Every loss is answered by exactly one of recreate (now or later) and endForGood. Per task
 * the hooks are O(1) with typed arrays (a StatefulSet's own pods walk its ordinals).
 */
export function createControllers(workload: Workload, seed: number): Reaction {
  return new ControllerReaction(workload, seed);
}

class ControllerReaction implements Reaction {
  readonly name = 'controllers';
  readonly ownsRecreation = true;
  private host!: ReactionHost;
  private readonly workload: Workload;
  private readonly borg: BorgResubmission;
  private avail!: AvailabilityTracker;
  private due!: DueQueue;
  private readonly jobs = new JobBook();
  private readonly sets = new StatefulSetOrdinals();
  private readonly daemons = new DaemonPods();
  /** Per task. */
  private phase = new Uint8Array(0);
  private ready = new Uint8Array(0);
  private kubeletLosses = new Uint16Array(0);
  /** Per job: registered yet, and its controller kind. */
  private jobSeen = new Uint8Array(0);
  private kind = new Uint8Array(0);

  constructor(workload: Workload, seed: number) {
    this.workload = workload;
    this.borg = new BorgResubmission(workload.resubmitDelays, new Rng(seed).fork(RNG_SALT));
  }

  start(host: ReactionHost): void {
    this.host = host;
    this.avail = new AvailabilityTracker(countWorkloads(this.workload.controllers, MAX_LISTED_WORKLOADS + 1) <= MAX_LISTED_WORKLOADS);
    this.due = new DueQueue(
      (t, fn) => host.at(t, fn),
      (id, t) => this.onDue(id, t),
    );
    this.growTasks(Math.max(1024, host.tasks.count));
  }

  admit(task: number, t: number): boolean {
    this.see(task, t);
    const job = this.host.tasks.job[task];
    const k = this.kind[job] as KindCode;
    if (k === KindCode.StatefulSet) {
      const c = this.controllerOf(job);
      if (c.orderedReady !== false && !this.sets.mayCreate(job, this.host.tasks.taskIndex[task], this.settled)) {
        this.phase[task] = Phase.Held;
        return false;
      }
    } else if (isJobKind(k) && !this.jobs.isActive(job)) {
      // A pod of a Job that is already over never starts.
      this.phase[task] = Phase.Done;
      this.host.at(t, () => this.endWaiting(task));
      return false;
    }
    this.phase[task] = Phase.Queued;
    return true;
  }

  started(task: number, node: number, t: number): void {
    this.see(task, t);
    this.phase[task] = Phase.Running;
    const job = this.host.tasks.job[task];
    const k = this.kind[job] as KindCode;
    if (k === KindCode.None) return;
    if (k === KindCode.DaemonSet) this.daemons.leave(task);
    if (!this.host.isNodeDown(node)) this.markReady(task, job, t);
    if (isJobKind(k)) {
      const c = this.controllerOf(job);
      if (this.jobs.podStarted(job, task, c, this.host.tasks.attempts, this.activePod) && this.jobs.isActive(job)) this.failJob(job, t, task);
    }
  }

  stopped(task: number, node: number, t: number, cause: StopCause): void {
    this.see(task, t);
    const tasks = this.host.tasks;
    const job = tasks.job[task];
    const k = this.kind[job] as KindCode;
    if (this.ready[task]) {
      this.ready[task] = 0;
      this.avail.readyDown(job, t);
    }
    const c = k === KindCode.None ? undefined : this.controllerOf(job);
    // (Its phase still says running: it is counted among the Job's active pods one last time.)
    const restartsExceeded = isJobKind(k) && this.jobs.podStopped(job, task, c!, tasks.attempts, this.activePod);
    if (cause === StopCause.Finished || cause === StopCause.Killed) {
      this.phase[task] = Phase.Done;
      if (k === KindCode.None) return;
      this.avail.complete(job, t);
      if (isJobKind(k)) {
        if (restartsExceeded && this.jobs.isActive(job)) this.failJob(job, t, task);
        else if (cause === StopCause.Finished) this.jobs.podSucceeded(job, c!);
      } else if (k === KindCode.StatefulSet) this.advanceSet(job);
      return;
    }
    if (cause === StopCause.JobFailed) {
      // Terminated by its failed Job (status Failed already).
      this.phase[task] = Phase.Done;
      return;
    }
    // A lost pod.
    if (k === KindCode.None) {
      const delay = uncontrolledRequeueDelay(cause, this.kubeletLosses[task]);
      if ((cause === StopCause.EvictedByKubelet || cause === StopCause.OomKilled) && this.kubeletLosses[task] < 0xffff) this.kubeletLosses[task]++;
      this.recreateAfter(task, delay);
      return;
    }
    this.avail.lostPod(job);
    if (isReplicaKind(k)) return this.recreateAfter(task, 0);
    switch (k) {
      case KindCode.Pod:
        return this.endLost(task);
      case KindCode.StatefulSet:
        if (c!.orderedReady === false || this.sets.mayCreate(job, tasks.taskIndex[task], this.settled)) return this.recreateAfter(task, 0);
        this.phase[task] = Phase.HeldLost;
        return;
      case KindCode.DaemonSet:
        if (DaemonPods.nodeGone(cause) || !this.host.cluster.up[node]) {
          this.endLost(task);
          this.avail.retire(job, t);
          return;
        }
        this.daemons.waiting(task, node);
        return this.recreateAfter(task, 0);
      case KindCode.Job:
      case KindCode.CronJob: {
        if (!this.jobs.isActive(job)) return this.endLost(task);
        const delay = this.jobs.podFailed(job, c!);
        if (delay < 0 || restartsExceeded) {
          this.endLost(task);
          this.failJob(job, t, task);
          return;
        }
        return this.recreateAfter(task, delay);
      }
      case KindCode.BorgJob:
        return this.recreateAfter(task, this.borg.next());
    }
  }

  dropped(task: number, t: number): void {
    this.see(task, t);
    if (this.phase[task] === Phase.Done) return;
    this.phase[task] = Phase.Done;
    const job = this.host.tasks.job[task];
    const k = this.kind[job] as KindCode;
    if (k === KindCode.None) return;
    if (k === KindCode.DaemonSet) this.daemons.leave(task);
    // Killed by the source while waiting: it completed. Rejected (a quota), or failed by another
    // reaction: still wanted, never ready.
    if (this.host.tasks.status[task] === TaskStatus.Killed) {
      this.avail.complete(job, t);
      if (k === KindCode.StatefulSet) this.advanceSet(job);
    }
  }

  nodeDown(node: number, t: number, down: boolean): void {
    const h = this.host;
    for (let task = h.firstOn(node); task >= 0; task = h.nextOn(task)) {
      if (task >= this.phase.length) continue;
      const job = h.tasks.job[task];
      if (this.kind[job] === KindCode.None) continue;
      if (down) {
        if (this.ready[task]) {
          this.ready[task] = 0;
          this.avail.readyDown(job, t);
        }
      } else if (!this.ready[task] && this.phase[task] === Phase.Running) this.markReady(task, job, t);
    }
  }

  nodeRemoved(node: number, t: number): void {
    for (const task of this.daemons.takeWaiting(node)) {
      const ph = this.phase[task];
      if (ph === Phase.Done || ph === Phase.Running) continue;
      this.endLost(task);
      this.avail.retire(this.host.tasks.job[task], t);
    }
  }

  finish(horizon: number, out: ReactionsResults): void {
    if (this.avail.workloadCount === 0) return;
    out.availability = this.avail.report(horizon, this.jobs.succeeded, this.jobs.failed);
  }

  // ---- internals

  /** Running and Ready, or completed: does not hold a StatefulSet's walk back. */
  private readonly settled = (task: number): boolean => {
    if (this.ready[task]) return true;
    const st = this.host.tasks.status[task];
    return st === TaskStatus.Finished || st === TaskStatus.Killed;
  };

  /** A pod that exists, pending or running (for a Job's restart count). */
  private readonly activePod = (task: number): boolean => {
    const ph = this.phase[task];
    return ph === Phase.Queued || ph === Phase.Running || ph === Phase.Held;
  };

  private readonly isHeld = (task: number): boolean => this.phase[task] === Phase.Held || this.phase[task] === Phase.HeldLost;

  private controllerOf(job: number): JobController {
    return this.workload.controllers![job]!;
  }

  /**
   * First sight of a task — at its admission, or (a pod an earlier hook parked, then let in
   * without admission) at its start or end: its job's workload, the pod lists. It is wanted from
   * then on: run the controllers before admission for a parked pod to count from its submission.
   */
  private see(task: number, t: number): void {
    if (task >= this.phase.length) this.growTasks(task + 1);
    if (this.phase[task] !== Phase.Unseen) return;
    this.phase[task] = Phase.Queued;
    const tasks = this.host.tasks;
    const job = tasks.job[task];
    if (job >= this.jobSeen.length) this.growJobs(job + 1);
    if (!this.jobSeen[job]) this.registerJob(job, t);
    const k = this.kind[job] as KindCode;
    if (k === KindCode.None) return;
    this.avail.arrive(job, t);
    if (isJobKind(k)) this.jobs.addPod(job, task);
    else if (k === KindCode.StatefulSet) this.sets.register(job, tasks.taskIndex[task], task, this.controllerOf(job).desired);
    else if (k === KindCode.DaemonSet) this.daemons.waiting(task, this.pinnedNode(job));
  }

  private registerJob(job: number, t: number): void {
    this.jobSeen[job] = 1;
    const c = this.workload.controllers?.[job];
    const k = kindCode(c);
    this.kind[job] = k;
    if (c === undefined) return;
    this.avail.register(job, c, k, t);
    // activeDeadlineSeconds counts from the Job's start (status.startTime): its first pod's arrival.
    if (isJobKind(k) && c.activeDeadline !== undefined) this.due.push(t + c.activeDeadline, -(job + 1));
  }

  /** The node a DaemonSet's per-node job is pinned to (spec.nodeName), or -1. */
  private pinnedNode(job: number): number {
    const name = this.workload.jobConstraints?.[job]?.nodeName;
    if (name === undefined) return -1;
    return this.host.cluster.nodeById(name) ?? -1;
  }

  private markReady(task: number, job: number, t: number): void {
    this.ready[task] = 1;
    this.avail.readyUp(job, t);
    if (this.kind[job] === KindCode.StatefulSet) this.advanceSet(job);
  }

  /** OrderedReady: creates the next held pod of the set when the pods below it are settled. */
  private advanceSet(job: number): void {
    if (this.controllerOf(job).orderedReady === false) return;
    const task = this.sets.nextToCreate(job, this.settled, this.isHeld);
    if (task < 0) return;
    if (this.phase[task] === Phase.HeldLost) this.recreateNow(task);
    else {
      // Held at its admission: admitted again now (a quota that charged it already does not
      // charge it twice), whatever the hooks' order.
      this.phase[task] = Phase.Queued;
      this.host.recreate(task);
    }
  }

  private recreateAfter(task: number, delay: number): void {
    if (delay > 0) {
      this.phase[task] = Phase.Awaiting;
      this.due.push(this.host.now() + delay, task);
    } else this.recreateNow(task);
  }

  /** The replacement pod: through admission into the queue. */
  private recreateNow(task: number): void {
    const h = this.host;
    const job = h.tasks.job[task];
    this.phase[task] = Phase.Queued;
    if (this.kind[job] !== KindCode.None) {
      this.avail.recreatedPod(job);
      const end = h.tasks.end[task];
      h.logEvent(ReactionCause.Recreated, h.tasks.node[task], task, end === end ? (h.now() - end) / US_PER_SECOND : 0, 0);
    }
    h.recreate(task);
  }

  private onDue(id: number, t: number): void {
    if (id < 0) {
      const job = -id - 1;
      if (this.jobs.isActive(job)) this.failJob(job, t, -1);
      return;
    }
    const task = id;
    if (this.phase[task] !== Phase.Awaiting) return;
    const job = this.host.tasks.job[task];
    if (isJobKind(this.kind[job] as KindCode) && !this.jobs.isActive(job)) return this.endLost(task);
    this.recreateNow(task);
  }

  /** A lost pod nothing will recreate. */
  private endLost(task: number): void {
    this.phase[task] = Phase.Done;
    this.endWaiting(task);
  }

  /** Ends a task that waits (pending, held, lost): Failed; one already Failed stays so. */
  private endWaiting(task: number): void {
    this.daemons.leave(task);
    const st = this.host.tasks.status[task];
    if (st === TaskStatus.Pending || st === TaskStatus.Evicted) this.host.endForGood(task, 'failed');
  }

  /** The Job failed (backoffLimit, restarts, activeDeadlineSeconds): its pods are given up. */
  private failJob(job: number, t: number, task: number): void {
    if (!this.jobs.fail(job)) return;
    const h = this.host;
    const c = this.controllerOf(job);
    h.logEvent(ReactionCause.JobFailed, task >= 0 ? h.tasks.node[task] : -1, task, this.jobs.failures[job], 0);
    const grace = c.terminationGracePeriod >= 0 ? c.terminationGracePeriod : DEFAULT_GRACE;
    this.jobs.forEachPod(job, (p) => {
      const ph = this.phase[p];
      if (ph === Phase.Done) return;
      if (ph === Phase.Running) {
        // Deleted with its grace period (a pod already terminating stops on its own).
        if (h.tasks.status[p] === TaskStatus.Running) h.terminate(p, StopCause.JobFailed, grace);
        return;
      }
      this.endLost(p);
    });
    this.avail.retire(job, t);
  }

  private growTasks(n: number): void {
    if (n <= this.phase.length) return;
    const size = Math.max(n, this.phase.length * 2, 1024);
    const p = new Uint8Array(size);
    p.set(this.phase);
    this.phase = p;
    const r = new Uint8Array(size);
    r.set(this.ready);
    this.ready = r;
    const k = new Uint16Array(size);
    k.set(this.kubeletLosses);
    this.kubeletLosses = k;
  }

  private growJobs(n: number): void {
    const size = Math.max(n, this.jobSeen.length * 2, 256);
    const s = new Uint8Array(size);
    s.set(this.jobSeen);
    this.jobSeen = s;
    const k = new Uint8Array(size);
    k.set(this.kind);
    this.kind = k;
  }
}

/** Distinct controller objects (kind and name) among the jobs' controllers, counted up to `cap`. */
function countWorkloads(controllers: Workload['controllers'], cap: number): number {
  if (!controllers) return 0;
  const seen = new Set<string>();
  for (const c of controllers) {
    if (c === undefined) continue;
    seen.add(`${c.kind}\u0000${c.name}`);
    if (seen.size >= cap) break;
  }
  return seen.size;
}
