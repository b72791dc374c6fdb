import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { allocTaskBatch, type TaskBatch } from '../../model/task-batch.js';
import type { Workload } from '../../model/workload.js';
import { BadRowTally, type OnBadRow } from '../reader-kit/bad-rows.js';
import { InputError } from '../../model/errors.js';
import { listInputFiles } from '../gzip-lines.js';
import { StringTable } from './fields.js';
import { clusterFromMachineEvents, readMachineEventRows } from './machine-events.js';
import { EVENT_TYPE_NAMES, EventType } from './schema.js';
import { OpenSubmissions, TaskBits } from './open-submissions.js';
import { runningAtWindowStart } from './standing.js';
import { JobTable, parseTaskEventFiles, TaskEventParser } from './task-event-parser.js';
import {
  checkMachineScale,
  DEFAULT_MACHINE_SCALE,
  describeMachineScale,
  GOOGLE_2011_RESOURCES,
  type MachineScale,
} from './units.js';
import { plural } from '../reader-kit/string-table.js';
import { machinesAt } from '../reader-kit/window-start.js';
import { borgJobController, sortedQuantile } from '../reader-kit/borg-job-controller.js';

/**
 * Google ClusterData 2011 → Workload, in policy-placement mode: the trace says when tasks arrive,
 * what they request and how long they ran; where they run is left to the policy under test.
 *
 * Machines (machine_events): ADD rows at t = 0 are the initial machines; later ADD/REMOVE rows are
 * machine events; see clusterFromMachineEvents for ADDs without capacity and capacity UPDATEs.
 *
 * Tasks (task_events): one Workload task per *submission*.
 * - A SUBMIT row opens a submission of task (job, index): arrival = the SUBMIT time, request =
 *   that row's CPU and memory request, priority = that row's priority.
 * - Run time = the submission's SCHEDULE → end (EVICT, FAIL, FINISH, KILL or LOST) time.
 * - After EVICT, FAIL, KILL or LOST, the trace re-SUBMITs a task that stays runnable: that is a new
 *   arrival of the same task (same job and task index), with its own run time.
 * - Initial state: rows at t = 0 describe tasks that existed before the window (SUBMIT and SCHEDULE
 *   at t = 0); they arrive at time 0, and a task running at t = 0 has run time = end − 0 (the part
 *   before the trace is unknown). A SCHEDULE with no open submission (its SUBMIT lost) opens one
 *   that arrives at the SCHEDULE time.
 * - No end inside the window (still running, or still pending, when the trace stops, or ending at
 *   2^63-1): duration NaN, i.e. runs until the end of the replay.
 * - A submission that ends before it was ever scheduled (killed or failed while pending) never ran:
 *   it is left out and counted in the notes.
 * - A request the SUBMIT row lacks (empty field) is taken from the first later row of the same
 *   submission that has it; if none has, it stays NaN and is counted in the notes.
 * - UPDATE_PENDING / UPDATE_RUNNING rows (request or priority changes) are not applied.
 * - Mid-trace slices (reader-kit/window-start.ts): parts that do not start at t = 0 have no
 *   initial-state rows. Then the window starts at the first row's time (Workload.start); the
 *   machines are those up then; a task first seen with a non-SUBMIT row was there at the window
 *   start and arrives then (a standing population): running since the window start when that row
 *   is UPDATE_RUNNING, or an end (EVICT, FAIL, FINISH, KILL, LOST) on a machine; pending when it is
 *   UPDATE_PENDING, SCHEDULE (started at the SCHEDULE time) or an end with no machine (killed then);
 *   its request and priority come from its rows (a missing request from the first row that has it).
 * Times are trace microseconds, not shifted (the full trace's window starts at 600 s).
 *
 * Buffering: a task's run time is known only at its end event, later in the stream, so task_events
 * is read twice. Pass 1 (in readGoogle2011) walks the rows and records, per submission, its
 * SCHEDULE and end times (two Float64 = 16 bytes), plus one bit per row saying whether that row
 * opens a submission; OpenSubmissions holds only the tasks open at the moment (task → ordinal). Pass 2
 * (each taskBatches() call) re-parses the files and emits the submissions in row order, which is
 * submit-time order. Memory: 16 bytes per submission + 1 bit per row + the open map and the job/user
 * tables (for parts 0–13: ~0.9 M submissions ≈ 15 MB, 2.6 M rows ≈ 0.3 MB).
 */
