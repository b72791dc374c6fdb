/**
 * A task's usage over time, as the node dynamics read it: a pure function of (task, dimension,
 * step) on the usage grid (`step` µs, steps counted from the replay's start), so a task uses the
 * same whatever the policy and whenever it is asked (the overcommit oracle reads the future).
 * Implementations: harness/usage/ (trace series, usage library, synthetic process, flat).
 */
export interface TaskUsageSource {
  /** Where usage comes from, for run.json and the report, e.g. 'synthetic(calibrated on library gcd)'. */
  readonly description: string;
  /** Grid step, µs. */
  readonly step: number;
  /** Called once the tasks [from, to) are in the task table, before any of them runs (assign series). */
  assign(from: number, to: number): void;
  /**
   * Usage of `task` in dimension `d` during step `k`, in absolute units (millicores, bytes): a
   * fraction of the task's usage scale (its request unless TaskBatch.usageScale says otherwise).
   * NaN = unknown. May exceed the request and the limit (demand; the node dynamics cap it).
   */
  usage(task: number, d: number, k: number): number;
  /**
   * Optional, the same numbers for many tasks at once: `out[p] = usage(tasks[p], d, k)` for
   * p < n. Only a speed-up (the node dynamics call it for a node's tasks, so their cache misses
   * overlap); it must equal `usage` bit for bit.
   */
  usageBatch?(tasks: Int32Array, n: number, d: number, k: number, out: Float64Array): void;
  /**
   * Optional, for callers that keep running tasks' state side by side (the node dynamics' per-node
   * blocks): a task's lookup state is `recordSize` numbers, fixed once assigned; `copyRecord`
   * writes them to out[at..); `usageFromRecords` is usage() from such copies, for the n records
   * at `first`, first − stride, first − 2·stride … (out[p] from the one at first − p·stride).
   * Only a speed-up: bit for bit equal to `usage`.
   */
  readonly recordSize?: number;
  copyRecord?(task: number, out: Float64Array, at: number): void;
  usageFromRecords?(records: Float64Array, first: number, stride: number, n: number, d: number, k: number, out: Float64Array): void;
  /**
   * Optional, usageFromRecords for two dimensions in one pass (the record is read once):
   * out0[outAt + p] and out1[outAt + p] for dimensions d0 and d1 (both ≥ 0). Bit for bit `usage`.
   */
  usagePairFromRecords?(
    records: Float64Array,
    first: number,
    stride: number,
    n: number,
    k: number,
    d0: number,
    d1: number,
    out0: Float64Array,
    out1: Float64Array,
    outAt: number,
  ): void;
  /** Optional: lines for the run notes, e.g. how many tasks got a trace, library or synthetic series. */
  notes?(): string[];
}

/** The task-table columns a usage source reads (the simulator's TaskStore has them). */
export interface UsageTaskColumns {
  readonly dims: number;
  readonly request: Float64Array;
  readonly limit: Float64Array;
  readonly job: Int32Array;
  readonly taskIndex: Int32Array;
  readonly usageFraction: Float32Array;
  readonly usageVariation: Float32Array;
  /** Index into Workload.usageSeries, -1 = none. */
  readonly usageSeries: Int32Array;
  /** Usage scale per dimension (NaN = the request). */
  readonly usageScale: Float64Array;
  /** The task each row holds (rows are reused when finished tasks leave memory); absent = the row number. */
  readonly id?: Int32Array;
}
