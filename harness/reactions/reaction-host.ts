import type { Cluster } from '../cluster.js';
import type { TaskStore } from '../task-store.js';
import type { Workload } from '../../model/workload.js';
import type { MachineSpec } from '../../model/machine.js';
import type { ReactionCause } from '../../reports/reaction-results.js';

/**
 * Why a running task stopped, as the controllers see it (harness/controllers/ decide what follows).
 * The task's status is already set when `Reaction.stopped` is called: Finished, Killed (by the
 * source), Evicted (waits for its controller) or Failed.
 */
export const enum StopCause {
  /** Ran its duration. */
  Finished = 0,
  /** Killed by the source (trace KILL, activeDeadlineSeconds). */
  Killed = 1,
  /** Kubelet eviction under node pressure. */
  EvictedByKubelet = 2,
  /** A victim of preemption (after its graceful termination). */
  Preempted = 3,
  /** Its node failed and the node lifecycle controller evicted it (taint-based eviction). */
  NodeLost = 4,
  /** Its machine was removed (trace machine REMOVE, or a failed node with no grace). */
  MachineRemoved = 5,
  /** Drained by the cluster autoscaler or a Karpenter consolidation. */
  ScaleDown = 6,
  /** OOM-killed with restartPolicy Never (a pod failure). */
  OomKilled = 7,
  /** Killed because its Job failed (backoffLimit, activeDeadlineSeconds). */
  JobFailed = 8,
}

/**
 * What the simulator lets a reaction (preemption, controllers, failures, autoscaler, admission) see
 * and do. All times are µs; a call acts at the current simulated time. The simulator implements
 * it (harness/simulator.ts).
 */
export interface ReactionHost {
  readonly cluster: Cluster;
  readonly tasks: TaskStore;
  readonly workload: Workload;
  /** The current simulated time. */
  now(): number;
  /** The replay's seed (reactions fork their own streams from it). */
  readonly seed: number;
  /**
   * Calls `fn` at time `t` (≥ now): with the other events of that instant (timers in the order
   * set), before its scheduling pass.
   */
  at(t: number, fn: (t: number) => void): void;
  /** The running tasks on a node (first, then next until -1): walked without scanning the others. */
  firstOn(node: number): number;
  nextOn(task: number): number;
  /** How many tasks run on the node. */
  countOn(node: number): number;
  /** The vector a task is admitted by (its request, or its overcommit charge), flat `task * dims + d`. */
  admissionVectors(): Float64Array;
  /**
   * Stops a running task now: unbinds it, sets its status (Evicted for a cause its controller
   * answers: preemption, node loss, scale-down, kubelet eviction; Failed for JobFailed and
   * OomKilled; Killed otherwise) and tells the reactions (`stopped`), which decide what follows.
   * Its work since the start is lost (counted).
   */
  stopTask(task: number, cause: StopCause): void;
  /**
   * Graceful termination (preemption, drain): the task keeps its resources for `grace` µs, then
   * stops with `cause`; `then` runs right after (e.g. to bind the preemptor). A task already
   * terminating is not terminated twice (returns false).
   */
  terminate(task: number, cause: StopCause, grace: number, then?: (t: number) => void): boolean;
  /** Is the task in its graceful termination? */
  isTerminating(task: number): boolean;
  /**
   * Puts a task that is not running in the pending queue now, without admission (the admission
   * reaction itself uses it to let a parked pod in).
   */
  enqueue(task: number): void;
  /**
   * A controller makes a lost pod again (Evicted, or Failed by a pod failure): it passes admission
   * (every reaction's `admit`; a quota may park it) and then enters the queue. Returns whether it was
   * queued now.
   */
  recreate(task: number): boolean;
  /** Ends a task that is not running for good: status Failed or Rejected (leaves the queue if there). */
  endForGood(task: number, status: 'failed' | 'rejected'): void;
  /**
   * Starts a task on `node` now (the caller checked the fit with cluster.fits). Only for a task out
   * of the queue: one this reaction took in `unplaced` (also from inside that call), or one it kept
   * out in `admit`.
   */
  startOn(task: number, node: number): void;
  /** Adds a node now (priced by its instance type); creates its DaemonSet pods (Workload.daemonPodsFor). */
  addNode(spec: MachineSpec): number;
  /** Removes a node now; its remaining tasks stop with `cause`. */
  removeNode(node: number, cause: StopCause): void;
  /** NotReady nodes keep their pods bound but take no new ones (the node lifecycle controller's NoSchedule taint). */
  setNodeReady(node: number, ready: boolean): void;
  isNodeReady(node: number): boolean;
  /**
   * A node crashed (down = true): its tasks stay bound (the API server still lists them) but make
   * no progress — their work since their start is lost, their finish events go stale, no usage is
   * measured there, and availability counts them as not ready. Scheduling onto it goes on until
   * the node is marked NotReady (setNodeReady). down = false (recovered): its remaining tasks
   * restart their containers now (work from scratch). Reactions hear it through `nodeDown`.
   */
  setNodeDown(node: number, down: boolean): void;
  isNodeDown(node: number): boolean;
  /** Visits the tasks waiting in the pending queue (not those awaiting a requeue). Not for hot paths. */
  forEachPending(fn: (task: number) => void): void;
  /** Appends one row to events.csv. */
  logEvent(cause: ReactionCause, node: number, task: number, amount: number, duration: number): void;
}

/**
 * One reaction to the cluster's life. Every hook is optional; the simulator calls them in the
 * order the reactions were given. Hooks on the per-task path (admit, started, stopped, unplaced)
 * must be O(1) amortized or bounded (preemption: candidate sampling).
 */
export interface Reaction {
  readonly name: string;
  /** Once, at the replay's start, after the initial machines are added. */
  start?(host: ReactionHost, t: number): void;
  /** A task is about to enter the queue (submission or recreation): false keeps it out (admission took it). */
  admit?(task: number, t: number): boolean;
  /**
   * The policy found no node for a pending task in this pass. Return true to take the task out of
   * the queue (preemption nominated it): the pass goes on with the tasks behind it, and the
   * reaction later starts it (`startOn`, even from inside this call) or gives it back (`enqueue`).
   * Return false (or nothing) to leave it waiting; only the first reaction that returns true takes it.
   */
  unplaced?(task: number, t: number): boolean | void;
  started?(task: number, node: number, t: number): void;
  /** After a running task stopped (status set, resources released); `lost` = seconds of work lost (0 for a finish). */
  stopped?(task: number, node: number, t: number, cause: StopCause, lost: number): void;
  /** A task that was never running ended (killed while pending, rejected). */
  dropped?(task: number, t: number): void;
  nodeAdded?(node: number, t: number): void;
  nodeRemoved?(node: number, t: number): void;
  /** A node crashed (down) or came back (setNodeDown). */
  nodeDown?(node: number, t: number, down: boolean): void;
  /**
   * True for the reaction that decides what follows a lost pod (harness/controllers/): the
   * simulator then never requeues on its own. Without one, an evicted task is requeued after the
   * kubelet's delay and a task of a removed machine at once (the behaviour before controllers).
   */
  readonly ownsRecreation?: boolean;
  /** After each instant's scheduling passes. */
  afterPass?(t: number): void;
  /** At the end of the replay: fills its part of the results. */
  finish?(horizon: number, out: import('../../reports/reaction-results.js').ReactionsResults): void;
}
