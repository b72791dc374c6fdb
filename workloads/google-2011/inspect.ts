import { BadRowTally, type OnBadRow } from '../reader-kit/bad-rows.js';
import { InputError } from '../../model/errors.js';
import { detectFormat } from '../detect-format.js';
import { summarizeJobEvents } from './job-events.js';
import { readMachineEventRows } from './machine-events.js';
import { EVENT_TYPE_NAMES, EventType, MACHINE_EVENT_TYPE_NAMES, MISSING_INFO_NAMES, taskKey } from './schema.js';
import { parseTaskEventFiles, TaskEventParser } from './task-event-parser.js';
import { DEFAULT_MACHINE_SCALE, type MachineScale } from './units.js';
import { runningAtWindowStart } from './standing.js';
import { ValueHistogram, type Quantiles } from '../value-histogram.js';

/**
 * `schedlab trace inspect`: what a trace (or one of its tables) holds and what is wrong with it, in
 * one streaming pass per table. Quantiles are exact (nearest rank: the smallest value with at least
 * p of the values at or below it), computed from a histogram of distinct values.
 */
export interface InspectOptions {
  /** Force a format instead of detecting it (only 'google-2011' exists). */
  format?: string;
  onBadRow?: OnBadRow;
  /** Used only to show requests in cores and GiB beside the normalized values. */
  machineScale?: MachineScale;
}

export type { Quantiles } from '../value-histogram.js';

export interface BadRowsReport {
  total: number;
  byReason: { reason: string; count: number; example: string }[];
}

export interface TaskEventsReport {
  files: number;
  rows: number;
  /** Decompressed bytes. */
  bytes: number;
  rowsAtTimeZero: number;
  /** First time after 0 and last finite time, µs (null when none). */
  firstTime: number | null;
  lastTime: number | null;
  rowsAfterWindow: number;
  /**
   * A slice that starts mid-way (no rows at t = 0; reader-kit/window-start.ts): the window starts at
   * its first row, and tasks first seen with a non-SUBMIT row were already there (running or
   * pending, by the rule of standing.ts). null for a trace that starts at t = 0.
   */
  midTrace: { windowStart: number; tasksAtStart: number; runningAtStart: number; pendingAtStart: number } | null;
  tasks: number;
  jobs: number;
  users: number;
  machines: number;
  /** Rows per event type: total, at t = 0, after t = 0. */
  events: Record<string, { total: number; atTimeZero: number; afterTimeZero: number }>;
  /** Over SUBMIT rows, normalized (the largest machine = 1.0). */
  requests: { cpu: Quantiles; memory: Quantiles; disk: Quantiles };
  /** SUBMIT rows per priority (0–11) and per scheduling class (0–3). */
  priorities: Record<string, number>;
  schedulingClasses: Record<string, number>;
  /** SUBMIT rows after t = 0: per second over the span, and the busiest hour. */
  arrivals: { submits: number; perSecond: number; perHour: number; peakHourSubmits: number; peakHourStart: number | null };
  /** Rows with each missing-info code, by event type. */
  missingInfo: Record<string, Record<string, number>>;
  /** SUBMIT rows with an empty request field. */
  submitsMissing: { cpu: number; memory: number; disk: number };
  badRows: BadRowsReport;
}

export interface MachineEventsReport {
  files: number;
  rows: number;
  machines: number;
  firstTime: number | null;
  lastTime: number | null;
  events: Record<string, number>;
  addRowsAtTimeZero: number;
  addRowsWithoutCapacity: number;
  /** Machines by their first known (cpu, memory) capacity, most common first. */
  shapes: { cpu: number; memory: number; machines: number }[];
  /** Machines present at t = 0 by capacity. */
  initialShapes: { cpu: number; memory: number; machines: number }[];
  platforms: number;
  capacityChanges: number;
  badRows: BadRowsReport;
}

export interface JobEventsReport {
  files: number;
  rows: number;
  jobs: number;
  rowsAtTimeZero: number;
  firstTime: number | null;
  lastTime: number | null;
  events: Record<string, number>;
  missingInfo: Record<string, number>;
  badRows: BadRowsReport;
}

