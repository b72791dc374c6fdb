import { describe, expect, it } from 'vitest';
import { Cluster } from '../harness/cluster.js';
import { DEFAULT_RESOURCES, type ResourceSchema } from '../model/resources.js';
import { GiB } from '../model/units.js';
import { Rng } from '../model/rng.js';
import type { TaskView } from '../model/task-view.js';
import type { DenseLayer } from '../algorithms/learned/mlp.js';
import { MlpForward } from '../algorithms/learned/mlp.js';
import { PlacementScorer } from '../algorithms/learned/placement-scorer.js';
import { FEATURE_COUNT, featureDims, writeNodeFeatures, writeTaskFeatures } from '../algorithms/learned/placement-features.js';

/** Dense layers of random weights and biases in [-1, 1] (no tfjs needed: the forward passes only read arrays). */
function randomLayers(rng: Rng, hidden: number[]): DenseLayer[] {
  const widths = [FEATURE_COUNT, ...hidden, 1];
  return widths.slice(1).map((outputs, k) => {
    const inputs = widths[k];
    const draw = (n: number) => Float32Array.from({ length: n }, () => rng.next() * 2 - 1);
    return { inputs, outputs, activation: k < hidden.length ? 'relu' : 'linear', weights: draw(inputs * outputs), bias: draw(outputs) };
  });
}

/**
 * Nodes of mixed shapes (some without GPUs, one with zero memory), partly filled, some idle. Runs
 * of 1–3 nodes share a shape, so the scorer's per-shape reuse is taken as well as refreshed.
 */
function mixedCluster(rng: Rng, schema = DEFAULT_RESOURCES): Cluster {
  const c = new Cluster(schema);
  const gpuDim = schema.names.indexOf('gpu');
  let cap: number[] = [];
  for (let n = 0; n < 60; n++) {
    const fresh = () => schema.names.map((name) => (name === 'cpu' ? 2000 + Math.floor(rng.next() * 30000) : name === 'memory' ? (n === 7 ? 0 : (1 + Math.floor(rng.next() * 63)) * GiB) : n % 3 === 0 ? 0 : 1000 * (1 + Math.floor(rng.next() * 7))));
    // A new shape, or the last one with one resource changed (the reuse must look at every resource).
    const draw = rng.next();
    if (n === 0 || draw < 0.3) cap = fresh();
    else if (draw < 0.6) {
      const d = Math.floor(rng.next() * schema.names.length);
      cap = cap.map((v, i) => (i === d ? fresh()[i] : v));
    }
    c.addNode({ id: `n${n}`, capacity: cap });
    if (n % 4 !== 0) c.bind(n, Float64Array.from(cap, (v, d) => (d === gpuDim ? 0 : Math.floor(v * rng.next() * 0.8))));
  }
  return c;
}

function task(rng: Rng, dims: number): TaskView {
  const priority = Math.floor(rng.next() * 12);
  const qos = [undefined, 'Guaranteed', 'Burstable', 'BestEffort'][Math.floor(rng.next() * 4)];
  const request = Float64Array.from({ length: dims }, (_, d) => (d === 0 ? 100 + rng.next() * 4000 : d === 1 ? rng.next() * 8 * GiB : rng.next() < 0.3 ? 1000 : 0));
  return { id: 0, request, priority, job: 0, user: -1, missingRequest: false, constraints: qos ? { qos } : undefined, duration: Number.NaN };
}

describe('learned placement scorer (the policy path) against the feature row through mlp.ts', () => {
  const cases: Array<[string, number[], ResourceSchema]> = [
    ['16 → 8, cpu/memory/gpu', [16, 8], DEFAULT_RESOURCES],
    ['6, cpu/memory/gpu', [6], DEFAULT_RESOURCES],
    ['4 → 4 → 3, cpu/memory only', [4, 4, 3], { names: ['cpu', 'memory'], units: ['millicores', 'bytes'] }],
  ];
  for (const [name, hidden, schema] of cases) {
    it(`same score to rounding on every node, tasks of every band and QoS: ${name}`, () => {
      const rng = new Rng(hidden.length * 17 + hidden[0]);
      const layers = randomLayers(rng, hidden);
      const c = mixedCluster(rng, schema);
      const fast = new PlacementScorer(layers);
      const plain = new MlpForward(layers);
      const row = new Float32Array(FEATURE_COUNT);
      const dims = featureDims(c);
      let worst = 0;
      let spread = 0;
      for (let k = 0; k < 40; k++) {
        const t = task(rng, schema.names.length);
        fast.prepare(t, c);
        writeTaskFeatures(t, row, 0);
        let lo = Infinity;
        let hi = -Infinity;
        for (let n = 0; n < c.nodeCount; n++) {
          writeNodeFeatures(t, n, c, dims, row, 0);
          const want = plain.score(row, 0);
          const got = fast.score(n, t, c);
          worst = Math.max(worst, Math.abs(got - want) / Math.max(1, Math.abs(want)));
          lo = Math.min(lo, want);
          hi = Math.max(hi, want);
        }
        spread = Math.max(spread, hi - lo);
      }
      // The row is Float32 (features rounded to ~6e-8), the fast path Float64: rounding, not a feature off.
      expect(worst).toBeLessThan(1e-5);
      // The nodes' features move the score (a scorer ignoring them would pass the comparison above only by luck).
      expect(spread).toBeGreaterThan(0.1);
    });
  }

  it('refuses a first layer that does not take the feature vector', () => {
    const rng = new Rng(1);
    const layers = randomLayers(rng, [4]);
    layers[0] = { ...layers[0], inputs: FEATURE_COUNT - 1 };
    expect(() => new PlacementScorer(layers)).toThrow(/first layer must take the 22 features/);
  });
});
