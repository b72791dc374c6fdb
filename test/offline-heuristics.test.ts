import { describe, expect, it } from 'vitest';
import { Rng } from '../model/rng.js';
import { firstFitDecreasing } from '../algorithms/offline/first-fit-decreasing.js';
import { InfeasibleInstanceError } from '../algorithms/offline/instance-feasibility.js';
import { makeInstance, type PackingInstance } from '../model/packing-instance.js';
import { validatePacking } from '../algorithms/offline/packing.js';
import { lowerBoundClique, lowerBoundL1, lowerBoundL2, lowerBounds } from '../algorithms/offline/lower-bounds.js';
import { allAlgorithms, resolveAlgorithm, runAlgorithm } from '../algorithms/offline/registry.js';
import { decreasingOrder, dimensionWeights, itemMeasures, measureOf, parseMeasure } from '../algorithms/offline/size-measures.js';

/** Reference implementations: plain O(n * bins) scans, to check the tree-based packers. Returns the
 * bin of every item (not only the count: in one dimension the count does not depend on
 * tie-breaking, the assignment does). Ties: the strict comparison keeps the lowest-indexed bin. */
function naive(inst: PackingInstance, order: ArrayLike<number>, rule: 'first' | 'best' | 'worst' | 'next', measure = 'L1', weight: 'Unit' | 'Avg' = 'Unit'): number[] {
  const { d, sizes, capacity } = inst;
  const m = parseMeasure(measure)!;
  const w = dimensionWeights(inst, weight);
  const bins: Float64Array[] = [];
  const assignment: number[] = Array(inst.n).fill(-1);
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    const fits = (b: Float64Array) => {
      for (let h = 0; h < d; h++) if (sizes[i * d + h] > b[h]) return false;
      return true;
    };
    let chosen = -1;
    if (rule === 'next') chosen = bins.length && fits(bins[bins.length - 1]) ? bins.length - 1 : -1;
    else {
      let bestV = 0;
      for (let b = 0; b < bins.length; b++) {
        if (!fits(bins[b])) continue;
        if (rule === 'first') {
          chosen = b;
          break;
        }
        const v = d === 1 ? bins[b][0] : measureOf(m, w, bins[b], 0, capacity);
        if (chosen < 0 || (rule === 'best' ? v < bestV : v > bestV)) {
          chosen = b;
          bestV = v;
        }
      }
    }
    if (chosen < 0) {
      bins.push(Float64Array.from(capacity));
      chosen = bins.length - 1;
    }
    for (let h = 0; h < d; h++) bins[chosen][h] -= sizes[i * d + h];
    assignment[i] = chosen;
  }
  return assignment;
}

function randomInst(rng: Rng, n: number, d: number, C: number, maxFrac: number): PackingInstance {
  const items: number[][] = [];
  for (let i = 0; i < n; i++) items.push(Array.from({ length: d }, () => 1 + rng.int(Math.max(1, Math.floor(C * maxFrac)))));
  return makeInstance(`r${n}x${d}`, Array(d).fill(C), items);
}

