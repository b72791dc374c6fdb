import { describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../model/errors.js';
import { Rng } from '../model/rng.js';
import { parseFloatAt } from '../workloads/google-2011/fields.js';
import { parseTaskEvents, TaskEventParser } from '../workloads/google-2011/task-event-parser.js';
import { readMachineEventRows } from '../workloads/google-2011/machine-events.js';
import { summarizeJobEvents } from '../workloads/google-2011/job-events.js';

const BAD = path.join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures', 'google-2011', 'bad');

async function parseAll(file: string, onBadRow: 'fail' | 'skip' = 'fail') {
  const parser = new TaskEventParser({ onBadRow });
  const rows: { time: number; event: number; cpu: number }[] = [];
  for await (const b of await parseTaskEvents(file, parser)) {
    for (let i = 0; i < b.count; i++) rows.push({ time: b.time[i], event: b.eventType[i], cpu: b.cpuRequest[i] });
  }
  return { parser, rows };
}

async function errorOf(p: Promise<unknown>): Promise<InputError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError');
}

describe('google-2011 task_events parser: strict errors name file, line and column', () => {
  const cases: { file: string; line: number; column?: number; message: string }[] = [
    {
      file: 'task_events-column-count.csv',
      line: 2,
      message: 'bad/task_events-column-count.csv line 2: expected 13 columns, got 12',
    },
    {
      file: 'task_events-not-a-number.csv',
      line: 2,
      column: 9,
      message: 'bad/task_events-not-a-number.csv line 2, column 9 (CPU request): expected a number, got "abc"',
    },
    {
      file: 'task_events-unknown-event.csv',
      line: 2,
      column: 5,
      message: 'bad/task_events-unknown-event.csv line 2, column 5 (event type): expected an integer 0–8, got "9"',
    },
    {
      file: 'task_events-time-backwards.csv',
      line: 3,
      column: 0,
      message:
        'bad/task_events-time-backwards.csv line 3, column 0 (time): expected a time ≥ 700000000 (the previous row\'s; parts are time-ordered), got "650000000"',
    },
    {
      file: 'task_events-negative-request.csv',
      line: 2,
      column: 10,
      message:
        'bad/task_events-negative-request.csv line 2, column 10 (memory request): expected a normalized request in [0, 1], got "-0.01"',
    },
    {
      file: 'task_events-priority.csv',
      line: 2,
      column: 8,
      message: 'bad/task_events-priority.csv line 2, column 8 (priority): expected an integer 0–11, got "12"',
    },
    {
      file: 'task_events-job-id.csv',
      line: 2,
      column: 2,
      message: 'bad/task_events-job-id.csv line 2, column 2 (job ID): expected an integer ID, got "x300"',
    },
    {
      file: 'task_events-missing-info.csv',
      line: 2,
      column: 1,
      message: 'bad/task_events-missing-info.csv line 2, column 1 (missing info): expected an integer 0–2, got "3"',
    },
    {
      file: 'task_events-missing-time.csv',
      line: 2,
      column: 0,
      message: 'bad/task_events-missing-time.csv line 2, column 0 (time): expected a time in µs, got ""',
    },
  ];
  for (const c of cases) {
    it(c.file, async () => {
      const err = await errorOf(parseAll(path.join(BAD, c.file)));
      expect(err.message).toBe(c.message);
      expect(err.file).toBe(path.join(BAD, c.file));
      expect(err.line).toBe(c.line);
      expect(err.column).toBe(c.column);
    });
  }

  it('time order carries across files', async () => {
    const files = [path.join(BAD, 'task_events-time-backwards.csv'), path.join(BAD, 'task_events-not-a-number.csv')];
    const skip = new TaskEventParser({ onBadRow: 'skip' });
    for await (const _ of await parseTaskEvents(files, skip)) void _;
    // file 1 line 3 goes back; file 2 starts at 600000000 < 700000000, so both of its rows do too
    expect(skip.badRows.counts.get('time: went backwards')).toBe(3);
    expect(skip.rows).toBe(2);
  });
});

