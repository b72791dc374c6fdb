import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cluster } from '../harness/cluster.js';
import { NodeIndex } from '../harness/node-index.js';
import type { MachineSpec } from '../model/machine.js';
import { DEFAULT_RESOURCES, type ResourceSchema } from '../model/resources.js';
import { GiB } from '../model/units.js';

/**
 * The feasibility index (harness/node-index.ts) must return exactly the nodes a scan with
 * Cluster.fits() returns, in the same circular order, whatever happened to the cluster before:
 * property tests over random clusters and operation sequences, fixed seeds, shrinking on failure.
 */

/** Schemas, each with the unit one generated step stands for in every dimension. */
const SCHEMAS: ReadonlyArray<{ schema: ResourceSchema; unit: readonly number[] }> = [
  // CPU and memory conditioned, GPU beside them.
  { schema: DEFAULT_RESOURCES, unit: [250, GiB, 500] },
  // The conditioned pair not at [0, 1], four dimensions.
  { schema: { names: ['memory', 'gpu', 'cpu', 'disk'], units: ['bytes', 'milli-gpu', 'millicores', 'bytes'] }, unit: [GiB, 1000, 1000, 10 * GiB] },
  // No cpu/memory names: the first two dimensions are conditioned.
  { schema: { names: ['gpu', 'disk'], units: ['milli-gpu', 'bytes'] }, unit: [1000, GiB] },
  // One dimension: no conditioned pair.
  { schema: { names: ['cpu'], units: ['millicores'] }, unit: [1000] },
];

/** An amount in whole steps, often 0, with a ±1 nudge so values land on and beside thresholds. */
const steps = fc.tuple(fc.oneof({ arbitrary: fc.constant(0), weight: 2 }, { arbitrary: fc.integer({ min: 1, max: 8 }), weight: 5 }), fc.integer({ min: -1, max: 1 }));
const vector = (D: number) => fc.array(steps, { minLength: D, maxLength: D });
type Steps = [number, number][];

function amounts(v: Steps, unit: readonly number[]): number[] {
  return v.map(([k, nudge], d) => Math.max(0, k * unit[d] + nudge));
}

type Op =
  | { kind: 'add'; capacity: Steps; allocatable: Steps | null; revive: number }
  | { kind: 'remove'; node: number }
  | { kind: 'bind'; node: number; req: Steps; force: boolean }
  | { kind: 'unbind'; task: number }
  | { kind: 'calibrate'; shape: Steps }
  | { kind: 'query'; req: Steps; start: number; limit: number; page: number };

function opArb(D: number): fc.Arbitrary<Op> {
  return fc.oneof(
    fc.record({ kind: fc.constant('add' as const), capacity: vector(D), allocatable: fc.option(vector(D)), revive: fc.nat() }),
    fc.record({ kind: fc.constant('remove' as const), node: fc.nat() }),
    { arbitrary: fc.record({ kind: fc.constant('bind' as const), node: fc.nat(), req: vector(D), force: fc.boolean() }), weight: 3 },
    fc.record({ kind: fc.constant('unbind' as const), task: fc.nat() }),
    fc.record({ kind: fc.constant('calibrate' as const), shape: vector(D) }),
    { arbitrary: fc.record({ kind: fc.constant('query' as const), req: vector(D), start: fc.nat(), limit: fc.nat({ max: 40 }), page: fc.integer({ min: 1, max: 6 }) }), weight: 3 },
  );
}

/** Brute force: nodes that fits() accepts, in circular order from `start`, at most `limit`. */
function scan(c: Cluster, req: Float64Array, start: number, limit: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < c.nodeCount && out.length < limit; k++) {
    const n = (start + k) % c.nodeCount;
    if (c.fits(n, req)) out.push(n);
  }
  return out;
}

interface Model {
  c: Cluster;
  unit: readonly number[];
  /** The conditioned dimensions, as Cluster picks them (cpu and memory, else the first two); null with one dimension. */
  pair: [number, number] | null;
  /** The sizes the thresholds halve from: the first node with both pair dimensions free, or the last calibrate(). */
  calib: [number, number] | null;
  /** Bound tasks: node and request. */
  bound: Array<{ node: number; req: Float64Array }>;
  removed: string[];
  nextId: number;
}