export interface InspectReport {
  path: string;
  format: 'google-2011';
  kind: 'trace-folder' | 'table';
  tables: string[];
  machineScale: MachineScale;
  taskEvents?: TaskEventsReport;
  machineEvents?: MachineEventsReport;
  jobEvents?: JobEventsReport;
  /** Human-readable list of what looks wrong or incomplete. */
  problems: string[];
}

/** A set of exact integers that may outgrow one JS Set (V8 caps a Set at 2^24 entries). */
class LargeNumberSet {
  private readonly shards: Set<number>[] = Array.from({ length: 16 }, () => new Set<number>());
  /** Adds `v`; true when it was not there yet. */
  add(v: number): boolean {
    const s = this.shards[v % 16];
    if (s.has(v)) return false;
    s.add(v);
    return true;
  }
  get size(): number {
    return this.shards.reduce((s, x) => s + x.size, 0);
  }
}

const badReport = (t: BadRowTally): BadRowsReport => ({ total: t.total, byReason: t.entries() });
const orNull = (v: number) => (Number.isFinite(v) ? v : null);

async function inspectTaskEvents(files: string[], onBadRow: OnBadRow): Promise<TaskEventsReport> {
  const parser = new TaskEventParser({ onBadRow });
  const tasks = new LargeNumberSet();
  const machines = new Set<number>();
  const total = new Float64Array(9);
  const atZero = new Float64Array(9);
  const prio = new Float64Array(12);
  const sclass = new Float64Array(5);
  const missingInfo = new Float64Array(3 * 9);
  const cpu = new ValueHistogram();
  const mem = new ValueHistogram();
  const disk = new ValueHistogram();
  const hourly = new Map<number, number>();
  let firstTime = NaN;
  let lastTime = NaN;
  let afterWindow = 0;
  let submitsAfterZero = 0;
  let firstRowTime = NaN;
  let standing = 0;
  let standingRunning = 0;

  for await (const b of parseTaskEventFiles(files, parser)) {
    for (let i = 0; i < b.count; i++) {
      const t = b.time[i];
      const ev = b.eventType[i];
      total[ev]++;
      if (t === 0) atZero[ev]++;
      else if (t === Infinity) afterWindow++;
      else {
        if (firstTime !== firstTime) firstTime = t;
        lastTime = t;
      }
      if (firstRowTime !== firstRowTime && t !== Infinity) firstRowTime = t;
      if (tasks.add(taskKey(b.job[i], b.taskIndex[i])) && ev !== EventType.SUBMIT && t !== Infinity) {
        standing++;
        if (runningAtWindowStart(ev, b.machineId[i])) standingRunning++;
      }
      const m = b.machineId[i];
      if (m === m) machines.add(m);
      const mi = b.missingInfo[i];
      if (mi >= 0) missingInfo[mi * 9 + ev]++;
      if (ev === EventType.SUBMIT) {
        prio[b.priority[i]]++;
        sclass[b.schedulingClass[i] + 1]++;
        cpu.add(b.cpuRequest[i]);
        mem.add(b.memoryRequest[i]);
        disk.add(b.diskRequest[i]);
        if (t > 0 && t !== Infinity) {
          submitsAfterZero++;
          const h = Math.floor(t / 3.6e9);
          hourly.set(h, (hourly.get(h) ?? 0) + 1);
        }
      }
    }
  }
  const events: TaskEventsReport['events'] = {};
  EVENT_TYPE_NAMES.forEach((name, i) => {
    events[name] = { total: total[i], atTimeZero: atZero[i], afterTimeZero: total[i] - atZero[i] };
  });
  const priorities: Record<string, number> = {};
  prio.forEach((c, p) => {
    if (c > 0) priorities[String(p)] = c;
  });
  const schedulingClasses: Record<string, number> = {};
  sclass.forEach((c, k) => {
    if (c > 0) schedulingClasses[k === 0 ? 'missing' : String(k - 1)] = c;
  });
  const mi: TaskEventsReport['missingInfo'] = {};
  for (let code = 0; code < 3; code++) {
    const by: Record<string, number> = {};
    for (let ev = 0; ev < 9; ev++) if (missingInfo[code * 9 + ev] > 0) by[EVENT_TYPE_NAMES[ev]] = missingInfo[code * 9 + ev];
    if (Object.keys(by).length > 0) mi[`${code} ${MISSING_INFO_NAMES[code]}`] = by;
  }
  let peak = 0;
  let peakHour = NaN;
  for (const [h, c] of hourly) {
    if (c > peak) {
      peak = c;
      peakHour = h;
    }
  }
  const spanSeconds = firstTime === firstTime ? (lastTime - firstTime) / 1e6 : NaN;
  const perSecond = spanSeconds > 0 ? submitsAfterZero / spanSeconds : NaN;
  const q = { cpu: cpu.quantiles(), memory: mem.quantiles(), disk: disk.quantiles() };
  return {
    files: files.length,
    rows: parser.rows,
    bytes: parser.bytes,
    rowsAtTimeZero: atZero.reduce((a, b) => a + b, 0),
    firstTime: orNull(firstTime),
    lastTime: orNull(lastTime),
    rowsAfterWindow: afterWindow,
    midTrace:
      firstRowTime > 0
        ? { windowStart: firstRowTime, tasksAtStart: standing, runningAtStart: standingRunning, pendingAtStart: standing - standingRunning }
        : null,
    tasks: tasks.size,
    jobs: parser.jobs.size,
    users: parser.users.size,
    machines: machines.size,
    events,
    requests: q,
    priorities,
    schedulingClasses,
    arrivals: {
      submits: submitsAfterZero,
      perSecond: orNull(perSecond) ?? 0,
      perHour: orNull(perSecond * 3600) ?? 0,
      peakHourSubmits: peak,
      peakHourStart: peakHour === peakHour ? peakHour * 3.6e9 : null,
    },
    missingInfo: mi,
    submitsMissing: { cpu: q.cpu.missing, memory: q.memory.missing, disk: q.disk.missing },
    badRows: badReport(parser.badRows),
  };
}

