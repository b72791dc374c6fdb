import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validatePacking } from '../algorithms/offline/packing.js';
import { lowerBounds } from '../algorithms/offline/lower-bounds.js';
import { resolveAlgorithm } from '../algorithms/offline/registry.js';
import type { PackingInstance } from '../model/packing-instance.js';
import { dimensionWeights, itemMeasures, parseMeasure, parseWeight } from '../algorithms/offline/size-measures.js';
import { readVbp } from '../workloads/bin-packing/vbp-reader.js';
import { BASE, mean, present, standardError, table, type Row } from './helpers/vector-benchmark.js';

/**
 * Real data: Mommessin, Erlebach & Shakhlevich (C&OR 2025) vector instances (d = 3, 5, 10) and their
 * published per-instance bin counts (results/*_multidim*.csv, tab-separated).
 *
 * What must agree, and why (no tolerance is read off the measured differences):
 *  - FFD has one degree of freedom, the order of items with equal measure. Where no two items'
 *    measures are within float32 resolution (the paper computes in float32) the order is forced and
 *    first fit does the rest: our count must equal the published one exactly, instance by instance.
 *  - Elsewhere, and for WFD and the bin-centric packers (which also break ties between bins / scan a
 *    list the paper's code permutes), ours and theirs are the same rule under different tie-breaking,
 *    which favours neither side: per class, the mean per-instance difference (in % of LB) must be
 *    within 4 standard errors of zero, the standard error from the spread of those differences (a
 *    paired comparison; a class where every instance agrees must agree exactly).
 * Exceptions, with their reasons:
 *  - Triplet instances, FFD-Linf-Avg: every dimension's items sum to exactly n/3 bins, so the Avg
 *    weights are all equal, and max_h w·s_h = w·max_h s_h (one correctly rounded product, monotone):
 *    ours must order items, and so pack, exactly like FFD-Linf-Unit. Linf ties are frequent there;
 *    the paper's float32 products break them by rounding noise (published FFD-Linf-Avg 22.95 vs
 *    FFD-Linf-Unit 22.22 on class C), a fixed, not a random, order, so that published column is not
 *    compared; its Unit column is. (For L1 and L2 the weights enter a sum of products, whose rounding
 *    can break exact ties in double too, so no identity is claimed for them; they are compared.)
 *  - BFD-T1: the published BFD equals the published FFD with the same measure on 97% of the
 *    instances (their bin list re-sorting evidently rarely moves a bin), while ours is a true best
 *    fit by the measure (checked against a reference scan in offline-heuristics.test.ts); not
 *    compared, only printed.
 *
 * 34 Caprara triplet files carry sizes -1 / -2 (generator artifact); they are read with
 * allowNegative, as the paper's code accepted them.
 */
if (!present) console.warn(`[offline-vector] skipped: ${BASE} not found (the shared benchmark data is not beside this clone)`);


const FFD = ['FFD-L1-Unit', 'FFD-Linf-Unit', 'FFD-L2-Unit', 'FFD-L1-Avg', 'FFD-Linf-Avg', 'FFD-L2-Avg'];
const OTHERS = ['WFD-L1-Unit', 'WFD-L2-Avg', 'BCS-DP1-Unit', 'BCS-DP1-Avg', 'BCS-L2Norm-Unit', 'BCS-L2Norm-Avg'];
const NOT_COMPARED = ['BFD-L1-Unit', 'BFD-L2-Avg'];
/**
 * Relative gap under which two measures may tie in float32: 1e-6 is about 16 float32 ulps (2^-24
 * relative each), more than the rounding of a sum of at most 10 float32 products.
 */
const FLOAT32_TIE = 1e-6;

/** FFD's item order is forced: no two items' measures within float32 resolution of each other. */
function ffdOrderForced(inst: PackingInstance, algorithm: string): boolean {
  const [, m, w] = algorithm.split('-');
  const ms = Float64Array.from(itemMeasures(inst, parseMeasure(m)!, dimensionWeights(inst, parseWeight(w)!))).sort();
  for (let i = 1; i < ms.length; i++) if (ms[i] - ms[i - 1] <= FLOAT32_TIE * Math.abs(ms[i])) return false;
  return true;
}

