import { GiB } from '../../model/units.js';

/**
 * Alibaba cluster-trace-v2018: six CSV tables without header (alibaba/clusterdata
 * cluster-trace-v2018/schema.txt; ../shared/docs/trace-formats.md §1.3). Times are seconds from the start of
 * the sampled period; CPU request/plan has 100 = 1 core; memory is normalized to [0, 100].
 */
export const ALIBABA_2018_TABLES = [
  'machine_meta',
  'machine_usage',
  'container_meta',
  'container_usage',
  'batch_task',
  'batch_instance',
] as const;
export type Alibaba2018Table = (typeof ALIBABA_2018_TABLES)[number];

export const FIELDS: Record<Alibaba2018Table, readonly string[]> = {
  machine_meta: ['machine_id', 'time_stamp', 'failure_domain_1', 'failure_domain_2', 'cpu_num', 'mem_size', 'status'],
  machine_usage: ['machine_id', 'time_stamp', 'cpu_util_percent', 'mem_util_percent', 'mem_gps', 'mkpi', 'net_in', 'net_out', 'disk_io_percent'],
  container_meta: ['container_id', 'machine_id', 'time_stamp', 'app_du', 'status', 'cpu_request', 'cpu_limit', 'mem_size'],
  container_usage: ['container_id', 'machine_id', 'time_stamp', 'cpu_util_percent', 'mem_util_percent', 'cpi', 'mem_gps', 'mpki', 'net_in', 'net_out', 'disk_io_percent'],
  batch_task: ['task_name', 'instance_num', 'job_name', 'task_type', 'status', 'start_time', 'end_time', 'plan_cpu', 'plan_mem'],
  batch_instance: ['instance_name', 'task_name', 'job_name', 'task_type', 'status', 'start_time', 'end_time', 'machine_id', 'seq_no', 'total_seq_no', 'cpu_avg', 'cpu_max', 'mem_avg', 'mem_max'],
};

/** 100 CPU units = 1 core = 1000 millicores. */
export const MILLICORES_PER_CPU_UNIT = 10;

/**
 * Bytes of a machine with normalized memory 100. Not published (the machines have 96 cores and
 * memory 100 in machine_meta); 512 GiB is an assumption, stated in every workload's notes and set
 * by the `machineMemoryBytes` option.
 */
export const DEFAULT_MACHINE_MEMORY_BYTES = 512 * GiB;

/** Normalized values outside [0, 100] (-1, 101) mark invalid measurements. */
export const INVALID_PERCENT = ['-1', '101'] as const;

/**
 * The DAG a batch task name encodes: `M1` is task 1 with no parents, `R4_2` is task 4 after task 2,
 * `M5_3_4` is task 5 after tasks 3 and 4 (only the digits matter). Other names (`task_Nzg3…==`,
 * `MergeTask`) are independent tasks: null.
 */
export function parseDagName(name: string): { id: number; parents: number[] } | null {
  const m = /^[A-Za-z]+(\d+)((?:_\d+)*)$/.exec(name);
  if (m === null) return null;
  const parents = m[2] === '' ? [] : m[2].slice(1).split('_').map(Number);
  return { id: Number(m[1]), parents };
}

/**
 * Alibaba's earlier trace, cluster-trace-v2017 (alibaba/clusterdata cluster-trace-v2017/schema.csv),
 * has tables of the same names with other columns: batch_task is `create time, end time, job id,
 * task id, number of instances, status, cpus per instance, normalized memory per instance` (8
 * fields, numeric ids), batch_instance `start, end, job id, task id, machine id, status, seq, total
 * seq, max/avg cpu, max/avg memory` (12 fields). v2018 rows start with names (`M1`, `j_1`). A row
 * of that shape is named as v2017 rather than reported as a wrong field count.
 */
export const V2017_FIELD_COUNTS: Partial<Record<Alibaba2018Table, number>> = { batch_task: 8, batch_instance: 12 };

const INTEGER = /^\d+$/;

export function looksLikeV2017(table: Alibaba2018Table, fields: readonly string[]): boolean {
  const n = V2017_FIELD_COUNTS[table];
  if (n === undefined || fields.length !== n) return false;
  // First time, job id, task id (and, in batch_instance, machine id): integers; then the status, a word.
  // (The second time may be empty: batch_instance's end time is optional.)
  const ids = fields.slice(2, 5).map((x) => x.trim());
  const start = fields[0].trim();
  return INTEGER.test(start) && ids.every((x) => INTEGER.test(x)) && /^[A-Za-z]+$/.test(fields[5].trim());
}