async function inspectMachineEvents(files: string[], onBadRow: OnBadRow): Promise<MachineEventsReport> {
  const table = await readMachineEventRows(files, { onBadRow });
  const counts = [0, 0, 0];
  const ids = new Set<number>();
  const firstShape = new Map<number, string>();
  const initial = new Map<string, number>();
  const lastCap = new Map<number, string>();
  const platforms = new Set<string>();
  let addZero = 0;
  let addNoCap = 0;
  let changes = 0;
  let firstTime = NaN;
  let lastTime = NaN;
  for (const r of table.rows) {
    counts[r.type]++;
    ids.add(r.machineId);
    if (r.platform !== '') platforms.add(r.platform);
    if (r.time > 0 && r.time !== Infinity) {
      if (firstTime !== firstTime) firstTime = r.time;
      lastTime = r.time;
    }
    const known = r.cpu === r.cpu && r.memory === r.memory;
    const shape = `${r.cpu},${r.memory}`;
    if (r.type === 0) {
      if (r.time === 0) addZero++;
      if (!known) addNoCap++;
      if (r.time === 0 && known) initial.set(shape, (initial.get(shape) ?? 0) + 1);
    }
    if (known) {
      if (!firstShape.has(r.machineId)) firstShape.set(r.machineId, shape);
      if (r.type === 2) {
        const prev = lastCap.get(r.machineId);
        if (prev !== undefined && prev !== shape) changes++;
      }
      lastCap.set(r.machineId, shape);
    }
  }
  const tally = (m: Map<string, number>) =>
    [...m.entries()]
      .map(([k, n]) => {
        const [c, mm] = k.split(',').map(Number);
        return { cpu: c, memory: mm, machines: n };
      })
      .sort((a, b) => b.machines - a.machines || a.cpu - b.cpu || a.memory - b.memory);
  const byShape = new Map<string, number>();
  for (const s of firstShape.values()) byShape.set(s, (byShape.get(s) ?? 0) + 1);
  const events: Record<string, number> = {};
  MACHINE_EVENT_TYPE_NAMES.forEach((n, i) => (events[n] = counts[i]));
  return {
    files: files.length,
    rows: table.rows.length,
    machines: ids.size,
    firstTime: orNull(firstTime),
    lastTime: orNull(lastTime),
    events,
    addRowsAtTimeZero: addZero,
    addRowsWithoutCapacity: addNoCap,
    shapes: tally(byShape),
    initialShapes: tally(initial),
    platforms: platforms.size,
    capacityChanges: changes,
    badRows: badReport(table.badRows),
  };
}

