import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chartsForRuns, readResultsFolder, type AvailabilityColumns, type EventsColumns, type LoadedRun } from '../reports/results-reader.js';
import { availabilityChart, availabilitySteps, thinSteps } from '../reports/charts/availability-chart.js';
import { reactionEventsChart } from '../reports/charts/reaction-events-chart.js';
import { renderChart } from '../reports/charts/render.js';
import { InputError, UsageError } from '../model/errors.js';
import type { ReactionsSummary } from '../reports/reactions-summary.js';
import { ROOT } from './helpers/cli.js';

/**
 * The reactions' charts (availability over time, the reaction events) and the reader of
 * availability.csv, on hand-made runs: every expected value is worked out by hand below.
 */
const FIX = join(ROOT, 'test', 'fixtures', 'results');
const root = mkdtempSync(join(tmpdir(), 'schedlab-charts-reactions-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let k = 0;
function copyOf(name: string): string {
  const d = join(root, `${name}-${k++}`);
  cpSync(join(FIX, name), d, { recursive: true });
  return d;
}

type Row = Record<string, unknown>;
const values = (spec: Record<string, unknown>): Row[] => (spec.data as { values: Row[] }).values;
const inner = (spec: Record<string, unknown>) => ((spec.spec ?? spec) as { encoding: Record<string, Row>; mark: unknown });

/** Columns from rows [time_s, workload, kind, desired, ready]. */
function availability(rows: Array<[number, string, string, number, number]>): AvailabilityColumns {
  return {
    length: rows.length,
    timeS: Float64Array.from(rows.map((r) => r[0])),
    workload: rows.map((r) => r[1]),
    kind: rows.map((r) => r[2]),
    desired: Float64Array.from(rows.map((r) => r[3])),
    ready: Float64Array.from(rows.map((r) => r[4])),
  };
}

/**
 * Three workloads over a 1-h window: web (Deployment, 3), db (StatefulSet, 2), a Job (1).
 *   0 s: web 3/3, db 2/2, job 0/1          → (3 + 2 + 0) / 6 = 5/6
 * 600 s: web 1/3 and job 1/1 (one instant) → (1 + 2 + 1) / 6 = 2/3
 * 1200 s: web 4 ready of 3 (a surge)       → (3 + 2 + 1) / 6 = 1
 * 1800 s: the Job is done (wants 0)        → (3 + 2) / 5 = 1
 * 2400 s: web and db want none             → nothing wanted: a gap
 * 3000 s: db wants 2 again, 1 ready        → 1 / 2
 */
const STEPS: Array<[number, string, string, number, number]> = [
  [0, 'default/web', 'Deployment', 3, 3],
  [0, 'default/db', 'StatefulSet', 2, 2],
  [0, 'default/pi', 'Job', 1, 0],
  [600, 'default/web', 'Deployment', 3, 1],
  [600, 'default/pi', 'Job', 1, 1],
  [1200, 'default/web', 'Deployment', 3, 4],
  [1800, 'default/pi', 'Job', 0, 0],
  [2400, 'default/web', 'Deployment', 0, 0],
  [2400, 'default/db', 'StatefulSet', 0, 0],
  [3000, 'default/db', 'StatefulSet', 2, 1],
];

describe('availability steps', () => {
  it('sums min(ready, desired) over Σ desired after every row of an instant; null while nothing is wanted', () => {
    expect(availabilitySteps(availability(STEPS))).toEqual([
      { timeS: 0, value: 5 / 6 },
      { timeS: 600, value: 4 / 6 },
      { timeS: 1200, value: 1 },
      { timeS: 1800, value: 1 },
      { timeS: 2400, value: null },
      { timeS: 3000, value: 0.5 },
    ]);
  });
  it('keeps workloads of one name and different kinds apart, and orders rows by time', () => {
    // A Deployment and a StatefulSet both named default/app; rows out of time order.
    const a = availability([
      [60, 'default/app', 'StatefulSet', 1, 0],
      [0, 'default/app', 'Deployment', 2, 2],
      [0, 'default/app', 'StatefulSet', 1, 1],
    ]);
    expect(availabilitySteps(a)).toEqual([{ timeS: 0, value: 1 }, { timeS: 60, value: 2 / 3 }]);
  });
  it('thins to time-weighted means of k consecutive steps, over the time something is wanted', () => {
    const steps = [{ timeS: 0, value: 1 }, { timeS: 10, value: 0 }, { timeS: 20, value: null }, { timeS: 30, value: 0.5 }];
    // k = 2: (1·10 + 0·10) / 20 = 0.5 at 0; the gap has no weight, 0.5 over 30–40 s → 0.5 at 20.
    expect(thinSteps(steps, 40, 2)).toEqual({ steps: [{ timeS: 0, value: 0.5 }, { timeS: 20, value: 0.5 }], k: 2 });
    expect(thinSteps(steps, 40, 4).k).toBe(1);
  });
});

const ff = readResultsFolder(join(FIX, 'first-fit'));
const bf = readResultsFolder(join(FIX, 'best-fit'));
const REACTIONS: ReactionsSummary = { settings: {}, failedTasks: 0, rejectedTasks: 0 };

/** Events columns from [time_s, cause] rows (the chart reads only these). */
function events(rows: Array<[number, string]>): EventsColumns {
  const n = rows.length;
  const nan = () => new Float64Array(n).fill(NaN);
  const none = () => new Array<string | null>(n).fill(null);
  return {
    length: n, timeS: Float64Array.from(rows.map((r) => r[0])), node: none(), taskId: nan(), job: none(), taskIndex: nan(),
    cause: rows.map((r) => r[1]), qos: none(), band: none(), memoryBytes: nan(), amount: nan(), durationS: nan(),
  };
}

/** A fixture run with the reactions on: its summary says so, its availability and events as given. */
function withReactions(run: LoadedRun, av: AvailabilityColumns | null, ev: EventsColumns | null): LoadedRun {
  return { ...run, record: { ...run.record, summary: { ...run.record.summary, reactions: REACTIONS } }, availability: av, events: ev };
}

describe('availability chart', () => {
  it('draws each run as its step function over the window: repeated before a gap, held to the end', () => {
    const c = availabilityChart([{ label: 'a', availability: availability(STEPS) }, { label: 'off', availability: null }], 1);
    expect(values(c.spec).map((r) => [r.time_h, r.availability])).toEqual([
      [0, 0.833333],
      [0.166667, 0.666667],
      [0.333333, 1],
      [0.5, 1],
      [0.666667, 1], // the value from 1800 s holds until the gap
      [0.666667, null],
      [0.833333, 0.5],
      [1, 0.5], // held to the window's end
    ]);
    expect(values(c.spec).map((r) => r.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(values(c.spec).every((r) => r.run === 'a')).toBe(true);
    expect(c.caption).toContain('Σ over workloads of min(ready, desired) / Σ desired');
    expect(c.caption).toContain('without availability.csv (controllers off, or too many workloads to list): off');
    const e = inner(c.spec).encoding;
    expect(e.x).toMatchObject({ field: 'time_h', title: 'time (h)', scale: { domain: [0, 1] } });
    expect(e.y).toMatchObject({ field: 'availability', scale: { domain: [0, 1] }, axis: { format: '%' } });
    expect(e.color).toMatchObject({ field: 'run', type: 'nominal' });
    expect(e.order).toMatchObject({ field: 'seq' });
    expect(inner(c.spec).mark).toMatchObject({ type: 'line', interpolate: 'step-after' });
  });
  it('follows a mid-trace window (trace time) and renders with its gap', async () => {
    const late = availability(STEPS.map(([t, ...rest]) => [t + 360000, ...rest]));
    const c = availabilityChart([{ label: 'a', availability: late }], 1, 100);
    expect((inner(c.spec).encoding.x as { scale: unknown }).scale).toEqual({ domain: [100, 101] });
    expect(values(c.spec)[0]).toMatchObject({ time_h: 100, availability: 0.833333 });
    const { svg } = await renderChart(c);
    expect(svg).toContain('Availability over time');
    expect(svg).toContain('availability (ready / desired pods)');
  });
});

describe('reaction events chart', () => {
  // 1-h window → 5-min bins. node-failed and recreated are not counted here.
  const ev = events([
    [100, 'preemption'], [200, 'preemption'], [400, 'taint-eviction'], [650, 'node-failed'], [700, 'scale-up'],
    [900, 'recreated'], [3300, 'scale-down'], [3599, 'admission-rejected'],
  ]);
  it('counts preemption victims, taint evictions, scale-up/down and admission refusals per bin and cause, per run', () => {
    const c = reactionEventsChart([{ label: 'on', events: ev, reactions: true }, { label: 'plain', events: null, reactions: false }], 1);
    expect(values(c.spec)).toEqual([
      { run: 'on', bin_start_h: 0, bin_end_h: 0.083333, cause: 'preemption', events: 2 },
      { run: 'on', bin_start_h: 0.083333, bin_end_h: 0.166667, cause: 'taint-eviction', events: 1 },
      { run: 'on', bin_start_h: 0.166667, bin_end_h: 0.25, cause: 'scale-up', events: 1 },
      { run: 'on', bin_start_h: 0.916667, bin_end_h: 1, cause: 'scale-down', events: 1 },
      { run: 'on', bin_start_h: 0.916667, bin_end_h: 1, cause: 'admission-rejected', events: 1 },
    ]);
    expect(c.caption).toContain('per 5 min');
    expect(c.caption).toContain('reactions off: plain');
    expect(c.spec.facet).toMatchObject({ row: { field: 'run', sort: ['on'] } });
    const e = inner(c.spec).encoding;
    expect(e.y).toMatchObject({ aggregate: 'sum', field: 'events', stack: 'zero' });
    expect(e.color).toMatchObject({ field: 'cause', scale: { domain: ['preemption', 'taint-eviction', 'scale-up', 'scale-down', 'admission-rejected'] } });
    expect(e.x).toMatchObject({ field: 'bin_start_h', scale: { domain: [0, 1] } });
  });
  it('renders', async () => {
    const c = reactionEventsChart([{ label: 'on', events: ev, reactions: true }], 1);
    const { svg } = await renderChart(c);
    expect(svg).toContain('reactions over time');
    expect(svg).toContain('events / 5 min');
  });
});

describe('chartsForRuns with reactions', () => {
  const base = ['utilization-over-time', 'pending-tasks-over-time', 'scheduling-delay-cdf', 'busy-nodes-over-time'];
  it('adds availability when a run has availability rows and the reactions chart when a run had such events', () => {
    const on = withReactions(bf, availability(STEPS), events([[100, 'taint-eviction']]));
    expect(chartsForRuns([on, bf]).map((c) => c.name)).toEqual([...base, 'availability-over-time', 'reaction-events-over-time', 'cost-per-year', 'savings-per-year']);
    expect(chartsForRuns([bf]).map((c) => c.name)).toEqual([...base, 'cost-per-year']);
  });
  it('leaves them out when nothing happened: no availability rows, only other reaction causes', () => {
    const quiet = withReactions(bf, availability([]), events([[100, 'node-failed'], [200, 'recreated']]));
    expect(chartsForRuns([quiet]).map((c) => c.name)).toEqual([...base, 'cost-per-year']);
  });
  it('keeps a run without node dynamics out of the evictions chart although events.csv holds its preemptions', () => {
    const preempted = withReactions(bf, null, events([[100, 'preemption']]));
    const names = chartsForRuns([preempted]).map((c) => c.name);
    expect(names).toContain('reaction-events-over-time');
    expect(names).not.toContain('evictions-over-time');
    const both = chartsForRuns([ff, preempted]).find((c) => c.name === 'evictions-over-time')!;
    expect(both.caption).toContain('without node dynamics (no events): best-fit');
  });
});

describe('reading availability.csv', () => {
  const header = 'time_s,workload,kind,desired,ready';
  it('reads the columns typed; a folder without the file has none', () => {
    const d = copyOf('best-fit');
    writeFileSync(join(d, 'availability.csv'), [header, '0,default/web,Deployment,3,3', '600,"default/a,b",StatefulSet,2,1', ''].join('\n'));
    const a = readResultsFolder(d).availability!;
    expect(a.length).toBe(2);
    expect([...a.timeS]).toEqual([0, 600]);
    expect(a.workload).toEqual(['default/web', 'default/a,b']);
    expect(a.kind).toEqual(['Deployment', 'StatefulSet']);
    expect([...a.desired]).toEqual([3, 2]);
    expect([...a.ready]).toEqual([3, 1]);
    expect(readResultsFolder(join(FIX, 'best-fit')).availability).toBeNull();
  });
  const broken = (rows: string[]): string => {
    const d = copyOf('best-fit');
    writeFileSync(join(d, 'availability.csv'), [header, ...rows, ''].join('\n'));
    try {
      readResultsFolder(d);
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      return (e as Error).message;
    }
    throw new Error('expected an InputError');
  };
  it('refuses a malformed file with its file, line and column', () => {
    expect(broken(['0,default/web,Deployment,3,x'])).toMatch(/availability\.csv line 2, column 4 \(ready\): expected a number, got "x"/);
    expect(broken(['0,default/web,Widget,3,3'])).toMatch(/availability\.csv line 2, column 2 \(kind\): expected one of Pod, Deployment, .*BorgJob, got "Widget"/);
    expect(broken(['0,,Deployment,3,3'])).toMatch(/line 2, column 1 \(workload\): expected a value/);
    expect(broken(['0,default/web,Deployment,3,3', ',default/web,Deployment,3,3'])).toMatch(/line 3, column 0 \(time_s\): expected a number/);
    // Counts: whole numbers ≥ 0; the line is found past a quoted field that spans two lines.
    expect(broken(['0,"default/we\nb",Deployment,3,3', '60,default/x,Deployment,-1,0'])).toMatch(/availability\.csv line 4, column 3 \(desired\): expected a count \(a whole number ≥ 0\), got "-1"/);
    expect(broken(['0,default/web,Deployment,3,1.5'])).toMatch(/line 2, column 4 \(ready\): expected a count/);
    expect(broken(['0,default/web,Deployment,3'])).toMatch(/line 2: expected 5 fields/);
  });
  it('refuses a header without a column', () => {
    const d = copyOf('best-fit');
    writeFileSync(join(d, 'availability.csv'), 'time_s,workload,kind,desired\n0,w,Pod,1\n');
    expect(() => readResultsFolder(d)).toThrow(/availability\.csv line 1: missing column 'ready'/);
  });
  it('refuses a folder whose summary lists workloads but has no availability.csv, and reads events.csv for the reactions without dynamics', () => {
    const d = copyOf('best-fit');
    const runFile = join(d, 'run.json');
    const run = JSON.parse(readFileSync(runFile, 'utf8'));
    run.summary.reactions = { ...REACTIONS, availability: { meanAvailability: 1, workloads: [], workloadCount: 1, worstAvailability: 1, workloadsEverDown: 0, byKind: [], jobsSucceeded: 0, jobsFailed: 0 } };
    writeFileSync(runFile, JSON.stringify(run));
    expect(() => readResultsFolder(d)).toThrow(UsageError);
    expect(() => readResultsFolder(d)).toThrow(/events\.csv is missing although the cluster's reactions ran/);
    writeFileSync(join(d, 'events.csv'), 'time_s,node,task_id,job,task_index,cause,qos,band,memory_bytes,amount,duration_s\n600,node-0,,,,node-failed,,,,,\n');
    expect(() => readResultsFolder(d)).toThrow(/availability\.csv is missing although the controllers reported workloads/);
    writeFileSync(join(d, 'availability.csv'), `${header}\n0,default/web,Deployment,1,1\n`);
    const r = readResultsFolder(d);
    expect(r.events!.cause).toEqual(['node-failed']);
    expect(r.availability!.length).toBe(1);
  });
});