export interface Google2011ReadOptions {
  /** Bad rows: 'fail' (default) throws the first InputError; 'skip' drops and counts them. */
  onBadRow?: OnBadRow;
  /** Size of the normalized 1.0 machine. Default DEFAULT_MACHINE_SCALE (32 cores, 128 GiB). */
  machineScale?: MachineScale;
  /**
   * Informational: the reader always fills TaskBatch.recordedStart / recordedMachine (the trace's
   * SCHEDULE time and machine); `schedlab replay --placement recorded` follows them.
   */
  placement?: 'policy' | 'recorded';
  /** Tasks per emitted TaskBatch (default 65,536). */
  batchSize?: number;
  /** Read only the first N task_events parts (a shorter window). */
  maxTaskParts?: number;
}

class GrowableF64 {
  data: Float64Array;
  length = 0;
  constructor(capacity = 1 << 16) {
    this.data = new Float64Array(capacity);
  }
  push(v: number): number {
    if (this.length === this.data.length) {
      const d = new Float64Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length] = v;
    return this.length++;
  }
}

class BitSet {
  data = new Uint8Array(1 << 16);
  set(i: number): void {
    const byte = i >>> 3;
    if (byte >= this.data.length) {
      let n = this.data.length * 2;
      while (n <= byte) n *= 2;
      const d = new Uint8Array(n);
      d.set(this.data);
      this.data = d;
    }
    this.data[byte] |= 1 << (i & 7);
  }
  has(i: number): boolean {
    const byte = i >>> 3;
    return byte < this.data.length && (this.data[byte] & (1 << (i & 7))) !== 0;
  }
}

/** What pass 1 learned: everything pass 2 needs besides the rows themselves. */
interface Pass1 {
  files: string[];
  rows: number;
  /** Bit per accepted row: does it open a submission? */
  opens: BitSet;
  /** Per submission ordinal: SCHEDULE time (NaN = never) and end time (NaN = none in window). */
  start: GrowableF64;
  end: GrowableF64;
  /** Per submission ordinal: machine ID of its SCHEDULE row (NaN = never scheduled). */
  machine: GrowableF64;
  /**
   * Submissions whose opening row lacked a request → [cpu, memory] after filling from later rows of
   * the same submission (NaN where no row had it), and 1 when any value was filled in.
   */
  repaired: Map<number, [number, number, number]>;
  /** Emitted tasks with a missing CPU / memory request, and tasks that got one from a later row. */
  missingCpu: number;
  missingMem: number;
  repairedCount: number;
  users: StringTable;
  jobs: JobTable;
  notes: string[];
  emitted: number;
  /** Mid-trace slice: the first row's time (µs), where the window starts; NaN for a full trace. */
  windowStart: number;
  /** The last finite row time (µs): where the trace's window ends. */
  lastTime: number;
  standing: StandingTasks;
  /** Per job ordinal: its distinct task indices (the Borg job's size). */
  jobTasks: number[];
  /** Per task, EVICT row → its next SUBMIT, µs, sorted (Workload.resubmitDelays); evicted tasks with no later SUBMIT. */
  resubmitDelays: Float64Array;
  notResubmitted: number;
}

/**
 * Tasks of a mid-trace slice that were there before its first row (first seen with a non-SUBMIT
 * event), in order of discovery: their submission ordinal and the fields of their first row.
 */
class StandingTasks {
  readonly ord: number[] = [];
  readonly job: number[] = [];
  readonly taskIndex: number[] = [];
  readonly priority: number[] = [];
  readonly user: number[] = [];
  readonly cpu: number[] = [];
  readonly mem: number[] = [];
  /** Submission ordinals that are standing tasks (skipped when pass 2 walks the SUBMIT rows). */
  readonly ords = new BitSet();
  running = 0;

  add(ord: number, job: number, taskIndex: number, priority: number, user: number, cpu: number, mem: number, running: boolean): void {
    this.ord.push(ord);
    this.job.push(job);
    this.taskIndex.push(taskIndex);
    this.priority.push(priority);
    this.user.push(user);
    this.cpu.push(cpu);
    this.mem.push(mem);
    this.ords.set(ord);
    if (running) this.running++;
  }

  get count(): number {
    return this.ord.length;
  }
}