describe('google-2011 task_events parser: --on-bad-row skip', () => {
  it('skips bad rows and counts them by reason', async () => {
    const { parser, rows } = await parseAll(path.join(BAD, 'task_events-mixed.csv'), 'skip');
    expect(rows.map((r) => r.time)).toEqual([600000000, 600000002, 600000004, 600000008]);
    expect(parser.rows).toBe(4);
    expect(parser.lines).toBe(10);
    expect(parser.badRows.total).toBe(6);
    expect(Object.fromEntries(parser.badRows.counts)).toEqual({
      'CPU request: not a number': 2,
      'wrong column count': 1,
      'time: went backwards': 1,
      'event type: unknown code': 1,
      'CPU request: out of range': 1,
    });
    const first = parser.badRows.entries()[0];
    expect(first).toEqual({
      reason: 'CPU request: not a number',
      count: 2,
      example: 'bad/task_events-mixed.csv line 2, column 9 (CPU request): expected a number, got "abc"',
    });
  });

  it('fails on the first bad row by default', async () => {
    const err = await errorOf(parseAll(path.join(BAD, 'task_events-mixed.csv')));
    expect(err.line).toBe(2);
  });
});

describe('google-2011 parser details', () => {
  it('parses floats exactly like Number()', () => {
    const samples = ['0.125', '4.292e-05', '1', '0', '0.0004244', '0.9551', '.5', '5.', '1E3', '0.06873', '123456789012345678', '1e-30'];
    for (const s of samples) {
      const b = Buffer.from(s);
      expect(parseFloatAt(b, 0, b.length)).toBe(Number(s));
    }
    const rng = new Rng(2011); // seeded, so a failing sample is the same on every run
    for (let i = 0; i < 2000; i++) {
      const s = (rng.next() * 10 ** Math.floor(rng.next() * 6 - 4)).toPrecision(1 + (i % 10));
      const b = Buffer.from(s);
      expect(parseFloatAt(b, 0, b.length)).toBe(Number(s));
    }
    for (const s of ['', '-', '.', 'e5', '1e', '1.2.3', '0x10', '1,5']) {
      const b = Buffer.from(s);
      expect(parseFloatAt(b, 0, b.length)).toBeNaN();
    }
  });

  it('reads rows split across chunks, CRLF ends and a last line without newline', async () => {
    const row = (t: number, ev: number) => `${t},,7,0,,${ev},U,0,1,0.5,0.25,,`;
    const text = `${row(0, 0)}\r\n${row(600000000, 1)}\n${row(0, 4).replace(/^0/, '9223372036854775807')}`;
    const parser = new TaskEventParser();
    parser.beginFile('/x/task_events/part-00000-of-00001.csv');
    const got: number[] = [];
    const bytes = Buffer.from(text);
    for (let i = 0; i < bytes.length; i += 7) {
      const b = parser.push(bytes.subarray(i, Math.min(bytes.length, i + 7)));
      for (let k = 0; k < b.count; k++) got.push(b.time[k], b.eventType[k], b.cpuRequest[k], b.diskRequest[k]);
    }
    const b = parser.end();
    for (let k = 0; k < b.count; k++) got.push(b.time[k], b.eventType[k], b.cpuRequest[k], b.diskRequest[k]);
    expect(got).toEqual([0, 0, 0.5, NaN, 600000000, 1, 0.5, NaN, Infinity, 4, 0.5, NaN]);
    expect(parser.line).toBe(3);
  });
});

describe('google-2011 machine_events and job_events: strict errors', () => {
  it('machine_events unknown event type', async () => {
    const err = await errorOf(readMachineEventRows([path.join(BAD, 'machine_events-unknown-event.csv')]));
    expect(err.message).toBe(
      'bad/machine_events-unknown-event.csv line 2, column 2 (event type): expected an integer 0–2, got "3"',
    );
  });
  it('machine_events capacity not a number, and skip mode', async () => {
    const file = path.join(BAD, 'machine_events-not-a-number.csv');
    const err = await errorOf(readMachineEventRows([file]));
    expect(err.message).toBe('bad/machine_events-not-a-number.csv line 2, column 5 (memory): expected a number, got "half"');
    const t = await readMachineEventRows([file], { onBadRow: 'skip' });
    expect(t.rows.length).toBe(1);
    expect(Object.fromEntries(t.badRows.counts)).toEqual({ 'memory: not a number': 1 });
  });
  it('job_events scheduling class out of range', async () => {
    const err = await errorOf(summarizeJobEvents([path.join(BAD, 'job_events-scheduling-class.csv')]));
    expect(err.message).toBe(
      'bad/job_events-scheduling-class.csv line 2, column 5 (scheduling class): expected an integer 0–3, got "7"',
    );
  });
});
