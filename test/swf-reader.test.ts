import { describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSwf } from '../workloads/swf/reader.js';
import { inspectWorkload } from '../workloads/inspect-workload.js';
import { InputError } from '../workloads/errors.js';
import { GiB } from '../harness/resources.js';
import type { TaskBatch } from '../workloads/workload.js';

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
