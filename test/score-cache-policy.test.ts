import { describe, expect, it } from 'vitest';
import { Cluster } from '../harness/cluster.js';
import { BUILTIN_POLICIES } from '../algorithms/registry.js';
import { Rng } from '../model/rng.js';
import { DEFAULT_RESOURCES } from '../model/resources.js';
import type { Policy, PolicyModule } from '../algorithms/policy.js';
import type { ScoredPolicy } from '../algorithms/scored-policy.js';
import type { TaskView } from '../model/task-view.js';
import type { ScoreCacheStats } from '../algorithms/score-cache/score-cache.js';

const GiB = 2 ** 30;

/** The built-in policies whose scorer declares itself cacheable (they carry cache statistics). */
function cacheablePolicies(): PolicyModule[] {
  return BUILTIN_POLICIES.filter((m) => (m.create({ rng: new Rng(1) }) as ScoredPolicy).scoreCache !== undefined);
}

function task(id: number, request: Float64Array, missingRequest: boolean, priority = 0): TaskView {
  return { id, request, priority, job: 0, user: 0, missingRequest, constraints: undefined, duration: Number.NaN };
}

const PRIORITIES = [0, 5, 9, 115];

interface Bound {
  node: number;
  view: TaskView;
}

/**
 * Drives one cluster through a seeded random sequence — placements chosen by the policy, unbinds,
 * cordons and uncordons, overcommit holds, nodes going down and coming back — asking the cached and
 * the plain instance of the same policy (same seed) for every placement; every answer must agree.
 */
function agreeOver(module: PolicyModule, nodes: number, steps: number, seed: number, pct?: number, fill = false): ScoreCacheStats {
  const D = DEFAULT_RESOURCES.names.length;
  const cluster = new Cluster(DEFAULT_RESOURCES, nodes);
  const rng = new Rng(seed);
  const specs = [];
  for (let i = 0; i < nodes; i++) {
    const big = rng.int(3) === 0;
    const capacity = new Array<number>(D).fill(0);
    capacity[0] = big ? 32_000 : 8_000 + 1_000 * rng.int(3);
    capacity[1] = (big ? 128 : 32) * GiB;
    specs.push({ id: `n${i}`, capacity });
    cluster.addNode(specs[i]);
  }
  const cached = module.create({ rng: new Rng(seed + 1), percentageOfNodesToScore: pct }) as ScoredPolicy;
  const plain = module.create({ rng: new Rng(seed + 1), percentageOfNodesToScore: pct, scoreCache: false }) as ScoredPolicy;
  expect(plain.scoreCache).toBeUndefined();
  // A few shapes, so classes repeat and get trees; two are missing requests (kube's defaults).
  const shapes: Array<[Float64Array, boolean]> = [
    [Float64Array.from({ length: D }, (_, d) => (d === 0 ? 500 : d === 1 ? GiB : 0)), false],
    [Float64Array.from({ length: D }, (_, d) => (d === 0 ? 2_000 : d === 1 ? 4 * GiB : 0)), false],
    [Float64Array.from({ length: D }, (_, d) => (d === 0 ? 250 : d === 1 ? 0.25 * GiB : 0)), false],
    [Float64Array.from({ length: D }, (_, d) => (d === 1 ? 0.5 * GiB : 0)), true],
    [new Float64Array(D), true],
  ];
  const bound: Bound[] = [];
  const held = new Float64Array(D);
  const tell = (p: Policy, what: 'bind' | 'unbind', b: Bound) => (what === 'bind' ? p.onBind?.(b.view, b.node, cluster) : p.onUnbind?.(b.view, b.node, cluster));
  let placed = 0;
  for (let step = 0; step < steps; step++) {
    const r = rng.int(100);
    // Filling: more placements than departures, so the cluster runs full and most blocks fit nothing.
    if (r < (fill ? 80 : 60) || bound.length === 0) {
      // A run of tasks of one shape (a job), as the scheduler places them.
      const [request, missing] = shapes[rng.int(shapes.length)];
      // Priorities of four Borg bands (2011 free, mid, production; 2019 best-effort batch): a scorer that reads the band (learned) caches per band.
      const priority = PRIORITIES[rng.int(PRIORITIES.length)];
      for (let k = 1 + rng.int(6); k > 0; k--) {
        const view = task(step, request, missing, priority);
        const a = cached.select(view, cluster);
        const b = plain.select(view, cluster);
        expect(a, `${module.name} step ${step}`).toBe(b);
        if (a < 0) break;
        expect(cluster.fits(a, request)).toBe(true);
        cluster.bind(a, request);
        const entry = { node: a, view };
        bound.push(entry);
        tell(cached, 'bind', entry);
        tell(plain, 'bind', entry);
        placed++;
      }
    } else if (r < 85) {
      const i = rng.int(bound.length);
      const entry = bound[i];
      bound[i] = bound[bound.length - 1];
      bound.pop();
      cluster.unbind(entry.node, entry.view.request);
      tell(cached, 'unbind', entry);
      tell(plain, 'unbind', entry);
    } else if (r < 92) {
      const node = rng.int(nodes);
      cluster.setSchedulable(node, rng.int(2) === 0);
    } else if (r < 96) {
      const node = rng.int(nodes);
      if (!cluster.up[node]) continue;
      held.fill(0);
      held[0] = 100 * rng.int(20);
      cluster.setHeld(node, held);
    } else {
      // A node goes down (its tasks leave first) or comes back.
      const node = rng.int(nodes);
      if (cluster.up[node]) {
        for (let i = bound.length - 1; i >= 0; i--) {
          if (bound[i].node !== node) continue;
          const entry = bound[i];
          bound[i] = bound[bound.length - 1];
          bound.pop();
          cluster.unbind(node, entry.view.request);
          tell(cached, 'unbind', entry);
          tell(plain, 'unbind', entry);
        }
        held.fill(0);
        cluster.setHeld(node, held);
        cluster.removeNode(node);
      } else cluster.addNode(specs[node]);
    }
  }
  expect(placed).toBeGreaterThan(steps / 2);
  return cached.scoreCache!;
}