/** 25,656.2 s */
function secondsText(us: number): string {
  return `${(us / 1e6).toLocaleString('en-US', { maximumFractionDigits: 1 })} s`;
}

/** The `table/` subfolder of a trace folder; InputError when it is missing. */
function tableDir(dir: string, table: string): string {
  const p = path.join(dir, table);
  if (existsSync(p) && statSync(p).isDirectory()) return p;
  throw new InputError({ file: dir, problem: `not a Google 2011 trace folder: it has no ${table}/ subfolder` });
}


async function pass1(files: string[], onBadRow: OnBadRow): Promise<Pass1> {
  const users = new StringTable();
  const jobs = new JobTable();
  const badRows = new BadRowTally();
  const parser = new TaskEventParser({ onBadRow, users, jobs, badRows });
  const opens = new BitSet();
  const start = new GrowableF64();
  const end = new GrowableF64();
  const machine = new GrowableF64();
  const open = new OpenSubmissions();
  /** Open submissions still lacking a request (checked on each of their rows). */
  const needs = new Map<number, [number, number, number]>();
  /** Every submission whose opening row lacked a request (kept to the end). */
  const repaired = new Map<number, [number, number, number]>();
  let row = 0;
  let orphanSchedules = 0;
  let orphanSchedulesAfterZero = 0;
  let duplicateSubmits = 0;
  let submitsWhileRunning = 0;
  let doubleSchedules = 0;
  let orphanEnds = 0;
  let updates = 0;
  let afterWindow = 0;
  let initialSubmissions = 0;
  let initialRunning = 0;
  const endedPending = new Array<number>(EVENT_TYPE_NAMES.length).fill(0);
  /** Mid-trace slice (its first row is after t = 0): where the window starts, NaN otherwise. */
  let windowStart = NaN;
  let lastTime = NaN;
  let firstRow = true;
  /** Mid-trace only: tasks that have had a submission opened. */
  let seen: TaskBits | null = null;
  const standing = new StandingTasks();
  /** Tasks with a submission opened so far, and their count per job (its size for the Borg job controller). */
  const everOpened = new TaskBits();
  const jobTasks: number[] = [];
  /** Evicted tasks awaiting their next SUBMIT (key job · 2^32 + task index → EVICT time), and the gaps measured. */
  const evictedAt = new Map<number, number>();
  const gaps = new GrowableF64(1024);

  /**
   * Opens a submission (scheduled at `startTime`, NaN = not yet); a missing request is tracked for
   * repair. `row` opens it in pass 2 (a SUBMIT or orphan SCHEDULE row); -1 for a standing task,
   * which pass 2 emits first.
   */
  const openSubmission = (startTime: number, machineId: number, jo: number, ti: number, row: number, c: number, m: number): number => {
    const ord = start.push(startTime);
    end.push(NaN);
    machine.push(machineId);
    open.set(jo, ti, ord);
    if (row >= 0) opens.set(row);
    if (seen !== null) seen.set(jo, ti);
    if (!everOpened.has(jo, ti)) {
      everOpened.set(jo, ti);
      while (jobTasks.length <= jo) jobTasks.push(0);
      jobTasks[jo]++;
    }
    if (c !== c || m !== m) {
      const r: [number, number, number] = [c, m, 0];
      needs.set(ord, r);
      repaired.set(ord, r);
    }
    return ord;
  };

  for await (const b of parseTaskEventFiles(files, parser)) {
    const n = b.count;
    const time = b.time;
    const type = b.eventType;
    const job = b.job;
    const task = b.taskIndex;
    const cpu = b.cpuRequest;
    const mem = b.memoryRequest;
    for (let i = 0; i < n; i++, row++) {
      const t = time[i];
      if (t === Infinity) {
        afterWindow++;
        continue;
      }
      lastTime = t;
      if (firstRow) {
        firstRow = false;
        // No initial-state rows at t = 0: a slice that starts mid-way (reader-kit/window-start.ts).
        if (t > 0) {
          windowStart = t;
          seen = new TaskBits();
        }
      }
      const ev = type[i];
      const jo = job[i];
      const ti = task[i];
      let ord = open.get(jo, ti);
      if (ord < 0 && ev !== EventType.SUBMIT && seen !== null && !seen.has(jo, ti)) {
        // First seen with a non-SUBMIT row: the task was there at the window start. Running since
        // then if this row says so (UPDATE_RUNNING, or an end on a machine); else pending.
        const m = b.machineId[i];
        const running = runningAtWindowStart(ev, m);
        ord = openSubmission(running ? windowStart : NaN, running ? m : NaN, jo, ti, -1, cpu[i], mem[i]);
        standing.add(ord, jo, ti, b.priority[i], b.user[i], cpu[i], mem[i], running);
        // Then this row applies as to any open submission (a SCHEDULE starts it, an end closes it).
      }
      if (ev === EventType.SUBMIT) {
        if (ord >= 0) {
          if (start.data[ord] === start.data[ord]) submitsWhileRunning++;
          else duplicateSubmits++;
          continue;
        }
        ord = openSubmission(NaN, NaN, jo, ti, row, cpu[i], mem[i]);
        if (t === 0) initialSubmissions++;
        if (evictedAt.size > 0) {
          const key = jo * 4294967296 + ti;
          const e = evictedAt.get(key);
          if (e !== undefined) {
            gaps.push(t - e);
            evictedAt.delete(key);
          }
        }
        continue;
      }
      if (ord < 0) {
        if (ev === EventType.SCHEDULE) {
          orphanSchedules++;
          if (t > 0) orphanSchedulesAfterZero++;
          ord = openSubmission(t, b.machineId[i], jo, ti, row, cpu[i], mem[i]);
          if (t === 0) {
            initialSubmissions++;
            initialRunning++;
          }
        } else if (ev <= EventType.LOST) orphanEnds++;
        else updates++;
        continue;
      }
      if (needs.size > 0) {
        const r = needs.get(ord);
        if (r !== undefined) {
          if (r[0] !== r[0] && cpu[i] === cpu[i]) {
            r[0] = cpu[i];
            r[2] = 1;
          }
          if (r[1] !== r[1] && mem[i] === mem[i]) {
            r[1] = mem[i];
            r[2] = 1;
          }
          if (r[0] === r[0] && r[1] === r[1]) needs.delete(ord);
        }
      }
      if (ev === EventType.SCHEDULE) {
        if (start.data[ord] === start.data[ord]) doubleSchedules++;
        else {
          start.data[ord] = t;
          machine.data[ord] = b.machineId[i];
          if (t === 0) initialRunning++;
        }
      } else if (ev <= EventType.LOST) {
        end.data[ord] = t;
        open.delete(jo, ti);
        if (ev === EventType.EVICT) evictedAt.set(jo * 4294967296 + ti, t);
        if (needs.size > 0) needs.delete(ord);
        if (start.data[ord] !== start.data[ord]) endedPending[ev]++;
      } else updates++;
    }
  }

  const submissions = start.length;
  let pendingAtEnd = 0;
  let runningAtEnd = 0;
  let dropped = 0;
  for (let k = 0; k < submissions; k++) {
    const s = start.data[k];
    const e = end.data[k];
    if (e === e) {
      if (s !== s) dropped++;
    } else if (s === s) runningAtEnd++;
    else pendingAtEnd++;
  }
  let missingCpu = 0;
  let missingMem = 0;
  let repairedCount = 0;
  for (const r of repaired.values()) {
    if (r[0] !== r[0]) missingCpu++;
    if (r[1] !== r[1]) missingMem++;
    if (r[2] !== 0) repairedCount++;
  }
  const notes: string[] = [];
  notes.push(
    `task_events: ${plural(parser.rows, 'row')} from ${plural(files.length, 'file')}; ` +
      `${plural(submissions, 'submission')} of ${plural(jobs.size, 'job')}; ` +
      `one workload task per submission (a re-SUBMIT after EVICT/FAIL/KILL/LOST is a new arrival of the same task)`,
  );
  if (windowStart === windowStart) {
    notes.push(
      `mid-trace window: the first row is at ${secondsText(windowStart)}, not 0 (no initial-state rows): the replay starts there; ` +
        `${plural(standing.count, 'task')} first seen with a non-SUBMIT row ${standing.count === 1 ? 'was' : 'were'} already there and arrive at the window start ` +
        `(${standing.running.toLocaleString('en-US')} running since then, ${(standing.count - standing.running).toLocaleString('en-US')} pending); ` +
        'tasks that run through the whole slice without a row in it cannot be seen (give the earlier parts too); machines: those up at the window start',
    );
    notes.push('times are trace microseconds, not shifted');
  } else {
    notes.push(
      `initial state: ${plural(initialSubmissions, 'task')} existed at t=0 (arrive at time 0), ` +
        `${plural(initialRunning, 'was', 'were')} running then (run time counted from 0)`,
    );
    notes.push('times are trace microseconds, not shifted (the trace window starts at 600 s)');
  }
  if (dropped > 0) {
    const by = endedPending
      .map((c, i) => (c > 0 ? `${EVENT_TYPE_NAMES[i]} ${c.toLocaleString('en-US')}` : ''))
      .filter((s) => s !== '')
      .join(', ');
    notes.push(
      `${plural(dropped, 'submission')} ended before being scheduled (${by}): they arrive as recorded and are killed at their end time ` +
        `(TaskBatch.killTime) — pending until then, or stopped then if a policy placed them`,
    );
  }
  if (runningAtEnd > 0 || pendingAtEnd > 0) {
    notes.push(
      `${plural(runningAtEnd, 'task')} still running and ${plural(pendingAtEnd, 'task')} still pending at the end of the window: duration NaN (run until the end of the replay)`,
    );
  }
  if (orphanSchedules > 0) {
    notes.push(
      `${plural(orphanSchedules, 'SCHEDULE row')} had no open submission (${orphanSchedulesAfterZero} after t=0): treated as submitted at the SCHEDULE time`,
    );
  }
  if (duplicateSubmits + submitsWhileRunning + doubleSchedules + orphanEnds > 0) {
    notes.push(
      `ignored out-of-sequence task events: ${duplicateSubmits} SUBMIT while pending, ${submitsWhileRunning} SUBMIT while running, ` +
        `${doubleSchedules} SCHEDULE while running, ${orphanEnds} end events with no open submission`,
    );
  }
  if (updates > 0) notes.push(`${plural(updates, 'UPDATE_PENDING/UPDATE_RUNNING row')} not applied (requests stay as submitted)`);
  if (afterWindow > 0) notes.push(`${plural(afterWindow, 'row')} at time 2^63-1 (after the window) ignored`);
  if (badRows.total > 0) notes.push(...badRows.describe('task_events'));
  const resubmitDelays = gaps.data.slice(0, gaps.length).sort();
  notes.push(resubmissionNote(resubmitDelays, evictedAt.size));

  return {
    files,
    rows: parser.rows,
    opens,
    start,
    end,
    machine,
    repaired,
    users,
    jobs,
    notes,
    emitted: submissions,
    windowStart,
    lastTime,
    standing,
    missingCpu,
    missingMem,
    repairedCount,
    jobTasks,
    resubmitDelays,
    notResubmitted: evictedAt.size,
  };
}