describe.skipIf(!present)('Mommessin et al. 2025 vector instances', () => {
  const index = present ? table(join(BASE, 'index.csv'), ',') : [];
  const published = new Map<string, Row>();
  if (present) {
    for (const f of ['New_multidim_full.csv', 'Triplet_multidim.csv']) {
      for (const r of table(join(BASE, 'results', f), '\t')) published.set(r.instance_name, r);
    }
  }

  it('FFD reproduces the published count on every instance whose item order is forced; FFD, WFD and the bin-centric packers agree with the published class means up to tie-breaking (New, Triplet)', () => {
    const diffs = new Map<string, number[]>();
    const forced = new Map<string, [number, number]>();
    const report: string[] = [];
    const rows = index.filter((r) => r.benchmark !== 'Panigrahy');
    expect(rows.length).toBe(660);
    for (const r of rows) {
      const inst = readVbp(join(BASE, '..', r.path), { allowNegative: true });
      expect(inst.n).toBe(Number(r.n));
      const pub = published.get(r.instance);
      expect(pub, r.instance).toBeDefined();
      const lb = Number(r.LB);
      const bins = new Map<string, number>();
      for (const a of [...FFD, ...OTHERS, ...NOT_COMPARED]) {
        const spec = resolveAlgorithm(a);
        const p = spec.run(inst);
        expect(validatePacking(inst, p)).toBeNull();
        bins.set(a, p.bins);
        const theirs = Number((pub as Row)[spec.publishedName as string]);
        if (FFD.includes(a) && ffdOrderForced(inst, a)) {
          expect(p.bins, `${a} on ${r.instance} (forced order)`).toBe(theirs);
          const [k, n] = forced.get(a) ?? [0, 0];
          forced.set(a, [k + 1, n]);
        }
        const key = `${r.benchmark}/${r.cls}|${a}`;
        const d = diffs.get(key) ?? [];
        d.push((100 * (p.bins - theirs)) / lb);
        diffs.set(key, d);
      }
      if (r.benchmark === 'Triplet') expect(bins.get('FFD-Linf-Avg'), `${r.instance} FFD-Linf: Avg = Unit`).toBe(bins.get('FFD-Linf-Unit'));
    }
    for (const a of FFD) {
      const [k] = forced.get(a) ?? [0, 0];
      report.push(`${a}: order forced on ${k} of ${rows.length} instances, all reproduced exactly`);
      expect(k, a).toBeGreaterThan(0);
    }
    for (const [key, d] of diffs) {
      const [cls, a] = key.split('|');
      const m = mean(d);
      const se = standardError(d);
      const compared = !NOT_COMPARED.includes(a) && !(cls.startsWith('Triplet') && a === 'FFD-Linf-Avg');
      report.push(`${cls.padEnd(16)} ${a.padEnd(16)} mean ours − published ${m.toFixed(2).padStart(6)} ± ${se.toFixed(2)} (se)${compared ? '' : '  not compared'}`);
      if (compared) expect(Math.abs(m), `${key}: ${m.toFixed(3)} vs 4 × ${se.toFixed(3)}`).toBeLessThanOrEqual(4 * se + 1e-9);
    }
    console.log(report.join('\n'));
  }, 600_000);

  it('Panigrahy classes: our best variants never beat the published family bests where our run is an exact reproduction, nor on average beyond tie noise', () => {
    // Only family bests are published for these classes (best_IC over ~200 item-centric variants,
    // best_BC over ~60 bin-centric ones). Ours is the best of a subset, so it can be worse by any
    // amount (no upper bound is asserted), but better only through tie-breaking:
    //  - per instance, an FFD variant with a forced order reproduces the paper's run of that variant
    //    (see the test above), so its count is ≥ best_IC, exactly;
    //  - per class, the mean of (our best − published best) is not below −4 standard errors (one-sided
    //    paired comparison, as above).
    // Instances 0 and 1 of every (class, n, d) group are used, to keep the test fast.
    const rows = index.filter((r) => r.benchmark === 'Panigrahy' && /_[01]$/.test(r.instance));
    const IC = [...FFD, 'BFD-L2-Avg', 'BFD-L1-Unit'];
    const BC = ['BCS-DP1-Unit', 'BCS-DP1-Avg', 'BCS-L2Norm-Unit', 'BCS-L2Norm-Avg'];
    const agg = new Map<string, { ic: number[]; bc: number[] }>();
    let reproduced = 0;
    for (const r of rows) {
      const inst = readVbp(join(BASE, '..', r.path), { allowNegative: true });
      const lb = Number(r.LB);
      const bins = (names: string[]) => names.map((a) => resolveAlgorithm(a).run(inst).bins);
      const ic = bins(IC);
      const forcedBins = FFD.filter((a) => ffdOrderForced(inst, a)).map((a) => ic[IC.indexOf(a)]);
      if (forcedBins.length > 0) {
        reproduced++;
        expect(Math.min(...forcedBins), `${r.instance}: a reproduced FFD run below best_IC`).toBeGreaterThanOrEqual(Number(r.best_IC));
      }
      const g = agg.get(r.cls) ?? { ic: [], bc: [] };
      g.ic.push((100 * (Math.min(...ic) - Number(r.best_IC))) / lb);
      g.bc.push((100 * (Math.min(...bins(BC)) - Number(r.best_BC))) / lb);
      agg.set(r.cls, g);
    }
    const report: string[] = [`instances with a forced-order FFD variant: ${reproduced} of ${rows.length}`];
    for (const [cls, g] of agg) {
      report.push(`Panigrahy/${cls}: our best IC − published ${mean(g.ic).toFixed(2)} ± ${standardError(g.ic).toFixed(2)}; best BC ${mean(g.bc).toFixed(2)} ± ${standardError(g.bc).toFixed(2)}`);
      expect(mean(g.ic), `${cls} IC`).toBeGreaterThanOrEqual(-4 * standardError(g.ic) - 1e-9);
      expect(mean(g.bc), `${cls} BC`).toBeGreaterThanOrEqual(-4 * standardError(g.bc) - 1e-9);
    }
    console.log(report.join('\n'));
  }, 600_000);

  it('our lower bound never exceeds a known optimum (every instance)', () => {
    let withOpt = 0;
    for (const r of index) {
      const opt = Number(r.OPT);
      if (!(opt > 0)) continue;
      withOpt++;
      const inst = readVbp(join(BASE, '..', r.path), { allowNegative: true });
      expect(lowerBounds(inst).best, r.instance).toBeLessThanOrEqual(opt);
    }
    expect(withOpt).toBeGreaterThan(500);
  });
});
