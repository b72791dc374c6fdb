import { describe, expect, it } from 'vitest';
import { clusterFragmentation, nodeFragmentation, TargetWorkload } from '../algorithms/gpu/fragmentation.js';
import { GpuCluster } from '../algorithms/gpu/gpu-cluster.js';
import type { GpuPodSet } from '../model/gpu-pod-set.js';
import { gpuPolicy } from '../algorithms/gpu/registry.js';
import { Rng } from '../model/rng.js';

/**
 * Target workload M (weights sum to 1):
 *   A: shares a device, 500 milli, 4 CPU   p = 0.5
 *   B: one whole device,          8 CPU   p = 0.3
 *   C: no GPU,                    2 CPU   p = 0.2
 */
const target = new TargetWorkload(
  [
    { cpu: 4000, milli: 500, count: 1, weight: 5 },
    { cpu: 8000, milli: 1000, count: 1, weight: 3 },
    { cpu: 2000, milli: 0, count: 0, weight: 2 },
  ],
  ['T4'],
);

const frag = (cpuFree: number, free: number[]) =>
  nodeFragmentation(target, 1, cpuFree, Int32Array.from(free), 0, free.length, 0, new Float64Array(2 * free.length + 1));

describe('GPU fragmentation w.r.t. a target workload (Weng et al., ATC\'23 §3)', () => {
  it('normalizes popularity to weights', () => {
    expect(Array.from(target.weight)).toEqual([0.5, 0.3, 0.2]);
  });

  it('hand-computed: devices [1000, 300] free, 10 CPU free → F = 500', () => {
    // A fits; the 300 device is too small for it: 300. B fits; 300 is too small: 300.
    // C asks no GPU: all 1300 free milli-GPU are fragments for it.
    // F = 0.5·300 + 0.3·300 + 0.2·1300 = 150 + 90 + 260 = 500
    expect(frag(10_000, [1000, 300])).toBeCloseTo(500, 9);
    // device order does not matter
    expect(frag(10_000, [300, 1000])).toBeCloseTo(500, 9);
  });

  it('hand-computed: the same devices with 6 CPU free → F = 800 (B no longer fits: all 1300 are fragments for it)', () => {
    // 0.5·300 + 0.3·1300 + 0.2·1300 = 150 + 390 + 260
    expect(frag(6000, [1000, 300])).toBeCloseTo(800, 9);
  });

  it('a node with no free GPU has no fragmentation; a wrong model makes all free GPU fragments', () => {
    expect(frag(10_000, [0, 0])).toBe(0);
    const v100 = nodeFragmentation(target, 1, 10_000, Int32Array.from([1000, 300]), 0, 2, -1, new Float64Array(5));
    expect(v100).toBeCloseTo(1300, 9);
  });

  it('fromPods keeps the most popular shapes up to the coverage and renormalizes', () => {
    // 6 × share-500, 3 × whole, 1 × CPU-only: top two cover 90% ≥ 85%
    const rows: Array<[number, number, number]> = [...Array(6).fill([4000, 500, 1]), ...Array(3).fill([8000, 1000, 1]), [2000, 0, 0]];
    const pods: GpuPodSet = {
      count: rows.length,
      cpu: Float64Array.from(rows.map((r) => r[0])),
      memory: new Float64Array(rows.length),
      gpuMilli: Int32Array.from(rows.map((r) => r[1])),
      gpuCount: Int32Array.from(rows.map((r) => r[2])),
      spec: new Int32Array(rows.length).fill(-1),
      specs: [],
    };
    const t = TargetWorkload.fromPods(pods, ['T4'], undefined, 0.85);
    expect(t.size).toBe(2);
    expect(t.covered).toBeCloseTo(0.9, 12);
    expect(Array.from(t.weight)).toEqual([6 / 9, 3 / 9]);
  });

  it('FGD places where the cluster fragmentation grows least (checked against the full sum)', () => {
    const pods: GpuPodSet = {
      count: 1,
      cpu: Float64Array.from([1000]),
      memory: Float64Array.from([1]),
      gpuMilli: Int32Array.from([200]),
      gpuCount: Int32Array.from([1]),
      spec: Int32Array.from([-1]),
      specs: [],
    };
    // node x: [1000, 300] free, 10 CPU; node y: [1000, 1000] free, 10 CPU
    const c2 = new GpuCluster([
      { id: 'x', cpu: 10_000, memory: 10, gpus: 2, model: 'T4' },
      { id: 'y', cpu: 10_000, memory: 10, gpus: 2, model: 'T4' },
    ]);
    const access = c2.specAccess([]);
    const primer: GpuPodSet = { ...pods, count: 1, cpu: Float64Array.from([0]), gpuMilli: Int32Array.from([700]) };
    c2.place(primer, access, 0, 0, 1);
    expect(Array.from(c2.free)).toEqual([1000, 300, 1000, 1000]);
    // By hand (target above): options for the 200-milli pod, CPU 10 → 9 (every shape still fits):
    //   x dev1 → [1000, 100]: F = 0.5·100 + 0.3·100 + 0.2·1100 = 300, before 500 → Δ = −200
    //   x dev0 → [800, 300]:  F = 0.5·300 + 0.3·1100 + 0.2·1100 = 700 → Δ = +200
    //   y      → [800, 1000]: F = 0 + 0.3·800 + 0.2·1800 = 600, before 400 → Δ = +200
    const policy = (opts: { scoring: 'exact' | 'kube' }) => {
      const t = new TargetWorkload(
        [
          { cpu: 4000, milli: 500, count: 1, weight: 5 },
          { cpu: 8000, milli: 1000, count: 1, weight: 3 },
          { cpu: 2000, milli: 0, count: 0, weight: 2 },
        ],
        c2.models,
      );
      const before = clusterFragmentation(c2, t);
      expect(before).toBeCloseTo(900, 9);
      // the policy derives M from the pods it is given; give it pods of exactly M's shapes and weights
      const mPods: GpuPodSet = {
        count: 11,
        cpu: Float64Array.from([1000, 4000, 4000, 4000, 4000, 4000, 8000, 8000, 8000, 2000, 2000]),
        memory: new Float64Array(11).fill(1),
        gpuMilli: Int32Array.from([200, 500, 500, 500, 500, 500, 1000, 1000, 1000, 0, 0]),
        gpuCount: Int32Array.from([1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0]),
        spec: new Int32Array(11).fill(-1),
        specs: [],
      };
      const workload = Int32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]); // M without the pod itself
      const p = gpuPolicy('fgd').create({ cluster: c2, pods: mPods, access, rng: new Rng(1), workload, ...opts });
      return [p.select(0), p.gpu];
    };
    expect(policy({ scoring: 'exact' })).toEqual([0, 1]);
    expect(policy({ scoring: 'kube' })).toEqual([0, 1]);
  });
});
