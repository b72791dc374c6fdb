import type { ResourceSchema } from '../harness/resources.js';
import type { MachineExtras, PlacementConstraints } from './placement-constraints.js';

/**
 * The one normalized workload every source (generator or trace reader) produces: machines plus a
 * time-ordered stream of task batches. Times are integer microseconds (the Google traces' unit).
 * Missing values are NaN, never 0: a reader that cannot tell a request says so.
 */
export interface MachineSpec extends MachineExtras {
  /** Stable identifier from the source (trace machine ID, node name, or generated). */
  id: string;
  /** Capacity per resource dimension, in the schema's units. */
  capacity: number[];
  /** Allocatable per dimension (capacity minus reservations); defaults to capacity. */
  allocatable?: number[];
  labels?: Record<string, string>;
  instanceType?: string;
}

export interface MachineEvent {
  time: number;
  kind: 'add' | 'remove';
  machine: MachineSpec;
}

/**
 * A columnar slice of tasks, sorted by submitTime, each batch starting no earlier than the previous
 * one ended. Vectors are flat: `request[i * dims + d]`.
 */
export interface TaskBatch {
  count: number;
  /** Submit time, µs, non-decreasing. */
  submitTime: Float64Array;
  /** Run time once started, µs; NaN = unknown (runs until the end of the replay). */
  duration: Float64Array;
  /** Requested amount per dimension (what the scheduler reserves); NaN = missing. */
  request: Float64Array;
  /** Limit per dimension; NaN = no limit given. */
  limit: Float64Array;
  /** Larger = more important (Borg convention). */
  priority: Int32Array;
  /** Index into Workload.jobs (the owner job or collection). */
  job: Int32Array;
  /** Index of the task within its job. */
  taskIndex: Int32Array;
  /** Index into Workload.users; -1 = unknown. */
  user: Int32Array;
  /** Mean usage as a fraction of request, per dimension; NaN = unknown. */
  usageFraction: Float32Array;
  /** Coefficient of variation of usage between samples (0 = flat). */
  usageVariation: Float32Array;
  /**
   * Optional: absolute time (µs) the source killed the task, pending or running (NaN = never).
   * A task killed while pending leaves the queue; one killed while running is stopped.
   */
  killTime?: Float64Array;
  /** Optional, for `--placement recorded`: the start time (µs) the trace recorded (NaN = never started). */
  recordedStart?: Float64Array;
  /** Optional, for `--placement recorded`: index into Workload.machines ∪ machineEvents ids via Workload.machineIds; -1 = none. */
  recordedMachine?: Int32Array;
  /**
   * Optional: the gang a task belongs to (-1 = none). A gang is a rigid parallel job (an SWF job
   * of P processors; later, a multi-GPU job): its tasks are placed all-or-nothing, in one
   * scheduling pass. Members share the job, request and submit time and come one after another.
   */
  gang?: Int32Array;
  /** Optional, with `gang`: how many tasks the task's gang has. */
  gangSize?: Int32Array;
}

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
}

/** Allocates an empty batch of `count` tasks over `dims` dimensions. */
export function allocTaskBatch(count: number, dims: number): TaskBatch {
  return {
    count,
    submitTime: new Float64Array(count),
    duration: new Float64Array(count),
    request: new Float64Array(count * dims),
    limit: new Float64Array(count * dims).fill(NaN),
    priority: new Int32Array(count),
    job: new Int32Array(count),
    taskIndex: new Int32Array(count),
    user: new Int32Array(count).fill(-1),
    usageFraction: new Float32Array(count * dims).fill(NaN),
    usageVariation: new Float32Array(count),
  };
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
