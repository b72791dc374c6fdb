import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Simulator } from '../harness/simulator.js';
import { dynamicsSetup } from '../harness/node-dynamics-config.js';
import type { NodeDynamicsSetup } from '../harness/node-dynamics.js';
import type { TaskUsageSource } from '../harness/usage/task-usage-source.js';
import { createUsageSource } from '../harness/usage/create-usage-source.js';
import { SeriesUsageSource, SeriesOrigin } from '../harness/usage/series-usage-source.js';
import { syntheticWorkload } from '../workloads/synthetic/generator.js';
import { bestFit } from '../algorithms/classic/best-fit.js';
import { Rng } from '../model/rng.js';
import { TaskStore } from '../harness/task-store.js';
import { NodeTaskArrays } from '../harness/node-task-arrays.js';
import { NodeTaskLists } from '../harness/node-task-lists.js';
import type { Workload } from '../model/workload.js';
import type { UsageSeriesSet } from '../model/usage-series.js';
import { plainDynamics } from './helpers/dynamics-results.js';

// The node dynamics read a task's usage in a step back from its record when an earlier evaluation
// in that step looked it up, and look CPU and memory up in one pass (usagePairFromRecords). Both
// are only speed-ups: every check compares with the plain way on the same input, no pinned figure.

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const LIBRARY = path.resolve(ROOT, '..', 'shared', 'data', 'usage');
const libraryPresent = existsSync(path.join(LIBRARY, 'google-2011-jobs', 'GCD_VMs'));

const M5_2XLARGE = { name: 'm5.2xlarge', cpuMillicores: 8000, memoryBytes: 32 * 2 ** 30 };

function workload(seed: number): Workload {
  return syntheticWorkload({ seed, nodes: 60, tasks: 12_000, hours: 12, instance: M5_2XLARGE });
}

/** The source with only the per-task lookup, counting its calls. */
function perTaskCounting(s: TaskUsageSource, calls: { n: number }): TaskUsageSource {
  return {
    description: s.description,
    step: s.step,
    assign: (from, to) => s.assign(from, to),
    usage: (task, d, k) => {
      calls.n++;
      return s.usage(task, d, k);
    },
    notes: () => s.notes?.() ?? [],
  };
}

async function replay(seed: number, setup: NodeDynamicsSetup, w: Workload) {
  const sim = new Simulator(w, bestFit.create({ rng: new Rng(seed) }), { seed, dynamics: setup });
  const r = await sim.run();
  const ts = r.series;
  // The usage samples read the dynamics' totals: compared too.
  return { dynamics: plainDynamics(r.dynamics!), used: Array.from(ts.used.subarray(0, ts.length * ts.dims)), running: Array.from(ts.running.subarray(0, ts.length)) };
}

describe('node dynamics: usage read back within a step = looked up at every evaluation', () => {
  for (const overcommit of [undefined, 'memory=1.5']) {
    it(`synthetic usage, best-fit, 60 nodes${overcommit ? `, overcommit ${overcommit}` : ''}: every result equal`, async () => {
      const spec = { enabled: true, ...(overcommit ? { overcommit } : {}) };
      const seed = 3;
      const fast = await dynamicsSetup(spec, workload(seed), seed);
      const wRef = workload(seed);
      const ref = await dynamicsSetup(spec, wRef, seed);
      const fastRun = await replay(seed, fast!, workload(seed));
      // The reference: no copied records, no pair lookup, every task looked up at every evaluation.
      const refCalls = { n: 0 };
      const refRun = await replay(seed, { ...ref!, reuseStepUsage: false, usage: async (t) => perTaskCounting(await ref!.usage(t), refCalls) }, wRef);
      // The same per-task source with the read-back: fewer lookups, so the read-back was used.
      const wReuse = workload(seed);
      const reuse = await dynamicsSetup(spec, wReuse, seed);
      const reuseCalls = { n: 0 };
      const reuseRun = await replay(seed, { ...reuse!, usage: async (t) => perTaskCounting(await reuse!.usage(t), reuseCalls) }, wReuse);
      expect(fastRun.dynamics.events.time.length).toBeGreaterThan(100);
      expect(fastRun.dynamics.oomKills.some((x) => x > 0)).toBe(true);
      expect(reuseCalls.n).toBeLessThan(refCalls.n);
      expect(fastRun).toEqual(refRun);
      expect(reuseRun).toEqual(refRun);
    });
  }
});

