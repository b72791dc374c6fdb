import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lowerBoundL1, lowerBoundL2, lowerBounds } from '../algorithms/offline/lower-bounds.js';
import { runAlgorithm } from '../algorithms/offline/registry.js';
import { validatePacking } from '../algorithms/offline/packing.js';
import { readBpplib } from '../workloads/bin-packing/bpplib-reader.js';

/**
 * Real data: the 716 public BPPLIB instances in ../shared/data/binpacking-1d with proven optima.
 * Runs in about a second.
 */
const ROOT = join(import.meta.dirname, '..');
const BASE = join(ROOT, '..', 'shared', 'data', 'binpacking-1d');
const present = existsSync(join(BASE, 'optima.csv'));
if (!present) console.warn(`[offline-bpplib] skipped: ${BASE} not found (the shared benchmark data is not beside this clone)`);

type Row = Record<string, string>;
function csv(path: string): Row[] {
  const lines = readFileSync(path, 'utf8').trim().split(/\r?\n/);
  const head = lines[0].split(',');
  return lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [head[i], v])));
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sampleVariance = (xs: number[]) => {
  const m = mean(xs);
  return xs.length < 2 ? 0 : xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);
};
const sd = (xs: number[]) => Math.sqrt(sampleVariance(xs));

/** x ≥ 0 rounded to one decimal as Python's round(x, 1) does: on the exact binary value, ties to even. */
function roundTenth(x: number): number {
  const [int, frac] = x.toFixed(20).split('.'); // exact enough: doubles near a tie are ≥ 1e-16 apart
  const tenths = Number(int) * 10 + Number(frac[0]);
  if (frac.slice(1) === '5'.padEnd(19, '0')) return (tenths % 2 === 0 ? tenths : tenths + 1) / 10;
  return Number(x.toFixed(1));
}

/** Our set name -> the class label in published_mommessin_1d_heuristics.csv. */
const PUBLISHED_CLASS: Record<string, string> = {
  Falkenauer_T: 'Falkenauer Triplets',
  Falkenauer_U: 'Falkenauer Uniform',
  Hard28: 'Hard 28',
  Scholl_1: 'Scholl class 1',
  Scholl_2: 'Scholl class 2',
  Scholl_3: 'Scholl class 3',
  Waescher: 'Waescher',
};

describe('rounding as the published table did', () => {
  it("roundTenth is Python's round(x, 1): exact binary value, exact ties to even", () => {
    // Python 3: round(6.25, 1) = 6.2, round(0.25, 1) = 0.2, round(0.75, 1) = 0.8 (exact ties);
    // round(6.35, 1) = 6.3 and round(0.05, 1) = 0.1 (the doubles lie just below / above the tie).
    expect([6.25, 0.25, 0.75, 6.35, 0.05, 100 / 28, 0].map(roundTenth)).toEqual([6.2, 0.2, 0.8, 6.3, 0.1, 3.6, 0]);
  });
});

