import { describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { readSwf } from '../workloads/swf/reader.js';
import { inspectWorkload } from '../workloads/inspect-workload.js';
import { InputError } from '../model/errors.js';
import { GiB } from '../model/units.js';
import type { TaskBatch } from '../model/task-batch.js';

const FIX = path.join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures', 'swf');

async function all(w: { taskBatches(): AsyncIterable<TaskBatch> }): Promise<TaskBatch[]> {
  const out: TaskBatch[] = [];
  for await (const b of w.taskBatches()) out.push(b);
  return out;
}

describe('readSwf on the hand-written log', () => {
  it('maps every field as documented', async () => {
    const w = await readSwf(path.join(FIX, 'sample.swf'), { batchSize: 4 });
    const bs = await all(w);
    expect(bs.map((b) => b.count)).toEqual([4, 2]);
    const submit = bs.flatMap((b) => [...b.submitTime]);
    expect(submit).toEqual([0, 5e6, 30e6, 40e6, 60e6, 70e6]);
    const b = bs[0];
    expect([...b.request.slice(0, 2)]).toEqual([4000, 2048 * 4 * 1024]);
    expect(b.duration[0]).toBe(100e6);
    expect(b.usageFraction[0]).toBeCloseTo(0.9);
    expect(b.usageFraction[1]).toBeCloseTo(0.5);
    expect(b.usageVariation[0]).toBe(0);
    expect(Number.isNaN(b.request[3])).toBe(true); // job 2: no requested memory
    expect(Number.isNaN(b.usageFraction[2])).toBe(true);
    expect(b.request[4]).toBe(16000); // job 3: processors from the request
    expect(Number.isNaN(b.duration[2])).toBe(true);
    expect(b.killTime![3]).toBe(140e6); // job 4 cancelled while queued
    expect(Number.isNaN(b.duration[3])).toBe(true);
    expect(Number.isNaN(b.killTime![0])).toBe(true);
    expect(w.machines).toHaveLength(1);
    expect(w.machines[0].capacity).toEqual([32000, GiB]);
    expect(w.sourceStats?.rowsRead).toBe(6);
    expect(w.sourceStats?.eventCounts).toMatchObject({ 'status 1 completed': 4, 'status 0 failed': 1, 'status 5 cancelled': 1, 'queue 1': 4, 'queue 2': 2 });
    expect(w.notes.join('\n')).toMatch(/1 job cancelled while queued/);
    expect(w.notes.join('\n')).toMatch(/1 job with a preceding job/);
    expect(w.notes.join('\n')).toMatch(/2 jobs without requested memory/);
  });

  it('machines option and millicoresPerProcessor override the defaults', async () => {
    const w = await readSwf(path.join(FIX, 'sample.swf'), { machines: { count: 8, capacity: { cpuMillicores: 8000, memoryBytes: 4 * GiB } }, millicoresPerProcessor: 500 });
    expect(w.machines).toHaveLength(8);
    const [b] = await all(w);
    expect(b.request[0]).toBe(2000);
  });

  it('inspect reports the right counts', async () => {
    const r = await inspectWorkload(await readSwf(path.join(FIX, 'sample.swf')));
    expect([r.tasks, r.jobs, r.users, r.rowsRead, r.files]).toEqual([6, 6, 3, 6, 1]);
    expect(r.requests.cpu).toMatchObject({ count: 6, missing: 0, p50: 4000, p90: 32000, max: 32000 });
    expect(r.requests.memory.missing).toBe(2);
    expect(r.priorities).toEqual({ '0': 6 });
    expect(r.killedWhilePending).toBe(1);
    expect(r.usage.known).toBe(3);
    expect(r.time.firstSubmit).toBe(0);
    expect(r.time.lastSubmit).toBe(70);
  });

  it('bad rows: fail names file, line and column; skip counts them by reason', async () => {
    const file = path.join(FIX, 'bad.swf');
    await expect(readSwf(file)).rejects.toThrow(/swf\/bad\.swf line 3: expected 18 fields \(SWF job line\), got 17/);
    // Field numbers are 1-based, as the SWF definition numbers them: run time is field 4.
    const lines = readFileSync(file, 'utf8').split('\n');
    const only = path.join(tmpdir(), `swf-bad-field-${process.pid}.swf`);
    writeFileSync(only, [lines[0], lines[3]].join('\n') + '\n');
    await expect(readSwf(only)).rejects.toThrow(/line 2 \(field 4, run time\): expected a number ≥ 0, got "abc"/);
    const w = await readSwf(file, { onBadRow: 'skip' });
    expect(w.sourceStats?.badRows).toEqual({
      'swf: SWF job line: wrong number of fields': 1,
      'swf: run time: not a number': 1,
      'swf: status: out of range': 1,
    });
    expect(w.expectedTasks).toBe(2);
    const e = await readSwf(path.join(FIX, 'bad.swf')).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InputError);
  });
});

