import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { Simulator } from '../harness/simulator.js';
import { dynamicsSetup } from '../harness/node-dynamics-config.js';
import type { NodeDynamicsSetup } from '../harness/node-dynamics.js';
import type { TaskUsageSource } from '../harness/usage/task-usage-source.js';
import { createUsageSource } from '../harness/usage/create-usage-source.js';
import { NodeTaskArrays } from '../harness/node-task-arrays.js';
import { NodeTaskLists } from '../harness/node-task-lists.js';
import { OOM_SCORE_ADJ_MIN, pickOomVictim, rankOomVictims } from '../harness/kubelet/oom-killer.js';
import { syntheticWorkload } from '../workloads/synthetic/generator.js';
import { bestFit } from '../algorithms/classic/best-fit.js';
import { Rng } from '../model/rng.js';
import { TaskStore } from '../harness/task-store.js';
import type { Workload } from '../model/workload.js';
import type { DynamicsResults } from '../reports/replay-results.js';
import { plainDynamics } from './helpers/dynamics-results.js';

// The node dynamics' fast paths against the straightforward code they replace, on the same
// input: the batched usage lookup against the per-task one, the per-node blocks against the
// linked lists they replaced, the one-sort OOM order against repeated victim picks. Nothing here
// pins a figure: every check is equality of two ways of computing the same thing.

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const LIBRARY = path.resolve(ROOT, '..', 'shared', 'data', 'usage');
const libraryPresent = existsSync(path.join(LIBRARY, 'google-2011-jobs', 'GCD_VMs')) && existsSync(path.join(LIBRARY, 'planetlab', 'planetlab.tar.gz'));
if (!libraryPresent) console.warn(`dynamics speed tests on the real usage library skipped: ${LIBRARY} is absent (see ../shared/data/README.md)`);

const M5_2XLARGE = { name: 'm5.2xlarge', cpuMillicores: 8000, memoryBytes: 32 * 2 ** 30 };

function workload(seed: number, nodes = 60, tasks = 12_000, hours = 12): Workload {
  return syntheticWorkload({ seed, nodes, tasks, hours, instance: M5_2XLARGE });
}

/** The same source with only the per-task lookup (the node dynamics then call usage() per task). */
function perTaskOnly(s: TaskUsageSource): TaskUsageSource {
  return {
    description: s.description,
    step: s.step,
    assign: (from, to) => s.assign(from, to),
    usage: (task, d, k) => s.usage(task, d, k),
    notes: () => s.notes?.() ?? [],
  };
}

async function replay(seed: number, setup: NodeDynamicsSetup, w: Workload): Promise<DynamicsResults> {
  const sim = new Simulator(w, bestFit.create({ rng: new Rng(seed) }), { seed, dynamics: setup });
  const r = await sim.run();
  return r.dynamics!;
}

async function bothWays(seed: number, spec: Parameters<typeof dynamicsSetup>[0], make: () => Workload) {
  const batched = await dynamicsSetup(spec, make(), seed);
  const wPlain = make();
  const reference = await dynamicsSetup(spec, wPlain, seed);
  let hadBatch = false;
  const fast = await replay(seed, { ...batched!, usage: async (t) => {
    const s = await batched!.usage(t);
    hadBatch = typeof s.usageBatch === 'function' && typeof s.usageFromRecords === 'function' && s.recordSize! > 0;
    return s;
  } }, make());
  const slow = await replay(seed, { ...reference!, usage: async (t) => perTaskOnly(await reference!.usage(t)) }, wPlain);
  return { fast: plainDynamics(fast), slow: plainDynamics(slow), hadBatch };
}

describe('node dynamics: batched usage lookup = per-task lookup, whole replays', () => {
  it('synthetic usage (auto), best-fit, 60 nodes: every event, counter and per-task figure equal', async () => {
    const { fast, slow, hadBatch } = await bothWays(3, { enabled: true }, () => workload(3));
    expect(hadBatch).toBe(true);
    // Not vacuous: the run has OOM kills and throttling to compare.
    expect(fast.events.time.length).toBeGreaterThan(100);
    expect(fast.oomKills.some((x) => x > 0)).toBe(true);
    expect(fast).toEqual(slow);
  });

  it('with overcommit memory=1.5 (the scheduler sees held room, more pressure)', async () => {
    const { fast, slow, hadBatch } = await bothWays(5, { enabled: true, overcommit: 'memory=1.5' }, () => workload(5));
    expect(hadBatch).toBe(true);
    expect(fast.events.time.length).toBeGreaterThan(100);
    expect(fast).toEqual(slow);
  });

  it.skipIf(!libraryPresent)('usage from the real GCD library (../shared/data/usage)', async () => {
    const { fast, slow, hadBatch } = await bothWays(7, { enabled: true, usage: 'library', usageLibrary: LIBRARY }, () => workload(7));
    expect(hadBatch).toBe(true);
    expect(fast.events.time.length).toBeGreaterThan(0);
    expect(fast).toEqual(slow);
  });
});

