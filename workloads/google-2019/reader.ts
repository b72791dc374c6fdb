import * as path from 'node:path';
import { UsageError, InputError } from '../../model/errors.js';
import type { OnBadRow } from '../reader-kit/bad-rows.js';
import { checkMachineScale, DEFAULT_MACHINE_SCALE, type MachineScale } from '../google-2011/units.js';
import { readLines } from '../gzip-lines.js';
import type { WorkloadWithDependencies } from '../reader-kit/dependencies.js';
import { TableBadRows, type RowPlace } from '../reader-kit/fields.js';
import { bump, plural, StringTable } from '../reader-kit/string-table.js';
import { findTableFiles, isDir, tableOfFile } from '../reader-kit/table-files.js';
import { TaskColumns } from '../reader-kit/task-columns.js';
import { UsageAccumulator } from '../reader-kit/usage-accumulator.js';
import { UsageSeriesBuilder } from '../reader-kit/usage-series-builder.js';
import { batchesWithUsageSeries, type TaskUsageSeries } from '../reader-kit/task-usage-series.js';
import { UnmatchedUsage } from '../reader-kit/unmatched-usage.js';
import type { UsageSeriesSet } from '../../model/usage-series.js';
import type { MachineEvent, MachineSpec } from '../../model/machine.js';
import type { SourceStats } from '../../model/workload.js';
import { machinesAt } from '../reader-kit/window-start.js';
import { borgJobController, sortedQuantile } from '../reader-kit/borg-job-controller.js';
import { code, EVENT_NAMES, Ev, GOOGLE_2019_TABLES, idText, int64, MACHINE_EVENT_NAMES, parseJsonLine, resources, type Google2019Table } from './schema.js';

/**
 * Google ClusterData 2019 (one cell) → Workload, in policy-placement mode, like the 2011 reader:
 * - one task per instance *submission*: SUBMIT opens it (arrival, request, priority of that row),
 *   SCHEDULE starts it, EVICT/FAIL/FINISH/KILL/LOST ends it; a re-SUBMIT is a new arrival of the same
 *   instance. QUEUE/ENABLE are steps of the pending state (counted). A SCHEDULE without an open
 *   submission opens one at its own time. Run time = end − SCHEDULE; no end in the window → NaN.
 * - an end while pending (killed, failed, evicted, lost before it ever ran) → killTime = that time:
 *   the task arrives and leaves the queue then, unless the policy under test placed it first.
 * - resource_request is what v3 calls the limit (Borg reserves it): it is both request and limit.
 *   Values are normalized (the largest machine = 1.0, the same scale in all 8 cells) and multiplied
 *   by `machineScale` (default as for 2011: 1.0 = 32 cores, 128 GiB; no public truth).
 * - alloc sets (collection_type 1) reserve room that their tasks (alloc_collection_id ≠ 0) run in.
 *   allocSets 'reserve' (default) replays alloc instances as tasks and leaves the tasks inside
 *   them out (their resources are already held); 'tasks' does the opposite.
 * - usage (instance_usage): per instance, the window-length-weighted mean of average_usage / request
 *   per dimension, and the coefficient of variation of the CPU window means. Shared by all
 *   submissions of the instance.
 * - usage over time (Workload.usageSeries, TaskBatch.usageSeries): one series per submission, on
 *   the 300-s grid from the workload's start; each instance_usage window [start_time, end_time) is
 *   given to the submission of its instance that was open then (the latest submitted at or before
 *   start_time; the first when none was) and averaged, time-weighted, into the steps it overlaps
 *   (reader-kit/usage-series-builder.ts), so shards in any order give sorted series. Value =
 *   average_usage / that submission's resource_request, per dimension; where the request is 0 or
 *   missing, the value is average_usage itself and the task's usageScale is the machine scale (a
 *   1.0 machine: `machineScale`), so usage is never divided by 0. maximum_usage is not kept: the
 *   series holds window means, and a within-window peak is not a mean (mixing them would overstate
 *   usage); random_sample_usage and the distributions neither. A window longer than a day
 *   (instance_usage windows are ≤ 300 s, ../shared/docs/trace-formats.md §1.2) is an input error.
 *   Rows for instances not in instance_events are counted; when none matches, a "warning:" note.
 * - priorityScale 'google-2019': the 2019 priorities (free ≤ 99, best-effort batch 110–115, mid
 *   116–119, production 120–359, monitoring ≥ 360; model/priority-bands.ts).
 * - user, start_after_collection_ids and parent ids come from collection_events; start-after
 *   becomes Workload.startAfter (not enforced by the replay); hard constraints are counted, not applied.
 * - UPDATE_PENDING / UPDATE_RUNNING are counted, not applied. Rows at 2^63-1 are ignored, counted.
 * Memory: instance_events rows are kept as typed columns (~40 bytes a row) and sorted by time,
 * because BigQuery shards are not in time order; usage is aggregated while streaming.
 */
