import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Simulator } from '../harness/simulator.js';
import { replay } from '../harness/replay.js';
import { bestFit } from '../algorithms/classic/best-fit.js';
import { firstFit } from '../algorithms/classic/first-fit.js';
import { allocTaskBatch } from '../model/task-batch.js';
import { DEFAULT_RESOURCES } from '../model/resources.js';
import { TaskStatus } from '../model/task-status.js';
import { readGoogle2011 } from '../workloads/google-2011/reader.js';
import { dynamicsSetup } from '../harness/node-dynamics-config.js';
import type { Workload } from '../model/workload.js';
import type { TaskStore } from '../harness/task-store.js';
import type { TaskCounters } from '../reports/task-tally.js';
import { PRICING } from './helpers/tiny-workload.js';
import { Rng } from '../model/rng.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const GOOGLE = path.join(HERE, '..', '..', 'shared', 'data', 'google-2011');
const haveGoogle = existsSync(path.join(GOOGLE, 'task_events'));
if (!haveGoogle) console.warn(`skipping the lean-memory replays of Google 2011: ${GOOGLE} is absent`);

const S = 1e6;

interface HandTask {
  submit: number;
  duration: number;
  cpu: number;
  kill?: number;
}

/** Hand-made tasks in the given batches (one TaskBatch per group), on one node of 1000 millicores. */
function handWorkload(groups: HandTask[][]): Workload {
  const D = 3;
  return {
    name: 'hand',
    resources: DEFAULT_RESOURCES,
    machines: [{ id: 'n0', capacity: [1000, 1e12, 0], instanceType: 'test' }],
    machineEvents: [],
    jobs: ['job0'],
    users: [],
    notes: [],
    horizon: 2000 * S,
    async *taskBatches() {
      let index = 0;
      for (const g of groups) {
        const b = allocTaskBatch(g.length, D);
        b.killTime = new Float64Array(g.length);
        g.forEach((t, i) => {
          b.submitTime[i] = t.submit * S;
          b.duration[i] = t.duration * S;
          b.request[i * D] = t.cpu;
          b.request[i * D + 1] = 1e9;
          b.request[i * D + 2] = 0;
          b.taskIndex[i] = index++;
          b.usageFraction[i * D] = 0.5;
          b.usageFraction[i * D + 1] = 0.5;
          b.killTime![i] = t.kill === undefined ? NaN : t.kill * S;
        });
        yield b;
      }
    },
  };
}

/** A task's row as tasks.csv carries it, as text, for comparing the two ways of keeping rows. */
function rowText(t: TaskStore, slot: number, id: number, c: TaskCounters | undefined): string {
  const D = t.dims;
  const parts: Array<number | string> = [id, t.job[slot], t.taskIndex[slot], t.status[slot], t.start[slot], t.end[slot], t.node[slot], t.attempts[slot]];
  for (let d = 0; d < D; d++) parts.push(t.request[slot * D + d]);
  if (c) parts.push(c.evictions, c.oomKills, c.throttledCpuSeconds, c.lostWorkSeconds, c.peakMemory);
  return parts.join(',');
}

