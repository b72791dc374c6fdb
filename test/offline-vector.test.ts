import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validatePacking } from '../algorithms/offline/instance.js';
import { lowerBounds } from '../algorithms/offline/lower-bounds.js';
import { resolveAlgorithm } from '../algorithms/offline/registry.js';
import { readVbp } from '../workloads/bin-packing/vbp-reader.js';

/**
 * Real data: Mommessin, Erlebach & Shakhlevich (C&OR 2025) vector instances (d = 3, 5, 10) and their
 * published per-instance bin counts (results/*_multidim*.csv, tab-separated).
 *
 * Metric: class mean of 100 * (bins - LB) / LB with LB the published lower bound (index.csv), ours vs
 * the same computed from the published column of the same algorithm.
 *
 * Tolerance 1 percentage point for FFD, WFD and the bin-centric packers: vector FFD / BFD / WFD depend
 * on tie-breaking (we break ties by file order / lowest bin index in double precision; the paper
 * uses float32 measures, so near-equal L1 sums tie differently), and the bin-centric packers scan a
 * list that the paper's implementation permutes. Measured worst: 0.91 points (Triplet classC,
 * FFD-Linf-Unit); most Avg-weighted variants agree exactly. Exceptions with their reasons below.
 *
 * 34 Caprara triplet files carry sizes -1 / -2 (generator artifact); they are read with
 * allowNegative, as the paper's code accepted them.
 */
const ROOT = join(import.meta.dirname, '..');
const BASE = join(ROOT, '..', 'shared', 'data', 'binpacking-vector', 'mommessin2025');
const present = existsSync(join(BASE, 'index.csv'));
if (!present) console.warn(`[offline-vector] skipped: ${BASE} not found (the shared benchmark data is not beside this clone)`);

