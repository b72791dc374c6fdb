import { Field, Float32, Float64, Int32, Schema, type DataType } from 'apache-arrow';
import type { ResourceSchema } from '../../model/resources.js';

/**
 * The schedlab native workload format (`*.schedlab.arrow`), version 1. Full description with
 * examples: SCHEMA.md in this folder. In short:
 *
 * One Arrow IPC *file* (the random-access format, "Feather v2": magic `ARROW1` at both ends, a
 * footer indexing the record batches), so `pyarrow.ipc.open_file`, `pandas.read_feather` and
 * DuckDB read it directly. The task table is its record batches; everything else is string
 * key/value metadata on the schema, each value JSON (with NaN, ±Infinity and -0 kept; json-numbers.ts):
 *
 * | key                      | value |
 * |--------------------------|-------|
 * | `schedlab.native`        | format version, `"1"` (its presence marks the file as ours) |
 * | `schedlab.name`          | Workload.name (JSON string) |
 * | `schedlab.resources`     | `{"names": [...], "units": [...]}` |
 * | `schedlab.notes`         | Workload.notes, array of strings |
 * | `schedlab.horizon`       | Workload.horizon, µs (absent = undefined) |
 * | `schedlab.start`         | Workload.start, µs (absent = 0: not a mid-trace slice) |
 * | `schedlab.jobs`          | Workload.jobs, array of strings (TaskBatch.job indexes it) |
 * | `schedlab.users`         | Workload.users, array of strings (TaskBatch.user indexes it; -1 = unknown) |
 * | `schedlab.jobConstraints`| one entry per job: a PlacementConstraints object or null (absent = undefined) |
 * | `schedlab.machines`      | MachineSpec[] at time 0 |
 * | `schedlab.machineEvents` | MachineEvent[] (time µs, kind, machine) |
 * | `schedlab.machineIds`    | Workload.machineIds (absent = undefined) |
 * | `schedlab.sourceStats`   | Workload.sourceStats (absent = undefined) |
 * | `schedlab.priorityScale` | Workload.priorityScale (JSON string; absent = undefined, the 'google-2011' default) |
 * | `schedlab.controllers`   | Workload.controllers: one JobController object or null per job (absent = undefined) |
 * | `schedlab.resubmitDelays`| Workload.resubmitDelays, µs, ascending (absent = undefined) |
 * | `schedlab.tasks`         | total task rows (JSON number) |
 * | `schedlab.batches`       | `[[rows, crc32], ...]` per record batch, in order |
 * | `schedlab.checksum`      | CRC-32 of every other `schedlab.*` key and value (sorted by key) |
 *
 * Task columns, in this order (`<d>` = each resource name in `schedlab.resources` order):
 *
 * | column               | Arrow type | TaskBatch field (flat vectors are split per dimension) |
 * |----------------------|-----------|---------------------------------|
 * | `submitTime`         | float64   | submitTime, µs |
 * | `duration`           | float64   | duration, µs; NaN = unknown |
 * | `request_<d>`        | float64   | request[i·dims + d]; NaN = missing |
 * | `limit_<d>`          | float64   | limit[i·dims + d]; NaN = no limit |
 * | `priority`           | int32     | priority |
 * | `job`                | int32     | job (index into schedlab.jobs) |
 * | `taskIndex`          | int32     | taskIndex |
 * | `user`               | int32     | user (index into schedlab.users; -1 = unknown) |
 * | `usageFraction_<d>`  | float32   | usageFraction[i·dims + d]; NaN = unknown |
 * | `usageVariation`     | float32   | usageVariation |
 * | `killTime`           | float64   | optional: killTime, µs; NaN = never |
 * | `recordedStart`      | float64   | optional: recordedStart, µs; NaN = never started |
 * | `recordedMachine`    | int32     | optional: recordedMachine (index into machineIds; -1 = none) |
 *
 * No column has Arrow nulls: a missing value is NaN (floats) or -1 (user, recordedMachine), as in
 * TaskBatch, so pandas sees NaN where schedlab does.
 */
export const FORMAT_VERSION = '1';
/** Schema metadata key whose presence (with the version as value) identifies a native file. */
export const NATIVE_KEY = 'schedlab.native';
export { NATIVE_EXTENSION } from './native-extension.js';