/** 7 µs, 12.5 ms, 25,656.2 s: the gaps are mostly a few µs (the trace resubmits at once). */
function gapText(us: number): string {
  if (us < 1000) return `${Math.round(us)} µs`;
  if (us < 1e6) return `${(us / 1000).toFixed(1)} ms`;
  return secondsText(us);
}

/** The notes' line on the measured resubmission delays. */
function resubmissionNote(sorted: Float64Array, notResubmitted: number): string {
  const s = (q: number): string => gapText(sortedQuantile(sorted, q));
  const measured =
    sorted.length === 0
      ? 'no EVICT row was followed by a SUBMIT of the same task'
      : `${plural(sorted.length, 'EVICT row')} followed by the task's next SUBMIT: gap median ${s(0.5)}, p90 ${s(0.9)}, max ${s(1)}`;
  return (
    `resubmission after eviction (per task, EVICT row → its next SUBMIT): ${measured}; ` +
    `${plural(notResubmitted, 'evicted task')} not resubmitted in the window; ` +
    `a Borg job's task lost in the replay goes back to the queue after a delay drawn from these gaps (Workload.resubmitDelays)`
  );
}

/**
 * Reads a Google 2011 trace folder (with machine_events/ and task_events/ subfolders; job_events/ is
 * not needed) into a Workload whose taskBatches() streams from the files. See the comment above
 * Google2011ReadOptions for every modelling choice; the same choices are listed in workload.notes.
 */