async function inspectJobEvents(files: string[], onBadRow: OnBadRow): Promise<JobEventsReport> {
  const s = await summarizeJobEvents(files, { onBadRow });
  const events: Record<string, number> = {};
  EVENT_TYPE_NAMES.forEach((n, i) => (events[n] = s.eventCounts[i]));
  const missingInfo: Record<string, number> = {};
  s.missingInfo.forEach((c, i) => {
    if (c > 0) missingInfo[`${i} ${MISSING_INFO_NAMES[i]}`] = c;
  });
  return {
    files: files.length,
    rows: s.rows,
    jobs: s.jobs,
    rowsAtTimeZero: s.rowsAtTimeZero,
    firstTime: orNull(s.firstTime),
    lastTime: orNull(s.lastTime),
    events,
    missingInfo,
    badRows: badReport(s.badRows),
  };
}

const n = (v: number) => v.toLocaleString('en-US');

function problemsOf(r: InspectReport): string[] {
  const out: string[] = [];
  const te = r.taskEvents;
  if (te !== undefined) {
    const sm = te.submitsMissing;
    if (sm.cpu > 0) out.push(`task_events: ${n(sm.cpu)} SUBMIT row${sm.cpu === 1 ? '' : 's'} with no CPU request`);
    if (sm.memory > 0) out.push(`task_events: ${n(sm.memory)} SUBMIT row${sm.memory === 1 ? '' : 's'} with no memory request`);
    if (sm.disk > 0) out.push(`task_events: ${n(sm.disk)} SUBMIT row${sm.disk === 1 ? '' : 's'} with no disk request`);
    for (const [code, by] of Object.entries(te.missingInfo)) {
      const list = Object.entries(by).map(([ev, c]) => `${ev} ${n(c)}`).join(', ');
      out.push(`task_events: missing info ${code}: ${list}`);
    }
    if (te.rowsAfterWindow > 0) out.push(`task_events: ${n(te.rowsAfterWindow)} rows at time 2^63-1 (after the window)`);
    if (te.midTrace !== null) {
      out.push(
        `task_events: starts mid-way at ${sec(te.midTrace.windowStart)} (no initial-state rows at t=0): a replay starts there; tasks running through the slice without a row in it are not visible`,
      );
    }
    for (const b of te.badRows.byReason) out.push(`task_events: ${n(b.count)} bad row${b.count === 1 ? '' : 's'} skipped (${b.reason}); first: ${b.example}`);
  }
  const me = r.machineEvents;
  if (me !== undefined) {
    if (me.addRowsWithoutCapacity > 0) out.push(`machine_events: ${n(me.addRowsWithoutCapacity)} ADD row${me.addRowsWithoutCapacity === 1 ? '' : 's'} with no capacity`);
    if (me.capacityChanges > 0) out.push(`machine_events: ${n(me.capacityChanges)} UPDATE row${me.capacityChanges === 1 ? '' : 's'} changing a machine's capacity`);
    for (const b of me.badRows.byReason) out.push(`machine_events: ${n(b.count)} bad row${b.count === 1 ? '' : 's'} skipped (${b.reason}); first: ${b.example}`);
  }
  const je = r.jobEvents;
  if (je !== undefined) {
    for (const [code, c] of Object.entries(je.missingInfo)) out.push(`job_events: ${n(c)} rows with missing info ${code}`);
    for (const b of je.badRows.byReason) out.push(`job_events: ${n(b.count)} bad row${b.count === 1 ? '' : 's'} skipped (${b.reason}); first: ${b.example}`);
  }
  return out;
}