function model(resources: ResourceSchema, expected: number, unit: readonly number[] = []): Model {
  const cpu = resources.names.indexOf('cpu');
  const mem = resources.names.indexOf('memory');
  const pair: [number, number] | null = resources.names.length < 2 ? null : cpu >= 0 && mem >= 0 ? [cpu, mem] : [0, 1];
  return { c: new Cluster(resources, expected), unit, pair, calib: null, bound: [], removed: [], nextId: 0 };
}

function addNode(m: Model, spec: MachineSpec): void {
  m.c.addNode(spec);
  const alloc = (spec.allocatable ?? spec.capacity).map(Math.floor);
  if (m.pair && !m.calib && alloc[m.pair[0]] > 0 && alloc[m.pair[1]] > 0) m.calib = [alloc[m.pair[0]], alloc[m.pair[1]]];
}

/** The largest free amount in dimension `d` over up nodes passing `where`; -Infinity when there is none. */
function maxFree(c: Cluster, d: number, where: (node: number) => boolean = () => true): number {
  let best = -Infinity;
  for (let n = 0; n < c.nodeCount; n++) if (c.up[n] && where(n) && c.free[n * c.dims + d] > best) best = c.free[n * c.dims + d];
  return best;
}

/**
 * mayFit's rule as harness/node-index.ts documents it, by brute force: every dimension's largest
 * free amount covers the request and, with thresholds T_j = size / 2^(j+1) (j < 8), the largest
 * free CPU among nodes with at least T_j memory (the largest T_j not above the memory requested)
 * covers the CPU requested, and symmetrically for memory.
 */
function mayFitRule(m: Model, req: Float64Array): boolean {
  const c = m.c;
  for (let d = 0; d < c.dims; d++) if (!(maxFree(c, d) >= req[d])) return false;
  if (!m.pair || !m.calib) return true;
  const [a, b] = m.pair;
  const thresholds = (size: number) => Array.from({ length: 8 }, (_, j) => size / 2 ** (j + 1));
  const tb = thresholds(m.calib[1]).find((t) => t <= req[b]);
  if (tb !== undefined && !(maxFree(c, a, (n) => c.free[n * c.dims + b] >= tb) >= req[a])) return false;
  const ta = thresholds(m.calib[0]).find((t) => t <= req[a]);
  if (ta !== undefined && !(maxFree(c, b, (n) => c.free[n * c.dims + a] >= ta) >= req[b])) return false;
  return true;
}

/** Every way the API answers "which nodes fit": one search, its resume point, paging, mayFit, anyRoom. */
function checkQuery(m: Model, req: Float64Array, start: number, limit: number, page: number): void {
  const c = m.c;
  const n = c.nodeCount;
  const all = scan(c, req, start, n);
  // One search with a limit; lastStop is after the last node returned, or the start when the circle was exhausted.
  const out = new Int32Array(Math.max(1, limit));
  const found = c.feasible(req, start, limit, out);
  const expected = all.slice(0, limit);
  expect(Array.from(out.subarray(0, found))).toEqual(expected);
  expect(c.lastStop()).toBe(limit > 0 && found === limit ? expected[limit - 1] + 1 : start);
  // Paging: resuming at lastStop in chunks walks the whole circle once, as callers page through it.
  const pageOut = new Int32Array(page);
  const walked: number[] = [];
  let pos = start;
  let lastOffset = -1;
  walk: for (;;) {
    const k = c.feasible(req, pos, page, pageOut);
    for (let i = 0; i < k; i++) {
      const node = pageOut[i];
      const offset = (node - start + n) % n;
      if (offset <= lastOffset) break walk;
      lastOffset = offset;
      walked.push(node);
    }
    if (k < page) break;
    pos = c.lastStop();
  }
  expect(walked).toEqual(all);
  // mayFit: necessary (true whenever a node fits), and exactly the documented rule.
  const may = c.index.mayFit(req);
  if (all.length > 0) expect(may).toBe(true);
  expect(may).toBe(mayFitRule(m, req));
  // mayFitIn: true for every 16-node stretch and every window holding a node that fits.
  const fitting = new Set(all);
  for (let lo = 0; lo < n; lo += 16) {
    const holds = [...fitting].some((node) => node >= lo && node < lo + 16);
    if (holds) expect(c.mayFitIn(lo, lo + 16, req)).toBe(true);
  }
  const hi = Math.min(n, start + limit);
  if (all.some((node) => node >= start && node < hi)) expect(c.mayFitIn(start, hi, req)).toBe(true);
  expect(c.mayFitIn(start, start, req)).toBe(false);
  // anyRoom: for the array just searched (may reuse that search) and for a copy (searches afresh).
  const scratch = new Int32Array(1);
  expect(c.anyRoom(req, scratch)).toBe(all.length > 0);
  expect(c.anyRoom(req.slice(), scratch)).toBe(all.length > 0);
}