export async function readGoogle2011(dir: string, options: Google2011ReadOptions = {}): Promise<Workload> {
  const onBadRow = options.onBadRow ?? 'fail';
  const scale = options.machineScale ?? DEFAULT_MACHINE_SCALE;
  checkMachineScale(scale);
  if (options.placement !== undefined && options.placement !== 'policy' && options.placement !== 'recorded') {
    throw new Error(`placement '${String(options.placement)}' is not supported for Google 2011 (policy or recorded)`);
  }
  const batchSize = options.batchSize ?? 65_536;
  if (!(Number.isInteger(batchSize) && batchSize > 0)) throw new Error(`batchSize must be a positive integer`);

  const machineDir = tableDir(dir, 'machine_events');
  const taskDir = tableDir(dir, 'task_events');
  const machineBad = new BadRowTally();
  const machineTable = await readMachineEventRows(await listInputFiles(machineDir), { onBadRow, badRows: machineBad });
  const cluster = clusterFromMachineEvents(machineTable.rows, scale);

  let taskFiles = await listInputFiles(taskDir);
  if (options.maxTaskParts !== undefined) taskFiles = taskFiles.slice(0, options.maxTaskParts);
  const p1 = await pass1(taskFiles, onBadRow);

  const cpuScale = scale.cpuMillicores;
  const memScale = scale.memoryBytes;
  const notes: string[] = [describeMachineScale(scale)];
  const midTrace = p1.windowStart === p1.windowStart;
  // A mid-trace slice runs on the machines up at its first row: events before it are applied.
  const atStart = midTrace ? machinesAt(cluster.machines, cluster.events, p1.windowStart) : { machines: cluster.machines, events: cluster.events, applied: 0 };
  notes.push(
    midTrace
      ? `machines: ${atStart.machines.length.toLocaleString('en-US')} up at the window start (${atStart.applied.toLocaleString('en-US')} machine events before it applied), ` +
          `${atStart.events.length.toLocaleString('en-US')} later add/remove events (machine_events)`
      : `machines: ${cluster.machines.length.toLocaleString('en-US')} at t=0, ${cluster.events.length.toLocaleString('en-US')} later add/remove events (machine_events)`,
  );
  notes.push(...cluster.notes);
  if (machineBad.total > 0) notes.push(...machineBad.describe('machine_events'));
  notes.push(...p1.notes);
  notes.push(
    `${plural(p1.missingCpu, 'task')} had missing CPU request, ${plural(p1.missingMem, 'task')} had missing memory request (NaN, not 0)` +
      (p1.repairedCount > 0
        ? `; ${plural(p1.repairedCount, 'task')} got a missing request from a later row of the same submission`
        : ''),
  );
  notes.push(
    'recorded placement: each task carries its SCHEDULE time and machine (used by --placement recorded); limits and usage: not in this trace (NaN)',
  );

  const dims = GOOGLE_2011_RESOURCES.names.length;

  /** Machine IDs referenced by recorded placements, as strings matching MachineSpec.id. */
  const machineIds: string[] = [];
  const machineIndexOf = new Map<number, number>();
  const machineIndex = (m: number): number => {
    let i = machineIndexOf.get(m);
    if (i === undefined) {
      i = machineIds.length;
      machineIds.push(String(m));
      machineIndexOf.set(m, i);
    }
    return i;
  };

  const jobNames = p1.jobs.ids.map((id) => String(id));

  async function* taskBatches(): AsyncGenerator<TaskBatch> {
    const parser = new TaskEventParser({ onBadRow, users: p1.users, jobs: p1.jobs, badRows: new BadRowTally() });
    let row = 0;
    let ord = 0;
    let out = allocRecordedBatch(batchSize, dims);
    let k = 0;
    const start = p1.start.data;
    const end = p1.end.data;
    const machine = p1.machine.data;
    // A mid-trace slice's standing tasks first: they arrive at the window start, before any row.
    const st = p1.standing;
    for (let j = 0; j < st.count; j++) {
      const o = st.ord[j];
      const s = start[o];
      const e = end[o];
      let cpu = st.cpu[j];
      let mem = st.mem[j];
      const r = cpu !== cpu || mem !== mem ? p1.repaired.get(o) : undefined;
      if (r !== undefined) {
        if (cpu !== cpu) cpu = r[0];
        if (mem !== mem) mem = r[1];
      }
      out.submitTime[k] = p1.windowStart;
      out.duration[k] = e === e && s === s ? e - s : NaN;
      out.killTime![k] = e === e && s !== s ? e : NaN;
      out.recordedStart![k] = s;
      const m = machine[o];
      out.recordedMachine![k] = m === m ? machineIndex(m) : -1;
      out.request[k * dims] = cpu * cpuScale;
      out.request[k * dims + 1] = mem * memScale;
      out.priority[k] = st.priority[j];
      out.job[k] = st.job[j];
      out.taskIndex[k] = st.taskIndex[j];
      out.user[k] = st.user[j];
      if (++k === batchSize) {
        yield out;
        out = allocRecordedBatch(batchSize, dims);
        k = 0;
      }
    }
    for await (const b of parseTaskEventFiles(p1.files, parser)) {
      const n = b.count;
      for (let i = 0; i < n; i++, row++) {
        if (!p1.opens.has(row)) continue;
        let o = ord++;
        while (st.ords.has(o)) o = ord++;
        const s = start[o];
        const e = end[o];
        let cpu = b.cpuRequest[i];
        let mem = b.memoryRequest[i];
        if (cpu !== cpu || mem !== mem) {
          const r = p1.repaired.get(o);
          if (r !== undefined) {
            if (cpu !== cpu) cpu = r[0];
            if (mem !== mem) mem = r[1];
          }
        }
        out.submitTime[k] = b.time[i];
        out.duration[k] = e === e && s === s ? e - s : NaN;
        // Ended before it ever ran (killed, evicted or lost while pending): the source kills it then.
        out.killTime![k] = e === e && s !== s ? e : NaN;
        out.recordedStart![k] = s;
        const m = machine[o];
        out.recordedMachine![k] = m === m ? machineIndex(m) : -1;
        out.request[k * dims] = cpu * cpuScale;
        out.request[k * dims + 1] = mem * memScale;
        out.priority[k] = b.priority[i];
        out.job[k] = b.job[i];
        out.taskIndex[k] = b.taskIndex[i];
        out.user[k] = b.user[i];
        if (++k === batchSize) {
          yield out;
          out = allocRecordedBatch(batchSize, dims);
          k = 0;
        }
      }
    }
    if (row !== p1.rows) {
      throw new Error(`task_events changed between the two passes (${p1.rows} rows, then ${row})`);
    }
    if (k > 0) yield shrinkBatch(out, k, dims);
  }

  return {
    name: `google-2011:${dir}`,
    resources: GOOGLE_2011_RESOURCES,
    machines: atStart.machines,
    machineEvents: atStart.events,
    jobs: jobNames,
    users: p1.users.list,
    // Every job is a Borg job: its tasks are rescheduled after eviction (harness/controllers/).
    controllers: jobNames.map((name, j) => borgJobController(name, p1.jobTasks[j] ?? 0)),
    resubmitDelays: p1.resubmitDelays,
    machineIds,
    taskBatches,
    notes,
    expectedTasks: p1.emitted,
    priorityScale: 'google-2011',
    ...(midTrace ? { start: p1.windowStart } : {}),
    // The window ends at the last row: tasks still running then are observed to the end.
    ...(p1.lastTime === p1.lastTime ? { horizon: p1.lastTime } : {}),
  };
}

function shrinkBatch(b: TaskBatch, n: number, dims: number): TaskBatch {
  return {
    count: n,
    submitTime: b.submitTime.slice(0, n),
    duration: b.duration.slice(0, n),
    request: b.request.slice(0, n * dims),
    limit: b.limit.slice(0, n * dims),
    priority: b.priority.slice(0, n),
    job: b.job.slice(0, n),
    taskIndex: b.taskIndex.slice(0, n),
    user: b.user.slice(0, n),
    usageFraction: b.usageFraction.slice(0, n * dims),
    usageVariation: b.usageVariation.slice(0, n),
    killTime: b.killTime?.slice(0, n),
    recordedStart: b.recordedStart?.slice(0, n),
    recordedMachine: b.recordedMachine?.slice(0, n),
  };
}

function allocRecordedBatch(n: number, dims: number): TaskBatch {
  return { ...allocTaskBatch(n, dims), killTime: new Float64Array(n), recordedStart: new Float64Array(n), recordedMachine: new Int32Array(n) };
}
