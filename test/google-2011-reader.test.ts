import { describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GiB } from '../model/units.js';
import type { TaskBatch } from '../model/task-batch.js';
import { InputError } from '../model/errors.js';
import { readGoogle2011 } from '../workloads/google-2011/reader.js';

const TRACE = path.join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures', 'google-2011', 'trace');
const s = 1e6; // µs per second

async function collect(batches: AsyncIterable<TaskBatch>) {
  const tasks: { submit: number; duration: number; cpu: number; mem: number; priority: number; job: number; task: number; user: number }[] = [];
  for await (const b of batches) {
    expect(b.limit.every((v) => Number.isNaN(v))).toBe(true);
    for (let i = 0; i < b.count; i++) {
      tasks.push({
        submit: b.submitTime[i],
        duration: b.duration[i],
        cpu: b.request[i * 2],
        mem: b.request[i * 2 + 1],
        priority: b.priority[i],
        job: b.job[i],
        task: b.taskIndex[i],
        user: b.user[i],
      });
    }
  }
  return tasks;
}

describe('readGoogle2011 on a hand-written trace', () => {
  it('machines: initial state, late ADD without capacity, removal, capacity change', async () => {
    const w = await readGoogle2011(TRACE);
    expect(w.resources.names).toEqual(['cpu', 'memory']);
    expect(w.machines.map((m) => [m.id, ...m.capacity])).toEqual([
      ['1', 16000, 0.4995 * 128 * GiB],
      ['2', 16000, 0.2493 * 128 * GiB],
      ['3', 32000, 128 * GiB],
    ]);
    expect(w.machineEvents.map((e) => [e.time / s, e.kind, e.machine.id, ...e.machine.capacity])).toEqual([
      [5000, 'add', '4', 8000, 0.2498 * 128 * GiB],
      [6000, 'remove', '2', 16000, 0.2493 * 128 * GiB],
      [7000, 'remove', '3', 32000, 128 * GiB],
      [7000, 'add', '3', 32000, 64 * GiB],
    ]);
    expect(w.notes.join('\n')).toMatch(/1 machine ADD row had no capacity/);
    expect(w.notes.join('\n')).toMatch(/1 machine UPDATE row changed a capacity: represented as remove \+ add/);
    expect(w.notes.join('\n')).toMatch(/1 machine UPDATE row left the capacity unchanged/);
  });

  it('tasks: one per submission, durations SCHEDULE → end, NaN when open, missing requests NaN', async () => {
    const w = await readGoogle2011(TRACE, { batchSize: 2 });
    const tasks = await collect(w.taskBatches());
    expect(w.jobs).toEqual(['100', '200', '300', '400']);
    expect(w.users).toEqual([
      'AAAAuserAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
      'BBBBuserBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB=',
      'CCCCuserCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC=',
    ]);
    const mem = (f: number) => f * 128 * GiB;
    expect(tasks).toEqual([
      // initial state: running at t=0, FINISH at 700 s → 700 s from time 0
      { submit: 0, duration: 700 * s, cpu: 4000, mem: mem(0.0625), priority: 9, job: 0, task: 0, user: 0 },
      // initial state, pending, requests empty on its SUBMIT row: taken from its SCHEDULE row;
      // SCHEDULE 1000 s, FAIL 1100 s; the UPDATE_RUNNING at 1000 s (cpu 0.25) is not applied
      { submit: 0, duration: 100 * s, cpu: 4000, mem: mem(0.0625), priority: 9, job: 0, task: 1, user: 0 },
      // job 200 task 0: pending at t=0, KILLed at 900 s before ever running → killTime 900 s
      { submit: 0, duration: NaN, cpu: 320, mem: mem(0.02), priority: 0, job: 1, task: 0, user: 1 },
      // SUBMIT 600 s, SCHEDULE 601 s, EVICT 800 s; no memory request anywhere → NaN
      { submit: 600 * s, duration: 199 * s, cpu: 1600, mem: NaN, priority: 2, job: 2, task: 0, user: 1 },
      // re-SUBMIT after the EVICT: a new arrival of the same task; SCHEDULE 950 s, no end → NaN
      { submit: 800 * s, duration: NaN, cpu: 1600, mem: NaN, priority: 2, job: 2, task: 0, user: 1 },
      // pending at the end of the window → NaN
      { submit: 1200 * s, duration: NaN, cpu: 0.2 * 32000, mem: mem(0.1), priority: 11, job: 3, task: 0, user: 2 },
    ]);
    expect(w.expectedTasks).toBe(6);
    // Kill times and the recorded placements (SCHEDULE time and machine) for --placement recorded.
    const rec: Array<[number, number, string | null]> = [];
    for await (const b of w.taskBatches()) {
      for (let i = 0; i < b.count; i++) rec.push([b.killTime![i] / s, b.recordedStart![i] / s, b.recordedMachine![i] >= 0 ? w.machineIds![b.recordedMachine![i]] : null]);
    }
    expect(rec).toEqual([
      [NaN, 0, '1'],
      [NaN, 1000, '2'],
      [900, NaN, null],
      [NaN, 601, '2'],
      [NaN, 950, '3'],
      [NaN, NaN, null],
    ]);
    const notes = w.notes.join('\n');
    expect(notes).toMatch(/0 tasks had missing CPU request, 2 tasks had missing memory request/);
    expect(notes).toMatch(/1 task got a missing request from a later row of the same submission/);
    expect(notes).toMatch(/1 submission ended before being scheduled \(KILL 1\)/);
    expect(notes).toMatch(/initial state: 3 tasks existed at t=0 \(arrive at time 0\), 1 was running then/);
    expect(notes).toMatch(/1 task still running and 1 task still pending at the end of the window: duration NaN/);
    expect(notes).toMatch(/1\.0 machine = 32 cores \(32000 millicores\) and 128 GiB/);
    // taskBatches() can be iterated again with the same result
    expect(await collect(w.taskBatches())).toEqual(tasks);
  });

  it('machineScale changes the units and is stated in the notes', async () => {
    const w = await readGoogle2011(TRACE, { machineScale: { cpuMillicores: 64000, memoryBytes: 256 * GiB } });
    expect(w.machines[0].capacity).toEqual([32000, 0.4995 * 256 * GiB]);
    const tasks = await collect(w.taskBatches());
    expect(tasks[0].cpu).toBe(8000);
    expect(w.notes[0]).toMatch(/1\.0 machine = 64 cores \(64000 millicores\) and 256 GiB/);
  });

  it('maxTaskParts reads a shorter window', async () => {
    const w = await readGoogle2011(TRACE, { maxTaskParts: 1 });
    const tasks = await collect(w.taskBatches());
    // part 0 only: job 300's EVICT is in part 1, so its first submission is still running
    expect(tasks.map((t) => [t.submit / s, t.duration / s])).toEqual([
      [0, 700],
      [0, NaN],
      [0, NaN],
      [600, NaN],
    ]);
  });

  it('a folder without task_events/ is an InputError', async () => {
    await expect(readGoogle2011(path.join(TRACE, 'task_events'))).rejects.toThrow(InputError);
    await expect(readGoogle2011(path.join(TRACE, 'task_events'))).rejects.toThrow(/no machine_events\/ subfolder/);
  });
});