function apply(m: Model, op: Op): void {
  const { c, unit } = m;
  switch (op.kind) {
    case 'add': {
      const capacity = amounts(op.capacity, unit);
      const allocatable = op.allocatable ? amounts(op.allocatable, unit) : undefined;
      // Sometimes bring a removed machine back under its id with a new shape.
      const id = m.removed.length > 0 && op.revive % 2 === 0 ? m.removed.splice(op.revive % m.removed.length, 1)[0] : `n${m.nextId++}`;
      addNode(m, { id, capacity, allocatable });
      return;
    }
    case 'remove': {
      if (c.nodeCount === 0) return;
      const node = op.node % c.nodeCount;
      if (!c.up[node]) return;
      // A machine removal unbinds its tasks first, as the simulator does.
      for (let i = m.bound.length - 1; i >= 0; i--) {
        if (m.bound[i].node === node) {
          c.unbind(node, m.bound[i].req);
          m.bound.splice(i, 1);
        }
      }
      c.removeNode(node);
      m.removed.push(c.ids[node]);
      return;
    }
    case 'bind': {
      if (c.nodeCount === 0) return;
      const node = op.node % c.nodeCount;
      const req = new Float64Array(amounts(op.req, unit));
      // `force` binds where the request does not fit, as --placement recorded does: free goes negative.
      if (!c.up[node] || !(op.force || c.fits(node, req))) return;
      c.bind(node, req);
      m.bound.push({ node, req });
      return;
    }
    case 'unbind': {
      if (m.bound.length === 0) return;
      const [t] = m.bound.splice(op.task % m.bound.length, 1);
      c.unbind(t.node, t.req);
      return;
    }
    case 'calibrate': {
      const shape = amounts(op.shape, unit).map((v) => Math.max(1, v));
      const [a, b] = m.pair ?? [0, 0];
      c.index.calibrate(shape[a], shape[b]);
      if (m.pair) m.calib = [shape[a], shape[b]];
      return;
    }
    case 'query': {
      if (c.nodeCount === 0) return;
      checkQuery(m, new Float64Array(amounts(op.req, unit)), op.start % (c.nodeCount + 1), op.limit, op.page);
      return;
    }
  }
}