export const META = {
  name: 'schedlab.name',
  resources: 'schedlab.resources',
  notes: 'schedlab.notes',
  horizon: 'schedlab.horizon',
  start: 'schedlab.start',
  jobs: 'schedlab.jobs',
  users: 'schedlab.users',
  jobConstraints: 'schedlab.jobConstraints',
  machines: 'schedlab.machines',
  machineEvents: 'schedlab.machineEvents',
  machineIds: 'schedlab.machineIds',
  sourceStats: 'schedlab.sourceStats',
  priorityScale: 'schedlab.priorityScale',
  controllers: 'schedlab.controllers',
  resubmitDelays: 'schedlab.resubmitDelays',
  tasks: 'schedlab.tasks',
  batches: 'schedlab.batches',
  checksum: 'schedlab.checksum',
} as const;

/** The optional TaskBatch columns, in file order. */
export const OPTIONAL_COLUMNS = ['killTime', 'recordedStart', 'recordedMachine'] as const;
export type OptionalColumn = (typeof OPTIONAL_COLUMNS)[number];

/** Which TaskBatch array a column comes from, and for flat vectors which dimension. */
export interface ColumnSpec {
  name: string;
  type: 'float64' | 'float32' | 'int32';
  source:
    | 'submitTime'
    | 'duration'
    | 'request'
    | 'limit'
    | 'priority'
    | 'job'
    | 'taskIndex'
    | 'user'
    | 'usageFraction'
    | 'usageVariation'
    | OptionalColumn;
  /** Dimension of a flat per-resource vector; undefined for scalar columns. */
  dim?: number;
}

/** The task columns for a resource schema, with the given optional columns, in file order. */
export function taskColumns(resources: ResourceSchema, optional: readonly OptionalColumn[]): ColumnSpec[] {
  const dims = resources.names;
  const perDim = (source: 'request' | 'limit' | 'usageFraction', type: 'float64' | 'float32'): ColumnSpec[] =>
    dims.map((d, i) => ({ name: `${source}_${d}`, type, source, dim: i }));
  const cols: ColumnSpec[] = [
    { name: 'submitTime', type: 'float64', source: 'submitTime' },
    { name: 'duration', type: 'float64', source: 'duration' },
    ...perDim('request', 'float64'),
    ...perDim('limit', 'float64'),
    { name: 'priority', type: 'int32', source: 'priority' },
    { name: 'job', type: 'int32', source: 'job' },
    { name: 'taskIndex', type: 'int32', source: 'taskIndex' },
    { name: 'user', type: 'int32', source: 'user' },
    ...perDim('usageFraction', 'float32'),
    { name: 'usageVariation', type: 'float32', source: 'usageVariation' },
  ];
  for (const o of OPTIONAL_COLUMNS) {
    if (optional.includes(o)) cols.push({ name: o, type: o === 'recordedMachine' ? 'int32' : 'float64', source: o });
  }
  return cols;
}

export function arrowType(t: ColumnSpec['type']): DataType {
  return t === 'float64' ? new Float64() : t === 'float32' ? new Float32() : new Int32();
}

/** Arrow's own name for our three types (String(new Float64()) === 'Float64'). */
export function arrowTypeName(t: ColumnSpec['type']): string {
  return t === 'float64' ? 'Float64' : t === 'float32' ? 'Float32' : 'Int32';
}

export function arrowSchema(columns: ColumnSpec[], metadata?: Map<string, string>): Schema {
  return new Schema(
    columns.map((c) => new Field(c.name, arrowType(c.type), false)),
    metadata,
  );
}

/** Resource names must give distinct, non-empty column names. */
export function checkResourceNames(resources: ResourceSchema): string | null {
  if (resources.names.length === 0) return 'the resource schema has no dimensions';
  if (resources.units.length !== resources.names.length) return 'resource names and units differ in length';
  const seen = new Set<string>();
  for (const n of resources.names) {
    if (typeof n !== 'string' || n === '') return 'a resource name is empty';
    if (seen.has(n)) return `resource '${n}' appears twice`;
    seen.add(n);
  }
  return null;
}