describe('SeriesUsageSource.usagePairFromRecords = usage, bit for bit', () => {
  async function check(kind: string, library?: string): Promise<number> {
    const w = syntheticWorkload({ seed: 11, nodes: 10, tasks: 3000, hours: 6, instance: M5_2XLARGE });
    const store = new TaskStore(w.resources.names.length, w.resources.names);
    for await (const b of w.taskBatches()) store.append(b);
    const s = await createUsageSource(kind, { workload: w, tasks: store, seed: 11, start: 0, library });
    s.assign(0, store.count);
    const n = store.count;
    const ids = Int32Array.from({ length: n }, (_, i) => (i * 7919) % n);
    const S = s.recordSize! + 5;
    const block = new Float64Array(n * S + 5);
    for (let i = 0; i < n; i++) s.copyRecord!(ids[i], block, (n - 1 - i) * S + 5);
    const D = store.dims;
    let known = 0;
    for (const k of [0, 1, 287, 288, 5000]) {
      for (let d0 = 0; d0 < D; d0++) {
        const d1 = (d0 + 1) % D;
        // All at once, then one record at a time at its own output position.
        const a0 = new Float64Array(n + 2).fill(-1);
        const a1 = new Float64Array(n + 2).fill(-1);
        s.usagePairFromRecords!(block, (n - 1) * S + 5, S, n, k, d0, d1, a0, a1, 2);
        const b0 = new Float64Array(n);
        const b1 = new Float64Array(n);
        for (let i = 0; i < n; i++) s.usagePairFromRecords!(block, (n - 1 - i) * S + 5, S, 1, k, d0, d1, b0, b1, i);
        for (let i = 0; i < n; i++) {
          const w0 = s.usage(ids[i], d0, k);
          const w1 = s.usage(ids[i], d1, k);
          if (!Object.is(a0[i + 2], w0) || !Object.is(a1[i + 2], w1) || !Object.is(b0[i], w0) || !Object.is(b1[i], w1)) {
            expect({ task: ids[i], k, d0, got: [a0[i + 2], a1[i + 2], b0[i], b1[i]] }).toEqual({ task: ids[i], k, d0, got: [w0, w1, w0, w1] });
          }
          if (w0 === w0) known++;
        }
        expect(a0[0]).toBe(-1);
        expect(a0[1]).toBe(-1);
      }
    }
    return known;
  }
  it('synthetic process', async () => {
    expect(await check('synthetic')).toBeGreaterThan(0);
  });
  it.skipIf(!libraryPresent)('real GCD library', async () => {
    expect(await check('library', LIBRARY)).toBeGreaterThan(0);
  });
});

