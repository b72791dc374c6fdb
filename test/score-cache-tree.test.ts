import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ScoreTree } from '../algorithms/score-cache/score-tree.js';
import { NodeChangeRing } from '../harness/node-change-log.js';

/** The tree's contents as plain arrays, and the answers a scan over them gives. */
class BruteScores {
  readonly feasible: boolean[];
  readonly score: number[];
  constructor(readonly slots: number) {
    this.feasible = new Array<boolean>(slots).fill(false);
    this.score = new Array<number>(slots).fill(-Infinity);
  }
  set(node: number, f: boolean, s: number): void {
    this.feasible[node] = f;
    this.score[node] = f && !Number.isNaN(s) ? s : -Infinity;
  }
  /** Positions of a circular range, in order. */
  range(from: number, to: number, wrap: boolean): number[] {
    const out: number[] = [];
    if (!wrap) for (let i = from; i < to; i++) out.push(i);
    else {
      for (let i = from; i < this.slots; i++) out.push(i);
      for (let i = 0; i < to; i++) out.push(i);
    }
    return out;
  }
  feasibleFrom(start: number): number[] {
    return this.range(start, start, true).filter((i) => this.feasible[i]);
  }
}

const SCORES = [-Infinity, -0, 0, 1, 1, 2, 2, 2, 3.5, NaN, -7];

const op = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), node: fc.nat(), feasible: fc.boolean(), score: fc.constantFrom(...SCORES) }),
  fc.record({ kind: fc.constant('build' as const), seed: fc.nat(), density: fc.double({ min: 0, max: 1, noNaN: true }) }),
  // A lazy restart: forget, then blocks scored in runs (the cuts split them), last run first.
  fc.record({ kind: fc.constant('lazy' as const), seed: fc.nat(), density: fc.double({ min: 0, max: 1, noNaN: true }), cuts: fc.array(fc.nat(), { maxLength: 5 }) }),
);

/** A cheap deterministic stream of (feasible, score) for scratch values. */
function scratchValues(seed: number, density: number): () => [boolean, number] {
  let x = seed | 1;
  return () => {
    x = (Math.imul(x, 1103515245) + 12345) | 0;
    return [((x >>> 8) % 1000) / 1000 < density, SCORES[(x >>> 16) % SCORES.length]];
  };
}

const scenario = fc.record({
  capacity: fc.integer({ min: 1, max: 150 }),
  ops: fc.array(op, { minLength: 1, maxLength: 40 }),
  queries: fc.array(fc.record({ a: fc.nat(), b: fc.nat(), k: fc.nat() }), { minLength: 1, maxLength: 12 }),
});

/** Long runs of single-node updates on a few blocks, few distinct scores: ties at a block's max come and go. */
const churn = fc.record({
  capacity: fc.integer({ min: 1, max: 48 }),
  ops: fc.array(
    fc.record({ kind: fc.constant('set' as const), node: fc.nat(), feasible: fc.constantFrom(true, true, true, false), score: fc.constantFrom(1, 2, 2, 3, 3, -Infinity) }),
    { minLength: 1, maxLength: 300 },
  ),
  queries: fc.array(fc.record({ a: fc.nat(), b: fc.nat(), k: fc.nat() }), { minLength: 1, maxLength: 12 }),
});

