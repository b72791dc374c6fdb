import type { Workload } from '../model/workload.js';
import { ValueHistogram, type Quantiles } from './value-histogram.js';

/**
 * `trace inspect` for any Workload: consumes its task batches once (streaming; memory = the
 * distinct values per resource, the jobs seen and one counter per hour) and reports what it holds.
 * Quantiles are exact nearest-rank (the smallest value with at least p of the values at or below
 * it), computed from a histogram of distinct values, as google-2011's inspect does.
 */
export type { Quantiles } from './value-histogram.js';

export interface WorkloadInspectReport {
  name: string;
  format?: string;
  rowsRead: number | null;
  files: number | null;
  eventCounts: Record<string, number>;
  badRows: { total: number; byReason: Record<string, number> };
  /** Seconds (trace µs / 10^6). */
  /** `windowStart`: where a mid-trace slice's window starts (Workload.start; reader-kit/window-start.ts), null from 0. */
  time: { firstSubmit: number | null; lastSubmit: number | null; lastEnd: number | null; horizon: number | null; windowStart: number | null };
  machines: {
    initial: number;
    addEvents: number;
    removeEvents: number;
    distinct: number;
    /** Distinct machines by first-seen capacity (schema units), most common first. */
    shapes: { capacity: number[]; machines: number }[];
  };
  tasks: number;
  jobs: number;
  users: number;
  /** Per resource, in the schema's units. */
  requests: Record<string, Quantiles & { unit: string }>;
  /** Run time, seconds. */
  durations: Quantiles;
  priorities: Record<string, number>;
  arrivals: { tasks: number; perSecond: number; perHour: number; peakHourTasks: number; peakHourStart: number | null };
  missing: { request: Record<string, number>; duration: number; usage: number };
  usage: { known: number; meanFraction: Record<string, number | null> };
  killedWhilePending: number;
  dependencies: number | null;
  notes: string[];
  problems: string[];
}

const HOUR = 3600e6;