describe('score cache: cached and plain decisions agree', () => {
  const policies = cacheablePolicies();

  it('the cacheable policies are the reservation-only scorers', () => {
    const names = policies.map((p) => p.name);
    for (const n of ['best-fit', 'worst-fit', 'kube-default', 'dot-product', 'borg-hybrid', 'best-fit-l2', 'worst-fit-max', 'learned']) expect(names).toContain(n);
    // Scarcity weights read the whole cluster; the GPU and framework policies do not use scoredPolicy.
    for (const n of ['best-fit-scarcity', 'worst-fit-scarcity', 'first-fit', 'random', 'kube-framework']) expect(names).not.toContain(n);
  });

  it.each(policies.map((p) => [p.name, p] as const))('%s on 150 nodes (sampled window of 100)', (_name, module) => {
    const stats = agreeOver(module, 150, 1_500, 7);
    // The cache really answered: trees were built and most decisions came from them.
    expect(stats.builds).toBeGreaterThan(0);
    expect(stats.hits).toBeGreaterThan(stats.lookups / 2);
    expect(stats.refreshed).toBeGreaterThan(0);
  });

  it.each(policies.filter((p) => ['best-fit', 'kube-default', 'dot-product', 'learned'].includes(p.name)).map((p) => [p.name, p] as const))(
    '%s on 600 nodes, 1 percent scored (window of 100; stale trees started over, blocks scored as windows reach them)',
    (_name, module) => {
      const stats = agreeOver(module, 600, 2_500, 11, 1);
      expect(stats.hits).toBeGreaterThan(0);
      expect(stats.rebuilds).toBeGreaterThan(0);
      expect(stats.blocksScored).toBeGreaterThan(0);
    },
  );

  // Packing scorers fill nodes one by one (kube-default spreads, so its blocks rarely run full).
  it.each(policies.filter((p) => ['best-fit', 'learned'].includes(p.name)).map((p) => [p.name, p] as const))(
    '%s on 600 full nodes: blocks the feasibility index rules out are skipped, decisions unchanged',
    (_name, module) => {
      const stats = agreeOver(module, 600, 4_000, 13, undefined, true);
      expect(stats.hits).toBeGreaterThan(0);
      expect(stats.blocksSkipped).toBeGreaterThan(0);
      expect(stats.blocksSkipped).toBeLessThan(stats.blocksScored);
    },
  );
});

describe('score cache: trees are scored lazily', () => {
  it("a tree's first decision scores only the blocks its window covers", () => {
    // 1,600 empty nodes: every node fits, kube's sample is 1,600 × 37.2 % = 595 nodes, so the window
    // from node 0 covers blocks 0 … 37 (595 / 16 rounded up) of the 100.
    const D = DEFAULT_RESOURCES.names.length;
    const cluster = new Cluster(DEFAULT_RESOURCES, 1_600);
    for (let i = 0; i < 1_600; i++) cluster.addNode({ id: `n${i}`, capacity: [8_000, 32 * GiB, 0].slice(0, D) });
    const policy = BUILTIN_POLICIES.find((m) => m.name === 'best-fit')!.create({ rng: new Rng(3) }) as ScoredPolicy;
    const req = Float64Array.from({ length: D }, (_, d) => (d === 0 ? 500 : d === 1 ? GiB : 0));
    const stats = policy.scoreCache!;
    // Three asks in a row build the tree (the first two take the plain path).
    for (let i = 0; i < 3; i++) policy.select(task(i, req, false), cluster);
    expect(stats.builds).toBe(1);
    const windowStart = 2 * 595 - 1_600 < 0 ? 2 * 595 : 2 * 595 - 1_600;
    const firstBlock = Math.floor(windowStart / 16);
    const lastBlock = Math.floor((windowStart + 594) / 16);
    expect(stats.blocksScored).toBe(lastBlock - firstBlock + 1);
    expect(stats.scored).toBe(16 * stats.blocksScored);
  });
});
