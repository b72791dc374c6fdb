import { describe, expect, it } from 'vitest';
import { Rng } from '../harness/rng.js';
import { firstFitDecreasing } from '../algorithms/offline/first-fit-decreasing.js';
import { InfeasibleInstanceError, makeInstance, type PackingInstance, validatePacking } from '../algorithms/offline/instance.js';
import { lowerBoundClique, lowerBoundL1, lowerBoundL2, lowerBounds } from '../algorithms/offline/lower-bounds.js';
import { allAlgorithms, resolveAlgorithm, runAlgorithm } from '../algorithms/offline/registry.js';
import { decreasingOrder, dimensionWeights, itemMeasures, measureOf, parseMeasure } from '../algorithms/offline/size-measures.js';

/** Reference implementations: plain O(n * bins) scans, to check the tree-based packers. */
function naive(inst: PackingInstance, order: ArrayLike<number>, rule: 'first' | 'best' | 'worst' | 'next', measure = 'L1', weight: 'Unit' | 'Avg' = 'Unit'): number {
  const { d, sizes, capacity } = inst;
  const m = parseMeasure(measure)!;
  const w = dimensionWeights(inst, weight);
  const bins: Float64Array[] = [];
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
  }
  return bins.length;
}

function randomInst(rng: Rng, n: number, d: number, C: number, maxFrac: number): PackingInstance {
  const items: number[][] = [];
  for (let i = 0; i < n; i++) items.push(Array.from({ length: d }, () => 1 + rng.int(Math.max(1, Math.floor(C * maxFrac)))));
  return makeInstance(`r${n}x${d}`, Array(d).fill(C), items);
}

describe('offline heuristics match plain reference scans', () => {
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
        expect(p.bins, `${name} t=${t}`).toBe(naive(inst, order, rule));
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
            expect(p.bins, `${fam}-${m}-${w} t=${t}`).toBe(naive(inst, order, rule, m, w));
          }
        }
      }
      expect(runAlgorithm('BF', inst).bins).toBe(naive(inst, id, 'best'));
      expect(runAlgorithm('WF', inst).bins).toBe(naive(inst, id, 'worst'));
      expect(runAlgorithm('NF', inst).bins).toBe(naive(inst, id, 'next'));
      expect(runAlgorithm('FF', inst).bins).toBe(naive(inst, id, 'first'));
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
