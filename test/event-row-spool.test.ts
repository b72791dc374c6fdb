import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventLogBuilder } from '../harness/dynamics-event-log.js';
import { EventRowSpool } from '../reports/event-row-spool.js';
import { LogReader, mergeByTime } from '../reports/event-merge.js';
import { EventTasks } from '../reports/task-tally.js';
import { ResultsSpool } from '../reports/results-spool.js';
import { runSpec } from '../harness/replay-spec.js';
import type { ReplaySpec } from '../harness/replay-spec.js';
import { writeResultsFolder } from '../reports/results-folder.js';
import { writeEventsCsv } from '../reports/events-csv.js';
import { DynamicsCause } from '../reports/replay-results.js';

/** No task rows: every row of these logs is named per event. */
const NO_ROWS = { job: [], taskIndex: [], qos: [], band: [] };

/**
 * The dynamics log of a replay whose task rows leave memory goes to a spool a run at a time
 * (reports/event-row-spool.ts) and events.csv merges the runs back (reports/event-merge.ts): the
 * file must be the one the whole log gives, and the summary's counts the same.
 */

/** A log of (time, task) rows, task ids named in the per-event columns as the simulator does. */
function logOf(rows: ReadonlyArray<readonly [number, number]>): { log: EventLogBuilder; tasks: EventTasks } {
  const log = new EventLogBuilder();
  const tasks = new EventTasks();
  tasks.reserve(rows.length);
  rows.forEach(([time, task], e) => {
    log.push(time, e % 3, task, task < 0 ? DynamicsCause.PressureOn : DynamicsCause.Throttling, e, 2 * e, 3);
    tasks.job[e] = task;
    tasks.taskIndex[e] = e;
    tasks.qos[e] = e % 3;
    tasks.band[e] = e % 4;
  });
  return { log, tasks };
}

describe('event spool and merge', () => {
  it('runs spooled in log order, each sorted, merge into the stable time order of the whole log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'schedlab-evspool-'));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: -1, max: 9 })), { maxLength: 60 }),
        fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 10 }),
        async (rows, cuts) => {
          const spool = new EventRowSpool(join(dir, 'run'), 1);
          // The rows in runs of the given lengths (the last run stays in memory, as at the end of a replay).
          let at = 0;
          let k = 0;
          for (; at < rows.length; k++) {
            const n = Math.min(cuts[k % cuts.length], rows.length - at);
            if (at + n === rows.length) break;
            const { log, tasks } = logOf(rows.slice(at, at + n));
            spool.add(log, tasks);
            at += n;
          }
          const rest = logOf(rows.slice(at));
          const readers = [...spool.openRuns(), new LogReader(rest.log, NO_ROWS, rest.tasks)];
          const got: string[] = [];
          await mergeByTime(readers, async (_k, ev) => {
            got.push(`${ev.time}:${ev.task}:${ev.task >= 0 ? ev.job : '-'}`);
          });
          spool.dispose();
          const want = rows.map(([time, task], e) => ({ time, task, e })).sort((a, b) => a.time - b.time || a.e - b.e);
          expect(got).toEqual(want.map((r) => `${r.time}:${r.task}:${r.task >= 0 ? r.task : '-'}`));
        },
      ),
      { seed: 7, numRuns: 200 },
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a spooled row reads back field for field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'schedlab-evspool-'));
    const spool = new EventRowSpool(join(dir, 'run'));
    const { log, tasks } = logOf([[5e6, 4], [2e6, -1]]);
    tasks.job[0] = 123_456;
    spool.add(log, tasks);
    const [run] = spool.openRuns();
    expect({ ...run.event }).toEqual({ time: 2e6, node: 1, task: -1, job: -1, taskIndex: -1, cause: DynamicsCause.PressureOn, qos: 0, band: 0, memory: 1, amount: 2, duration: 3 });
    run.advance();
    expect({ ...run.event }).toEqual({ time: 5e6, node: 0, task: 4, job: 123_456, taskIndex: 0, cause: DynamicsCause.Throttling, qos: 0, band: 0, memory: 0, amount: 0, duration: 3 });
    run.advance();
    expect(run.done).toBe(true);
    spool.dispose();
  });

  it('events.csv refuses a log whose rows left memory without the spool that holds them', async () => {
    const { log } = logOf([[1, 0]]);
    log.spill();
    const r = { dynamics: { events: log } } as never;
    await expect(writeEventsCsv(join(tmpdir(), 'never.csv'), r, [])).rejects.toThrow(/1 dynamics events left memory during the replay, and no spool holds them/);
  });
});

describe('a replay whose rows leave memory, its event log spooled in runs of 50 rows', () => {
  const spec: ReplaySpec = {
    workload: 'synthetic', policy: 'best-fit', seed: 4, nodes: 12, tasks: 2000, hours: 6, instance: 'm5.2xlarge',
    dynamics: { enabled: true, overcommit: 'memory=1.6' },
    reactions: { preemption: 'none', controllers: false },
  };

  it('writes events.csv and the summary byte for byte as the replay that keeps every row, and leaves no spool', async () => {
    const root = mkdtempSync(join(tmpdir(), 'schedlab-evspool-'));
    const folder = async (mode: 'all' | 'live'): Promise<{ spilled: number; runs: number }> => {
      const dir = join(root, mode);
      const spool = new ResultsSpool(dir, 50);
      try {
        const o = await runSpec({ ...spec, retainTasks: mode }, undefined, spool.sinks);
        expect(o.result.retainTasks).toBe(mode);
        await writeResultsFolder(dir, { schedlab: 'test', command: 'replay', seed: spec.seed, config: {}, workloadNotes: [], summary: o.summary }, o.result, o.workload.jobs, {}, undefined, spool);
        return { spilled: o.result.dynamics!.events.spilled ?? 0, runs: spool.events.runCount };
      } finally {
        spool.dispose();
      }
    };
    const all = await folder('all');
    const live = await folder('live');
    expect(all).toEqual({ spilled: 0, runs: 0 });
    expect(live.runs).toBeGreaterThan(3);
    const read = (mode: string, file: string) => readFileSync(join(root, mode, file), 'utf8');
    const events = read('all', 'events.csv');
    // Enough rows to span the runs, of several causes (throttling intervals are logged out of time order).
    expect(events.split('\n').length).toBeGreaterThan(live.spilled);
    expect(events).toMatch(/,throttling,/);
    expect(events).toMatch(/,oom-|,eviction-/);
    expect(read('live', 'events.csv')).toBe(events);
    const summary = (mode: string) => JSON.stringify(JSON.parse(read(mode, 'run.json')).summary);
    expect(summary('live')).toBe(summary('all'));
    expect(JSON.parse(read('live', 'run.json')).summary.dynamics.evictionsTotal).toBeGreaterThan(0);
    expect(readdirSync(root).sort()).toEqual(['all', 'live']);
  }, 120_000);
});
