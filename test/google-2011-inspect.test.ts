import { describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import yargs from 'yargs';
import { InputError } from '../model/errors.js';
import { detectFormat } from '../workloads/detect-format.js';
import { formatInspectReport, inspect } from '../workloads/google-2011/inspect.js';
import { traceCommand } from '../cli/commands/trace.js';

const FIX = path.join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures', 'google-2011');
const TRACE = path.join(FIX, 'trace');
const BAD = path.join(FIX, 'bad');

describe('detectFormat', () => {
  it('recognizes a trace folder, table folders and single files', async () => {
    const root = await detectFormat(TRACE);
    expect(root.kind).toBe('trace-folder');
    expect(Object.keys(root.tables).sort()).toEqual(['job_events', 'machine_events', 'task_events']);
    expect(root.tables.task_events?.map((f) => path.basename(f))).toEqual(['part-00000-of-00002.csv', 'part-00001-of-00002.csv']);
    expect(Object.keys((await detectFormat(path.join(TRACE, 'machine_events'))).tables)).toEqual(['machine_events']);
    expect(Object.keys((await detectFormat(path.join(BAD, 'job_events-scheduling-class.csv'))).tables)).toEqual(['job_events']);
    expect(Object.keys((await detectFormat(path.join(BAD, 'task_events-mixed.csv'), 'google-2011')).tables)).toEqual(['task_events']);
  });

  it('a file that matches no format is an InputError', async () => {
    const p = detectFormat(path.join(BAD, 'not-a-trace.csv'));
    await expect(p).rejects.toThrow(InputError);
    await expect(detectFormat(path.join(BAD, 'not-a-trace.csv'))).rejects.toThrow(
      /bad\/not-a-trace\.csv line 1: not a recognized trace format: the first line has 3 columns/,
    );
    await expect(detectFormat(TRACE, 'alibaba-2099')).rejects.toThrow(/unknown format 'alibaba-2099'/);
  });
});

describe('inspect on the hand-written trace', () => {
  it('counts rows, events, tasks, jobs, machines and problems', async () => {
    const r = await inspect(TRACE);
    const te = r.taskEvents!;
    expect(te.rows).toBe(15);
    expect(te.rowsAtTimeZero).toBe(4);
    expect(te.firstTime).toBe(600e6);
    expect(te.lastTime).toBe(1200e6);
    expect([te.tasks, te.jobs, te.users, te.machines]).toEqual([5, 4, 3, 3]);
    expect(te.events.SUBMIT).toEqual({ total: 6, atTimeZero: 3, afterTimeZero: 3 });
    expect(te.events.SCHEDULE.total).toBe(4);
    expect(te.events.UPDATE_RUNNING.total).toBe(1);
    expect(te.requests.cpu).toEqual({ count: 5, missing: 1, p50: 0.05, p90: 0.2, p99: 0.2, max: 0.2 });
    expect(te.requests.memory.missing).toBe(3);
    expect(te.priorities).toEqual({ '0': 1, '2': 2, '9': 2, '11': 1 });
    expect(te.arrivals.submits).toBe(3);
    expect(te.missingInfo).toEqual({
      '0 SNAPSHOT_BUT_NO_TRANSITION': { UPDATE_RUNNING: 1 },
      '2 EXISTS_BUT_NO_CREATION': { SUBMIT: 1 },
    });
    const me = r.machineEvents!;
    expect([me.rows, me.machines, me.addRowsAtTimeZero, me.addRowsWithoutCapacity, me.capacityChanges]).toEqual([8, 4, 3, 1, 1]);
    expect(me.shapes[0]).toEqual({ cpu: 0.25, memory: 0.2498, machines: 1 });
    expect(r.jobEvents!.jobs).toBe(4);
    expect(r.problems).toContain('task_events: 1 SUBMIT row with no CPU request');
    expect(r.problems).toContain('machine_events: 1 ADD row with no capacity');
    const text = formatInspectReport(r);
    expect(text).toMatch(/task_events: 15 rows in 2 files/);
    expect(text).toMatch(/SUBMIT\s+6\s+3\s+3/);
  });

  it('counts bad rows by reason in skip mode, fails by default', async () => {
    const file = path.join(BAD, 'task_events-mixed.csv');
    await expect(inspect(file)).rejects.toThrow(/task_events-mixed\.csv line 2, column 9 \(CPU request\)/);
    const r = await inspect(file, { onBadRow: 'skip' });
    expect(r.taskEvents!.rows).toBe(4);
    expect(r.taskEvents!.badRows.total).toBe(6);
    expect(r.problems.some((p) => p.startsWith('task_events: 2 bad rows skipped (CPU request: not a number)'))).toBe(true);
  });

  it('the trace inspect command prints JSON', async () => {
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((s: string) => {
      out.push(s);
      return true;
    }) as typeof process.stdout.write;
    try {
      await yargs(['trace', 'inspect', path.join(TRACE, 'task_events'), '--json']).command(traceCommand).strict().parseAsync();
    } finally {
      process.stdout.write = write;
    }
    const json = JSON.parse(out.join(''));
    expect(json.taskEvents.rows).toBe(15);
    expect(json.tables).toEqual(['task_events']);
  });
});