export async function inspectWorkload(w: Workload, format?: string): Promise<WorkloadInspectReport> {
  const D = w.resources.names.length;
  const req = Array.from({ length: D }, () => new ValueHistogram());
  const dur = new ValueHistogram();
  const prio: Record<string, number> = {};
  const jobs = new Set<number>();
  const users = new Set<number>();
  const perHour = new Map<number, number>();
  const usageSum = new Float64Array(D);
  const usageN = new Float64Array(D);
  let tasks = 0;
  let first = Infinity;
  let last = -Infinity;
  let lastEnd = -Infinity;
  let usageMissing = 0;
  let usageKnown = 0;
  let killedPending = 0;
  for await (const b of w.taskBatches()) {
    for (let i = 0; i < b.count; i++) {
      tasks++;
      const s = b.submitTime[i];
      if (s < first) first = s;
      if (s > last) last = s;
      const d = b.duration[i];
      dur.add(d === d ? d / 1e6 : NaN);
      if (d === d && s + d > lastEnd) lastEnd = s + d;
      for (let k = 0; k < D; k++) {
        req[k].add(b.request[i * D + k]);
        const u = b.usageFraction[i * D + k];
        if (u === u) {
          usageSum[k] += u;
          usageN[k]++;
        }
      }
      if (b.usageFraction[i * D] === b.usageFraction[i * D]) usageKnown++;
      else usageMissing++;
      const p = String(b.priority[i]);
      prio[p] = (prio[p] ?? 0) + 1;
      jobs.add(b.job[i]);
      if (b.user[i] >= 0) users.add(b.user[i]);
      const h = Math.floor(s / HOUR);
      perHour.set(h, (perHour.get(h) ?? 0) + 1);
      const kt = b.killTime?.[i];
      if (kt !== undefined && kt === kt && d !== d) killedPending++;
    }
  }
  // Machines by shape (distinct ids, first-seen capacity).
  const seen = new Map<string, number[]>();
  for (const m of w.machines) if (!seen.has(m.id)) seen.set(m.id, m.capacity);
  let adds = 0;
  let removes = 0;
  for (const e of w.machineEvents) {
    if (e.kind === 'add') adds++;
    else removes++;
    if (!seen.has(e.machine.id)) seen.set(e.machine.id, e.machine.capacity);
  }
  const shapes = new Map<string, { capacity: number[]; machines: number }>();
  for (const cap of seen.values()) {
    const key = cap.join(',');
    const s = shapes.get(key);
    if (s) s.machines++;
    else shapes.set(key, { capacity: cap, machines: 1 });
  }
  const st = w.sourceStats ?? {};
  const badByReason = st.badRows ?? {};
  const badTotal = Object.values(badByReason).reduce((a, b) => a + b, 0);
  let peak = 0;
  let peakStart: number | null = null;
  for (const [h, c] of perHour) {
    if (c > peak || (c === peak && peakStart !== null && h * 3600 < peakStart)) {
      peak = c;
      peakStart = h * 3600;
    }
  }
  const spanS = tasks > 1 ? (last - first) / 1e6 : 0;
  const requests: WorkloadInspectReport['requests'] = {};
  const missingReq: Record<string, number> = {};
  const meanFraction: Record<string, number | null> = {};
  w.resources.names.forEach((name, k) => {
    requests[name] = { ...req[k].quantiles(), unit: w.resources.units[k] };
    missingReq[name] = req[k].missing;
    meanFraction[name] = usageN[k] > 0 ? usageSum[k] / usageN[k] : null;
  });
  const deps = (w as { startAfter?: Array<number[] | undefined> }).startAfter;
  let depEdges: number | null = null;
  if (Array.isArray(deps)) {
    depEdges = 0;
    for (const l of deps) if (l) depEdges += l.length;
  }
  const problems: string[] = [];
  for (const [reason, c] of Object.entries(badByReason)) problems.push(`${c.toLocaleString('en-US')} bad row${c === 1 ? '' : 's'} skipped (${reason})`);
  for (const [name, c] of Object.entries(missingReq)) if (c > 0) problems.push(`${c.toLocaleString('en-US')} task${c === 1 ? '' : 's'} with no ${name} request`);
  if (dur.missing > 0) problems.push(`${dur.missing.toLocaleString('en-US')} task${dur.missing === 1 ? '' : 's'} with unknown run time (run to the end of the replay)`);
  if (tasks === 0) problems.push('no tasks');
  if (seen.size === 0) problems.push('no machines');
  const sec = (v: number) => (Number.isFinite(v) ? v / 1e6 : null);
  return {
    name: w.name,
    format,
    rowsRead: st.rowsRead ?? null,
    files: st.files ?? null,
    eventCounts: st.eventCounts ?? {},
    badRows: { total: badTotal, byReason: badByReason },
    time: { firstSubmit: sec(first), lastSubmit: sec(last), lastEnd: sec(lastEnd), horizon: w.horizon !== undefined ? w.horizon / 1e6 : null, windowStart: w.start !== undefined ? w.start / 1e6 : null },
    machines: {
      initial: w.machines.length,
      addEvents: adds,
      removeEvents: removes,
      distinct: seen.size,
      shapes: [...shapes.values()].sort((a, b) => b.machines - a.machines || a.capacity.join(',').localeCompare(b.capacity.join(','))),
    },
    tasks,
    jobs: jobs.size,
    users: users.size,
    requests,
    durations: dur.quantiles(),
    priorities: prio,
    arrivals: {
      tasks,
      perSecond: spanS > 0 ? tasks / spanS : NaN,
      perHour: spanS > 0 ? (tasks / spanS) * 3600 : NaN,
      peakHourTasks: peak,
      peakHourStart: peakStart,
    },
    missing: { request: missingReq, duration: dur.missing, usage: usageMissing },
    usage: { known: usageKnown, meanFraction },
    killedWhilePending: killedPending,
    dependencies: depEdges,
    notes: w.notes,
    problems,
  };
}