describe('ScoreTree against a scan of the same scores', () => {
  it.each([
    ['rebuilds and updates', scenario, 300],
    ['long runs of updates with many ties', churn, 300],
  ] as const)('counts, k-th feasible (circular), max and ties over circular windows, and the j-th tie all agree (%s)', (_what, arb, numRuns) => {
    fc.assert(
      fc.property(arb as typeof scenario, ({ capacity, ops, queries }) => {
        const tree = new ScoreTree(capacity);
        const L = tree.leaves;
        expect(L).toBeGreaterThanOrEqual(capacity);
        const brute = new BruteScores(L);
        for (const o of ops) {
          if (o.kind === 'set') {
            const node = o.node % capacity;
            tree.set(node, o.feasible, o.score);
            brute.set(node, o.feasible, o.score);
          } else if (o.kind === 'build') {
            // A whole rebuild from scratch values.
            const next = scratchValues(o.seed, o.density);
            for (let node = 0; node < capacity; node++) {
              const [f, s] = next();
              tree.setLeaf(node, f, s);
              brute.set(node, f, s);
            }
            tree.finishBuild();
          } else {
            tree.forget();
            for (let node = 0; node < L; node++) brute.set(node, false, 0);
            const blocks = L / ScoreTree.BLOCK;
            expect(tree.unknownBlocks).toBe(blocks);
            expect(tree.feasibleCount).toBe(0);
            const cuts = [...new Set([0, blocks, ...o.cuts.map((c) => c % (blocks + 1))])].sort((a, b) => a - b);
            const next = scratchValues(o.seed, o.density);
            let unknown = blocks;
            for (let r = cuts.length - 1; r > 0; r--) {
              const [b0, b1] = [cuts[r - 1], cuts[r]];
              for (let b = b0; b < b1; b++) expect(tree.isBlockKnown(b)).toBe(false);
              for (let node = b0 * ScoreTree.BLOCK; node < Math.min(capacity, b1 * ScoreTree.BLOCK); node++) {
                const [f, s] = next();
                tree.setLeaf(node, f, s);
                brute.set(node, f, s);
              }
              // The run is counted by scanning before it joins the tree, as the cache's window search does.
              const lo = b0 * ScoreTree.BLOCK;
              const hi = b1 * ScoreTree.BLOCK;
              const inRun = brute.range(lo, hi, false).filter((i) => brute.feasible[i]);
              expect(tree.countIn(lo, hi)).toBe(inRun.length);
              for (let k = 0; k <= inRun.length; k++) expect(tree.kthIn(lo, hi, k)).toBe(k < inRun.length ? inRun[k] : -1);
              tree.markKnownRange(b0, b1);
              unknown -= b1 - b0;
              expect(tree.unknownBlocks).toBe(unknown);
              for (let b = b0; b < b1; b++) expect(tree.isBlockKnown(b)).toBe(true);
              expect(tree.feasibleCount).toBe(brute.feasible.filter(Boolean).length);
            }
          }
        }
        const total = brute.feasible.filter(Boolean).length;
        expect(tree.feasibleCount).toBe(total);
        for (const q of queries) {
          const pos = q.a % (L + 1);
          expect(tree.countBefore(pos)).toBe(brute.feasible.slice(0, pos).filter(Boolean).length);
          const lo = q.a % L;
          const hi = Math.min(L, lo + (q.b % (ScoreTree.BLOCK + 1)));
          const near = brute.range(lo, hi, false).filter((i) => brute.feasible[i]);
          expect(tree.countIn(lo, hi)).toBe(near.length);
          expect(tree.kthIn(lo, hi, q.k % (near.length + 1))).toBe(near[q.k % (near.length + 1)] ?? -1);
          const start = q.a % L;
          const order = brute.feasibleFrom(start);
          const k = total === 0 ? q.k : q.k % (total + 1);
          expect(tree.kthFrom(start, k)).toBe(k < total ? order[k] : -1);
          const inOrder = brute.feasible.map((f, i) => (f ? i : -1)).filter((i) => i >= 0);
          expect(tree.kth(k)).toBe(k < total ? inOrder[k] : -1);
          // Circular windows: linear [from, to), wrapped [from, L) ∪ [0, to), the whole circle.
          const from = q.a % L;
          const to = q.b % (L + 1);
          for (const [f, t, wrap] of [
            [Math.min(from, to), Math.max(from, to), false],
            [from, to % L, true],
            [from, from, true],
          ] as Array<[number, number, boolean]>) {
            const positions = brute.range(f, t, wrap);
            const scores = positions.map((i) => brute.score[i]);
            const max = scores.reduce((m, s) => (s > m ? s : m), -Infinity);
            tree.maxOver(f, t, wrap);
            // === rather than toBe: −0 and 0 are one score.
            expect(tree.queryMax === max, `max ${tree.queryMax} vs ${max}`).toBe(true);
            if (max === -Infinity) continue;
            const tied = positions.filter((i) => brute.score[i] === max);
            expect(tree.queryAtMax).toBe(tied.length);
            for (let j = 0; j <= tied.length; j++) expect(tree.nthAtMax(f, t, wrap, max, j)).toBe(j < tied.length ? tied[j] : -1);
          }
        }
      }),
      { numRuns },
    );
  });

  it('a tree of 12,500 node slots holds them in a power of two and reports its bytes', () => {
    const tree = new ScoreTree(12_500);
    expect(tree.leaves).toBe(16_384);
    expect(tree.bytes).toBe(ScoreTree.bytesFor(12_500));
    expect(tree.feasibleCount).toBe(0);
    tree.set(12_499, true, 5);
    tree.set(3, true, 5);
    tree.maxOver(10, 4, true); // [10, end) ∪ [0, 4): both nodes, 12,499 first
    expect([tree.queryMax, tree.queryAtMax]).toEqual([5, 2]);
    expect(tree.nthAtMax(10, 4, true, 5, 0)).toBe(12_499);
    expect(tree.nthAtMax(10, 4, true, 5, 1)).toBe(3);
    expect(tree.kthFrom(12_000, 1)).toBe(3);
  });
});

describe('NodeChangeRing', () => {
  it('numbers changes from 0 and keeps the last `size` of them in ring order', () => {
    const ring = new NodeChangeRing(8);
    expect(ring.mask).toBe(7);
    for (let i = 0; i < 21; i++) ring.record(100 + i);
    expect(ring.seq).toBe(21);
    const last = [];
    for (let i = ring.seq - 8; i < ring.seq; i++) last.push(ring.entries[i & ring.mask]);
    expect(last).toEqual([113, 114, 115, 116, 117, 118, 119, 120]);
  });

  it('refuses a size that is not a power of two', () => {
    expect(() => new NodeChangeRing(12)).toThrow(/power of two/);
    expect(() => new NodeChangeRing(0)).toThrow(/power of two/);
  });
});