describe("retainTasks 'live': a reused slot never receives a stale event", () => {
  // A (id 0) finishes at 100 s but has a Kill event at 500 s; K (id 1) is killed at 50 s while
  // running, its Finish at 400 s goes stale; X (id 2) fills the first batch. B (id 3) arrives in
  // the next batch, appended at 300 s: A's and K's slots are done but still named by queued events,
  // so B gets a new slot — had it taken A's, A's Kill at 500 s would have killed it. Y and Z come
  // later and take the slots the stale events have left by then.
  const groups: HandTask[][] = [
    [
      { submit: 0, duration: 100, cpu: 400, kill: 500 },
      { submit: 0, duration: 400, cpu: 100, kill: 50 },
      { submit: 300, duration: 10, cpu: 100 },
    ],
    [{ submit: 310, duration: 1000, cpu: 600 }],
    [{ submit: 600, duration: 10, cpu: 100 }],
    [{ submit: 700, duration: 10, cpu: 100 }],
  ];

  async function run(retainTasks: 'all' | 'live') {
    const rows = new Map<number, string>();
    const sim = new Simulator(handWorkload(groups), firstFit.create({ rng: new Rng(1) }), {
      seed: 1,
      retainTasks,
      onTaskRow: (t, slot, c) => rows.set(t.id[slot], rowText(t, slot, t.id[slot], c)),
    });
    const result = await sim.run();
    if (retainTasks === 'all') for (let i = 0; i < result.tasks.count; i++) rows.set(i, rowText(result.tasks, i, i, undefined));
    return { result, rows };
  }

  it('B runs to its own end; slots are reused only once no event names them; rows match the all-rows replay', async () => {
    const all = await run('all');
    const live = await run('live');
    expect(live.result.retainTasks).toBe('live');
    // B: started at 310 s, finished at 1310 s — not killed at 500 s by A's stale Kill.
    expect(live.rows.get(3)).toBe(all.rows.get(3));
    const b = all.result.tasks;
    expect(b.status[3]).toBe(TaskStatus.Finished);
    expect(b.end[3]).toBe(1310 * S);
    expect(b.status[1]).toBe(TaskStatus.Killed);
    // Six tasks in fewer rows: Y and Z took freed slots.
    expect(live.result.tasks.appended).toBe(6);
    expect(live.result.tasks.count).toBeLessThan(6);
    expect([...live.rows.entries()].sort((x, y) => x[0] - y[0])).toEqual([...all.rows.entries()].sort((x, y) => x[0] - y[0]));
    expect(JSON.stringify(Array.from(live.result.tally!.sortedDelays()))).toBe(JSON.stringify(Array.from(all.result.tasks.start.subarray(0, 6)).map((s, i) => (s - all.result.tasks.submit[i]) / S).sort((x, y) => x - y)));
  });
});

describe.skipIf(!haveGoogle)("retainTasks 'live' on Google 2011 (first two task_events parts, node dynamics on)", () => {
  it('gives the summary of the all-rows replay byte for byte, and the same task rows (as a set), reusing slots', async () => {
    const rowsOf = new Map<string, Map<number, string>>();
    const summaries = new Map<string, string>();
    let liveRows = 0;
    let appended = 0;
    for (const mode of ['all', 'live'] as const) {
      const w = await readGoogle2011(GOOGLE, { batchSize: 4096, maxTaskParts: 2 });
      const rows = new Map<number, string>();
      const { summary, result } = await replay({
        workload: w,
        policy: bestFit,
        seed: 1,
        pricing: PRICING,
        dynamics: await dynamicsSetup({ enabled: true }, w, 1),
        retainTasks: mode,
        onTaskRow: (t, slot, c) => rows.set(t.id[slot], rowText(t, slot, t.id[slot], c)),
      });
      expect(result.retainTasks).toBe(mode);
      if (mode === 'all') {
        const t = result.tasks;
        const dyn = result.dynamics!;
        for (let i = 0; i < t.count; i++) {
          if (t.submit[i] > result.horizon) break;
          const c = { evictions: dyn.evictions[i], oomKills: dyn.oomKills[i], throttledCpuSeconds: dyn.throttledCpuSeconds[i], lostWorkSeconds: dyn.lostWorkSeconds[i], peakMemory: dyn.peakMemory[i] };
          rows.set(i, rowText(t, i, i, c));
        }
      } else {
        liveRows = result.tasks.count;
        appended = result.tasks.appended;
      }
      rowsOf.set(mode, rows);
      summaries.set(mode, JSON.stringify(summary));
      // The run did something worth comparing: tasks placed, some evicted or OOM-killed.
      expect(summary.tasks.scheduled).toBeGreaterThan(10_000);
    }
    expect(summaries.get('live')).toBe(summaries.get('all'));
    const a = rowsOf.get('all')!;
    const l = rowsOf.get('live')!;
    expect(l.size).toBe(a.size);
    let same = 0;
    for (const [id, text] of a) if (l.get(id) === text) same++;
    expect(same).toBe(a.size);
    // Slots were reused (this early window is mostly the standing population of t = 0, alive throughout).
    expect(liveRows).toBeLessThan(appended);
  }, 300_000);
});
