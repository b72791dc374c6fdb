/**
 * A columnar slice of tasks, sorted by submitTime, each batch starting no earlier than the previous
 * one ended. Vectors are flat: `request[i * dims + d]`. Times are integer microseconds; missing
 * values are NaN, never 0: a reader that cannot tell a request says so.
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
  /**
   * Optional: the task's usage series over time, an index into Workload.usageSeries (-1 = none:
   * the harness assigns one from the usage library or the synthetic process).
   */
  usageSeries?: Int32Array;
  /**
   * Optional: the amount usage fractions are relative to, per dimension (flat like `request`;
   * NaN = the request). A BestEffort task requests nothing but still uses something: its scale
   * says how much.
   */
  usageScale?: Float64Array;
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
