import type { RunRecord } from './results-folder.js';

/**
 * A replay results folder read back (README § Results folder; written by reports/results-folder.ts):
 * run.json as its record, tasks.csv, timeseries.csv and events.csv as typed columns (NaN / null
 * for an empty field: not started, no limit, missing request, no task). For charts, the report and
 * notebooks-in-TypeScript; a folder that is incomplete or from an incompatible schedlab is refused
 * (exit 2) rather than drawn half-right.
 */
export interface LoadedRun {
  dir: string;
  record: RunRecord;
  /** The run's name in a figure: the policy, plus the overcommit setting when one was given (as compare labels its columns). */
  label: string;
  tasks: TasksColumns;
  timeseries: TimeSeriesColumns;
  /** events.csv (node dynamics and the cluster's reactions); null when the run had neither. */
  events: EventsColumns | null;
  /** availability.csv (the workload controllers' ready replicas over time); null when the run wrote none. */
  availability: AvailabilityColumns | null;
}

export const TASK_STATUSES = ['pending', 'running', 'finished', 'killed', 'evicted', 'failed', 'rejected'] as const;
export const TIMESERIES_METRICS = ['requested_fraction', 'used_fraction', 'nodes_up', 'nodes_busy', 'tasks_running', 'tasks_pending'] as const;

export interface TasksColumns {
  length: number;
  taskId: Float64Array;
  job: Array<string | null>;
  taskIndex: Float64Array;
  priority: Float64Array;
  qos: Array<string | null>;
  band: Array<string | null>;
  /** Seconds from the workload start; start and end NaN when the task never started / has not ended. */
  submitS: Float64Array;
  startS: Float64Array;
  endS: Float64Array;
  node: Array<string | null>;
  status: Array<string | null>;
  attempts: Float64Array;
  /** Per column suffix (e.g. `cpu_millicores`, `memory_bytes`): NaN = missing request / no limit. */
  requests: Record<string, Float64Array>;
  limits: Record<string, Float64Array>;
  missingRequest: Float64Array;
  /** Node-dynamics counters; null when the run had none. */
  dynamics: { evictions: Float64Array; oomKills: Float64Array; throttledCpuSeconds: Float64Array; lostWorkSeconds: Float64Array; peakMemoryBytes: Float64Array } | null;
  pendingReason: Array<string | null>;
}

export interface TimeSeriesColumns {
  length: number;
  timeS: Float64Array;
  metric: Array<string | null>;
  /** Resource name for the utilization metrics, null for the counts. */
  resource: Array<string | null>;
  /** NaN: not measured (used utilization of a workload without usage). */
  value: Float64Array;
}

export interface EventsColumns {
  length: number;
  timeS: Float64Array;
  node: Array<string | null>;
  /** NaN for node events (pressure transitions). */
  taskId: Float64Array;
  job: Array<string | null>;
  taskIndex: Float64Array;
  cause: Array<string | null>;
  qos: Array<string | null>;
  band: Array<string | null>;
  memoryBytes: Float64Array;
  amount: Float64Array;
  durationS: Float64Array;
}

/**
 * availability.csv (reports/availability-csv.ts): a row when a workload's counts change, so each
 * (workload, kind) is a step function of time — its values hold until its next row.
 */
export interface AvailabilityColumns {
  length: number;
  /** Seconds, on the clock of timeseries.csv and events.csv. */
  timeS: Float64Array;
  /** The controller's `namespace/name` (a Borg job: its name); with `kind`, the workload's identity. */
  workload: Array<string | null>;
  kind: Array<string | null>;
  /** Pods the workload wants then, and pods running on a node that is up (counts, whole numbers ≥ 0). */
  desired: Float64Array;
  ready: Float64Array;
}
