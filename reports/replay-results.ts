import type { ResourceSchema } from '../model/resources.js';
import type { ReactionsResults } from './reaction-results.js';
import type { DynamicsEventLog } from './event-log.js';
import type { TaskTally } from './task-tally.js';
import type { TaskRecords } from './task-records.js';

export type { TaskRecords } from './task-records.js';

/**
 * What reports read from a replay: the final state, time integrals and samples. The simulator's
 * SimulationResult (harness/simulator.ts) is one of these, so reports never name the simulator's
 * own classes (TaskStore, Cluster, TimeSeries). Times are µs; arrays are columnar, one row per
 * task or sample, vectors flat `row * dims + d`.
 */
export interface ReplayResults {
  seed: number;
  policy: string;
  /** Start of the replayed window (µs; Workload.start, default 0) and its end. */
  start: number;
  horizon: number;
  tasks: TaskRecords;
  cluster: ClusterAtEnd;
  series: SampleSeries;
  events: EventCounts;
  /** ∫ requested dt and ∫ allocatable dt per dimension (unit·µs). */
  requestedArea: Float64Array;
  allocatableArea: Float64Array;
  /** ∫ nodes up dt and ∫ nodes running ≥ 1 task dt (node·µs). */
  nodeArea: number;
  busyNodeArea: number;
  /** ∫ Σ hourly price of the nodes up dt and of the busy nodes dt (($/h)·µs): cost with each machine at its own price. */
  costArea: number;
  busyCostArea: number;
  peakBusyNodes: number;
  pendingAtEnd: number;
  runningAtEnd: number;
  initialNodes: number;
  /** Tasks whose request was missing (placed as zero-request). */
  missingRequests: number;
  /** Tasks whose usage profile was unknown (used utilization then unknown while they run). */
  missingUsage: number;
  placementAttempts: number;
  /** `--placement recorded` only: how faithfully the trace's placements fit the model. */
  recorded?: RecordedChecks;
  /** Why each task pending at the end waits: kube-scheduler's FailedScheduling message (harness/pending-reasons.ts). */
  pending: PendingSummary;
  /** Node dynamics (usage, QoS, eviction, OOM, throttling, overcommit); undefined = replay without them. */
  dynamics?: DynamicsResults;
  /** The cluster's reactions (preemption, controllers, failures, autoscaling, admission); undefined = none on. */
  reactions?: ReactionsResults;
  /**
   * The task rows' figures accumulated as tasks ended, when the replay let finished tasks leave
   * memory (`tasks` then holds only the rows alive at the end, and the dynamics' per-task arrays
   * are empty); undefined = every row is in `tasks` and the summary tallies them (task-tally.ts).
   */
  tally?: TaskTally;
}

/**
 * What the node dynamics left behind (harness/node-dynamics.ts): per task counters, one row per
 * event, and the run's totals. Per-task arrays have `tasks.count` rows.
 */
export interface DynamicsResults {
  /** What was modeled, for run.json and the report (usage source, thresholds, overcommit). */
  readonly settings: Readonly<Record<string, string | number>>;
  /** Evictions by the kubelet (pressure), OOM kills (limit or node), per task. */
  readonly evictions: Uint16Array;
  readonly oomKills: Uint16Array;
  /** CPU-seconds of demand throttled (CFS quota at the limit, or cpu.shares on a full node), per task. */
  readonly throttledCpuSeconds: Float64Array;
  /** Work lost to evictions, OOM kills and machine loss: seconds run by attempts that did not finish. */
  readonly lostWorkSeconds: Float64Array;
  /** Peak memory usage seen per task (bytes), NaN = never evaluated. */
  readonly peakMemory: Float64Array;
  readonly events: DynamicsEventLog;
  /** Node evaluations done by housekeeping, and the housekeeping ticks. */
  readonly nodeEvaluations: number;
  readonly housekeepingTicks: number;
  /**
   * Machine-intervals (node × usage step) evaluated with tasks on them, and of those the ones where
   * usage exceeded the node's capacity in some dimension (CPU demand or memory): the violation rate.
   */
  readonly nodeIntervals: number;
  readonly violatedIntervals: number;
}

export { DynamicsCause, DYNAMICS_CAUSE_NAMES } from './dynamics-cause.js';

export type { DynamicsEventLog } from './event-log.js';


/** The cluster as the run left it: its resource schema, node ids and how many nodes are up. */
export interface ClusterAtEnd {
  readonly dims: number;
  readonly resources: ResourceSchema;
  readonly ids: readonly string[];
  readonly upCount: number;
  /** Per node (`node * dims + d`), for the packing metrics (reports/packing-metrics.ts); absent = not measured. */
  readonly nodeCount?: number;
  readonly up?: ArrayLike<number>;
  readonly allocatable?: ArrayLike<number>;
  readonly requested?: ArrayLike<number>;
}

/** Periodic samples: requested, used and allocatable per dimension, nodes up and busy, tasks running and pending. */
export interface SampleSeries {
  readonly length: number;
  readonly time: Float64Array;
  readonly requested: Float64Array;
  readonly used: Float64Array;
  readonly allocatable: Float64Array;
  readonly nodesUp: Int32Array;
  readonly nodesBusy: Int32Array;
  readonly running: Int32Array;
  readonly pending: Int32Array;
}

export interface EventCounts {
  submit: number;
  start: number;
  finish: number;
  kill: number;
  machineAdd: number;
  machineRemove: number;
  sample: number;
}

export interface RecordedChecks {
  /** Recorded starts replayed. */
  started: number;
  /** Of those, starts whose requests exceeded the machine's free allocatable (bound anyway). */
  overCapacity: number;
  /** Recorded starts on a machine that was unknown or down at that time (not started). */
  machineMissing: number;
  /** Tasks with no recorded start that stayed pending. */
  neverStarted: number;
}

/** Why the tasks pending at the end wait, in kube-scheduler's words. */
export interface PendingSummary {
  /** Per task: index into `messages`; -1 = not pending at the end. Empty when nothing is pending. */
  readonly messageOf: Int32Array;
  /** Distinct FailedScheduling messages. */
  readonly messages: readonly string[];
  /** Per node-level reason: how many pending tasks it applies to (on at least one node). */
  readonly byReason: ReadonlyMap<string, number>;
}
