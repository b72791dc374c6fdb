import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cluster } from '../harness/cluster.js';
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

/** Every way the API answers "which nodes fit": one search, its resume point, paging, mayFit, anyRoom. */
function checkQuery(c: Cluster, req: Float64Array, start: number, limit: number, page: number): void {
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
  // mayFit is necessary, not sufficient: true whenever a node fits, and never beyond the per-dimension maxima.
  const may = c.index.mayFit(req);
  if (all.length > 0) expect(may).toBe(true);
  for (let d = 0; d < c.dims && may; d++) {
    let covered = false;
    for (let node = 0; node < n; node++) if (c.up[node] && c.free[node * c.dims + d] >= req[d]) covered = true;
    expect(covered).toBe(true);
  }
  // anyRoom: for the array just searched (may reuse that search) and for a copy (searches afresh).
  const scratch = new Int32Array(1);
  expect(c.anyRoom(req, scratch)).toBe(all.length > 0);
  expect(c.anyRoom(req.slice(), scratch)).toBe(all.length > 0);
}

interface Model {
  c: Cluster;
  unit: readonly number[];
  /** Bound tasks: node and request. */
  bound: Array<{ node: number; req: Float64Array }>;
  removed: string[];
  nextId: number;
}

function apply(m: Model, op: Op): void {
  const { c, unit } = m;
  switch (op.kind) {
    case 'add': {
      const capacity = amounts(op.capacity, unit);
      const allocatable = op.allocatable ? amounts(op.allocatable, unit) : undefined;
      // Sometimes bring a removed machine back under its id with a new shape.
      const id = m.removed.length > 0 && op.revive % 2 === 0 ? m.removed.splice(op.revive % m.removed.length, 1)[0] : `n${m.nextId++}`;
      c.addNode({ id, capacity, allocatable });
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
      c.index.calibrate(shape[0], shape[shape.length > 1 ? 1 : 0]);
      return;
    }
    case 'query': {
      if (c.nodeCount === 0) return;
      checkQuery(c, new Float64Array(amounts(op.req, unit)), op.start % (c.nodeCount + 1), op.limit, op.page);
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
        const m: Model = { c: new Cluster(resources, expected), unit, bound: [], removed: [], nextId: 0 };
        for (const capacity of initial) apply(m, { kind: 'add', capacity, allocatable: null, revive: 1 });
        for (const op of ops) apply(m, op);
        // Finally every request shape seen, from every start.
        for (const op of ops) {
          if (op.kind !== 'query' && op.kind !== 'bind') continue;
          const req = new Float64Array(amounts(op.req, unit));
          for (let start = 0; start <= m.c.nodeCount; start += 7) checkQuery(m.c, req, start, m.c.nodeCount, 5);
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
        const c = new Cluster(DEFAULT_RESOURCES, 8);
        nodes.forEach((s, i) => c.addNode({ id: `n${i}`, capacity: shapes[s] }));
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
          checkQuery(c, r, q.start % c.nodeCount, q.limit, 1 + (q.limit % 50));
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

  it('rejects thresholds that cannot scale', () => {
    const c = new Cluster(DEFAULT_RESOURCES);
    expect(() => c.index.calibrate(0, GiB)).toThrow(/positive sizes, got 0 and/);
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
