import type { EventTasks } from './task-tally.js';

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
  /**
   * Rows logged before these that left memory (a replay whose task rows leave memory hands full
   * runs to its EventRowSink, or only counts them when it has none); 0 or absent = the log is whole.
   */
  readonly spilled?: number;
}

/**
 * Where a replay whose task rows leave memory hands its dynamics log, a run at a time, so the log's
 * memory stays bounded (reports/event-row-spool.ts writes them to a file for events.csv).
 */
export interface EventRowSink {
  /** The simulator hands the log over once it holds at least this many rows with their tasks named. */
  readonly runRows: number;
  /** Rows [0, log.length): `log.task` holds task ids, `tasks` each row's job, index and class. */
  add(log: DynamicsEventLog, tasks: EventTasks): void;
}

/**
 * Named rows a replay whose task rows leave memory keeps in its dynamics log before handing them
 * on: ~58 MiB of log and per-event task columns at most.
 */
export const EVENT_RUN_ROWS = 1 << 20;