describe('feasibility index against brute force (property)', () => {
  it('feasible(), lastStop, paging, mayFit() and anyRoom() agree with fits() through any sequence of operations', () => {
    const scenario = fc.integer({ min: 0, max: SCHEMAS.length - 1 }).chain((s) => {
      const D = SCHEMAS[s].schema.names.length;
      return fc.record({
        schema: fc.constant(s),
        // A small expected size, so the index grows while nodes are added.
        expected: fc.integer({ min: 1, max: 4 }),
        initial: fc.array(vector(D), { maxLength: 40 }),
        ops: fc.array(opArb(D), { maxLength: 80 }),
      });
    });
    fc.assert(
      fc.property(scenario, ({ schema, expected, initial, ops }) => {
        const { schema: resources, unit } = SCHEMAS[schema];
        const m = model(resources, expected, unit);
        for (const capacity of initial) apply(m, { kind: 'add', capacity, allocatable: null, revive: 1 });
        for (const op of ops) apply(m, op);
        // Finally every request shape seen, from every start.
        for (const op of ops) {
          if (op.kind !== 'query' && op.kind !== 'bind') continue;
          const req = new Float64Array(amounts(op.req, unit));
          for (let start = 0; start <= m.c.nodeCount; start += 7) checkQuery(m, req, start, m.c.nodeCount, 5);
        }
      }),
      { seed: 42, numRuns: 400 },
    );
  });

  it('stays exact on large, nearly full, fragmented clusters, where the conditional maxima prune', () => {
    // Nodes of a few shapes; tasks that are CPU-heavy or memory-heavy, bound until most nodes run
    // out of one of the two; then requests of every size.
    const shapes = [
      [16000, 64 * GiB, 0],
      [8000, 32 * GiB, 0],
      [32000, 128 * GiB, 4000],
      [4000, 0, 0],
      [0, 16 * GiB, 0],
    ];
    const task = fc.record({ node: fc.nat(), cpuHeavy: fc.boolean(), size: fc.integer({ min: 1, max: 40 }) });
    const scenario = fc.record({
      nodes: fc.array(fc.integer({ min: 0, max: shapes.length - 1 }), { minLength: 17, maxLength: 600 }),
      tasks: fc.array(task, { maxLength: 4000 }),
      queries: fc.array(fc.record({ cpu: fc.nat({ max: 32000 }), mem: fc.nat({ max: 64 }), gpu: fc.constantFrom(0, 0, 500), start: fc.nat(), limit: fc.integer({ min: 1, max: 700 }) }), { minLength: 1, maxLength: 40 }),
    });
    fc.assert(
      fc.property(scenario, ({ nodes, tasks, queries }) => {
        const m = model(DEFAULT_RESOURCES, 8);
        const c = m.c;
        nodes.forEach((s, i) => addNode(m, { id: `n${i}`, capacity: shapes[s] }));
        const r = new Float64Array(3);
        for (const t of tasks) {
          const node = t.node % c.nodeCount;
          r[0] = t.cpuHeavy ? 100 * t.size : 50;
          r[1] = t.cpuHeavy ? 64 * 2 ** 20 : (GiB / 4) * t.size;
          r[2] = 0;
          if (c.fits(node, r)) c.bind(node, r);
        }
        for (const q of queries) {
          r[0] = q.cpu;
          r[1] = (q.mem * GiB) / 16;
          r[2] = q.gpu;
          checkQuery(m, r, q.start % c.nodeCount, q.limit, 1 + (q.limit % 50));
        }
      }),
      { seed: 42, numRuns: 40 },
    );
  });
});

describe('conditional maxima for nodes added before the thresholds exist', () => {
  it('still offer a node that had no memory free when it was added (issue 7 example)', () => {
    const c = new Cluster(DEFAULT_RESOURCES);
    // Node a: CPU free, no memory — no size to scale thresholds by yet.
    const a = c.addNode({ id: 'a', capacity: [4000, 0, 0] });
    // Node b sets the thresholds, then its CPU fills up.
    const b = c.addNode({ id: 'b', capacity: [4000, 8 * GiB, 0] });
    c.bind(b, new Float64Array([4000, 0, 0]));
    const req = new Float64Array([1000, 0, 0]);
    expect(c.fits(a, req)).toBe(true);
    expect(c.index.mayFit(req)).toBe(true);
    const out = new Int32Array(2);
    expect(Array.from(out.subarray(0, c.feasible(req, 0, 2, out)))).toEqual([a]);
  });

});

describe('conditional maxima at a threshold exactly', () => {
  // The first node (1000 / 1000, then filled) sets the thresholds to 500, 250, ... in both dimensions.
  function withThresholds(nodes: Array<[number, number]>, swap: boolean): Cluster {
    const resources: ResourceSchema = { names: ['cpu', 'memory'], units: ['millicores', 'bytes'] };
    const c = new Cluster(resources);
    const v = (x: number, y: number) => (swap ? [y, x] : [x, y]);
    c.bind(c.addNode({ id: 'first', capacity: [1000, 1000] }), new Float64Array([1000, 1000]));
    nodes.forEach(([x, y], i) => c.addNode({ id: `n${i}`, capacity: v(x, y) }));
    return c;
  }
  // CPU-rich with memory under the threshold; memory-rich with little CPU; half of both.
  const nodes: Array<[number, number]> = [[1000, 300], [100, 1000], [500, 600]];

  for (const swap of [false, true]) {
    const req = new Float64Array(swap ? [500, 600] : [600, 500]);
    it(`a request of exactly a threshold is judged by that threshold${swap ? ' (memory and CPU swapped)' : ''}`, () => {
      // 500 of the second resource: among nodes with >= 500 of it the most of the first is 500 < 600,
      // so no node fits and mayFit says so (the 250 threshold would have let the CPU-rich node count).
      const c = withThresholds(nodes, swap);
      expect(c.index.mayFit(req)).toBe(false);
    });
    it(`a node with exactly the threshold free counts for it${swap ? ' (memory and CPU swapped)' : ''}`, () => {
      const c = withThresholds([...nodes, [700, 500]], swap);
      const out = new Int32Array(8);
      expect(c.index.mayFit(req)).toBe(true);
      expect(Array.from(out.subarray(0, c.feasible(req, 0, 8, out)))).toEqual([4]);
    });
  }
});

