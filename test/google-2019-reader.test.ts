import { describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readGoogle2019 } from '../workloads/google-2019/reader.js';
import { inspectWorkload } from '../workloads/inspect-workload.js';
import { DEFAULT_MACHINE_SCALE } from '../workloads/google-2011/units.js';
import type { TaskBatch } from '../model/task-batch.js';

const FIX = path.join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures', 'google-2019');
const CELL = path.join(FIX, 'cell');
const C = DEFAULT_MACHINE_SCALE.cpuMillicores;
const M = DEFAULT_MACHINE_SCALE.memoryBytes;

async function batch(w: { taskBatches(): AsyncIterable<TaskBatch> }): Promise<TaskBatch> {
  for await (const b of w.taskBatches()) return b;
  throw new Error('no batch');
}

describe('readGoogle2019 on the hand-written cell', () => {
  it('machines from machine_events (2019 codes: 1 ADD, 2 REMOVE, 3 UPDATE)', async () => {
    const w = await readGoogle2019(CELL);
    expect(w.machines.map((m) => m.id)).toEqual(['23624491139', '100']);
    expect(w.machines[1].capacity).toEqual([C, M]);
    expect(w.machineEvents.map((e) => [e.time, e.kind, e.machine.id])).toEqual([
      [1000e6, 'add', '200'],
      [2000e6, 'remove', '100'],
      [3000e6, 'remove', '23624491139'],
      [3000e6, 'add', '23624491139'],
    ]);
  });

  it('submissions across unordered shards, kills while pending, alloc sets, usage', async () => {
    const w = await readGoogle2019(CELL);
    const b = await batch(w);
    expect(b.count).toBe(5);
    const key = (i: number) => `${w.jobs[b.job[i]]}:${b.taskIndex[i]}`;
    expect([...Array(5).keys()].map(key)).toEqual(['330587160469:0', '500:0', '500:1', '400:0', '400:0']);
    expect([...b.submitTime]).toEqual([0, 1838000e6, 1838000e6, 1839000e6, 1839300e6]);
    expect(Number.isNaN(b.duration[0])).toBe(true); // alloc instance still running
    expect(b.duration[1]).toBe(300e6);
    expect(b.killTime![2]).toBe(1838300e6); // KILL while pending
    expect(Number.isNaN(b.request[5])).toBe(true); // 500:1 has no memory request
    expect(b.duration[3]).toBe(100e6);
    expect(Number.isNaN(b.duration[4])).toBe(true);
    expect(b.request[2]).toBe(0.125 * C);
    expect(b.limit[2]).toBe(0.125 * C);
    expect([...b.priority]).toEqual([200, 0, 0, 100, 100]);
    expect(w.users[b.user[3]]).toBe('userB');
    // 500:0 usage: windows 0.05 and 0.075 of equal length / request 0.125 → 0.5, CV 0.2.
    expect(b.usageFraction[2]).toBeCloseTo(0.5);
    expect(b.usageFraction[3]).toBeCloseTo(0.5);
    expect(b.usageVariation[1]).toBeCloseTo(0.2);
    expect(Number.isNaN(b.usageFraction[6])).toBe(true);
    // start_after_collection_ids: 400 after 500.
    expect(w.startAfter?.[w.jobs.indexOf('400')]).toEqual([w.jobs.indexOf('500')]);
    expect(w.sourceStats?.eventCounts).toMatchObject({
      'instance SUBMIT': 6,
      'instance SCHEDULE': 4,
      'instance KILL': 2,
      'instance QUEUE': 1,
      'instance UPDATE_RUNNING': 1,
      'machine ADD': 3,
      'instance_usage rows': 3,
      'start-after edges': 1,
    });
    const notes = w.notes.join('\n');
    expect(notes).toMatch(/1 submission ended while pending \(KILL 1\)/);
    expect(notes).toMatch(/1 submission of tasks inside alloc sets left out/);
    expect(notes).toMatch(/1 row at time 2\^63-1/);
    expect(notes).toMatch(/1 SUBMIT row with hard machine constraints/);
  });

  it("allocSets 'tasks' replays the task inside the alloc set, with the real instance_usage row", async () => {
    const w = await readGoogle2019(CELL, { allocSets: 'tasks' });
    const b = await batch(w);
    expect(b.count).toBe(5);
    const i = [...b.job].findIndex((j) => w.jobs[j] === '330587238433');
    expect(b.submitTime[i]).toBe(1838000e6);
    expect(b.usageFraction[2 * i]).toBeCloseTo(0.008392333984375 / 0.0625);
    expect(b.usageFraction[2 * i + 1]).toBeCloseTo(0.0094757080078125 / 0.03125);
    expect(b.usageVariation[i]).toBe(0);
  });

  it('inspect reports the right counts', async () => {
    const r = await inspectWorkload(await readGoogle2019(CELL));
    expect([r.tasks, r.jobs, r.users]).toEqual([5, 3, 2]);
    expect(r.rowsRead).toBe(5 + 4 + 16 + 3);
    expect(r.files).toBe(5);
    expect(r.priorities).toEqual({ '0': 2, '100': 2, '200': 1 });
    expect(r.killedWhilePending).toBe(1);
    expect(r.requests.memory.missing).toBe(1);
    expect(r.machines).toMatchObject({ initial: 2, addEvents: 2, removeEvents: 2, distinct: 3 });
    expect(r.dependencies).toBe(1);
  });

  it('bad rows: fail with file, line, field; skip counts by reason', async () => {
    const bad = path.join(FIX, 'bad');
    await expect(readGoogle2019(bad)).rejects.toThrow(/bad\/instance_events-000000000000\.json line 2, column 0 \(time\): expected an integer \(JSON string or number\), got "\\"abc\\""/);
    const w = await readGoogle2019(bad, { onBadRow: 'skip' });
    expect(w.sourceStats?.badRows).toEqual({
      'instance_events: time: expected an integer (JSON string or number)': 1,
      'instance_events: not JSON': 1,
      'instance_events: type: expected an integer 0–10': 1,
      'instance_events: resource_request.cpus: expected a number ≥ 0': 1,
    });
    expect(w.expectedTasks).toBe(1);
  });
});
