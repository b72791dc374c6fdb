import { describe, expect, it } from 'vitest';
import { Cluster } from '../harness/cluster.js';
import { DEFAULT_RESOURCES } from '../model/resources.js';
import { GiB } from '../model/units.js';
import { Rng } from '../model/rng.js';
import { firstFit } from '../algorithms/classic/first-fit.js';
import { bestFit } from '../algorithms/classic/best-fit.js';
import { worstFit } from '../algorithms/classic/worst-fit.js';
import { randomPolicy } from '../algorithms/classic/random.js';
import { kubeDefault } from '../algorithms/classic/kube-default.js';
import { balancedAllocation, leastAllocated, scoringDims } from '../algorithms/classic/kube-scoring.js';
import { numFeasibleNodesToFind } from '../algorithms/nodes-to-score.js';
import type { TaskView } from '../model/task-view.js';

function task(cpu: number, mem: number, missing = false): TaskView {
  return { id: 0, request: new Float64Array([cpu, mem, 0]), priority: 0, job: 0, user: -1, missingRequest: missing };
}

/** Nodes of 4000 mc / 8 GiB with the given CPU already requested. */
function clusterWithCpuUsed(used: number[]): Cluster {
  const c = new Cluster(DEFAULT_RESOURCES);
  used.forEach((u, i) => {
    c.addNode({ id: `n${i}`, capacity: [4000, 8 * GiB, 0] });
    if (u > 0) c.bind(i, new Float64Array([u, 0, 0]));
  });
  return c;
}

describe('built-in policies', () => {
  const t = task(1000, 1 * GiB);

  it('first-fit takes the lowest-numbered node that fits', () => {
    const c = clusterWithCpuUsed([3500, 3000, 1000, 0]);
    expect(firstFit.create({ rng: new Rng(1) }).select(t, c)).toBe(1);
  });

  it('best-fit takes the fullest node that fits; worst-fit the emptiest', () => {
    const c = clusterWithCpuUsed([3500, 2000, 2500, 0, 1000]);
    expect(bestFit.create({ rng: new Rng(1) }).select(t, c)).toBe(2);
    expect(worstFit.create({ rng: new Rng(1) }).select(t, c)).toBe(3);
  });

  it('every policy returns -1 when nothing fits', () => {
    const c = clusterWithCpuUsed([3500, 3900]);
    for (const p of [firstFit, bestFit, worstFit, randomPolicy, kubeDefault]) {
      expect(p.create({ rng: new Rng(1) }).select(t, c)).toBe(-1);
    }
  });

  it('random is reproducible from its seed and reaches every feasible node', () => {
    const c = clusterWithCpuUsed([0, 3500, 0, 0, 3900, 0]);
    const draw = (seed: number) => {
      const p = randomPolicy.create({ rng: new Rng(seed) });
      return Array.from({ length: 400 }, () => p.select(t, c));
    };
    const a = draw(5);
    expect(draw(5)).toEqual(a);
    expect(new Set(a)).toEqual(new Set([0, 2, 3, 5]));
    // Uniform over the 4 feasible nodes: each count is Binomial(400, 1/4), mean 100, sd 8.66; allow 4 sd.
    for (const n of [0, 2, 3, 5]) expect(Math.abs(a.filter((x) => x === n).length - 100), `node ${n}`).toBeLessThan(4 * Math.sqrt(400 * 0.25 * 0.75));
  });
});

describe('kube-default scoring', () => {
  it('computes LeastAllocated and BalancedAllocation in kube-scheduler integer arithmetic', () => {
    const c = new Cluster(DEFAULT_RESOURCES);
    c.addNode({ id: 'a', capacity: [4000, 8 * GiB, 0] });
    c.bind(0, new Float64Array([1000, 2 * GiB, 0]));
    const dims = scoringDims(c);
    const p = task(1000, 1 * GiB);
    // cpu: (4000-2000)*100/4000 = 50; memory: (8-3)*100/8 = 62.5 -> 62; mean (50+62)/2 = 56
    expect(leastAllocated(0, p, c, dims)).toBe(56);
    // fractions 0.5 and 0.375: std = 0.0625, (1-0.0625)*100 = 93.75 -> 93
    expect(balancedAllocation(0, p, c, dims)).toBe(93);
    // a pod without requests is scored as 100 mc / 200 MB
    const none = task(0, 0, true);
    expect(leastAllocated(0, none, c, dims)).toBe(Math.trunc((Math.trunc(2900 * 100 / 4000) + Math.trunc((6 * GiB - 200 * 1024 * 1024) * 100 / (8 * GiB))) / 2));
  });

  it('prefers the least allocated, balanced node and breaks ties at random', () => {
    const c = clusterWithCpuUsed([2000, 0, 0, 3000]);
    const picks = new Set<number>();
    for (let seed = 0; seed < 40; seed++) picks.add(kubeDefault.create({ rng: new Rng(seed) }).select(task(1000, 1 * GiB), c));
    expect(picks).toEqual(new Set([1, 2]));
  });

  it('samples feasible nodes like percentageOfNodesToScore', () => {
    expect(numFeasibleNodesToFind(50)).toBe(50);
    expect(numFeasibleNodesToFind(150)).toBe(100); // 150 * 49% = 73 -> at least 100
    expect(numFeasibleNodesToFind(1000)).toBe(420); // p = 50 - 8 = 42
    expect(numFeasibleNodesToFind(5000)).toBe(500); // p = 10
    expect(numFeasibleNodesToFind(12500)).toBe(625); // p floors at 5
    expect(numFeasibleNodesToFind(12500, 100)).toBe(12500);
    expect(numFeasibleNodesToFind(12500, 20)).toBe(2500);
  });
});

describe('kube-default fused scorer', () => {
  it('chooses as LeastAllocated + BalancedAllocation computed plugin by plugin would', () => {
    const rng = new Rng(11);
    const c = new Cluster(DEFAULT_RESOURCES);
    for (let i = 0; i < 60; i++) {
      c.addNode({ id: `n${i}`, capacity: [4000 + 1000 * rng.int(4), (8 + 8 * rng.int(3)) * GiB, 0] });
      c.bind(i, new Float64Array([rng.int(3000), rng.int(6) * GiB, 0]));
    }
    const dims = scoringDims(c);
    for (let k = 0; k < 200; k++) {
      const t = task(rng.int(2000), rng.int(3 * GiB), rng.int(10) === 0);
      if (t.missingRequest) t.request.fill(0);
      const chosen = kubeDefault.create({ rng: new Rng(k) }).select(t, c);
      let best = -Infinity;
      for (let n = 0; n < c.nodeCount; n++) if (c.fits(n, t.request)) best = Math.max(best, leastAllocated(n, t, c, dims) + balancedAllocation(n, t, c, dims));
      if (best === -Infinity) expect(chosen).toBe(-1);
      else expect(leastAllocated(chosen, t, c, dims) + balancedAllocation(chosen, t, c, dims)).toBe(best);
    }
  });
});