/**
 * Inspects a Google 2011 trace folder, or one table given as a file, a folder of parts or a glob.
 * Reads task_events, machine_events and job_events; other tables are recognized but not read.
 */
export async function inspect(input: string, options: InspectOptions = {}): Promise<InspectReport> {
  const onBadRow = options.onBadRow ?? 'fail';
  const detected = await detectFormat(input, options.format);
  const t = detected.tables;
  const supported = ['task_events', 'machine_events', 'job_events'];
  const present = Object.keys(t);
  if (!present.some((x) => supported.includes(x))) {
    throw new InputError({
      file: input,
      problem: `recognized as Google 2011 ${present.join(', ')}, which inspect does not read yet (it reads ${supported.join(', ')})`,
    });
  }
  const report: InspectReport = {
    path: input,
    format: detected.format,
    kind: detected.kind,
    tables: present,
    machineScale: options.machineScale ?? DEFAULT_MACHINE_SCALE,
    problems: [],
  };
  if (t.machine_events) report.machineEvents = await inspectMachineEvents(t.machine_events, onBadRow);
  if (t.task_events) report.taskEvents = await inspectTaskEvents(t.task_events, onBadRow);
  if (t.job_events) report.jobEvents = await inspectJobEvents(t.job_events, onBadRow);
  report.problems = problemsOf(report);
  return report;
}

// ---- text rendering ----

const sec = (us: number | null) => (us === null ? '–' : `${n(Math.round(us / 1e5) / 10)} s`);
const pct = (part: number, whole: number) => (whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : '–');
const fix = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(4)).toLocaleString('en-US', { maximumFractionDigits: 20 }) : '–');

function span(first: number | null, last: number | null): string {
  if (first === null || last === null) return 'no rows after t=0';
  return `${sec(first)} – ${sec(last)} (${((last - first) / 3.6e9).toFixed(1)} h)`;
}

