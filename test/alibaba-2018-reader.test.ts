import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readAlibaba2018 } from '../workloads/alibaba-2018/reader.js';
import { parseDagName } from '../workloads/alibaba-2018/schema.js';
import { inspectWorkload } from '../workloads/inspect-workload.js';
import { GiB } from '../model/units.js';
import type { TaskBatch } from '../model/task-batch.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const FIX = path.join(HERE, 'fixtures', 'alibaba-2018');
const REAL = path.join(HERE, '..', '..', 'shared', 'data', 'alibaba-2018');
const haveReal = existsSync(path.join(REAL, 'machine_meta.csv'));
if (!haveReal) console.warn(`alibaba-2018 real-data tests skipped: ${REAL} is absent`);

async function tasks(w: { taskBatches(): AsyncIterable<TaskBatch> }): Promise<TaskBatch> {
  for await (const b of w.taskBatches()) return b;
  throw new Error('no batch');
}

describe('parseDagName', () => {
  it('reads the DAG from task names', () => {
    expect(parseDagName('M1')).toEqual({ id: 1, parents: [] });
    expect(parseDagName('R4_2')).toEqual({ id: 4, parents: [2] });
    expect(parseDagName('M5_3_4')).toEqual({ id: 5, parents: [3, 4] });
    expect(parseDagName('task_Nzg3ODAw==')).toBeNull();
    expect(parseDagName('MergeTask')).toBeNull();
  });
});

describe('readAlibaba2018 on the hand-written trace', () => {
  it('machines from machine_meta snapshots', async () => {
    const w = await readAlibaba2018(path.join(FIX, 'trace'));
    expect(w.machines.map((m) => m.id)).toEqual(['m_1', 'm_2']);
    expect(w.machines[0].capacity).toEqual([96000, 512 * GiB]);
    expect(w.machineEvents.map((e) => [e.time / 1e6, e.kind, e.machine.id])).toEqual([
      [1200, 'add', 'm_3'],
      [5000, 'remove', 'm_2'],
    ]);
    expect(w.notes.join('\n')).toMatch(/1 machine never USING/);
  });

  it('containers, batch instances, usage and the DAG', async () => {
    const w = await readAlibaba2018(path.join(FIX, 'trace'));
    const b = await tasks(w);
    expect(b.count).toBe(9);
    expect([...b.submitTime].map((t) => t / 1e6)).toEqual([0, 0, 50, 100, 110, 150, 210, 310, 355]);
    // c_1: 400 → 4000 millicores, 1.56 % of 512 GiB; usage 20 %/40 % → 0.3, CV 1/3.
    expect(b.request[0]).toBe(4000);
    expect(b.request[1]).toBeCloseTo(0.0156 * 512 * GiB);
    expect(b.limit[0]).toBe(4000);
    expect(b.usageFraction[0]).toBeCloseTo(0.3);
    expect(b.usageFraction[1]).toBeCloseTo(0.3);
    expect(b.usageVariation[0]).toBeCloseTo(1 / 3);
    expect(Number.isNaN(b.usageFraction[2])).toBe(true); // c_3: no usage rows
    expect([...b.priority]).toEqual([1, 1, 1, 0, 0, 0, 0, 0, 0]);
    expect(Number.isNaN(b.duration[0])).toBe(true);
    // ins_1: plan 50 → 500 millicores, 0.5 % memory; 50 s; cpu_avg 40 / 50.
    expect(b.request[6]).toBe(500);
    expect(b.duration[3]).toBe(50e6);
    expect(b.usageFraction[6]).toBeCloseTo(0.8);
    const jobOf = (i: number) => w.jobs[b.job[i]];
    expect(jobOf(3)).toBe('j_1/M1');
    // DAG: R2_1 after M1, J3_1_2 after M1 and R2_1.
    const idx = (name: string) => w.jobs.indexOf(name);
    expect(w.startAfter?.[idx('j_1/R2_1')]).toEqual([idx('j_1/M1')]);
    expect(w.startAfter?.[idx('j_1/J3_1_2')]).toEqual([idx('j_1/M1'), idx('j_1/R2_1')]);
    expect(w.sourceStats?.eventCounts).toMatchObject({ 'DAG tasks': 4, 'DAG edges': 3, 'batch_instance Waiting': 1, 'container_meta started': 3 });
    expect(w.notes.join('\n')).toMatch(/1 instance never started/);
  });

  it("batchSource 'task' expands batch_task rows", async () => {
    const w = await readAlibaba2018(path.join(FIX, 'trace'), { batchSource: 'task', usage: false });
    const b = await tasks(w);
    expect(b.count).toBe(3 + 2 + 1 + 1 + 3);
    expect(w.notes.join('\n')).toMatch(/1 row never started/);
  });

  it('inspect reports the right counts', async () => {
    const r = await inspectWorkload(await readAlibaba2018(path.join(FIX, 'trace')));
    expect([r.tasks, r.jobs]).toEqual([9, 6]);
    expect(r.priorities).toEqual({ '0': 6, '1': 3 });
    expect(r.machines).toMatchObject({ initial: 2, addEvents: 1, removeEvents: 1, distinct: 3 });
    expect(r.dependencies).toBe(3);
    expect(r.usage.known).toBe(7);
    expect(r.rowsRead).toBe(6 + 3 + 4 + 4 + 5 + 7);
  });

  it('bad rows: fail with file, line, column; skip counts by reason', async () => {
    const file = path.join(FIX, 'bad', 'batch_task.csv');
    await expect(readAlibaba2018(file)).rejects.toThrow(/bad\/batch_task\.csv line 2, column 1 \(instance_num\): expected an integer ≥ 0, got "x"/);
    const w = await readAlibaba2018(file, { onBadRow: 'skip' });
    expect(w.sourceStats?.badRows).toEqual({
      'batch_task: instance_num: not an integer': 1,
      'batch_task: batch_task: wrong number of fields': 1,
      'batch_task: plan_mem: out of range': 1,
    });
  });
});

