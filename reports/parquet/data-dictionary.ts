import type { ResourceSchema } from '../../model/resources.js';

/**
 * The data dictionary of a results folder: every column of tasks, timeseries and events, with its
 * type, unit and meaning. One source of truth: the Parquet writer takes its schema from here, the
 * table writer refuses a CSV header that differs from it, and schema.json is this, written out.
 * The meanings restate README.md § Results folder and reports/events-csv.ts.
 */

/**
 * Column types, as Arrow/Parquet name them: int32, float64 (IEEE double), string (UTF-8). A column
 * is `nullable: false` only where the writer cannot produce an empty cell (an index, a count from
 * an integer array, a name from a fixed list, a time every row has); every measured number may
 * be unmeasured (NaN, an empty cell), so it is nullable.
 */
export type ColumnType = 'int32' | 'float64' | 'string';

export interface ColumnSpec {
  name: string;
  type: ColumnType;
  /** The unit of a number ('s', 'bytes', 'millicores', 'count', 'fraction', ...); '' for a label. */
  unit: string;
  /** May be empty: an empty CSV cell, a Parquet null. */
  nullable: boolean;
  meaning: string;
}

/** The tables of a results folder, each written as NAME.csv and NAME.parquet. */
export type ResultsTableName = 'tasks' | 'timeseries' | 'events' | 'availability';

const col = (name: string, type: ColumnType, unit: string, nullable: boolean, meaning: string): ColumnSpec => ({ name, type, unit, nullable, meaning });

/** A dimension's unit as a column-name suffix, as reports/results-folder.ts writes it: `request_memory_bytes`, `limit_gpu_milli_gpu`. */
const unitSuffix = (unit: string): string => unit.replace(/-/g, '_');

/** The per-task counters tasks.csv carries when node dynamics ran. */
const DYNAMICS_TASK_COLUMNS: readonly ColumnSpec[] = [
  col('evictions', 'int32', 'count', false, 'times the kubelet evicted the task (node pressure)'),
  col('oom_kills', 'int32', 'count', false, 'times the task was OOM-killed (over its limit, or the node out of memory)'),
  col('throttled_cpu_seconds', 'float64', 'CPU-seconds', true, 'CPU-seconds of demand throttled (CFS quota at the limit, or cpu.shares on a full node)'),
  col('lost_work_seconds', 'float64', 's', true, 'seconds run by attempts that did not finish (evictions, OOM kills, machine loss)'),
  col('peak_memory_bytes', 'float64', 'bytes', true, "the highest memory usage seen; empty when never evaluated"),
];

/**
 * tasks.csv / tasks.parquet: one row per submitted task, in the order reports/results-folder.ts
 * writes them: by task_id, or — when finished tasks left memory during the replay
 * (--retain-tasks live) — in the order tasks ended for good, then the tasks alive at the end.
 * Join and sort on task_id, never on the row number.
 */
export function tasksColumns(resources: ResourceSchema, dynamics: boolean): ColumnSpec[] {
  const { names, units } = resources;
  return [
    col('task_id', 'int32', '', false, "the task's index in the replay, from 0; events.task_id joins on it"),
    col('job', 'string', '', true, 'the job (collection) the task belongs to, as the workload names it'),
    col('task_index', 'int32', '', false, "the task's index within its job"),
    col('priority', 'int32', '', false, "the task's priority in the workload's own numbering"),
    col('qos', 'string', '', false, 'Kubernetes QoS class: Guaranteed, Burstable or BestEffort'),
    col('band', 'string', '', false, 'Borg priority band: free, best-effort-batch, mid, production, monitoring'),
    col('submit_s', 'float64', 's', false, 'submission time, seconds from the workload start'),
    col('start_s', 'float64', 's', true, 'last start time, seconds from the workload start; empty when it never started'),
    col('end_s', 'float64', 's', true, 'end time (finished, killed or evicted), seconds from the workload start; empty while running or pending'),
    col('node', 'string', '', true, 'the node it ran on last; empty when it never ran'),
    col('status', 'string', '', false, 'at the end of the replay: pending, running, finished, killed or evicted'),
    col('attempts', 'int32', 'count', false, 'times the task was started (first start, container restarts, re-placements)'),
    ...names.map((n, d) => col(`request_${n}_${unitSuffix(units[d])}`, 'float64', units[d], true, `requested ${n}; empty when the workload gave no request`)),
    ...names.map((n, d) => col(`limit_${n}_${unitSuffix(units[d])}`, 'float64', units[d], true, `${n} limit; empty when there is none`)),
    col('missing_request', 'int32', 'flag (1 = yes)', false, 'the workload gave no request for this task (its request columns are empty)'),
    ...(dynamics ? DYNAMICS_TASK_COLUMNS : []),
    col('pending_reason', 'string', '', true, "kube-scheduler's FailedScheduling message for a task pending at the end; empty otherwise"),
  ];
}