/** An amount in its unit, readable: bytes as GiB/MiB, millicores as cores. */
const fmtUnit = (v: number, unit: string | undefined): string => {
  if (!Number.isFinite(v)) return 'n/a';
  if (unit === 'bytes') return v >= 2 ** 30 ? `${+(v / 2 ** 30).toPrecision(4)} GiB` : `${+(v / 2 ** 20).toPrecision(4)} MiB`;
  if (unit === 'millicores') return `${+(v / 1000).toPrecision(4)} cores`;
  return fmt(v);
};
const fmt = (v: number | null) =>
  v === null || !Number.isFinite(v) ? 'n/a' : Number.isInteger(v) ? v.toLocaleString('en-US') : (+v.toPrecision(6)).toLocaleString('en-US', { maximumFractionDigits: 20 });

/** The report as aligned text. */
export function formatWorkloadInspectReport(r: WorkloadInspectReport): string {
  const out: string[] = [];
  out.push(`${r.name}${r.format ? ` (${r.format})` : ''}`);
  out.push(`  rows read: ${fmt(r.rowsRead)} in ${fmt(r.files)} files; bad rows skipped: ${fmt(r.badRows.total)}`);
  out.push(`  time (s): first submit ${fmt(r.time.firstSubmit)}, last submit ${fmt(r.time.lastSubmit)}, last end ${fmt(r.time.lastEnd)}, horizon ${fmt(r.time.horizon)}` + (r.time.windowStart !== null ? `; a slice: the window starts at ${fmt(r.time.windowStart)} s` : ''));
  out.push(`  machines: ${fmt(r.machines.distinct)} distinct, ${fmt(r.machines.initial)} at t=0, ${fmt(r.machines.addEvents)} adds, ${fmt(r.machines.removeEvents)} removes`);
  const units = Object.values(r.requests).map((q) => q.unit);
  for (const s of r.machines.shapes.slice(0, 10)) out.push(`    ${s.capacity.map((v, d) => fmtUnit(v, units[d])).join(' × ').padEnd(32)} ${fmt(s.machines)}`);
  out.push(
    `  tasks: ${fmt(r.tasks)}, jobs: ${fmt(r.jobs)}, users: ${fmt(r.users)}, killed while pending: ${fmt(r.killedWhilePending)}` +
      (r.dependencies !== null ? `, dependencies: ${fmt(r.dependencies)}` : ''),
  );
  out.push('  requests:                  count   missing       p50       p90       p99       max');
  const row = (label: string, q: Quantiles) =>
    `    ${label.padEnd(22)} ${fmt(q.count).padStart(6)} ${fmt(q.missing).padStart(9)} ${[q.p50, q.p90, q.p99, q.max].map((v) => fmt(v).padStart(9)).join(' ')}`;
  for (const [name, q] of Object.entries(r.requests)) out.push(row(`${name} (${q.unit})`.slice(0, 22), q));
  out.push(row('run time (s)', r.durations));
  out.push(`  priorities: ${Object.entries(r.priorities).map(([p, c]) => `${p}: ${fmt(c)}`).join(', ') || 'none'}`);
  out.push(`  arrivals: ${fmt(r.arrivals.perHour)} per hour; busiest hour ${fmt(r.arrivals.peakHourStart)} s with ${fmt(r.arrivals.peakHourTasks)} tasks`);
  out.push(`  usage known for ${fmt(r.usage.known)} tasks (mean fraction of request: ${Object.entries(r.usage.meanFraction).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')})`);
  if (Object.keys(r.eventCounts).length > 0) {
    out.push('  source counts:');
    for (const [k, v] of Object.entries(r.eventCounts)) out.push(`    ${k.padEnd(32)} ${v.toLocaleString('en-US')}`);
  }
  out.push('  notes:');
  for (const n of r.notes) out.push(`    - ${n}`);
  out.push(r.problems.length > 0 ? '  problems:' : '  problems: none');
  for (const p of r.problems) out.push(`    - ${p}`);
  return out.join('\n');
}
