/**
 * Google ClusterData 2011 (clusterdata-2011-2, format v2.1) table layouts and codes, from
 * ../shared/docs/trace-formats.md §1.1. Several copied schema notes get the 2011 codes wrong; these are the
 * ones checked against the real files.
 */

export const TASK_EVENT_COLUMNS = [
  'time',
  'missing info',
  'job ID',
  'task index',
  'machine ID',
  'event type',
  'user',
  'scheduling class',
  'priority',
  'CPU request',
  'memory request',
  'disk space request',
  'different-machines restriction',
] as const;

export const JOB_EVENT_COLUMNS = [
  'time',
  'missing info',
  'job ID',
  'event type',
  'user',
  'scheduling class',
  'job name',
  'logical job name',
] as const;

export const MACHINE_EVENT_COLUMNS = ['time', 'machine ID', 'event type', 'platform ID', 'CPUs', 'memory'] as const;

/** Job and task event types (2011 numbering: SCHEDULE is 1 here, 3 in 2019). */
export const EventType = {
  SUBMIT: 0,
  SCHEDULE: 1,
  EVICT: 2,
  FAIL: 3,
  FINISH: 4,
  KILL: 5,
  LOST: 6,
  UPDATE_PENDING: 7,
  UPDATE_RUNNING: 8,
} as const;

export const EVENT_TYPE_NAMES = [
  'SUBMIT',
  'SCHEDULE',
  'EVICT',
  'FAIL',
  'FINISH',
  'KILL',
  'LOST',
  'UPDATE_PENDING',
  'UPDATE_RUNNING',
] as const;

/** Machine event types (2011: ADD is 0; in 2019 it is 1). */
export const MachineEventType = { ADD: 0, REMOVE: 1, UPDATE: 2 } as const;
export const MACHINE_EVENT_TYPE_NAMES = ['ADD', 'REMOVE', 'UPDATE'] as const;

/** `missing info` codes; empty (-1 here) means a normal record. */
export const MISSING_INFO_NAMES = [
  'SNAPSHOT_BUT_NO_TRANSITION',
  'NO_SNAPSHOT_OR_TRANSITION',
  'EXISTS_BUT_NO_CREATION',
] as const;

export const MAX_PRIORITY = 11;
export const MAX_SCHEDULING_CLASS = 3;
/** Task indexes are packed with a job ordinal into one exact double key; see taskKey(). */
export const MAX_TASK_INDEX = (1 << 22) - 1;

/** One exact number per (job ordinal, task index) pair: ordinal * 2^22 + index (< 2^53). */
export function taskKey(jobOrdinal: number, taskIndex: number): number {
  return jobOrdinal * 4194304 + taskIndex;
}

/** Trace table names (folder names in the bucket). */
export const GOOGLE_2011_TABLES = [
  'task_events',
  'job_events',
  'machine_events',
  'machine_attributes',
  'task_constraints',
  'task_usage',
] as const;
export type Google2011Table = (typeof GOOGLE_2011_TABLES)[number];

/** Column counts, used to recognize a table from its first row. */
export const GOOGLE_2011_COLUMN_COUNTS: Record<Google2011Table, number> = {
  task_events: 13,
  job_events: 8,
  machine_events: 6,
  machine_attributes: 5,
  task_constraints: 6,
  task_usage: 20,
};