describe('offline heuristics match plain reference scans, item by item', () => {
  const rng = new Rng(7);
  it('1-D FF / BF / WF / NF in file order and FFD / BFD / WFD', () => {
    for (let t = 0; t < 60; t++) {
      const inst = randomInst(rng, 1 + rng.int(300), 1, 20 + rng.int(200), 0.2 + rng.next() * 0.8);
      const id = Array.from({ length: inst.n }, (_, i) => i);
      const dec = decreasingOrder(inst.sizes);
      for (const [name, order, rule] of [
        ['FF', id, 'first'],
        ['BF', id, 'best'],
        ['WF', id, 'worst'],
        ['NF', id, 'next'],
        ['FFD', dec, 'first'],
        ['BFD', dec, 'best'],
        ['WFD', dec, 'worst'],
      ] as const) {
        const p = runAlgorithm(name, inst);
        expect(validatePacking(inst, p)).toBeNull();
        expect(Array.from(p.assignment), `${name} t=${t}`).toEqual(naive(inst, order, rule));
      }
    }
  });
  it('vector FFD / BFD / WFD under several measures and weights, and BF / WF / NF in order', () => {
    for (let t = 0; t < 40; t++) {
      const d = 2 + rng.int(4);
      const inst = randomInst(rng, 1 + rng.int(200), d, 100, 0.3 + rng.next() * 0.6);
      const id = Array.from({ length: inst.n }, (_, i) => i);
      for (const m of ['L1', 'Linf', 'L2']) {
        for (const w of ['Unit', 'Avg'] as const) {
          const order = decreasingOrder(itemMeasures(inst, parseMeasure(m)!, dimensionWeights(inst, w)));
          for (const [fam, rule] of [['FFD', 'first'], ['BFD', 'best'], ['WFD', 'worst']] as const) {
            const p = runAlgorithm(`${fam}-${m}-${w}`, inst);
            expect(validatePacking(inst, p)).toBeNull();
            expect(Array.from(p.assignment), `${fam}-${m}-${w} t=${t}`).toEqual(naive(inst, order, rule, m, w));
          }
        }
      }
      expect(Array.from(runAlgorithm('BF', inst).assignment)).toEqual(naive(inst, id, 'best'));
      expect(Array.from(runAlgorithm('WF', inst).assignment)).toEqual(naive(inst, id, 'worst'));
      expect(Array.from(runAlgorithm('NF', inst).assignment)).toEqual(naive(inst, id, 'next'));
      expect(Array.from(runAlgorithm('FF', inst).assignment)).toEqual(naive(inst, id, 'first'));
    }
  });
  it('bin-centric packers choose the same items as a full scan (k-d tree branch and bound is exact)', () => {
    for (let t = 0; t < 30; t++) {
      const d = 2 + rng.int(3);
      const inst = randomInst(rng, 1 + rng.int(150), d, 100, 0.5);
      for (const [algo, score] of [
        ['BCS-DP1-Avg', (s: number[], r: number[], w: Float64Array) => s.reduce((a, v, h) => a + (w[h] * v * r[h]) / 1e4, 0)],
        ['BCS-L2Norm-Unit', (s: number[], r: number[], w: Float64Array) => -s.reduce((a, v, h) => a + w[h] * ((r[h] - v) / 100) ** 2, 0)],
      ] as const) {
        const w = dimensionWeights(inst, algo.endsWith('Avg') ? 'Avg' : 'Unit');
        const left = new Set(Array.from({ length: inst.n }, (_, i) => i));
        let bins = 0;
        while (left.size) {
          bins++;
          const r = Array(d).fill(100);
          for (;;) {
            let best = -1;
            let bv = -Infinity;
            for (const i of left) {
              const s = Array.from(inst.sizes.subarray(i * d, i * d + d));
              if (s.some((v, h) => v > r[h])) continue;
              const v = score(s, r, w);
              if (v > bv) (bv = v), (best = i);
            }
            if (best < 0) break;
            left.delete(best);
            for (let h = 0; h < d; h++) r[h] -= inst.sizes[best * d + h];
          }
        }
        const p = runAlgorithm(algo, inst);
        expect(validatePacking(inst, p)).toBeNull();
        expect(p.bins, `${algo} t=${t}`).toBe(bins);
      }
    }
  });
});

