import { InputError } from '../../model/errors.js';
import type { RowPlace } from '../reader-kit/fields.js';

/**
 * Google ClusterData 2019 (trace format v3; Tirmazi et al., "Borg: the next generation",
 * EuroSys 2020; google/cluster-data clusterdata_trace_format_v3.proto; ../shared/docs/trace-formats.md §1.2).
 * The downloadable form is newline-delimited JSON exported from BigQuery, where every INT64 is a
 * JSON string ("time":"1838400000000") and absent/NULL columns may be missing or null.
 */
export const GOOGLE_2019_TABLES = ['collection_events', 'instance_events', 'machine_events', 'instance_usage', 'machine_attributes'] as const;
export type Google2019Table = (typeof GOOGLE_2019_TABLES)[number];

/** EventType of collection_events and instance_events (numbered differently from 2011). */
export const EVENT_NAMES = ['SUBMIT', 'QUEUE', 'ENABLE', 'SCHEDULE', 'EVICT', 'FAIL', 'FINISH', 'KILL', 'LOST', 'UPDATE_PENDING', 'UPDATE_RUNNING'] as const;
export const Ev = { SUBMIT: 0, QUEUE: 1, ENABLE: 2, SCHEDULE: 3, EVICT: 4, FAIL: 5, FINISH: 6, KILL: 7, LOST: 8, UPDATE_PENDING: 9, UPDATE_RUNNING: 10 } as const;
export const MACHINE_EVENT_NAMES = ['UNKNOWN', 'ADD', 'REMOVE', 'UPDATE'] as const;

/** 2^63-1 µs: "after the end of the trace" (compared as text: a JS number cannot hold it). */
export const AFTER_WINDOW = '9223372036854775807';

/** Proto field numbers (1-based) of the fields the reader uses, for error messages (column = # − 1). */
export const FIELD_NUMBER: Record<string, number> = {
  time: 1,
  type: 2,
  collection_id: 3,
  scheduling_class: 4,
  missing_type: 5,
  collection_type: 6,
  priority: 7,
  alloc_collection_id: 8,
  user: 9,
  instance_index: 9,
  machine_id: 10,
  alloc_instance_index: 11,
  resource_request: 12,
  constraint: 13,
  parent_collection_id: 12,
  start_after_collection_ids: 13,
};

export type Json = Record<string, unknown>;

export function parseJsonLine(text: string, at: RowPlace): Json {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new InputError({ file: at.file, line: at.line, problem: `not a JSON object (${(e as Error).message})`, reason: 'not JSON' });
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new InputError({ file: at.file, line: at.line, problem: 'not a JSON object', reason: 'not a JSON object' });
  }
  return v as Json;
}

function fail(at: RowPlace, name: string, expected: string, got: unknown, fieldNumbers: Record<string, number>): never {
  const n = fieldNumbers[name];
  throw new InputError({
    file: at.file,
    line: at.line,
    column: n !== undefined ? n - 1 : undefined,
    field: name,
    expected,
    got: got === undefined ? undefined : JSON.stringify(got),
    reason: `${name}: ${got === undefined || got === null ? 'missing' : `expected ${expected}`}`,
  });
}

/**
 * An INT64 field: a JSON string of digits (BigQuery's export) or a number. Missing/null → NaN when
 * optional, else an error. 2^63-1 → Infinity.
 */
export function int64(o: Json, name: string, at: RowPlace, optional = false, fieldNumbers = FIELD_NUMBER): number {
  const v = o[name];
  if (v === undefined || v === null) {
    if (optional) return NaN;
    fail(at, name, 'an integer (JSON string or number)', v, fieldNumbers);
  }
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return v === AFTER_WINDOW ? Infinity : Number(v);
  fail(at, name, 'an integer (JSON string or number)', v, fieldNumbers);
}

/** An int64 ID kept as text (IDs above 2^53 must not be rounded). */
export function idText(o: Json, name: string, at: RowPlace, optional = false, fieldNumbers = FIELD_NUMBER): string {
  const v = o[name];
  if (v === undefined || v === null) {
    if (optional) return '';
    fail(at, name, 'an ID (JSON string or number)', v, fieldNumbers);
  }
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return v;
  if (typeof v === 'number' && Number.isInteger(v)) return String(v);
  fail(at, name, 'an ID (JSON string or number)', v, fieldNumbers);
}

/** A {cpus, memory} struct: [cpus, memory], NaN for absent parts; absent struct → [NaN, NaN]. */
export function resources(o: Json, name: string, at: RowPlace, fieldNumbers = FIELD_NUMBER): [number, number] {
  const v = o[name];
  if (v === undefined || v === null) return [NaN, NaN];
  if (typeof v !== 'object' || Array.isArray(v)) fail(at, name, 'an object {cpus, memory}', v, fieldNumbers);
  const r = v as Json;
  const num = (k: string) => {
    const x = r[k];
    if (x === undefined || x === null) return NaN;
    const n = typeof x === 'number' ? x : typeof x === 'string' && x.trim() !== '' ? Number(x) : NaN;
    if (!(n >= 0)) fail(at, `${name}.${k}`, 'a number ≥ 0', x, fieldNumbers);
    return n;
  };
  return [num('cpus'), num('memory')];
}

/** An enum code 0..max. */
export function code(o: Json, name: string, at: RowPlace, max: number, fieldNumbers = FIELD_NUMBER): number {
  const v = int64(o, name, at, false, fieldNumbers);
  if (!(v >= 0 && v <= max)) fail(at, name, `an integer 0–${max}`, o[name], fieldNumbers);
  return v;
}