describe('SeriesUsageSource: a cyclic series read at negative and very large points', () => {
  it('point = floor((origin + k·step − start) / seriesStep) mod length, as the floating-point formula gives it', () => {
    const len = 7;
    const D = 2;
    const values = Float32Array.from({ length: len * D }, (_, i) => 0.01 * (i + 1));
    // Series 0 starts long after the replay (negative points), series 1 long before (points beyond 2^31).
    const set: UsageSeriesSet = {
      source: 'test',
      dims: D,
      step: 300e6,
      count: 2,
      offsets: Int32Array.from([0, len, 2 * len]),
      values: Float32Array.from([...values, ...values]),
      start: Float64Array.from([1e6 * 300e6, -3e9 * 300e6]),
      cyclic: true,
    };
    const tasks = {
      dims: D,
      request: Float64Array.from([1000, 2 ** 30, 1000, 2 ** 30]),
      limit: new Float64Array(4).fill(NaN),
      job: Int32Array.from([0, 1]),
      taskIndex: new Int32Array(2),
      usageFraction: new Float32Array(4).fill(NaN),
      usageVariation: new Float32Array(2),
      usageSeries: Int32Array.from([0, 1]),
      usageScale: new Float64Array(4).fill(NaN),
    };
    const s = new SeriesUsageSource({
      description: 'test',
      step: 300e6,
      tasks,
      sets: [{ set, origin: 0 }],
      choose: (t, c) => {
        c.origin = SeriesOrigin.Trace;
        c.set = 0;
        c.series = t;
        for (let d = 0; d < D; d++) c.multiplier[d] = tasks.request[t * D + d];
      },
    });
    s.assign(0, 2);
    let negative = 0;
    let beyondInt32 = 0;
    for (const k of [0, 1, 5, 6, 7, 13, 999_999, 1_000_000, 1_000_001, 2 ** 31, 2 ** 40 + 3]) {
      for (let t = 0; t < 2; t++) {
        const raw = Math.floor((k * 300e6 - set.start[t]) / 300e6);
        if (raw < 0) negative++;
        if (raw > 2 ** 31) beyondInt32++;
        const p = ((raw % len) + len) % len;
        for (let d = 0; d < D; d++) expect(s.usage(t, d, k)).toBe(set.values[(set.offsets[t] + p) * D + d] * tasks.request[t * D + d]);
      }
    }
    expect(negative).toBeGreaterThan(0);
    expect(beyondInt32).toBeGreaterThan(0);
  });
});

describe('NodeTaskArrays repacked in node order = NodeTaskLists (walk order), records follow their tasks', () => {
  it('many starts and stops over 40 nodes (blocks grow and move, the pool fills and is laid out again)', () => {
    const NODES = 40;
    const TASKS = 6000;
    const rng = new Rng(17);
    const arrays = new NodeTaskArrays(2);
    const lists = new NodeTaskLists();
    arrays.ensureNodes(NODES);
    arrays.ensureTasks(TASKS);
    lists.ensureNodes(NODES);
    lists.ensureTasks(TASKS);
    const nodeOf = new Int32Array(TASKS).fill(-1);
    const running: number[] = [];
    const out = new Int32Array(TASKS);
    let next = 0;
    let slotsChanged = 0;
    const slotBefore = new Int32Array(TASKS).fill(-1);
    const check = (): void => {
      for (let n = 0; n < NODES; n++) {
        const walked: number[] = [];
        for (let t = lists.first(n); t >= 0; t = lists.after(t)) walked.push(t);
        const c = arrays.fill(n, out);
        expect(c).toBe(walked.length);
        expect(Array.from(out.subarray(0, c))).toEqual(walked);
        for (let p = 0; p < c; p++) {
          const slot = arrays.newest(n) - p;
          const t = out[p];
          expect(arrays.slot(t)).toBe(slot);
          expect([arrays.records[slot * 2], arrays.records[slot * 2 + 1]]).toEqual([t, -t]);
          if (slotBefore[t] >= 0 && slotBefore[t] !== slot) slotsChanged++;
          slotBefore[t] = slot;
        }
      }
    };
    for (let op = 0; op < 9000; op++) {
      // Mostly starts early on (blocks grow), then as many stops as starts.
      const start = next < TASKS && (running.length === 0 || rng.next() < (op < 4000 ? 0.8 : 0.5));
      if (start) {
        const task = next++;
        // Skewed over the nodes, so some blocks grow far more than others.
        const node = Math.floor(NODES * rng.next() * rng.next());
        const slot = arrays.add(node, task);
        arrays.records[slot * 2] = task;
        arrays.records[slot * 2 + 1] = -task;
        lists.add(node, task);
        nodeOf[task] = node;
        running.push(task);
      } else {
        const i = Math.floor(rng.next() * running.length);
        const task = running[i];
        running[i] = running[running.length - 1];
        running.pop();
        arrays.remove(nodeOf[task], task);
        lists.remove(nodeOf[task], task);
        nodeOf[task] = -1;
        slotBefore[task] = -1;
        expect(arrays.slot(task)).toBe(-1);
      }
      if (op % 331 === 0) check();
    }
    check();
    // Not vacuous: blocks moved (growth or repack) under running tasks.
    expect(slotsChanged).toBeGreaterThan(0);
  });
});