// Best Fit as published (Johnson, "Near-optimal bin packing algorithms", MIT 1973; Johnson, Demers,
// Ullman, Garey & Graham, SIAM J. Comput. 3, 1974; Coffman, Garey & Johnson's survey): each item goes
// into the fullest bin that still fits it (the least residual capacity), ties in favour of the
// lowest-indexed (earliest opened) bin; BFD applies it to the items in decreasing size order, equal
// sizes in file order. In one dimension the bin count is the same whichever way ties fall, so only
// the assignment shows the rule. Every expected assignment below is worked out by hand in the comment.
describe('1-D best fit and best fit decreasing: the bin each item goes to', () => {
  const bins = (algo: string, C: number, sizes: number[]) => Array.from(runAlgorithm(algo, makeInstance('hand', C, sizes)).assignment);

  it('BF takes the fullest fitting bin, where FF takes the first and WF the emptiest', () => {
    // C = 10, file order [5, 7, 2]: 5 opens bin 0 (residual 5); 7 does not fit there and opens bin 1
    // (residual 3); 2 fits both: the fullest is bin 1 (3 < 5). FF takes bin 0 (first), WF bin 0 (5 > 3).
    expect(bins('BF', 10, [5, 7, 2])).toEqual([0, 1, 1]);
    expect(bins('FF', 10, [5, 7, 2])).toEqual([0, 1, 0]);
    expect(bins('WF', 10, [5, 7, 2])).toEqual([0, 1, 0]);
  });

  it('BF breaks ties between equally full bins toward the lowest index', () => {
    // C = 10, [6, 6, 2, 4, 2]: the 6s open bins 0 and 1 (residual 4 each); the first 2 fits both with
    // equal residual: bin 0 (residual 2); the 4 fits only bin 1 (residual 0); the last 2 fits only bin 0.
    expect(bins('BF', 10, [6, 6, 2, 4, 2])).toEqual([0, 1, 0, 1, 0]);
    // C = 10, [7, 7, 7, 3, 3, 3]: three bins of residual 3; each 3 goes to the lowest-indexed bin
    // still at residual 3 (the one before is full): bins 0, 1, 2 in that order.
    expect(bins('BF', 10, [7, 7, 7, 3, 3, 3])).toEqual([0, 1, 2, 0, 1, 2]);
    // Worst Fit has the same tie rule: C = 10, [6, 6, 1]: bins 0 and 1 both at residual 4: bin 0.
    expect(bins('WF', 10, [6, 6, 1])).toEqual([0, 1, 0]);
  });

  it('BFD takes the fullest fitting bin on the sorted list (where FFD differs)', () => {
    // C = 20, sizes [2, 9, 12, 9]: sorted 12 (item 2), 9 (item 1), 9 (item 3), 2 (item 0). 12 opens
    // bin 0 (residual 8); 9 does not fit and opens bin 1 (residual 11); the second 9 fits only bin 1
    // (residual 2); 2 fits bin 0 (residual 8) and bin 1 (residual 2): the fullest is bin 1.
    expect(bins('BFD', 20, [2, 9, 12, 9])).toEqual([1, 1, 0, 1]);
    // FFD puts that last 2 into bin 0, the first that fits.
    expect(bins('FFD', 20, [2, 9, 12, 9])).toEqual([0, 1, 0, 1]);
  });

  it('BFD breaks ties toward the lowest index, equal sizes in file order', () => {
    // C = 10, sizes [3, 7, 3, 7, 3, 7]: sorted 7s (items 1, 3, 5) then 3s (items 0, 2, 4). The 7s open
    // bins 0, 1, 2 (residual 3 each); item 0 ties across all three: bin 0; item 2: bins 1 and 2 tie:
    // bin 1; item 4: bin 2.
    expect(bins('BFD', 10, [3, 7, 3, 7, 3, 7])).toEqual([0, 0, 1, 1, 2, 2]);
    // C = 12, sizes [4, 8, 8, 2, 2]: sorted 8 (item 1), 8 (item 2), 4 (item 0), 2 (item 3), 2 (item 4).
    // The 8s open bins 0 and 1 (residual 4); the 4 ties: bin 0 (now full); the first 2 fits only bin 1
    // (residual 2); the second 2 fits bin 1 exactly.
    expect(bins('BFD', 12, [4, 8, 8, 2, 2])).toEqual([0, 0, 1, 1, 1]);
  });
});

