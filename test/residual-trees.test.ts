import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MaxSegmentTree, ResidualTreap } from '../algorithms/offline/residual-trees.js';
import { VectorBinTree } from '../algorithms/offline/vector-bin-tree.js';

/**
 * The offline packers' residual indexes (algorithms/offline/residual-trees.ts, vector-bin-tree.ts)
 * against brute force over the same values: model-based properties with fixed seeds. Small value
 * ranges so ties, which the indexes break by bin index, are common.
 */

describe('MaxSegmentTree', () => {
  const op = fc.oneof(
    fc.record({ kind: fc.constant('set' as const), i: fc.nat(), v: fc.integer({ min: 0, max: 10 }) }),
    fc.record({ kind: fc.constant('query' as const), s: fc.integer({ min: -1, max: 12 }) }),
  );

  it('leftmostAtLeast and get agree with a scan of the leaves (unused leaves keep the initial value)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 10 }), fc.array(op, { maxLength: 80 }), (leaves, initial, ops) => {
        const tree = new MaxSegmentTree(leaves, initial);
        expect(tree.size).toBeGreaterThanOrEqual(leaves);
        expect(tree.size).toBeLessThan(2 * Math.max(leaves, 1));
        const values = new Array<number>(tree.size).fill(initial);
        for (const o of ops) {
          if (o.kind === 'set') {
            const i = o.i % leaves;
            tree.set(i, o.v);
            values[i] = o.v;
          } else {
            expect(tree.leftmostAtLeast(o.s)).toBe(values.findIndex((v) => v >= o.s));
          }
          for (let i = 0; i < leaves; i++) expect(tree.get(i)).toBe(values[i]);
        }
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});

describe('ResidualTreap', () => {
  const op = fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant('insert' as const), id: fc.nat(), k: fc.integer({ min: 0, max: 8 }) }), weight: 3 },
    { arbitrary: fc.record({ kind: fc.constant('remove' as const), id: fc.nat() }), weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant('query' as const), s: fc.integer({ min: -1, max: 9 }) }), weight: 2 },
  );

  it('ceiling (smallest residual at least s, lowest bin among equals) and maxKey agree with a scan', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 48 }), fc.array(op, { maxLength: 120 }), (capacity, ops) => {
        const treap = new ResidualTreap(capacity);
        const present = new Map<number, number>();
        const check = (s: number) => {
          let best = -1;
          for (const [id, k] of present) if (k >= s && (best < 0 || k < present.get(best)! || (k === present.get(best)! && id < best))) best = id;
          expect(treap.ceiling(s)).toBe(best);
          expect(treap.maxKey()).toBe(present.size === 0 ? -Infinity : Math.max(...present.values()));
        };
        for (const o of ops) {
          const id = o.kind === 'query' ? 0 : o.id % capacity;
          if (o.kind === 'insert' && !present.has(id)) {
            treap.insert(id, o.k);
            present.set(id, o.k);
            expect(treap.key[id]).toBe(o.k);
          } else if (o.kind === 'remove' && present.has(id)) {
            treap.remove(id);
            present.delete(id);
          } else if (o.kind === 'query') check(o.s);
        }
        for (let s = -1; s <= 9; s++) check(s);
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});

describe('VectorBinTree', () => {
  const scenario = fc.integer({ min: 1, max: 3 }).chain((D) => {
    const vec = fc.array(fc.integer({ min: 0, max: 6 }), { minLength: D, maxLength: D });
    const op = fc.oneof(
      { arbitrary: fc.record({ kind: fc.constant('set' as const), b: fc.nat(), res: vec, measure: fc.integer({ min: -3, max: 3 }) }), weight: 3 },
      { arbitrary: fc.record({ kind: fc.constant('query' as const), size: vec }), weight: 2 },
    );
    return fc.record({ D: fc.constant(D), maxBins: fc.integer({ min: 1, max: 40 }), capacity: vec, ops: fc.array(op, { maxLength: 80 }) });
  });

  it('firstFit, bestFit and worstFit agree with a scan (best/worst over opened bins, ties to the lowest bin)', () => {
    fc.assert(
      fc.property(scenario, ({ D, maxBins, capacity, ops }) => {
        const tree = new VectorBinTree(D, Float64Array.from(capacity), maxBins);
        expect(tree.size).toBeGreaterThanOrEqual(maxBins);
        expect(tree.size).toBeLessThan(2 * maxBins);
        // Bins not yet opened hold the full capacity and no measure.
        const res: number[][] = Array.from({ length: tree.size }, () => [...capacity]);
        const measure: Array<number | undefined> = new Array(tree.size).fill(undefined);
        const fits = (b: number, s: number[]) => s.every((x, h) => res[b][h] >= x);
        for (const o of ops) {
          if (o.kind === 'set') {
            const b = o.b % maxBins;
            // Stored at an offset, as the packers pass one flat array of all bins.
            const src = new Float64Array(3 + D);
            src.set(o.res, 3);
            tree.setBin(b, src, 3, o.measure);
            res[b] = [...o.res];
            measure[b] = o.measure;
            continue;
          }
          const sizes = new Float64Array(1 + D);
          sizes.set(o.size, 1);
          expect(tree.firstFit(sizes, 1)).toBe(res.findIndex((_, b) => fits(b, o.size)));
          let best = -1;
          let worst = -1;
          for (let b = 0; b < tree.size; b++) {
            const m = measure[b];
            if (m === undefined || !fits(b, o.size)) continue;
            if (best < 0 || m < measure[best]!) best = b;
            if (worst < 0 || m > measure[worst]!) worst = b;
          }
          expect(tree.bestFit(sizes, 1)).toBe(best);
          expect(tree.worstFit(sizes, 1)).toBe(worst);
        }
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});
