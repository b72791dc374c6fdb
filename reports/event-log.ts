/**
 * One row per event (node dynamics or reactions), columnar. `task` = -1 for node events (pressure transitions, node failures). Amounts:
 * eviction / OOM: `memory` = the task's memory usage (bytes), `amount` = work lost (s);
 * throttling: `amount` = CPU-seconds throttled over the interval, `duration` = its length (s);
 * pressure: `memory` = memory.available (bytes).
 */
export interface DynamicsEventLog {
  readonly length: number;
  readonly time: Float64Array;
  readonly node: Int32Array;
  readonly task: Int32Array;
  readonly cause: Uint8Array;
  readonly memory: Float64Array;
  readonly amount: Float64Array;
  readonly duration: Float64Array;
}