/** timeseries.csv / .parquet: long format, one observation per row. */
export const TIMESERIES_COLUMNS: readonly ColumnSpec[] = [
  col('time_s', 'float64', 's', false, 'sample time, seconds from the workload start (one sample every --sample-seconds)'),
  col('metric', 'string', '', false, 'requested_fraction, used_fraction (per resource), nodes_up, nodes_busy, tasks_running, tasks_pending'),
  col('resource', 'string', '', true, 'the resource of a per-resource metric (cpu, memory, gpu, ...); empty for the others'),
  col('value', 'float64', 'fraction or count', true, 'a fraction of the allocatable (the *_fraction metrics, may exceed 1 under overcommit) or a count of nodes or tasks; empty when not measured (used_fraction where the workload has no usage)'),
];

/** events.csv / .parquet: one row per node-dynamics or reaction event, by time (reports/events-csv.ts). */
export const EVENTS_COLUMNS: readonly ColumnSpec[] = [
  col('time_s', 'float64', 's', false, 'event time, seconds from the workload start (a throttling interval: its start)'),
  col('node', 'string', '', true, 'the node'),
  col('task_id', 'int32', '', true, 'the task (tasks.task_id); empty for a node event'),
  col('job', 'string', '', true, "the task's job; empty for a node event"),
  col('task_index', 'int32', '', true, "the task's index within its job; empty for a node event"),
  col('cause', 'string', '', false, 'node dynamics: eviction-memory-pressure, eviction-disk-pressure, oom-limit, oom-node, throttling, pressure-on, pressure-off; reactions: preemption, node-failed, node-recovered, node-not-ready, taint-eviction, scale-up, scale-down, drained, admission-rejected, job-failed, recreated'),
  col('qos', 'string', '', true, "the task's QoS class; empty for a node event"),
  col('band', 'string', '', true, "the task's Borg band; empty for a node event"),
  col('memory_bytes', 'float64', 'bytes', true, "eviction / OOM kill: the task's memory usage; pressure: the node's memory.available"),
  col('amount', 'float64', 's or CPU-seconds', true, 'eviction / OOM kill / preemption / taint eviction / drain: work lost (s); throttling: CPU-seconds throttled; scale-up: provisioning delay (s); recreated: the delay (s)'),
  col('duration_s', 'float64', 's', true, 'throttling: the length of the throttled interval'),
];

/** availability.csv / .parquet: ready replicas of each listed workload over time, a row when they change (reports/availability-csv.ts). */
export const AVAILABILITY_COLUMNS: readonly ColumnSpec[] = [
  col('time_s', 'float64', 's', false, 'sample time, seconds from the workload start; the values hold until the workload\'s next row'),
  col('workload', 'string', '', false, "the controller's namespace/name (a Borg job: its job name)"),
  col('kind', 'string', '', false, 'Deployment, ReplicaSet, ReplicationController, StatefulSet, Job, DaemonSet, CronJob, Pod or BorgJob'),
  col('desired', 'int32', 'count', false, 'pods the controller wants then (a finished Job: none)'),
  col('ready', 'int32', 'count', false, 'pods running on a node that is up'),
];

export interface TableDictionary {
  files: string[];
  rows: number;
  columns: ColumnSpec[];
}

/** schema.json: the dictionary of the tables one results folder holds. */
export interface SchemaFile {
  description: string;
  tables: Partial<Record<ResultsTableName, TableDictionary>>;
}