export interface Google2019ReadOptions {
  onBadRow?: OnBadRow;
  machineScale?: MachineScale;
  allocSets?: 'reserve' | 'tasks';
  /** Read instance_usage when present (default true). */
  usage?: boolean;
  batchSize?: number;
}

export const GOOGLE_2019_RESOURCES = { names: ['cpu', 'memory'], units: ['millicores', 'bytes'] } as const;

const JSONL = /\.json(l)?(\.gz)?$/i;

const COLLECTION_FIELDS = { time: 1, type: 2, collection_id: 3, collection_type: 6, priority: 7, user: 9, parent_collection_id: 12, start_after_collection_ids: 13 };
const INSTANCE_FIELDS = { time: 1, type: 2, collection_id: 3, collection_type: 6, priority: 7, alloc_collection_id: 8, instance_index: 9, machine_id: 10, resource_request: 12, constraint: 13 };
const MACHINE_FIELDS = { time: 1, machine_id: 2, type: 3, capacity: 5 };
const USAGE_FIELDS = { start_time: 1, end_time: 2, collection_id: 3, instance_index: 4, average_usage: 9 };
/** Longest instance_usage window accepted, µs: the trace's windows are ≤ 300 s; a day is damage. */
const MAX_USAGE_WINDOW = 86_400e6;

/** The files of each table: a cell folder (table subfolders or `<table>-NNN.json.gz` shards), or one shard. */
export function google2019Files(input: string): Partial<Record<Google2019Table, string[]>> {
  const out: Partial<Record<Google2019Table, string[]>> = {};
  if (isDir(input)) {
    for (const t of GOOGLE_2019_TABLES) {
      const f = findTableFiles(input, t, JSONL);
      if (f.length > 0) out[t] = f;
    }
    if (Object.keys(out).length === 0) throw new InputError({ file: input, problem: `not a Google 2019 cell folder: none of ${GOOGLE_2019_TABLES.join(', ')} found` });
    return out;
  }
  const t = tableOfFile(input, GOOGLE_2019_TABLES);
  if (t === null) throw new InputError({ file: input, problem: `file name names no Google 2019 table (${GOOGLE_2019_TABLES.join(', ')})` });
  out[t as Google2019Table] = [input];
  return out;
}

class Growable {
  f64: Float64Array[];
  i32: Int32Array[];
  f32: Float32Array[];
  length = 0;
  constructor(nf64: number, ni32: number, nf32: number) {
    this.f64 = Array.from({ length: nf64 }, () => new Float64Array(1024));
    this.i32 = Array.from({ length: ni32 }, () => new Int32Array(1024));
    this.f32 = Array.from({ length: nf32 }, () => new Float32Array(1024));
  }
  next(): number {
    const i = this.length++;
    if (i === this.f64[0]?.length || i === this.i32[0]?.length) {
      const g = <T extends Float64Array | Int32Array | Float32Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.f64 = this.f64.map(g);
      this.i32 = this.i32.map(g);
      this.f32 = this.f32.map(g);
    }
    return i;
  }
}

interface CollectionInfo {
  user: number;
  startAfter: string[];
  parent: boolean;
}

