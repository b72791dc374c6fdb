import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dynamicDecreasingOrder } from '../algorithms/offline/dynamic-weights.js';
import { resolveAlgorithm, UnknownAlgorithmError } from '../algorithms/offline/registry.js';
import { validatePacking } from '../algorithms/offline/packing.js';
import type { PackingInstance } from '../model/packing-instance.js';
import { readVbp } from '../workloads/bin-packing/vbp-reader.js';
import { BASE, mean, present, standardError, table, type Row } from './helpers/vector-benchmark.js';

const inst = (capacity: number[], items: number[][]): PackingInstance => ({
  name: 'hand',
  d: capacity.length,
  n: items.length,
  capacity: Float64Array.from(capacity),
  sizes: Float64Array.from(items.flat()),
});

describe("dynamic weights ('-Dyn', Mommessin et al. 2025)", () => {
  // Capacity (10, 10); A = (6, 0), B = (0, 5), C = (0, 5), D = (1, 1). Avg weights of all items:
  // (0.7, 1.1), L1 measures A 0.42, B 0.55, C 0.55, D 0.18: the static order is B, C, A, D.
  // After B the remaining weights are (0.7, 0.6): A 0.42, C 0.30, D 0.13 → A; then (0.1, 0.6):
  // C 0.30, D 0.07 → C, D. The dynamic order is B, A, C, D.
  const hand = inst([10, 10], [[6, 0], [0, 5], [0, 5], [1, 1]]);
  it('picks each next item under the weights of the items still unpacked (worked by hand)', () => {
    const { order, weightsByStep } = dynamicDecreasingOrder(hand, { kind: 'L1' }, 'Avg');
    expect(Array.from(order)).toEqual([1, 0, 2, 3]);
    const row = (k: number) => Array.from(weightsByStep.subarray(k * 2, k * 2 + 2)).map((x) => Number(x.toFixed(9)));
    expect(row(0)).toEqual([0.7, 1.1]);
    expect(row(1)).toEqual([0.7, 0.6]);
    expect(row(2)).toEqual([0.1, 0.6]);
    expect(row(3)).toEqual([0.1, 0.1]);
    // ReciprocAvg inverts them: 1/0.7 and 1/1.1 first, so A (0.857) leads B (0.455).
    expect(dynamicDecreasingOrder(hand, { kind: 'L1' }, 'ReciprocAvg').order[0]).toBe(0);
  });

  it('names, published names and refusals', () => {
    const f = resolveAlgorithm('FFD-L1-Avg-Dyn');
    expect(f.name).toBe('FFD-L1-Avg-Dyn');
    expect(f.publishedName).toBe('FFD-L1-Avg-Dyn');
    expect(resolveAlgorithm('BFD-T1-L2-ReciprocAvg-Dyn').publishedName).toBe('BFD-T1-L2-ReciprocAvg-Dyn');
    expect(resolveAlgorithm('WFD-Linf-Expo-Dyn').publishedName).toBe('WFD-T1-Linf-Expo-Dyn');
    // First fit in the dynamic order B, A, C, D: B, A and C share bin 0 (left (4, 0)), D opens bin 1.
    const p = f.run(hand);
    expect(validatePacking(hand, p)).toBeNull();
    expect(p.bins).toBe(2);
    expect(Array.from(p.assignment)).toEqual([0, 0, 0, 1]);
    for (const bad of ['FF-Dyn', 'BCS-DP1-Avg-Dyn', 'FFD-Dyn', 'FFD-L1-Unit-Dyn']) expect(() => resolveAlgorithm(bad), bad).toThrow(UnknownAlgorithmError);
  });

  it.skipIf(!present)('agrees with the published class means of the -Dyn variants up to tie-breaking (New, Triplet)', () => {
    // As test/offline-vector.test.ts does for the static weights: per class, the mean per-instance
    // difference (ours − published, in % of LB) within 4 standard errors of 0.
    const algorithms = ['FFD-L1-Avg-Dyn', 'FFD-L2-Avg-Dyn', 'FFD-Linf-ReciprocAvg-Dyn', 'BFD-T1-L1-Avg-Dyn', 'WFD-T1-L2-Avg-Dyn'];
    const published = new Map<string, Row>();
    for (const f of ['New_multidim_full.csv', 'Triplet_multidim.csv']) for (const r of table(join(BASE, 'results', f), '\t')) published.set(r.instance_name, r);
    const rows = table(join(BASE, 'index.csv'), ',').filter((r) => r.benchmark !== 'Panigrahy' && /_[0-2]$/.test(r.instance));
    expect(rows.length).toBeGreaterThan(100);
    const diffs = new Map<string, number[]>();
    for (const r of rows) {
      const instance = readVbp(join(BASE, '..', r.path), { allowNegative: true });
      const pub = published.get(r.instance)!;
      for (const a of algorithms) {
        const spec = resolveAlgorithm(a);
        const p = spec.run(instance);
        expect(validatePacking(instance, p)).toBeNull();
        const theirs = Number(pub[spec.publishedName!]);
        expect(Number.isFinite(theirs), `${a} published for ${r.instance}`).toBe(true);
        const key = `${r.benchmark}/${r.cls}|${a}`;
        const d = diffs.get(key) ?? [];
        d.push((100 * (p.bins - theirs)) / Number(r.LB));
        diffs.set(key, d);
      }
    }
    const report: string[] = [];
    for (const [key, d] of diffs) {
      const m = mean(d);
      const se = standardError(d);
      report.push(`${key.padEnd(40)} mean ours − published ${m.toFixed(2).padStart(6)} ± ${se.toFixed(2)}`);
      expect(Math.abs(m), `${key}: ${m.toFixed(3)} vs 4 × ${se.toFixed(3)}`).toBeLessThanOrEqual(4 * se + 1e-9);
    }
    console.log(report.join('\n'));
  }, 600_000);
});