describe('conditional maxima after the thresholds are rescaled', () => {
  it('judges a request asked again by the new thresholds, not the ones it was last judged by', () => {
    const index = new NodeIndex(2, 16);
    index.update(0, new Float64Array([1000, 300]), 0);
    index.calibrate(1000, 1000);
    const req = new Float64Array([600, 300]);
    const out = new Int32Array(1);
    expect(index.mayFit(req)).toBe(true);
    // Thresholds 4000, 2000, ... 250 now: the 2000 one (the old 250's place) would rule the node out.
    index.calibrate(8000, 8000);
    expect(index.mayFit(req)).toBe(true);
    expect(index.mayFitIn(req, 0, 16)).toBe(true);
    expect(index.collect(req, 0, 1, 1, out)).toBe(1);
  });
});

describe('feasibility index: searches do not scan the cluster', () => {
  const n = 4096;
  // A search may enter a subtree per level on each side of the path to every node it returns,
  // plus one small block of leaves per node: about found · (2 log2 n + 16), far below n.
  const allowance = (found: number) => (found + 2) * (2 * Math.log2(n) + 16);

  /** n nodes of 1000 millicores / 1 GiB, each first bound with `load(node)` (null = left empty). */
  function loaded(load: (node: number) => [number, number] | null): Cluster {
    const c = new Cluster(DEFAULT_RESOURCES, n);
    for (let i = 0; i < n; i++) c.addNode({ id: `n${i}`, capacity: [1000, GiB, 0] });
    for (let i = 0; i < n; i++) {
      const l = load(i);
      if (l) c.bind(i, new Float64Array([l[0], l[1], 0]));
    }
    return c;
  }
  const room = [7, 1000, 2047, 3001, 4095];

  it('descends only towards the nodes that fit, from any start', () => {
    const c = loaded((i) => (room.includes(i) ? null : [1000, 0]));
    const req = new Float64Array([500, 0, 0]);
    const out = new Int32Array(n);
    for (const start of [0, 2500]) {
      expect(c.feasible(req, start, n, out)).toBe(room.length);
      expect(c.index.examined).toBeGreaterThan(0);
      expect(c.index.examined).toBeLessThanOrEqual(allowance(room.length));
    }
  });

  it('stops at the limit', () => {
    const c = loaded(() => null);
    const out = new Int32Array(n);
    expect(c.feasible(new Float64Array([1, 1, 0]), 100, 1, out)).toBe(1);
    expect(out[0]).toBe(100);
    expect(c.index.examined).toBeGreaterThan(0);
    expect(c.index.examined).toBeLessThanOrEqual(allowance(1));
  });

  it('prunes a fragmented cluster by the conditional maxima: CPU free on some nodes, memory on others', () => {
    // Even nodes have only CPU left, odd ones only memory, and the nodes in `room` half of both: the
    // per-dimension maxima cover a request for both everywhere, so only the conditional maxima prune.
    const c = loaded((i) => (room.includes(i) ? [500, GiB / 2] : i % 2 === 0 ? [0, GiB] : [1000, 0]));
    const req = new Float64Array([400, GiB / 4, 0]);
    const out = new Int32Array(n);
    expect(Array.from(out.subarray(0, c.feasible(req, 0, n, out)))).toEqual(room);
    expect(c.index.examined).toBeLessThanOrEqual(allowance(room.length));
    // Per 16-node block: only the blocks holding a node with both say they may fit.
    for (let lo = 0; lo < n; lo += 16) expect(c.mayFitIn(lo, lo + 16, req)).toBe(room.some((node) => node >= lo && node < lo + 16));
    // With those nodes gone, mayFit sees at the root that no node has both.
    for (const node of room) {
      c.unbind(node, new Float64Array([500, GiB / 2, 0]));
      c.removeNode(node);
    }
    expect(c.index.mayFit(req)).toBe(false);
    expect(c.feasible(req, 0, n, out)).toBe(0);
  });
});