describe.skipIf(!present)('BPPLIB 1-D instances: published heuristic counts, lower bounds and proven optima', () => {
  const rows = present ? csv(join(BASE, 'optima.csv')) : [];
  const insts = rows.map((r) => ({ r, inst: readBpplib(join(BASE, r.path)) }));

  it('reads all 716 instances with the n and capacity of optima.csv', () => {
    expect(rows.length).toBe(716);
    for (const { r, inst } of insts) {
      expect(inst.n).toBe(Number(r.n));
      expect(inst.capacity[0]).toBe(Number(r.capacity));
    }
  });

  it('FFD, BFD, WFD and FF, BF in file order use exactly the bins counted in optima.csv, on every instance', () => {
    // In 1-D the bin count of these does not depend on tie-breaking, so each column is the one right
    // answer for that heuristic (not the optimum: see the next test for how often they reach it).
    for (const { r, inst } of insts) {
      for (const a of ['FFD', 'BFD', 'WFD', 'FF', 'BF']) {
        const p = runAlgorithm(a, inst);
        expect(validatePacking(inst, p)).toBeNull();
        expect(p.bins, `${a} on ${r.instance}`).toBe(Number(r[a]));
      }
    }
  });

  // How often FFD / BFD reach the proven optimum, counted from optima.csv's own columns (opt and the
  // independently counted FFD / BFD); ours must give the same count, instance by instance.
  const reachCount = (a: string): number => rows.filter((r) => Number(r[a]) === Number(r.opt)).length;
  for (const a of ['FFD', 'BFD']) {
    it(`${a} reaches the proven optimum on ${reachCount(a)} of ${rows.length} instances, as optima.csv's ${a} and opt columns give`, () => {
      const bySet = new Map<string, [number, number]>();
      let ours = 0;
      for (const { r, inst } of insts) {
        const hit = runAlgorithm(a, inst).bins === Number(r.opt);
        expect(hit, `${a} on ${r.instance}`).toBe(Number(r[a]) === Number(r.opt));
        if (hit) ours++;
        const [h, n] = bySet.get(r.set) ?? [0, 0];
        bySet.set(r.set, [h + (hit ? 1 : 0), n + 1]);
      }
      console.log(`${a} reaches the proven optimum on ${ours} of ${insts.length}: ` + [...bySet].map(([s, [h, n]]) => `${s} ${h}/${n}`).join(', '));
      expect(ours).toBe(reachCount(a));
      expect(ours).toBeLessThan(insts.length); // heuristics: on these benchmarks they miss the optimum often
    });
  }

  it('lower bounds: L1 and Martello–Toth L2 equal the published columns and never exceed the optimum', () => {
    for (const { r, inst } of insts) {
      expect(lowerBoundL1(inst), r.instance).toBe(Number(r.L1));
      expect(lowerBoundL2(inst), r.instance).toBe(Number(r.L2_MT));
      expect(lowerBounds(inst).best, r.instance).toBeLessThanOrEqual(Number(r.opt));
    }
  });

  // How the published table was computed, read off the table itself: every class mean is a multiple of
  // 0.1 / N (N instances in the class), i.e. the authors rounded each instance's percentage to one
  // decimal (Python's round: ties to even) before averaging, then printed 3 decimals. Wäscher, whose
  // 17 instances are all here, checks it: the exact mean is 5.4525, the rounded-then-averaged one 5.441
  // as published (two instances at exactly 6.25 round to 6.2). So ours are rounded the same way, and
  // the printing adds at most 0.0005.
  const PRINTED = 0.0005 + 1e-9;
  // For the other classes we hold the even-numbered half: the mean of a half is a sample of the class
  // mean. Standard error of a mean of n drawn without replacement from N: s/√n·√(1 − n/N), s from our
  // half; we allow 4 of them (a normal approximation: a correct packer fails about 6e-5 of the time).
  // Class sizes N: BPPLIB (Delorme, Iori & Martello 2018).
  const CLASS_SIZE: Record<string, number> = { Falkenauer_T: 80, Falkenauer_U: 80, Hard28: 28, Scholl_1: 720, Scholl_2: 480, Scholl_3: 10, Waescher: 17 };
  const halfSampleSe = (xs: number[], N: number): number => (xs.length >= N ? 0 : (sd(xs) / Math.sqrt(xs.length)) * Math.sqrt(1 - xs.length / N));

  it('class averages of FFD / BFD / WFD agree with Mommessin et al. (2025): exactly on Wäscher, within 4 half-sample standard errors elsewhere', () => {
    const pub = csv(join(BASE, 'published_mommessin_1d_heuristics.csv'));
    const report: string[] = [];
    for (const [set, label] of Object.entries(PUBLISHED_CLASS)) {
      const mine = insts.filter(({ r }) => r.set === set);
      expect(mine.length).toBe(set === 'Waescher' ? CLASS_SIZE[set] : CLASS_SIZE[set] / 2);
      for (const a of ['FFD', 'BFD', 'WFD']) {
        const pcts = mine.map(({ r, inst }) => roundTenth((100 * (runAlgorithm(a, inst).bins - Number(r.opt))) / Number(r.opt)));
        const ours = mean(pcts);
        const theirs = Number(pub.find((p) => p.benchmark === label && p.algorithm === a)?.mean_pct_error_vs_opt);
        const tol = PRINTED + 4 * halfSampleSe(pcts, CLASS_SIZE[set]);
        report.push(`${label} ${a}: ours ${ours.toFixed(3)} published ${theirs.toFixed(3)} (allowed ±${tol.toFixed(4)})`);
        expect(Math.abs(ours - theirs), `${label} ${a}`).toBeLessThanOrEqual(tol);
      }
    }
    console.log(report.join('\n'));
  });

  it('FF on seeded shuffles agrees with the published (original-order) averages within 4 standard errors', () => {
    // The BPPLIB files here list weights largest first, so FF / BF in file order ARE FFD / BFD (as
    // optima.csv shows). The paper ran FF / BF on the original item order, which we do not have; we
    // take it to behave like a uniformly random order, and compare the mean over K seeded shuffles.
    // Both sides are then samples: ours (instance i, shuffle k) x_ik = μ_i + e_ik, theirs one order per
    // instance over all N. Var(ours − theirs) = S_μ²(1 − n/N)/n + σ²/(K·n) + σ²/N, with σ² the
    // within-instance variance over orders (mean of the per-instance sample variances) and S_μ² the
    // between-instance variance (sample variance of the per-instance means, less σ²/K).
    // BF is printed, not asserted: the paper's best-fit results do not behave like a textbook best fit
    // (in its vector results its BFD equals its FFD on 97% of the instances, see
    // offline-vector.test.ts), and its BF on Scholl class 1 lies 5.3 standard errors above textbook BF
    // on random orders, which this model cannot explain.
    const pub = csv(join(BASE, 'published_mommessin_1d_heuristics.csv'));
    const seeds = [1, 2, 3];
    const K = seeds.length;
    const report: string[] = [];
    for (const [set, label] of Object.entries(PUBLISHED_CLASS)) {
      const mine = insts.filter(({ r }) => r.set === set);
      const N = CLASS_SIZE[set];
      const n = mine.length;
      for (const a of ['FF', 'BF']) {
        const x = mine.map(({ r, inst }) => seeds.map((seed) => roundTenth((100 * (runAlgorithm(`${a}-Shuffle`, inst, { seed }).bins - Number(r.opt))) / Number(r.opt))));
        const ours = mean(x.flat());
        const within = mean(x.map(sampleVariance));
        const between = Math.max(0, sampleVariance(x.map(mean)) - within / K);
        const se = Math.sqrt((between * (1 - n / N)) / n + within / (K * n) + within / N);
        const theirs = Number(pub.find((p) => p.benchmark === label && p.algorithm === a)?.mean_pct_error_vs_opt);
        const tol = PRINTED + 4 * se;
        report.push(`${label} ${a}-Shuffle: ours ${ours.toFixed(3)} published ${a} ${theirs.toFixed(3)} (${a === 'FF' ? 'allowed' : 'not asserted'} ±${tol.toFixed(3)}, ${(Math.abs(ours - theirs) / se).toFixed(1)} standard errors)`);
        if (a === 'FF') expect(Math.abs(ours - theirs), `${label} ${a}`).toBeLessThanOrEqual(tol);
      }
    }
    console.log(report.join('\n'));
  });
});
