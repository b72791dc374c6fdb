import { describe, expect, it } from 'vitest';
import { Cluster } from '../harness/cluster.js';
import { DEFAULT_RESOURCES } from '../model/resources.js';
import { GiB } from '../model/units.js';
import { Rng } from '../model/rng.js';
import type { PolicyModule } from '../algorithms/policy.js';
import type { TaskView } from '../model/task-view.js';
import { BUILTIN_POLICIES } from '../algorithms/registry.js';
import { fitByMeasure } from '../algorithms/online-packing/fit-by-measure.js';
import { powerOfKChoices } from '../algorithms/online-packing/power-of-k.js';
import { borgHybridPolicy } from '../algorithms/online-packing/borg-hybrid.js';
import { learnedPolicy } from '../algorithms/learned/learned-policy.js';
import { FEATURE_COUNT, FEATURE_NAMES } from '../algorithms/learned/placement-features.js';
import type { DenseLayer } from '../algorithms/learned/mlp.js';

/** A learned scorer with seeded random weights and biases (22 → 16 → 8 → 1), beside the shipped one. */
function randomLearned(seed: number): PolicyModule {
  const rng = new Rng(seed);
  const sizes = [FEATURE_COUNT, 16, 8, 1];
  const layers: DenseLayer[] = sizes.slice(1).map((outputs, l) => ({
    inputs: sizes[l],
    outputs,
    activation: l === sizes.length - 2 ? 'linear' : 'relu',
    weights: Float32Array.from({ length: sizes[l] * outputs }, () => rng.next() * 2 - 1),
    bias: Float32Array.from({ length: outputs }, () => rng.next() - 0.5),
  }));
  return learnedPolicy({ schedlab: 'test', features: [...FEATURE_NAMES], layers, training: { seed, backend: 'none', episodes: 0, teacher: 'none' } }, 'learned-random-weights');
}

/**
 * Every registered policy plus factory variants a policy file could build. The gpu-* policies are
 * left out: they refuse nodes whose GPU is free only across devices, which aggregate feasibility
 * cannot see (their own property tests are in test/gpu-replay-policies.test.ts).
 */
const POLICIES: PolicyModule[] = [
  ...BUILTIN_POLICIES.filter((p) => !p.name.startsWith('gpu-')),
  fitByMeasure({ direction: 'best', measure: { kind: 'dim', resource: 'gpu' } }),
  powerOfKChoices({ k: 5, direction: 'best', measure: { kind: 'l2' } }),
  borgHybridPolicy({ exhaustedFraction: 0.2, strandingWeight: 3 }),
  randomLearned(4),
];

/** Brute force: every up node where the request fits in every dimension. */
function feasibleByScan(c: Cluster, req: Float64Array): Set<number> {
  const s = new Set<number>();
  for (let n = 0; n < c.nodeCount; n++) {
    if (!c.up[n]) continue;
    let ok = true;
    for (let d = 0; d < c.dims; d++) if (req[d] > c.allocatable[n * c.dims + d] - c.requested[n * c.dims + d]) ok = false;
    if (ok) s.add(n);
  }
  return s;
}

/**
 * A random cluster: mixed node shapes (some with GPUs, some without memory headroom), some nodes
 * down, random load; sizes up to 300 nodes so kube's sampling (≥ 100 nodes) is exercised too.
 */
function randomCluster(rng: Rng): Cluster {
  const big = rng.next() < 0.25;
  const n = big ? 100 + rng.int(200) : 1 + rng.int(30);
  const c = new Cluster(DEFAULT_RESOURCES);
  for (let i = 0; i < n; i++) {
    const gpu = rng.next() < 0.3 ? 1000 * (1 + rng.int(4)) : 0;
    c.addNode({ id: `n${i}`, capacity: [1000 * (1 + rng.int(16)), GiB * (1 + rng.int(64)), gpu] });
  }
  for (let i = 0; i < n; i++) if (rng.next() < 0.1) c.removeNode(i);
  for (let i = 0; i < n; i++) {
    if (!c.up[i]) continue;
    const load = new Float64Array(3);
    for (let d = 0; d < 3; d++) load[d] = Math.floor(c.allocatable[i * 3 + d] * rng.next() * (rng.next() < 0.2 ? 1 : 0.9));
    c.bind(i, load);
  }
  return c;
}

function randomTask(rng: Rng, id: number): TaskView {
  const req = new Float64Array([
    rng.int(8000),
    rng.next() < 0.1 ? 0 : rng.int(32 * GiB),
    rng.next() < 0.2 ? rng.int(2000) : 0,
  ]);
  return { id, request: req, priority: rng.int(12), job: 0, user: -1, missingRequest: false, constraints: undefined, duration: Number.NaN };
}

describe('every online policy, random clusters against a brute-force feasibility check', () => {
  for (const p of POLICIES) {
    it(`${p.name}: returns a feasible node exactly when one exists`, () => {
      const rng = new Rng(20240 + p.name.length);
      let placed = 0;
      let none = 0;
      for (let trial = 0; trial < 60; trial++) {
        const c = randomCluster(rng);
        const policy = p.create({ rng: rng.fork(trial) });
        for (let k = 0; k < 10; k++) {
          const t = randomTask(rng, k);
          const ok = feasibleByScan(c, t.request);
          const node = policy.select(t, c);
          if (ok.size === 0) {
            expect(node).toBe(-1);
            none++;
          } else {
            expect(ok.has(node)).toBe(true);
            placed++;
            // Keep going on the changed cluster, as the simulator would (hooks included).
            c.bind(node, t.request);
            policy.onBind?.(t, node, c);
          }
        }
      }
      // Both branches must have been exercised for the check to mean anything.
      expect(placed).toBeGreaterThan(50);
      expect(none).toBeGreaterThan(50);
    });
  }
});
