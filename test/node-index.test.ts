import { describe, expect, it } from 'vitest';
import { Cluster } from '../harness/cluster.js';
import { DEFAULT_RESOURCES } from '../harness/resources.js';
import { Rng } from '../harness/rng.js';

function bruteFeasible(c: Cluster, req: Float64Array, start: number, limit: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < c.nodeCount && out.length < limit; k++) {
    const n = (start + k) % c.nodeCount;
    if (c.fits(n, req)) out.push(n);
  }
  return out;
}

describe('Cluster feasibility index', () => {
  it('finds exactly the feasible nodes, in circular order, as a brute-force scan does', () => {
    const rng = new Rng(3);
    const c = new Cluster(DEFAULT_RESOURCES, 4);
    for (let i = 0; i < 300; i++) c.addNode({ id: `n${i}`, capacity: [1000 + rng.int(4) * 1000, 4000, i % 10 === 0 ? 1000 : 0] });
    // Fill nodes unevenly.
    const req = new Float64Array(3);
    for (let i = 0; i < 900; i++) {
      req[0] = 100 + rng.int(900);
      req[1] = 100 + rng.int(1500);
      req[2] = 0;
      const n = rng.int(300);
      if (c.fits(n, req)) c.bind(n, req);
    }
    // Take out one empty node: removed nodes must never be offered.
    const empty = c.addNode({ id: 'extra', capacity: [9000, 9000, 9000] });
    c.removeNode(empty);
    const out = new Int32Array(400);
    for (let trial = 0; trial < 200; trial++) {
      req[0] = rng.int(3000);
      req[1] = rng.int(4000);
      req[2] = rng.int(4) === 0 ? 500 : 0;
      const start = rng.int(c.nodeCount);
      const limit = 1 + rng.int(50);
      const n = c.feasible(req, start, limit, out);
      expect(Array.from(out.subarray(0, n))).toEqual(bruteFeasible(c, req, start, limit));
    }
  });

  it('tracks totals, busy nodes and free capacity through bind and unbind', () => {
    const c = new Cluster(DEFAULT_RESOURCES);
    c.addNode({ id: 'a', capacity: [4000, 8000, 0] });
    c.addNode({ id: 'b', capacity: [2000, 8000, 0], allocatable: [1500, 7000, 0] });
    const r = new Float64Array([1500, 1000, 0]);
    expect(c.fits(1, r)).toBe(true);
    c.bind(1, r);
    expect(c.fits(1, r)).toBe(false);
    expect(c.busyCount).toBe(1);
    expect(Array.from(c.totalAllocatable)).toEqual([5500, 15000, 0]);
    expect(Array.from(c.totalRequested)).toEqual([1500, 1000, 0]);
    c.unbind(1, r);
    expect(c.busyCount).toBe(0);
    expect(c.fits(1, r)).toBe(true);
    c.removeNode(0);
    expect(c.fits(0, new Float64Array([1, 1, 0]))).toBe(false);
    expect(Array.from(c.totalAllocatable)).toEqual([1500, 7000, 0]);
  });
});

describe('conditional maxima on a full, fragmented cluster', () => {
  it('prune without ever losing a feasible node (against brute force)', () => {
    const rng = new Rng(17);
    const c = new Cluster(DEFAULT_RESOURCES, 8);
    for (let i = 0; i < 2000; i++) c.addNode({ id: `n${i}`, capacity: [16000, 64 * 2 ** 30, 0] });
    // Fill to ~97%: some nodes run out of CPU, others of memory.
    const r = new Float64Array(3);
    for (let i = 0; i < 60000; i++) {
      const n = rng.int(2000);
      r[0] = rng.int(2) ? 100 + rng.int(3000) : 50;
      r[1] = rng.int(2) ? 2 ** 20 * (64 + rng.int(12000)) : 2 ** 20;
      if (c.fits(n, r)) c.bind(n, r);
    }
    const out = new Int32Array(2000);
    for (let trial = 0; trial < 300; trial++) {
      r[0] = rng.int(4) === 0 ? rng.int(16000) : rng.int(1500);
      r[1] = rng.int(4) === 0 ? rng.int(64 * 2 ** 30) : 2 ** 20 * rng.int(4000);
      const start = rng.int(2000);
      const limit = 1 + rng.int(700);
      const n = c.feasible(r, start, limit, out);
      expect(Array.from(out.subarray(0, n))).toEqual(bruteFeasible(c, r, start, limit));
    }
  });
});