describe('readSwf: cancelled jobs and header checks', () => {
  it('status 5 without a recorded start (wait -1) is a kill while pending, never a start', async () => {
    const w = await readSwf(path.join(FIX, 'cancelled.swf'));
    const [b] = await all(w);
    // Job 1: status 5, wait -1, run 300 → leaves the queue at submit + run time, never runs.
    expect(Number.isNaN(b.duration[0])).toBe(true);
    expect(b.killTime![0]).toBe(300e6);
    // Job 2: status 5, wait 20, no run time → leaves at submit + wait (existing rule).
    expect(b.killTime![1]).toBe(30e6);
    // Job 3: status 5, wait -1, run -1 → leaves at its submit time.
    expect(b.killTime![2]).toBe(20e6);
    // Job 4: status 5 with a wait and a run time: it started and was cancelled while running.
    expect(b.duration[3]).toBe(100e6);
    expect(Number.isNaN(b.killTime![3])).toBe(true);
    // Job 5: status -1 with wait -1 (a log without wait times): an ordinary run.
    expect(b.duration[4]).toBe(100e6);
    expect(w.notes.join('\n')).toMatch(/3 jobs cancelled while queued \(status 5 with wait time -1 or no run time\): killed while pending/);
    const r = await inspectWorkload(w);
    expect(r.killedWhilePending).toBe(3);
  });

  it('implausible or unreadable headers are named in a warning and not used', async () => {
    const w = await readSwf(path.join(FIX, 'headers-implausible.swf'));
    const notes = w.notes.join('\n');
    expect(notes).toMatch(/warning: swf\/headers-implausible\.swf line 4: SWF header MaxProcs: 2,147,483,648 is implausible/);
    expect(notes).toMatch(/warning: swf\/headers-implausible\.swf line 3: SWF header MaxNodes: "lots" is not a positive whole number/);
    expect(notes).toMatch(/warning: swf\/headers-implausible\.swf line 5: SWF header MaxMemory: 500,000,000,000 KB per processor \(466 TiB\) is implausible/);
    // The pool falls back to the widest job (16 processors) and the largest memory request.
    expect(w.machines).toHaveLength(1);
    expect(w.machines[0].capacity).toEqual([16_000, GiB]);
  });

  it('a MaxProcs smaller than the widest job is named and not used', async () => {
    const w = await readSwf(path.join(FIX, 'headers-small.swf'));
    const notes = w.notes.join('\n');
    expect(notes).toMatch(/warning: swf\/headers-small\.swf line 3: SWF header MaxProcs 64 is smaller than the widest job \(128 processors, job 2, line 7\)/);
    // MaxMemory 1024 KB × 128 processors = 128 MiB < the 512 MiB job 2 asks: also named.
    expect(notes).toMatch(/warning: swf\/headers-small\.swf line 4: SWF header MaxMemory × processors \(0\.125 GiB\) is less than the largest memory request \(0\.5 GiB\)/);
    expect(w.machines[0].capacity).toEqual([128_000, GiB]);
  });

  it('a plausible header is used as is', async () => {
    const w = await readSwf(path.join(FIX, 'sample.swf'));
    expect(w.notes.join('\n')).not.toMatch(/warning/);
    expect(w.machines[0].capacity[0]).toBe(32_000);
  });
});

const REAL = path.join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'shared', 'data', 'realworld', 'swf');
const realPresent = existsSync(REAL);
if (!realPresent) console.warn(`SWF real-log tests skipped: ${REAL} is absent (see ../shared/data/README.md)`);

describe.skipIf(!realPresent)('readSwf on the real logs (../shared/data/realworld/swf)', () => {
  it('NASA iPSC: 18,239 jobs, MaxProcs 128 equals the widest job, no header warnings, no cancellations', async () => {
    const w = await readSwf(path.join(REAL, 'NASA-iPSC-1993-3.1-cln.swf'));
    expect(w.expectedTasks).toBe(18_239);
    expect(w.notes.join('\n')).not.toMatch(/warning/);
    expect(w.machines[0].capacity[0]).toBe(128_000);
    // Status -1 with wait -1 throughout (the log has no wait times): every job runs, none is killed.
    expect(w.notes.join('\n')).not.toMatch(/cancelled while queued/);
  });

  it('CTC excerpt: decimal CPU times read, 5 jobs', async () => {
    const w = await readSwf(path.join(REAL, 'opendc-CTC-SP2-excerpt.swf'));
    const [b] = await all(w);
    expect(b.count).toBe(5);
    expect(b.usageFraction[0]).toBeCloseTo(142 / 937);
  });
});