describe('SeriesUsageSource.usageBatch and usageFromRecords = usage, bit for bit', () => {
  async function check(kind: string, library?: string, librarySet?: string): Promise<number> {
    const w = workload(11, 10, 3000, 6);
    const store = new TaskStore(w.resources.names.length, w.resources.names);
    for await (const b of w.taskBatches()) store.append(b);
    const s = await createUsageSource(kind, { workload: w, tasks: store, seed: 11, start: 0, library, librarySet });
    s.assign(0, store.count);
    expect(typeof s.usageBatch).toBe('function');
    const ids = Int32Array.from({ length: store.count }, (_, i) => (i * 7919) % store.count);
    const out = new Float64Array(ids.length);
    // Records copied the way the node dynamics copy them: into a block with a wider stride, after a header.
    const S = s.recordSize! + 3;
    const block = new Float64Array(ids.length * S + 3);
    for (let i = 0; i < ids.length; i++) s.copyRecord!(ids[i], block, (ids.length - 1 - i) * S + 3);
    const fromRecords = new Float64Array(ids.length);
    let known = 0;
    for (const k of [0, 1, 2, 287, 288, 289, 1000, 5000]) {
      for (let d = 0; d < store.dims; d++) {
        s.usageBatch!(ids, ids.length, d, k, out);
        s.usageFromRecords!(block, (ids.length - 1) * S + 3, S, ids.length, d, k, fromRecords);
        for (let i = 0; i < ids.length; i++) {
          const want = s.usage(ids[i], d, k);
          if (!Object.is(out[i], want)) expect({ task: ids[i], d, k, got: out[i] }).toEqual({ task: ids[i], d, k, got: want });
          if (!Object.is(fromRecords[i], want)) expect({ task: ids[i], d, k, records: fromRecords[i] }).toEqual({ task: ids[i], d, k, records: want });
          if (want === want) known++;
        }
      }
    }
    return known;
  }

  it('synthetic process', async () => {
    expect(await check('synthetic')).toBeGreaterThan(0);
  });
  it.skipIf(!libraryPresent)('real GCD library', async () => {
    expect(await check('library', LIBRARY, 'gcd')).toBeGreaterThan(0);
  });
  it.skipIf(!libraryPresent)('real PlanetLab library (memory unknown: NaN)', async () => {
    expect(await check('library', LIBRARY, 'planetlab')).toBeGreaterThan(0);
  });
});

describe('NodeTaskArrays = NodeTaskLists (walk order), records follow their tasks', () => {
  it('random starts and stops over a few nodes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(4), fc.boolean(), fc.nat(1000)), { maxLength: 400 }), (ops) => {
        const NODES = 5;
        const TASKS = 200;
        const arrays = new NodeTaskArrays(3);
        const lists = new NodeTaskLists();
        arrays.ensureNodes(NODES);
        arrays.ensureTasks(TASKS);
        lists.ensureNodes(NODES);
        lists.ensureTasks(TASKS);
        const nodeOf = new Int32Array(TASKS).fill(-1);
        let next = 0;
        const out = new Int32Array(TASKS);
        for (const [node, start, pick] of ops) {
          if (start && next < TASKS) {
            const task = next++;
            const slot = arrays.add(node, task);
            arrays.records.set([task, task * 2, -task], slot * 3);
            lists.add(node, task);
            nodeOf[task] = node;
          } else {
            const running = [...nodeOf.keys()].filter((t) => nodeOf[t] >= 0);
            if (running.length === 0) continue;
            const task = running[pick % running.length];
            arrays.remove(nodeOf[task], task);
            lists.remove(nodeOf[task], task);
            nodeOf[task] = -1;
            if (arrays.slot(task) !== -1) return false;
          }
          for (let n = 0; n < NODES; n++) {
            const walked: number[] = [];
            for (let t = lists.first(n); t >= 0; t = lists.after(t)) walked.push(t);
            const c = arrays.fill(n, out);
            if (c !== arrays.size(n) || c !== lists.size(n)) return false;
            expect(Array.from(out.subarray(0, c))).toEqual(walked);
            for (let p = 0; p < c; p++) {
              const slot = arrays.newest(n) - p;
              const t = out[p];
              if (arrays.slot(t) !== slot) return false;
              const r = arrays.records;
              if (r[slot * 3] !== t || r[slot * 3 + 1] !== t * 2 || r[slot * 3 + 2] !== -t) return false;
            }
          }
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });
});

describe('rankOomVictims = pickOomVictim repeated on what is left', () => {
  it('random usage and QoS adjustments, with ties', () => {
    const adjs = [OOM_SCORE_ADJ_MIN, -997, 2, 500, 999, 1000];
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(8), fc.nat(adjs.length - 1)), { minLength: 1, maxLength: 60 }), (rows) => {
        const n = rows.length;
        const capacity = 8 * 2 ** 30;
        // Usage in a few coarse steps (GiB multiples, some 0) so equal badness occurs.
        const usage = Float64Array.from(rows, ([u]) => u * 2 ** 30);
        const adj = Float64Array.from(rows, ([, a]) => adjs[a]);
        const order = new Int32Array(n);
        const m = rankOomVictims(n, usage, adj, capacity, new Float64Array(n), order);
        const left = Float64Array.from(adj);
        const picks: number[] = [];
        for (;;) {
          const v = pickOomVictim(n, usage, left, capacity);
          if (v < 0) break;
          picks.push(v);
          left[v] = OOM_SCORE_ADJ_MIN; // killed: out of the running
        }
        expect(Array.from(order.subarray(0, m))).toEqual(picks);
      }),
      { numRuns: 500 },
    );
  });
});
