import type { ResourceSchema } from './resources.js';
import type { MachineEvent, MachineSpec } from './machine.js';
import type { PlacementConstraints } from './placement-constraints.js';
import type { TaskBatch } from './task-batch.js';
import type { UsageSeriesSet } from './usage-series.js';
import type { PriorityScale } from './priority-bands.js';
import type { DisruptionBudget, JobController, ResourceQuotaSpec } from './workload-controllers.js';

/**
 * The one normalized workload every source (generator or trace reader) produces: machines plus a
 * time-ordered stream of task batches. Times are integer microseconds (the Google traces' unit).
 * Missing values are NaN, never 0: a reader that cannot tell a request says so.
 */
export interface Workload {
  /** Human-readable source, e.g. 'synthetic(seed=1)' or a path. */
  name: string;
  resources: ResourceSchema;
  /** Machines present at time 0. */
  machines: MachineSpec[];
  /** Machine additions and removals after time 0, sorted by time. */
  machineEvents: MachineEvent[];
  /** Job and user names referenced by TaskBatch.job / .user (grown while batches stream in). */
  jobs: string[];
  users: string[];
  /** Task batches in submit order. Async so readers can stream files. */
  taskBatches(): AsyncIterable<TaskBatch>;
  /** Notes for the report: unit mappings, assumptions, counts of repaired or skipped input. */
  notes: string[];
  /** Placement constraints per job (index = TaskBatch.job); undefined = none. Grown while batches stream. */
  jobConstraints?: Array<PlacementConstraints | undefined>;
  /** Machine ids referenced by TaskBatch.recordedMachine. */
  machineIds?: string[];
  /** What the reader saw in the source, for `trace inspect` (filled when the batches are read). */
  sourceStats?: SourceStats;
  /** Total task count when known up front (for progress), else undefined. */
  expectedTasks?: number;
  /** End of the observation window, µs (e.g. the trace window or the generator's hours); the
   * replay stops there. Undefined = the last submit time. */
  horizon?: number;
  /**
   * Start of the observation window, µs (default 0). A trace slice that begins mid-way (no
   * initial-state rows) starts at its first event: `machines` are the machines up then, tasks
   * already there (running or pending) arrive at this time, and no submission or machine event
   * comes before it. Utilization and cost are integrated from here.
   */
  start?: number;
  /** Usage over time from the source itself (TaskBatch.usageSeries indexes it); undefined = none. */
  usageSeries?: UsageSeriesSet;
  /** How the source numbers priorities, for the Borg bands (default 'google-2011'). */
  priorityScale?: PriorityScale;
  /** The controller behind each job (index = TaskBatch.job); undefined = none known (a bare task). Grown while batches stream. */
  controllers?: Array<JobController | undefined>;
  /** PodDisruptionBudgets, resolved to the jobs they select. */
  disruptionBudgets?: DisruptionBudget[];
  /** ResourceQuotas per namespace (Kubernetes admission). */
  resourceQuotas?: ResourceQuotaSpec[];
  /** Borg traces: the delays (µs, sorted ascending) between a task's EVICT and its next SUBMIT in the trace, the resubmission delay the controllers sample. */
  resubmitDelays?: Float64Array;
  /**
   * DaemonSets: the pods to create when a node joins after the start (autoscaler, machine events,
   * a recovered node is not new). Called with the node's spec and the time; returns the batch (its
   * jobs and constraints already appended to `jobs` / `jobConstraints` / `controllers`), or
   * undefined when no DaemonSet wants the node.
   */
  daemonPodsFor?: (machine: MachineSpec, time: number) => TaskBatch | undefined;
  /** Pods the source's admission rejected before they existed (LimitRange min/max/ratio), by reason. */
  admissionRejections?: Record<string, number>;
}

/** Facts about the source files a reader counts while reading. */
export interface SourceStats {
  rowsRead?: number;
  files?: number;
  /** Event or record counts by type, in the source's own vocabulary (e.g. SUBMIT, SCHEDULE). */
  eventCounts?: Record<string, number>;
  /** Rows skipped under --on-bad-row skip, by reason. */
  badRows?: Record<string, number>;
}
