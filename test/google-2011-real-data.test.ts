import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspect } from '../workloads/google-2011/inspect.js';
import { readGoogle2011 } from '../workloads/google-2011/reader.js';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const DATA = path.resolve(ROOT, '..', 'shared', 'data', 'google-2011');
const present = existsSync(path.join(DATA, 'task_events')) && existsSync(path.join(DATA, 'machine_events'));
if (!present) {
  console.warn(`google-2011 real-data tests skipped: ${DATA} is absent (see ../shared/data/README.md)`);
}

describe.skipIf(!present)('Google 2011 real data (../shared/data/google-2011)', () => {
  it('inspect reproduces the known counts', async () => {
    const r = await inspect(DATA);
    const te = r.taskEvents!;
    expect(te.files).toBe(14);
    expect(te.rows).toBe(2_609_335);
    expect(te.events.SUBMIT.afterTimeZero).toBe(791_843);
    expect(te.events.SCHEDULE.total).toBe(890_517);
    expect(te.events.FINISH.total).toBe(330_742);
    expect(te.tasks).toBe(614_019);
    expect(te.jobs).toBe(19_146);
    expect(te.machines).toBe(12_510);
    expect(te.rowsAtTimeZero).toBe(277_321);
    expect(Math.round(te.lastTime! / 1e6)).toBe(70_756);
    expect(te.missingInfo['2 EXISTS_BUT_NO_CREATION']).toEqual({ SUBMIT: 291 });
    const me = r.machineEvents!;
    expect(me.rows).toBe(37_780);
    expect(me.machines).toBe(12_583);
    expect(me.addRowsAtTimeZero).toBe(12_477);
    expect(me.addRowsWithoutCapacity).toBe(32);
    expect(me.shapes.slice(0, 2).map((s) => [s.cpu, s.memory])).toEqual([
      [0.5, 0.4995],
      [0.5, 0.2493],
    ]);
    expect(r.taskEvents!.badRows.total + me.badRows.total + r.jobEvents!.badRows.total).toBe(0);
  });

  it('readGoogle2011 streams every submission in submit order', async () => {
    const w = await readGoogle2011(DATA);
    expect(w.machines.length).toBe(12_477);
    expect(w.jobs.length).toBe(19_146);
    let n = 0;
    let last = -1;
    let unordered = 0;
    let negative = 0;
    let open = 0;
    let killed = 0;
    let missing = 0;
    for await (const b of w.taskBatches()) {
      for (let i = 0; i < b.count; i++, n++) {
        if (b.submitTime[i] < last) unordered++;
        last = b.submitTime[i];
        const d = b.duration[i];
        if (d < 0) negative++;
        if (Number.isNaN(d)) open++;
        if (!Number.isNaN(b.killTime![i])) killed++;
        if (Number.isNaN(b.request[i * 2]) || Number.isNaN(b.request[i * 2 + 1])) missing++;
      }
    }
    // 144,339 submissions at t=0 + 791,843 after; 29,554 of them end before running (killTime)
    expect(n).toBe(w.expectedTasks);
    expect(n).toBe(936_182);
    expect(killed).toBe(29_554);
    expect([unordered, negative, missing]).toEqual([0, 0, 0]);
    expect(open).toBe(137_578 + 16_111 + 29_554);
  });
});

describe.skipIf(!present)('Google 2011 parser: fast and strict paths agree on real rows', () => {
  it('part 00000 (initial state, empty requests, missing info), every column', async () => {
    const { parseTaskEvents, TaskEventParser } = await import('../workloads/google-2011/task-event-parser.js');
    const file = path.join(DATA, 'task_events', 'part-00000-of-00500.csv.gz');
    const dump = async (strictOnly: boolean) => {
      const parser = new TaskEventParser({ strictOnly });
      const cols: number[][] = Array.from({ length: 14 }, () => []);
      for await (const b of await parseTaskEvents(file, parser)) {
        const arrays = [b.line, b.time, b.missingInfo, b.jobId, b.taskIndex, b.machineId, b.eventType, b.user, b.schedulingClass, b.priority, b.cpuRequest, b.memoryRequest, b.diskRequest, b.differentMachines];
        arrays.forEach((a, k) => {
          for (let i = 0; i < b.count; i++) cols[k].push(a[i]);
        });
      }
      return { cols, users: parser.users.list };
    };
    const fast = await dump(false);
    const strict = await dump(true);
    expect(fast.cols[0].length).toBeGreaterThan(277_321);
    let mismatches = 0;
    for (let k = 0; k < 14; k++) {
      expect(fast.cols[k].length).toBe(strict.cols[k].length);
      for (let i = 0; i < fast.cols[k].length; i++) if (!Object.is(fast.cols[k][i], strict.cols[k][i])) mismatches++;
    }
    expect(mismatches).toBe(0);
    expect(fast.users).toEqual(strict.users);
  });
});