/** The report as aligned text, as `schedlab trace inspect` prints it. */
export function formatInspectReport(r: InspectReport): string {
  const L: string[] = [];
  const scale = r.machineScale;
  L.push(`${r.path}: google-2011 ${r.kind === 'trace-folder' ? 'trace folder' : 'table'} (${r.tables.join(', ')})`);
  const me = r.machineEvents;
  if (me !== undefined) {
    L.push('');
    L.push(`machine_events: ${n(me.rows)} rows in ${n(me.files)} file${me.files === 1 ? '' : 's'}; ${n(me.machines)} machines, ${n(me.platforms)} platforms`);
    L.push(`  time span: t=0 then ${span(me.firstTime, me.lastTime)}`);
    L.push(
      `  events: ${Object.entries(me.events).map(([k, v]) => `${k} ${n(v)}`).join(', ')}; ADD at t=0 ${n(me.addRowsAtTimeZero)}; ADD without capacity ${n(me.addRowsWithoutCapacity)}`,
    );
    L.push(`  machines by shape (normalized cpu, memory; first known capacity):`);
    for (const s of me.shapes.slice(0, 8)) {
      L.push(
        `    ${`(${s.cpu}, ${s.memory})`.padEnd(16)}${n(s.machines).padStart(8)}  ${pct(s.machines, me.machines).padStart(6)}  ≈ ${fix((s.cpu * scale.cpuMillicores) / 1000)} cores, ${fix((s.memory * scale.memoryBytes) / 2 ** 30)} GiB`,
      );
    }
    if (me.shapes.length > 8) L.push(`    … ${n(me.shapes.length - 8)} more shapes`);
  }
  const te = r.taskEvents;
  if (te !== undefined) {
    L.push('');
    L.push(`task_events: ${n(te.rows)} rows in ${n(te.files)} file${te.files === 1 ? '' : 's'} (${(te.bytes / 1e6).toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} MB decompressed)`);
    const mt = te.midTrace;
    if (mt === null) L.push(`  time span: t=0 (initial state, ${n(te.rowsAtTimeZero)} rows) then ${span(te.firstTime, te.lastTime)}`);
    else {
      L.push(`  time span: ${span(te.firstTime, te.lastTime)}; no rows at t=0: a mid-trace slice, the window starts at its first row, ${sec(mt.windowStart)}`);
      L.push(
        `  already there at the window start (first seen with a non-SUBMIT row): ${n(mt.tasksAtStart)} tasks, ${n(mt.runningAtStart)} running, ${n(mt.pendingAtStart)} pending`,
      );
    }
    L.push(`  tasks ${n(te.tasks)}, jobs ${n(te.jobs)}, users ${n(te.users)}, machines referenced ${n(te.machines)}`);
    L.push(`    ${'event'.padEnd(15)}${'total'.padStart(10)} ${'at t=0'.padStart(10)} ${'after t=0'.padStart(11)}`);
    for (const [k, v] of Object.entries(te.events)) {
      L.push(`    ${k.padEnd(15)}${n(v.total).padStart(10)} ${n(v.atTimeZero).padStart(10)} ${n(v.afterTimeZero).padStart(11)}`);
    }
    L.push(`  requests (SUBMIT rows, normalized; ≈ real units at 1.0 = ${scale.cpuMillicores / 1000} cores, ${scale.memoryBytes / 2 ** 30} GiB)`);
    L.push(`    ${'resource'.padEnd(8)}${'rows'.padStart(10)}${'missing'.padStart(10)}${['p50', 'p90', 'p99', 'max'].map((h) => h.padStart(10)).join('')}`);
    const row = (name: string, q: Quantiles, unit?: [number, string]) => {
      L.push(
        `    ${name.padEnd(8)}${n(q.count).padStart(10)}${n(q.missing).padStart(10)}${[q.p50, q.p90, q.p99, q.max].map((v) => fix(v).padStart(10)).join('')}` +
          (unit ? `   (max ≈ ${fix(q.max * unit[0])} ${unit[1]}, p50 ≈ ${fix(q.p50 * unit[0])} ${unit[1]})` : ''),
      );
    };
    row('cpu', te.requests.cpu, [scale.cpuMillicores / 1000, 'cores']);
    row('memory', te.requests.memory, [scale.memoryBytes / 2 ** 30, 'GiB']);
    row('disk', te.requests.disk);
    const submits = te.events.SUBMIT.total;
    L.push(`  priority mix (SUBMIT rows): ${Object.entries(te.priorities).map(([p, c]) => `${p}: ${pct(c, submits)}`).join(', ')}`);
    L.push(`  scheduling class (SUBMIT rows): ${Object.entries(te.schedulingClasses).map(([p, c]) => `${p}: ${pct(c, submits)}`).join(', ')}`);
    const a = te.arrivals;
    L.push(
      `  arrivals (SUBMIT after t=0): ${n(a.submits)}, ${a.perSecond.toFixed(2)}/s mean (${n(Math.round(a.perHour))}/h); busiest hour ${n(a.peakHourSubmits)} from ${sec(a.peakHourStart)}`,
    );
  }
  const je = r.jobEvents;
  if (je !== undefined) {
    L.push('');
    L.push(`job_events: ${n(je.rows)} rows in ${n(je.files)} file${je.files === 1 ? '' : 's'}; ${n(je.jobs)} jobs; ${n(je.rowsAtTimeZero)} rows at t=0`);
    L.push(`  time span: ${span(je.firstTime, je.lastTime)}`);
    L.push(`  events: ${Object.entries(je.events).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${n(v)}`).join(', ')}`);
  }
  L.push('');
  if (r.problems.length === 0) L.push('problems: none found');
  else {
    L.push('problems:');
    for (const p of r.problems) L.push(`  - ${p}`);
  }
  return L.join('\n');
}