describe('feasibility index: incremental maxima', () => {
  // A block's maxima are updated from one node's old and new amounts, rescanning only when that
  // node held a maximum and fell below it. Maxima that stayed too high would still give the right
  // nodes (only slower), so compare the work of every search with an index rebuilt from scratch
  // from the same free amounts: equal maxima examine exactly the same subtrees.
  it('examine what an index rebuilt from the final amounts examines, after any updates', () => {
    const amount = fc.oneof(fc.constant(-Infinity), fc.constant(0), fc.integer({ min: 1, max: 12 }));
    const scenario = fc.record({
      dims: fc.integer({ min: 1, max: 3 }),
      nodes: fc.integer({ min: 1, max: 70 }),
      updates: fc.array(fc.record({ node: fc.nat(), free: fc.array(amount, { minLength: 3, maxLength: 3 }), disable: fc.boolean() }), { maxLength: 300 }),
      queries: fc.array(fc.record({ req: fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 3, maxLength: 3 }), start: fc.nat(), limit: fc.integer({ min: 1, max: 80 }) }), { minLength: 1, maxLength: 20 }),
    });
    fc.assert(
      fc.property(scenario, ({ dims, nodes, updates, queries }) => {
        const live = new NodeIndex(dims, nodes);
        live.calibrate(16, 16);
        const final = Array.from({ length: nodes }, () => new Float64Array(dims).fill(-Infinity));
        for (const u of updates) {
          const node = u.node % nodes;
          if (u.disable) {
            live.disable(node);
            final[node].fill(-Infinity);
          } else {
            const f = Float64Array.from(u.free.slice(0, dims));
            live.update(node, f, 0);
            final[node].set(f);
          }
        }
        const fresh = new NodeIndex(dims, nodes);
        for (let n = 0; n < nodes; n++) fresh.update(n, final[n], 0);
        fresh.calibrate(16, 16);
        const outA = new Int32Array(nodes);
        const outB = new Int32Array(nodes);
        for (const q of queries) {
          const req = Float64Array.from(q.req.slice(0, dims));
          const start = q.start % nodes;
          const a = live.collect(req, start, q.limit, nodes, outA);
          const b = fresh.collect(req, start, q.limit, nodes, outB);
          expect(a).toBe(b);
          expect(Array.from(outA.subarray(0, a))).toEqual(Array.from(outB.subarray(0, b)));
          expect(live.examined).toBe(fresh.examined);
          expect(live.lastStop).toBe(fresh.lastStop);
        }
      }),
      { seed: 1313, numRuns: 300 },
    );
  });
});

describe('feasibility index: bad arguments', () => {
  it('rejects a conditioned pair that is not two different dimensions', () => {
    for (const pair of [[0, 0], [-1, 1], [1, -1], [0, 3], [3, 0]] as Array<[number, number]>) {
      expect(() => new NodeIndex(3, 4, pair)).toThrow(/must name two different dimensions of 3/);
    }
    // With one dimension there is nothing to condition: the pair is ignored.
    expect(() => new NodeIndex(1, 4, [0, 1])).not.toThrow();
    expect(() => new NodeIndex(3, 4, [2, 0])).not.toThrow();
  });

  it('rejects thresholds that cannot scale', () => {
    const index = new NodeIndex(2, 4);
    for (const [a, b] of [[0, 1], [1, 0], [-1, 1], [1, Number.NaN]]) {
      expect(() => index.calibrate(a, b)).toThrow(/positive sizes/);
    }
  });
});

describe('Cluster bookkeeping', () => {
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