type Row = Record<string, string>;
function table(path: string, sep: string): Row[] {
  const lines = readFileSync(path, 'utf8').trim().split(/\r?\n/);
  const head = lines[0].split(sep);
  return lines.slice(1).map((l) => Object.fromEntries(l.split(sep).map((v, i) => [head[i], v])));
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

const CLOSE = [
  'FFD-L1-Unit',
  'FFD-Linf-Unit',
  'FFD-L2-Unit',
  'FFD-L1-Avg',
  'FFD-L2-Avg',
  'WFD-L1-Unit',
  'WFD-L2-Avg',
  'BCS-DP1-Unit',
  'BCS-DP1-Avg',
  'BCS-L2Norm-Unit',
  'BCS-L2Norm-Avg',
];
/**
 * Published BFD-T1 equals published FFD with the same measure on 97% of the instances (their bin
 * list re-sorting evidently rarely moved a bin), while ours is a true best fit by the measure; so
 * these only get a 2.5-point tolerance (measured worst 2.04: New class1 BFD-L2-Avg).
 */
const LOOSE = ['BFD-L1-Unit', 'BFD-L2-Avg'];
/**
 * FFD-Linf-Avg gets 2 points: in the triplet instances every dimension's items sum to exactly n/3
 * bins, so Avg weights are all equal and FFD-Linf-Avg must order items exactly like FFD-Linf-Unit
 * (ours do: 21.31 on Triplet classC for both). The paper's float32 products w_h * s_h break those
 * exact ties differently (published 22.95 vs 22.22), which moves its average by 1.65 points.
 */
const MID = ['FFD-Linf-Avg'];
const tolerance = (a: string) => (LOOSE.includes(a) ? 2.5 : MID.includes(a) ? 2 : 1);

describe.skipIf(!present)('Mommessin et al. 2025 vector instances', () => {
  const index = present ? table(join(BASE, 'index.csv'), ',') : [];
  const published = new Map<string, Row>();
  if (present) {
    for (const f of ['New_multidim_full.csv', 'Triplet_multidim.csv']) {
      for (const r of table(join(BASE, 'results', f), '\t')) published.set(r.instance_name, r);
    }
  }

  it('FFD variants, WFD and the dot-product / L2-norm packers: class averages within 1 point of the published ones (New, Triplet)', () => {
    const agg = new Map<string, { ours: number[]; theirs: number[] }>();
    const rows = index.filter((r) => r.benchmark !== 'Panigrahy');
    expect(rows.length).toBe(660);
    for (const r of rows) {
      const inst = readVbp(join(BASE, '..', r.path), { allowNegative: true });
      expect(inst.n).toBe(Number(r.n));
      const pub = published.get(r.instance);
      expect(pub, r.instance).toBeDefined();
      const lb = Number(r.LB);
      for (const a of [...CLOSE, ...MID, ...LOOSE]) {
        const spec = resolveAlgorithm(a);
        const p = spec.run(inst);
        expect(validatePacking(inst, p)).toBeNull();
        const key = `${r.benchmark}/${r.cls}|${a}`;
        const g = agg.get(key) ?? { ours: [], theirs: [] };
        g.ours.push((100 * (p.bins - lb)) / lb);
        g.theirs.push((100 * (Number((pub as Row)[spec.publishedName as string]) - lb)) / lb);
        agg.set(key, g);
      }
    }
    const report: string[] = [];
    for (const [key, g] of agg) {
      const [cls, a] = key.split('|');
      const diff = mean(g.ours) - mean(g.theirs);
      report.push(`${cls.padEnd(16)} ${a.padEnd(16)} ours ${mean(g.ours).toFixed(2).padStart(6)} published ${mean(g.theirs).toFixed(2).padStart(6)} diff ${diff.toFixed(2)}`);
    }
    console.log(report.join('\n'));
    for (const [key, g] of agg) {
      const a = key.split('|')[1];
      expect(Math.abs(mean(g.ours) - mean(g.theirs)), key).toBeLessThanOrEqual(tolerance(a));
    }
  });

  it('Panigrahy classes: our best item-centric / bin-centric variant per instance tracks the published best of family', () => {
    // Only family bests (best_IC over ~200 item-centric variants, best_BC over ~60 bin-centric ones)
    // are published for these classes. Ours is the best of the variants we implement, a subset, so it
    // may only be worse; we require it within 3 points above and at most 0.5 below (tie noise).
    // Instances 0 and 1 of every (class, n, d) group are used, to keep the test fast.
    const rows = index.filter((r) => r.benchmark === 'Panigrahy' && /_[01]$/.test(r.instance));
    const IC = ['FFD-L1-Unit', 'FFD-Linf-Unit', 'FFD-L2-Unit', 'FFD-L1-Avg', 'FFD-Linf-Avg', 'FFD-L2-Avg', 'BFD-L2-Avg', 'BFD-L1-Unit'];
    const BC = ['BCS-DP1-Unit', 'BCS-DP1-Avg', 'BCS-L2Norm-Unit', 'BCS-L2Norm-Avg'];
    const agg = new Map<string, { ic: number[]; bc: number[]; pic: number[]; pbc: number[] }>();
    for (const r of rows) {
      const inst = readVbp(join(BASE, '..', r.path), { allowNegative: true });
      const lb = Number(r.LB);
      const best = (names: string[]) => Math.min(...names.map((a) => resolveAlgorithm(a).run(inst).bins));
      const g = agg.get(r.cls) ?? { ic: [], bc: [], pic: [], pbc: [] };
      g.ic.push((100 * (best(IC) - lb)) / lb);
      g.bc.push((100 * (best(BC) - lb)) / lb);
      g.pic.push((100 * (Number(r.best_IC) - lb)) / lb);
      g.pbc.push((100 * (Number(r.best_BC) - lb)) / lb);
      agg.set(r.cls, g);
    }
    const report: string[] = [];
    for (const [cls, g] of agg) {
      const dIc = mean(g.ic) - mean(g.pic);
      const dBc = mean(g.bc) - mean(g.pbc);
      report.push(`Panigrahy/${cls}: best IC ours ${mean(g.ic).toFixed(2)} vs ${mean(g.pic).toFixed(2)}; best BC ours ${mean(g.bc).toFixed(2)} vs ${mean(g.pbc).toFixed(2)}`);
      expect(dIc, `${cls} IC`).toBeGreaterThanOrEqual(-0.5);
      expect(dIc, `${cls} IC`).toBeLessThanOrEqual(3);
      expect(dBc, `${cls} BC`).toBeGreaterThanOrEqual(-0.5);
      expect(dBc, `${cls} BC`).toBeLessThanOrEqual(3);
    }
    console.log(report.join('\n'));
  });

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