describe.skipIf(!haveReal)('readAlibaba2018 on the real machine tables', () => {
  it('machine_meta: 4,034 machines, 3,887 at t=0, 146 added later, m_2739 never USING', async () => {
    const w = await readAlibaba2018(REAL);
    expect(w.machines).toHaveLength(3887);
    expect(w.machineEvents.filter((e) => e.kind === 'add')).toHaveLength(146);
    expect(w.machineEvents.filter((e) => e.kind === 'remove')).toHaveLength(0);
    expect(w.machines.every((m) => m.capacity[0] === 96000)).toBe(true);
    expect(w.sourceStats?.rowsRead).toBe(17_592 + 100_002);
    expect(w.sourceStats?.eventCounts).toMatchObject({ 'machine_meta USING': 17_587, 'machine_meta IMPORT_INSTALLING': 5, 'machine_usage rows': 100_002 });
    const notes = w.notes.join('\n');
    expect(notes).toMatch(/4,034 machines/);
    expect(notes).toMatch(/machine_usage: 100,002 rows for 16 machines/);
    const r = await inspectWorkload(w);
    expect(r.tasks).toBe(0);
    expect(r.machines.distinct).toBe(4033);
  });
});

describe('a cluster-trace-v2017 table given to the v2018 reader', () => {
  it('batch_task: the message says it looks like v2017, whatever onBadRow says', async () => {
    const file = path.join(FIX, 'v2017', 'batch_task.csv');
    const msg = /v2017\/batch_task\.csv line 1: this batch_task row looks like Alibaba cluster-trace-v2017 \(8 fields with numeric job and task ids\), not v2018 \(9 fields starting with task_name\)/;
    await expect(readAlibaba2018(file)).rejects.toThrow(msg);
    await expect(readAlibaba2018(file, { onBadRow: 'skip' })).rejects.toThrow(msg);
  });

  it('batch_instance too; a v2018 row with 8 fields is still a wrong field count', async () => {
    await expect(readAlibaba2018(path.join(FIX, 'v2017', 'batch_instance.csv'))).rejects.toThrow(/looks like Alibaba cluster-trace-v2017 \(12 fields/);
    const w = await readAlibaba2018(path.join(FIX, 'bad', 'batch_task.csv'), { onBadRow: 'skip' });
    expect(w.sourceStats?.badRows).toMatchObject({ 'batch_task: batch_task: wrong number of fields': 1 });
  });
});