export async function readGoogle2019(input: string, options: Google2019ReadOptions = {}): Promise<WorkloadWithDependencies> {
  const onBadRow = options.onBadRow ?? 'fail';
  const scale = options.machineScale ?? DEFAULT_MACHINE_SCALE;
  checkMachineScale(scale);
  const allocMode = options.allocSets ?? 'reserve';
  if (allocMode !== 'reserve' && allocMode !== 'tasks') throw new UsageError(`allocSets must be 'reserve' or 'tasks', got '${String(allocMode)}'`);
  const files = google2019Files(input);
  const notes: string[] = [];
  const badRows: Record<string, number> = {};
  const events: Record<string, number> = {};
  const bads = new TableBadRows(onBadRow);
  const newBad = (t: string) => bads.table(t);
  let rowsRead = 0;
  let fileCount = 0;
  let afterWindow = 0;
  const cpuScale = scale.cpuMillicores;
  const memScale = scale.memoryBytes;
  notes.push(
    `units: normalized Google 2019 values (NCU and memory, the largest machine = 1.0) scaled so that 1.0 = ${cpuScale / 1000} cores and ` +
      `${+(memScale / 2 ** 30).toFixed(3)} GiB (machineScale option; no public truth); times are trace µs (the full trace's window starts at 600 s)`,
  );

  // machine_events → machines.
  const machines: MachineSpec[] = [];
  const machineEvents: MachineEvent[] = [];
  if (files.machine_events) {
    fileCount += files.machine_events.length;
    const bad = newBad('machine_events');
    const rows: Array<{ time: number; id: string; type: number; cap: [number, number]; order: number }> = [];
    for await (const { file, line, text } of readLines(files.machine_events)) {
      if (text.trim() === '') continue;
      rowsRead++;
      const at: RowPlace = { file, line };
      try {
        const o = parseJsonLine(text, at);
        const time = int64(o, 'time', at, false, MACHINE_FIELDS);
        const id = idText(o, 'machine_id', at, false, MACHINE_FIELDS);
        const type = code(o, 'type', at, 3, MACHINE_FIELDS);
        const cap = resources(o, 'capacity', at, MACHINE_FIELDS);
        bump(events, `machine ${MACHINE_EVENT_NAMES[type]}`);
        if (time === Infinity) afterWindow++;
        else rows.push({ time, id, type, cap, order: rows.length });
      } catch (e) {
        bad.handle(e);
      }
    }
    rows.sort((a, b) => a.time - b.time || a.order - b.order);
    const present = new Map<string, MachineSpec>();
    let noCapacity = 0;
    let updates = 0;
    const spec = (r: (typeof rows)[number]): MachineSpec => ({ id: r.id, capacity: [r.cap[0] * cpuScale, r.cap[1] * memScale] });
    for (const r of rows) {
      const cur = present.get(r.id);
      const hasCap = r.cap[0] === r.cap[0] && r.cap[1] === r.cap[1];
      if (r.type === 1) {
        if (cur !== undefined) continue;
        if (!hasCap) {
          noCapacity++;
          continue;
        }
        const m = spec(r);
        present.set(r.id, m);
        if (r.time === 0) machines.push(m);
        else machineEvents.push({ time: r.time, kind: 'add', machine: m });
      } else if (r.type === 2) {
        if (cur === undefined) continue;
        machineEvents.push({ time: r.time, kind: 'remove', machine: cur });
        present.delete(r.id);
      } else if (r.type === 3 && cur !== undefined && hasCap) {
        const m = spec(r);
        if (m.capacity[0] === cur.capacity[0] && m.capacity[1] === cur.capacity[1]) continue;
        updates++;
        machineEvents.push({ time: r.time, kind: 'remove', machine: cur }, { time: r.time, kind: 'add', machine: m });
        present.set(r.id, m);
      }
    }
    notes.push(
      `machine_events: ${plural(rows.length, 'row')}; ${plural(machines.length, 'machine')} at t=0, ${plural(machineEvents.length, 'later add/remove event')}` +
        (updates > 0 ? `; ${plural(updates, 'capacity UPDATE')} as remove + add` : '') +
        (noCapacity > 0 ? `; ${plural(noCapacity, 'ADD row')} without capacity left out` : ''),
    );
  } else notes.push('no machine_events: the workload has no machines (give the cell folder)');

  // collection_events → users, dependencies.
  const jobs = new StringTable();
  const users = new StringTable();
  const collections = new Map<string, CollectionInfo>();
  if (files.collection_events) {
    fileCount += files.collection_events.length;
    const bad = newBad('collection_events');
    for await (const { file, line, text } of readLines(files.collection_events)) {
      if (text.trim() === '') continue;
      rowsRead++;
      const at: RowPlace = { file, line };
      try {
        const o = parseJsonLine(text, at);
        int64(o, 'time', at, false, COLLECTION_FIELDS);
        const type = code(o, 'type', at, 10, COLLECTION_FIELDS);
        const id = idText(o, 'collection_id', at, false, COLLECTION_FIELDS);
        const ctype = code(o, 'collection_type', at, 1, COLLECTION_FIELDS);
        bump(events, `collection ${EVENT_NAMES[type]}`);
        let c = collections.get(id);
        if (c === undefined) {
          collections.set(id, (c = { user: -1, startAfter: [], parent: false }));
          bump(events, ctype === 1 ? 'alloc sets' : 'jobs');
        }
        const user = o.user;
        if (typeof user === 'string' && user !== '' && c.user < 0) c.user = users.id(user);
        const parent = idText(o, 'parent_collection_id', at, true, COLLECTION_FIELDS);
        if (parent !== '' && parent !== '0') c.parent = true;
        const sa = o.start_after_collection_ids;
        if (Array.isArray(sa) && c.startAfter.length === 0) {
          for (const x of sa) if ((typeof x === 'string' && /^\d+$/.test(x)) || typeof x === 'number') c.startAfter.push(String(x));
        }
      } catch (e) {
        bad.handle(e);
      }
    }
  }

  // instance_events → rows as columns, then sorted by time.
  const keys = new StringTable();
  // f64: time; i32: key, type, priority, job, collection_type, inAlloc, placed (machine_id ≠ 0); f32: cpu, mem
  const ev = new Growable(1, 7, 2);
  let constrained = 0;
  if (files.instance_events) {
    fileCount += files.instance_events.length;
    const bad = newBad('instance_events');
    for await (const { file, line, text } of readLines(files.instance_events)) {
      if (text.trim() === '') continue;
      rowsRead++;
      const at: RowPlace = { file, line };
      try {
        const o = parseJsonLine(text, at);
        const time = int64(o, 'time', at, false, INSTANCE_FIELDS);
        const type = code(o, 'type', at, 10, INSTANCE_FIELDS);
        const cid = idText(o, 'collection_id', at, false, INSTANCE_FIELDS);
        const index = int64(o, 'instance_index', at, false, INSTANCE_FIELDS);
        if (!(index >= 0)) throw new InputError({ file, line, column: 8, field: 'instance_index', expected: 'an integer ≥ 0', got: String(o.instance_index) });
        const ctype = code(o, 'collection_type', at, 1, INSTANCE_FIELDS);
        const prio = int64(o, 'priority', at, true, INSTANCE_FIELDS);
        const alloc = idText(o, 'alloc_collection_id', at, true, INSTANCE_FIELDS);
        const req = resources(o, 'resource_request', at, INSTANCE_FIELDS);
        const machineId = idText(o, 'machine_id', at, true, INSTANCE_FIELDS);
        bump(events, `instance ${EVENT_NAMES[type]}`);
        if (time === Infinity) {
          afterWindow++;
          continue;
        }
        if (type === Ev.SUBMIT && Array.isArray(o.constraint) && o.constraint.length > 0) constrained++;
        const i = ev.next();
        ev.f64[0][i] = time;
        ev.i32[0][i] = keys.id(`${cid}:${index}`);
        ev.i32[1][i] = type;
        ev.i32[2][i] = prio === prio ? prio : 0;
        ev.i32[3][i] = jobs.id(cid);
        ev.i32[4][i] = ctype;
        ev.i32[5][i] = alloc !== '' && alloc !== '0' ? 1 : 0;
        ev.i32[6][i] = machineId !== '' && machineId !== '0' ? 1 : 0;
        ev.f32[0][i] = req[0];
        ev.f32[1][i] = req[1];
      } catch (e) {
        bad.handle(e);
      }
    }
  }
  const n = ev.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const T = ev.f64[0];
  order.sort((a, b) => T[a] - T[b] || a - b);

  const cols = new TaskColumns(2);
  const open = new Int32Array(keys.size).fill(-1);
  const startOf: number[] = [];
  const keyOfTask: number[] = [];
  let orphanSchedules = 0;
  let endedPending = 0;
  let updates = 0;
  let leftOutAllocTasks = 0;
  let leftOutAllocInstances = 0;
  let missingCpu = 0;
  let missingMem = 0;
  let initial = 0;
  const req = [NaN, NaN];
  const endedPendingBy: Record<string, number> = {};
  // A slice that starts mid-way (no rows at t = 0; reader-kit/window-start.ts): the window starts at
  // the first row, and an instance first seen with a non-SUBMIT row was there then.
  const windowStart = n > 0 && T[order[0]] > 0 ? T[order[0]] : NaN;
  const seen = windowStart === windowStart ? new Uint8Array(keys.size) : null;
  let standing = 0;
  let standingRunning = 0;
  /** Per instance: the time of its EVICT awaiting the next SUBMIT (NaN = none), whether counted in its collection's size; gaps measured. */
  const evictedAt = new Float64Array(keys.size).fill(NaN);
  const counted = new Uint8Array(keys.size);
  const jobTasks = new Int32Array(jobs.size);
  const gaps: number[] = [];
  const openSubmission = (i: number, t: number, started: boolean) => {
    const k = ev.i32[0][i];
    if (seen !== null) seen[k] = 1;
    const isAllocInstance = ev.i32[4][i] === 1;
    const inAlloc = ev.i32[5][i] === 1;
    if ((allocMode === 'reserve' && inAlloc) || (allocMode === 'tasks' && isAllocInstance)) {
      if (inAlloc && allocMode === 'reserve') leftOutAllocTasks++;
      else leftOutAllocInstances++;
      open[k] = -2; // left out: its later events are ignored until it ends
      return;
    }
    req[0] = ev.f32[0][i] * cpuScale;
    req[1] = ev.f32[1][i] * memScale;
    if (req[0] !== req[0]) missingCpu++;
    if (req[1] !== req[1]) missingMem++;
    const job = ev.i32[3][i];
    const user = collections.get(jobs.list[job])?.user ?? -1;
    const [, idx] = keys.list[k].split(':');
    const task = cols.push({ submit: t, duration: NaN, request: req, limit: req, priority: ev.i32[2][i], job, taskIndex: Number(idx), user });
    startOf[task] = started ? t : NaN;
    keyOfTask[task] = k;
    open[k] = task;
    if (t === 0) initial++;
    if (!counted[k]) {
      counted[k] = 1;
      jobTasks[job]++;
    }
  };
  for (let r = 0; r < n; r++) {
    const i = order[r];
    const t = T[i];
    const k = ev.i32[0][i];
    const type = ev.i32[1][i];
    let cur = open[k];
    if (cur === -1 && type !== Ev.SUBMIT && seen !== null && seen[k] === 0) {
      // Running at the window start when this row says so (UPDATE_RUNNING, or an end on a machine);
      // pending otherwise (QUEUE, ENABLE, SCHEDULE, UPDATE_PENDING, an end while not placed).
      const running = type === Ev.UPDATE_RUNNING || (type >= Ev.EVICT && type <= Ev.LOST && ev.i32[6][i] === 1);
      openSubmission(i, windowStart, running);
      standing++;
      if (running) standingRunning++;
      cur = open[k];
      // This row then applies as to any open submission.
    }
    if (type === Ev.SUBMIT) {
      if (cur === -1) {
        openSubmission(i, t, false);
        if (evictedAt[k] === evictedAt[k]) {
          gaps.push(t - evictedAt[k]);
          evictedAt[k] = NaN;
        }
      }
    } else if (type === Ev.SCHEDULE) {
      if (cur === -1) {
        orphanSchedules++;
        openSubmission(i, t, true);
      } else if (cur >= 0 && startOf[cur] !== startOf[cur]) startOf[cur] = t;
    } else if (type >= Ev.EVICT && type <= Ev.LOST) {
      if (cur >= 0) {
        if (type === Ev.EVICT) evictedAt[k] = t;
        const s = startOf[cur];
        if (s === s) cols.duration[cur] = t - s;
        else {
          cols.killTime[cur] = t;
          endedPending++;
          bump(endedPendingBy, EVENT_NAMES[type]);
        }
      }
      if (cur !== -1) open[k] = -1;
    } else if (type >= Ev.UPDATE_PENDING) updates++;
  }
  let runningAtEnd = 0;
  let pendingAtEnd = 0;
  for (let k = 0; k < open.length; k++) {
    const cur = open[k];
    if (cur < 0) continue;
    if (startOf[cur] === startOf[cur]) runningAtEnd++;
    else pendingAtEnd++;
  }
  notes.push(
    `instance_events: ${plural(n, 'row')}; ${plural(cols.length, 'submission')} of ${plural(keys.size, 'instance')} in ${plural(jobs.size, 'collection')} ` +
      `(one task per submission; ${plural(initial, 'task')} existed at t=0)`,
  );
  notes.push('requests: resource_request (the v3 "limit", which Borg reserves) is both request and limit');
  if (windowStart === windowStart) {
    notes.push(
      `mid-trace window: the first instance_events row is at ${(windowStart / 1e6).toLocaleString('en-US', { maximumFractionDigits: 1 })} s, not 0 ` +
        `(no initial-state rows): the replay starts there; ${plural(standing, 'instance')} first seen with a non-SUBMIT row ${standing === 1 ? 'was' : 'were'} ` +
        `already there and arrive at the window start (${standingRunning.toLocaleString('en-US')} running since then, ${(standing - standingRunning).toLocaleString('en-US')} pending); ` +
        'instances that run through the whole slice without a row in it cannot be seen; machines: those up at the window start',
    );
  }
  if (endedPending > 0) {
    notes.push(
      `${plural(endedPending, 'submission')} ended while pending (${Object.entries(endedPendingBy)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}): killTime = that time`,
    );
  }
  if (runningAtEnd + pendingAtEnd > 0) notes.push(`${plural(runningAtEnd, 'task')} running and ${plural(pendingAtEnd, 'task')} pending at the end of the window: duration NaN`);
  if (orphanSchedules > 0) notes.push(`${plural(orphanSchedules, 'SCHEDULE row')} without an open submission: submitted at the SCHEDULE time`);
  if (updates > 0) notes.push(`${plural(updates, 'UPDATE_PENDING/UPDATE_RUNNING row')} not applied`);
  notes.push(
    allocMode === 'reserve'
      ? `alloc sets: alloc instances replayed as tasks that reserve room; ${plural(leftOutAllocTasks, 'submission')} of tasks inside alloc sets left out (allocSets 'reserve')`
      : `alloc sets: ${plural(leftOutAllocInstances, 'alloc instance submission')} left out, tasks inside them replayed as ordinary tasks (allocSets 'tasks')`,
  );
  notes.push(`${plural(missingCpu, 'task')} with missing CPU request, ${plural(missingMem, 'task')} with missing memory request (NaN, not 0)`);
  if (constrained > 0) notes.push(`${plural(constrained, 'SUBMIT row')} with hard machine constraints: not applied (machine_attributes not read)`);
  if (afterWindow > 0) notes.push(`${plural(afterWindow, 'row')} at time 2^63-1 (after the window) ignored`);
  const resubmitDelays = Float64Array.from(gaps).sort();
  let notResubmitted = 0;
  for (let k = 0; k < evictedAt.length; k++) if (evictedAt[k] === evictedAt[k]) notResubmitted++;
  notes.push(
    `resubmission after eviction (per instance, EVICT row → its next SUBMIT): ${plural(gaps.length, 'gap')}` +
      (gaps.length > 0 ? ` (median ${(sortedQuantile(resubmitDelays, 0.5) / 1e6).toLocaleString('en-US', { maximumFractionDigits: 6 })} s, p90 ${(sortedQuantile(resubmitDelays, 0.9) / 1e6).toLocaleString('en-US', { maximumFractionDigits: 6 })} s)` : '') +
      `, ${plural(notResubmitted, 'evicted instance')} not resubmitted; collections are Borg jobs whose lost tasks the controllers resubmit after a delay drawn from these gaps`,
  );

  // Dependencies.
  const startAfter: Array<number[] | undefined> = [];
  let edges = 0;
  let unresolved = 0;
  let withParent = 0;
  for (const [id, c] of collections) {
    if (c.parent) withParent++;
    if (c.startAfter.length === 0) continue;
    const list: number[] = [];
    for (const p of c.startAfter) {
      const j = jobs.get(p);
      if (j < 0) unresolved++;
      else list.push(j);
    }
    edges += c.startAfter.length;
    if (list.length > 0) startAfter[jobs.id(id)] = list;
  }
  if (files.collection_events) {
    bump(events, 'start-after edges', edges);
    notes.push(
      `collection_events: ${plural(collections.size, 'collection')}; ${plural(edges, 'start-after dependency', 'start-after dependencies')} ` +
        `(startAfter; not enforced by the replay)` +
        (unresolved > 0 ? `, ${unresolved} on collections without instances` : '') +
        `; ${plural(withParent, 'collection')} with a parent (not modelled)`,
    );
  }

  // instance_usage → usage per instance (mean, CV) and a series per submission.
  let usageSeries: UsageSeriesSet | undefined;
  let taskSeries: TaskUsageSeries | undefined;
  if (files.instance_usage && (options.usage ?? true) && cols.length > 0) {
    fileCount += files.instance_usage.length;
    const bad = newBad('instance_usage');
    const acc = new UsageAccumulator(2);
    // Submissions of each instance, in submit order (tasks were pushed in time order).
    const firstTask = new Int32Array(keys.size).fill(-1);
    const lastTask = new Int32Array(keys.size).fill(-1);
    const nextTask = new Int32Array(cols.length).fill(-1);
    for (let task = 0; task < cols.length; task++) {
      const k = keyOfTask[task];
      if (firstTask[k] < 0) firstTask[k] = task;
      else nextTask[lastTask[k]] = task;
      lastTask[k] = task;
    }
    const builder = new UsageSeriesBuilder({ dims: 2, source: 'trace:instance_usage', origin: windowStart === windowStart ? windowStart : 0 });
    const scaleNorm = [cpuScale, memScale];
    const usageScale = new Float64Array(cols.length * 2).fill(NaN);
    let scaled = 0;
    const value = [NaN, NaN];
    const unmatched = new UnmatchedUsage();
    let leftOut = 0;
    let rows = 0;
    let unknown = 0;
    for await (const { file, line, text } of readLines(files.instance_usage)) {
      if (text.trim() === '') continue;
      rows++;
      const at: RowPlace = { file, line };
      try {
        const o = parseJsonLine(text, at);
        const s = int64(o, 'start_time', at, false, USAGE_FIELDS);
        const e = int64(o, 'end_time', at, false, USAGE_FIELDS);
        if (!(e >= s)) throw new InputError({ file, line, column: 1, field: 'end_time', expected: `an integer ≥ start_time (${s})`, got: String(o.end_time) });
        if (!(e - s <= MAX_USAGE_WINDOW)) {
          throw new InputError({ file, line, column: 1, field: 'end_time', expected: `at most a day after start_time (${o.start_time}; windows are ≤ 300 s)`, got: String(o.end_time) });
        }
        const cid = idText(o, 'collection_id', at, false, USAGE_FIELDS);
        const index = int64(o, 'instance_index', at, false, USAGE_FIELDS);
        const avg = resources(o, 'average_usage', at, USAGE_FIELDS);
        const id = `${cid}:${index}`;
        const k = keys.get(id);
        unmatched.count(id, k >= 0);
        if (k < 0) unknown++;
        else {
          let task = firstTask[k];
          if (task < 0) leftOut++;
          else {
            while (nextTask[task] >= 0 && cols.submit[nextTask[task]] <= s) task = nextTask[task];
            for (let d = 0; d < 2; d++) {
              const r = cols.request[2 * task + d] / scaleNorm[d];
              value[d] = r > 0 ? avg[d] / r : avg[d];
            }
            if (!builder.add(task, s, e, value)) {
              throw new InputError({ file, line, column: 0, field: 'start_time', expected: "a time within 10 years of the instance's other windows", got: String(o.start_time), reason: 'start_time: out of range' });
            }
            for (let d = 0; d < 2; d++) {
              // A request of 0 or missing: the value is average_usage, a fraction of the machine scale.
              if (!(cols.request[2 * task + d] > 0) && avg[d] === avg[d] && usageScale[2 * task + d] !== usageScale[2 * task + d]) {
                usageScale[2 * task + d] = scaleNorm[d];
                scaled++;
              }
            }
          }
          acc.add(k, avg, Math.max((e - s) / 1e6, 1e-6));
        }
      } catch (e) {
        bad.handle(e);
      }
    }
    rowsRead += rows;
    bump(events, 'instance_usage rows', rows);
    let known = 0;
    for (let task = 0; task < cols.length; task++) {
      const k = keyOfTask[task];
      if (acc.samples(k) === 0) continue;
      const rc = cols.request[2 * task] / cpuScale;
      const rm = cols.request[2 * task + 1] / memScale;
      cols.usageFraction[2 * task] = rc > 0 ? acc.meanOf(k, 0) / rc : NaN;
      cols.usageFraction[2 * task + 1] = rm > 0 ? acc.meanOf(k, 1) / rm : NaN;
      cols.usageVariation[task] = acc.cv(k);
      if (cols.usageFraction[2 * task] === cols.usageFraction[2 * task]) known++;
    }
    notes.push(
      `instance_usage: ${plural(rows, 'row')}; ${plural(known, 'task')} with usage (time-weighted mean average_usage / request; CV of the CPU window means); ` +
        `tasks without usage rows or with a 0 request have unknown usage (NaN)` +
        (unknown > 0 ? `; ${plural(unknown, 'row')} for instances not in instance_events ignored` : ''),
    );
    const built = builder.build(cols.length);
    usageSeries = built.set;
    if (usageSeries !== undefined) taskSeries = { series: built.seriesOf, ...(scaled > 0 ? { scale: usageScale } : {}) };
    notes.push(
      `usage series: ${plural(usageSeries?.count ?? 0, 'submission')} with a CPU and memory series on the 300-s grid (average_usage / the submission's resource_request, ` +
        'each window averaged time-weighted into the steps it overlaps; steps without a window are gaps, NaN); maximum_usage not kept (the series holds window means)' +
        (scaled > 0 ? `; ${plural(scaled, 'request')} of 0 or missing: that dimension's series is average_usage with usageScale = the machine scale` : '') +
        (leftOut > 0 ? `; ${plural(leftOut, 'row')} for instances whose submissions were all left out (alloc sets) not used` : ''),
    );
    const warning = unmatched.warning('instance_usage', 'instance', 'instance_events');
    if (warning !== undefined) notes.push(warning);
  }
  bads.report(badRows, notes);
  const stats: SourceStats = { rowsRead, files: fileCount, eventCounts: events, badRows };
  const batchSize = options.batchSize ?? 65_536;
  const atStart = windowStart === windowStart ? machinesAt(machines, machineEvents, windowStart) : { machines, events: machineEvents, applied: 0 };
  if (atStart.applied > 0) notes.push(`machines: ${plural(atStart.applied, 'machine event')} before the window start applied: ${plural(atStart.machines.length, 'machine')} up then`);
  return {
    name: `google-2019:${path.normalize(input)}`,
    resources: GOOGLE_2019_RESOURCES,
    machines: atStart.machines,
    machineEvents: atStart.events,
    jobs: jobs.list,
    users: users.list,
    taskBatches: async function* () {
      yield* batchesWithUsageSeries(cols, batchSize, taskSeries);
    },
    notes,
    sourceStats: stats,
    expectedTasks: cols.length,
    startAfter,
    ...(windowStart === windowStart ? { start: windowStart } : {}),
    ...(usageSeries !== undefined ? { usageSeries } : {}),
    priorityScale: 'google-2019',
    // Every collection is a Borg job of its distinct replayed instances (harness/controllers/).
    controllers: jobs.list.map((name, j) => borgJobController(name, jobTasks[j] ?? 0)),
    resubmitDelays,
  };
}
