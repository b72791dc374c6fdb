import { describe, expect, it } from 'vitest';
import { Simulator, type SimulatorOptions } from '../harness/simulator.js';
import { Rng } from '../model/rng.js';
import { loadPolicy } from '../harness/load-policy.js';
import { syntheticWorkload } from '../workloads/synthetic/generator.js';
import { PendingClassIndex } from '../harness/pending-class-index.js';
import { reactionsSetup } from '../harness/reactions/reactions-config.js';
import { loadCatalog } from '../model/instance-catalog.js';
import type { Workload } from '../model/workload.js';

const INSTANCE = { name: 'm5.2xlarge', cpuMillicores: 8000, memoryBytes: 32 * 2 ** 30 };

/** Every task's node and start, and the pass-visible counts, of one run. */
async function run(open: () => Promise<Workload> | Workload, policyName: string, extra: Partial<SimulatorOptions>): Promise<{ node: Int32Array; start: Float64Array; pending: number; attempts: number }> {
  const w = await open();
  const module = await loadPolicy(policyName);
  const policy = module.create({ rng: new Rng(1).fork(1) });
  const r = await new Simulator(w, policy, { seed: 1, ...extra }).run();
  return { node: r.tasks.node.slice(0, r.tasks.count), start: r.tasks.start.slice(0, r.tasks.count), pending: r.pendingAtEnd, attempts: r.placementAttempts };
}

async function expectSameRuns(open: () => Promise<Workload> | Workload, policyName: string, extra: Partial<SimulatorOptions> = {}): Promise<void> {
  const full = await run(open, policyName, { ...extra, indexedPass: false });
  const indexed = await run(open, policyName, { ...extra, indexedPass: true });
  expect(indexed.node.length).toBe(full.node.length);
  expect(indexed.pending).toBe(full.pending);
  // Same placement attempts: the indexed pass skips only classes the full pass would not have tried.
  expect(indexed.attempts).toBe(full.attempts);
  let firstDiff = -1;
  for (let i = 0; i < full.node.length && firstDiff < 0; i++) {
    if (indexed.node[i] !== full.node[i] || !Object.is(indexed.start[i], full.start[i])) firstDiff = i;
  }
  expect(firstDiff).toBe(-1);
}

describe('PendingClassIndex', () => {
  it('finds the next stored shape that fits under a free vector, through sets and clears', () => {
    const rng = new Rng(7);
    const D = 3;
    const index = new PendingClassIndex(D, 4);
    const live = new Map<number, Float64Array>();
    for (let step = 0; step < 3000; step++) {
      const pos = rng.int(300);
      if (live.has(pos) && rng.next() < 0.5) {
        index.clear(pos);
        live.delete(pos);
      } else {
        const shape = Float64Array.from({ length: D }, () => rng.int(100));
        index.set(pos, shape);
        live.set(pos, shape);
      }
      if (step % 7 === 0) {
        const free = Float64Array.from({ length: D + 1 }, () => rng.int(120));
        const from = rng.int(320);
        const fits = [...live].filter(([p, sh]) => p >= from && sh.every((v, d) => v <= free[1 + d])).map(([p]) => p);
        expect(index.nextFit(from, free, 1)).toBe(fits.length > 0 ? Math.min(...fits) : -1);
      }
    }
    index.reset();
    expect(index.nextFit(0, Float64Array.of(1e9, 1e9, 1e9), 0)).toBe(-1);
  });
});

describe('indexed scheduling pass', () => {
  const synthetic = (nodes: number, tasks: number, hours: number) => () => syntheticWorkload({ seed: 3, nodes, tasks, hours, instance: INSTANCE });

  it('places every task where the full pass does (synthetic, several policies)', async () => {
    for (const p of ['kube-default', 'best-fit', 'first-fit', 'random']) await expectSameRuns(synthetic(60, 12_000, 12), p);
  });

  it('places every task where the full pass does with preemption and controllers on (passes change mid-way)', async () => {
    const w = syntheticWorkload({ seed: 5, nodes: 40, tasks: 8_000, hours: 8, instance: INSTANCE });
    const module = await loadPolicy('kube-default');
    const runOne = async (indexedPass: boolean) => {
      const policy = module.create({ rng: new Rng(1).fork(1) });
      const reactions = reactionsSetup({ preemption: 'borg', controllers: true }, w, loadCatalog(), 1)!(policy);
      const r = await new Simulator(w, policy, { seed: 1, indexedPass, reactions }).run();
      return { node: r.tasks.node.slice(0, r.tasks.count), start: r.tasks.start.slice(0, r.tasks.count), preempted: r.reactions?.preemption?.victims ?? 0 };
    };
    const full = await runOne(false);
    const indexed = await runOne(true);
    expect(full.preempted).toBeGreaterThan(0);
    expect(indexed.preempted).toBe(full.preempted);
    expect(Array.from(indexed.node)).toEqual(Array.from(full.node));
    expect(Array.from(indexed.start)).toEqual(Array.from(full.start));
  });

  // The Google 2011 window: test/score-cache-google-*.test.ts run it with the full pass and no cache as the reference.
});
