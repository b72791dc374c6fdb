import type { Cluster } from '../cluster.js';
import type { ArchitectureJobs } from './architecture-jobs.js';
import type { SchedulerAgent } from './scheduler-agent.js';
import type { DecisionOutcome } from './scheduler-agent.js';

/**
 * What an architecture may do to the simulated cell. The simulator owns time, the cell, task ends
 * and the job statistics; an architecture owns its schedulers and how jobs reach them.
 */
export interface ArchitectureHost {
  /** Simulated time, µs. */
  readonly now: number;
  /** End of the replay window, µs. */
  readonly horizon: number;
  readonly jobs: ArchitectureJobs;
  /** The cell: per-node free room (`free`), `fits`, temporary `bind`/`unbind` while deciding, `setHeld` for locks. */
  readonly cluster: Cluster;
  /**
   * Per node, a sequence number bumped by every committed placement: the Omega paper's
   * coarse-grained conflict test compares it with the one a claim saw (§3.4, "sequence numbers").
   */
  readonly nodeSeq: Int32Array;
  /** Node of each task: -1 = not placed (yet); ≥ 0 = running there; -2 = ended. */
  readonly taskNode: Int32Array;
  /** Tasks of `job` not yet placed. */
  unplaced(job: number): number;
  /**
   * The policy's node for `task` on the cell as it is now (with any temporary binds), only among
   * nodes `allowed` accepts when given (rejecting at most `excludesAtMost` nodes, default all:
   * a bound lets the feasibility index stop early, but moves where a sampling policy's rotating
   * window stops, so decisions then depend on it); -1 = none. Never binds.
   */
  choose(task: number, allowed?: (node: number) => boolean, excludesAtMost?: number): number;
  /** Starts `task` on `node` for real: binds it, bumps the node's sequence number, schedules its end. */
  start(task: number, node: number): void;
  /**
   * Binds `task` on `node` for a moment, telling the policy (a scheduler deciding on its snapshot,
   * so a job's later tasks see its earlier claims); undone with tentativeUnbind before anyone else acts.
   */
  tentativeBind(task: number, node: number): void;
  tentativeUnbind(task: number, node: number): void;
  /**
   * Takes running `task` off its node (preemption): frees its room, and it is unplaced again (its
   * job's unplaced count grows; the architecture decides when it is retried). No taskEnded call.
   */
  evict(task: number): void;
  /**
   * A scheduler finished deciding about `job` after `micros` µs: books its busy time, and when the
   * job still has unplaced tasks either gives up on it (Omega's rule: more than 100 attempts
   * without placing a task, or more than 1,000 in all) or hands it back to `requeue` after 1 s.
   */
  finishAttempt(agent: SchedulerAgent, job: number, micros: number, outcome: DecisionOutcome, requeue: (job: number) => void): void;
  /** Calls `fire(a, b)` at `time` (µs, ≥ now). */
  at(time: number, fire: (a: number, b: number) => void, a?: number, b?: number): void;
  /** Adds to the time-integral of locked (offered, pessimistically held) resources: call when locks change. */
  lockedChanged(): void;
}

/** A scheduler architecture: its schedulers and how jobs flow through them. */
export interface Architecture {
  readonly name: string;
  /** Its schedulers, for the results (busyness, conflicts). */
  readonly schedulers: readonly SchedulerAgent[];
  /** A job was submitted at host.now. */
  submit(job: number): void;
  /** A task ended at host.now and freed its room on `node` (architectures that offer or account by queue react). */
  taskEnded?(task: number, node: number): void;
  /** A machine removal killed `task` on `node` (host.evict was called); its job will be resubmitted. */
  taskEvicted?(task: number, node: number): void;
  /** `node` is leaving (its tasks were evicted): drop any lock or claim on it. */
  nodeRemoved?(node: number): void;
  /** A job that lost tasks to a machine removal comes back (default: submit). */
  resubmit?(job: number): void;
  /** Architecture-specific figures for the results (offers made, preemptions, queue shares...). */
  extraResults?(): Record<string, unknown>;
}

export type ArchitectureFactory = (host: ArchitectureHost) => Architecture;