describe('offline heuristics: behaviour and registry', () => {
  it('FFD on a textbook instance', () => {
    const inst = makeInstance('t', 10, [2, 5, 4, 7, 1, 3, 8]);
    const p = firstFitDecreasing(inst);
    expect(p.bins).toBe(3);
    expect(validatePacking(inst, p)).toBeNull();
  });
  it('an item larger than the bin is an error, not a packing', () => {
    const inst = makeInstance('bad', [10, 10], [[5, 5], [3, 11]]);
    expect(() => runAlgorithm('FFD', inst)).toThrow(InfeasibleInstanceError);
    expect(() => runAlgorithm('BCS-DP1', inst)).toThrow(InfeasibleInstanceError);
  });
  it('every name in allAlgorithms resolves and packs validly; unknown names list the grammar', () => {
    const inst = randomInst(new Rng(3), 80, 3, 100, 0.6);
    for (const a of allAlgorithms(3)) expect(validatePacking(inst, runAlgorithm(a, inst))).toBeNull();
    for (const a of ['FFD-Dim2', 'FFD-Prod', 'BFD-T1-L2-Avg', 'WFD-Max-Scarcity', 'DP-Avg', 'L2Norm', 'FF-Shuffle']) {
      expect(validatePacking(inst, runAlgorithm(a, inst))).toBeNull();
    }
    expect(resolveAlgorithm('BFD-L2-Avg').publishedName).toBe('BFD-T1-L2-Avg');
    expect(() => resolveAlgorithm('FFD-L7')).toThrow(/not a size measure.*Known forms/);
  });
  it('seeded shuffles are reproducible and differ across seeds', () => {
    const inst = randomInst(new Rng(5), 300, 1, 1000, 0.6);
    const a = runAlgorithm('FF-Shuffle', inst, { seed: 11 });
    const b = runAlgorithm('FF-Shuffle', inst, { seed: 11 });
    expect(Array.from(a.assignment)).toEqual(Array.from(b.assignment));
    const c = runAlgorithm('FF-Shuffle', inst, { seed: 12 });
    expect(Array.from(a.assignment)).not.toEqual(Array.from(c.assignment));
  });
  it('decreasingOrder is stable (ties keep file order) on both code paths', () => {
    expect(Array.from(decreasingOrder(Float64Array.of(3, 5, 3, 5, 1)))).toEqual([1, 3, 0, 2, 4]);
    expect(Array.from(decreasingOrder(Float64Array.of(0.3, 0.5, 0.3, 0.5, 0.1)))).toEqual([1, 3, 0, 2, 4]);
  });
});

describe('lower bounds', () => {
  it('L1, Martello–Toth L2 and clique on small cases', () => {
    // Three items of 6 with C = 10: L1 = 2, L2 = 3.
    const a = makeInstance('a', 10, [6, 6, 6]);
    expect(lowerBoundL1(a)).toBe(2);
    expect(lowerBoundL2(a)).toBe(3);
    // 2-D: items conflict pairwise through different dimensions; L1 = L2 = 2 but the clique is 3.
    const b = makeInstance('b', [10, 10], [[6, 1], [6, 1], [1, 6], [5, 5]]);
    expect(lowerBoundClique(b)).toBeGreaterThanOrEqual(2);
    const c = makeInstance('c', [10, 10], [[6, 4], [4, 6], [5, 5]]);
    // (6,4)+(4,6) fits exactly; (6,4)+(5,5) overflows dim 0; (4,6)+(5,5) overflows dim 1.
    expect(lowerBounds(c).best).toBe(2);
    const e = makeInstance('e', [10, 10], [[6, 1], [1, 6], [6, 6]]);
    expect(lowerBoundClique(e)).toBe(2);
  });
  it('bounds never exceed FFD on random instances', () => {
    const rng = new Rng(9);
    for (let t = 0; t < 50; t++) {
      const d = 1 + rng.int(3);
      const inst = randomInst(rng, 1 + rng.int(100), d, 50, 0.9);
      expect(lowerBounds(inst).best).toBeLessThanOrEqual(runAlgorithm('FFD', inst).bins);
    }
  });
});
