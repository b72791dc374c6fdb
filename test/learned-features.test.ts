import { describe, expect, it } from 'vitest';
import { Cluster } from '../harness/cluster.js';
import { DEFAULT_RESOURCES } from '../model/resources.js';
import { GiB } from '../model/units.js';
import type { TaskView } from '../model/task-view.js';
import { FEATURE_COUNT, FEATURE_NAMES, featureDims, guessPriorityScale, qosSlot, writeNodeFeatures, writeTaskFeatures } from '../algorithms/learned/placement-features.js';

function task(cpu: number, mem: number, gpu: number, priority = 0, qos?: string): TaskView {
  return { id: 0, request: new Float64Array([cpu, mem, gpu]), priority, job: 0, user: -1, missingRequest: false, constraints: qos ? { qos } : undefined, duration: Number.NaN };
}

/** Feature vector of `t` on node `n` as a name → value map. */
function features(c: Cluster, t: TaskView, n: number): Record<string, number> {
  const row = new Float32Array(FEATURE_COUNT + 3).fill(7);
  writeTaskFeatures(t, row, 1);
  writeNodeFeatures(t, n, c, featureDims(c), row, 1);
  // The guard cells around the row stay untouched.
  expect(row[0]).toBe(7);
  expect(row[FEATURE_COUNT + 1]).toBe(7);
  return Object.fromEntries(FEATURE_NAMES.map((name, i) => [name, row[1 + i]]));
}

describe('learned placement features on hand-made nodes', () => {
  // Node 0: 4000 mc, 8 GiB, no GPU; 1000 mc and 6 GiB requested. Node 1: 8000 mc, 16 GiB, 2 GPUs, empty.
  const c = new Cluster(DEFAULT_RESOURCES);
  c.addNode({ id: 'a', capacity: [4000, 8 * GiB, 0] });
  c.addNode({ id: 'b', capacity: [8000, 16 * GiB, 2000] });
  c.bind(0, new Float64Array([1000, 6 * GiB, 0]));

  it('requests, free before and after, as fractions of the node', () => {
    const f = features(c, task(1000, 1 * GiB, 0), 0);
    expect(f.req_cpu).toBeCloseTo(0.25, 6);
    expect(f.req_memory).toBeCloseTo(0.125, 6);
    expect(f.req_gpu).toBe(0);
    expect(f.free_cpu).toBeCloseTo(0.75, 6);
    expect(f.free_memory).toBeCloseTo(0.25, 6);
    expect(f.free_gpu).toBe(0);
    expect(f.after_cpu).toBeCloseTo(0.5, 6);
    expect(f.after_memory).toBeCloseTo(0.125, 6);
    expect(f.after_gpu).toBe(0);
    // Tetris alignment over the two resources the node has: (0.25·0.75 + 0.125·0.25) / 2.
    expect(f.alignment).toBeCloseTo((0.1875 + 0.03125) / 2, 6);
    expect(f.imbalance).toBeCloseTo(0.375, 6);
    expect(f.min_after).toBeCloseTo(0.125, 6);
    // Requested: cpu 1000/4000, memory 6/8, mean.
    expect(f.requested).toBeCloseTo((0.25 + 0.75) / 2, 6);
    expect(f.idle).toBe(0);
  });

  it('a GPU node: GPU request and leftover, idle flag, alignment over three resources', () => {
    const f = features(c, task(2000, 4 * GiB, 500), 1);
    expect(f.req_gpu).toBeCloseTo(0.25, 6);
    expect(f.free_gpu).toBe(1);
    expect(f.after_gpu).toBeCloseTo(0.75, 6);
    expect(f.alignment).toBeCloseTo((0.25 + 0.25 + 0.25) / 3, 6);
    expect(f.idle).toBe(1);
    expect(f.requested).toBe(0);
    expect(f.imbalance).toBeCloseTo(0, 6);
  });

  it('priority band and QoS one-hots', () => {
    const prod = features(c, task(1, 1, 0, 10, 'Guaranteed'), 1);
    expect([prod.band_free, prod.band_best_effort_batch, prod.band_mid, prod.band_production, prod.band_monitoring]).toEqual([0, 0, 0, 1, 0]);
    expect([prod.qos_guaranteed, prod.qos_burstable, prod.qos_best_effort]).toEqual([1, 0, 0]);
    const free = features(c, task(1, 1, 0, 0, 'BE'), 1);
    expect(free.band_free).toBe(1);
    expect(free.qos_best_effort).toBe(1);
    const batch2019 = features(c, task(1, 1, 0, 112), 1);
    expect(batch2019.band_best_effort_batch).toBe(1);
    expect([batch2019.qos_guaranteed, batch2019.qos_burstable, batch2019.qos_best_effort]).toEqual([0, 0, 0]);
    expect(guessPriorityScale(2_000_000_000)).toBe('kubernetes');
    expect(features(c, task(1, 1, 0, 2_000_000_000), 1).band_monitoring).toBe(1);
    expect(qosSlot('Burstable')).toBe(1);
    expect(qosSlot('something-else')).toBe(-1);
  });

  it('a schema without GPU: the GPU features are 0', () => {
    const cm = new Cluster({ names: ['cpu', 'memory'], units: ['millicores', 'bytes'] });
    cm.addNode({ id: 'x', capacity: [2000, 4 * GiB] });
    const t: TaskView = { ...task(500, GiB, 0), request: new Float64Array([500, GiB]) };
    const row = new Float32Array(FEATURE_COUNT);
    writeNodeFeatures(t, 0, cm, featureDims(cm), row, 0);
    expect(row[FEATURE_NAMES.indexOf('req_gpu')]).toBe(0);
    expect(row[FEATURE_NAMES.indexOf('after_gpu')]).toBe(0);
    expect(row[FEATURE_NAMES.indexOf('after_cpu')]).toBeCloseTo(0.75, 6);
  });
});
