import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lowerBoundL1, lowerBoundL2, lowerBounds } from '../algorithms/offline/lower-bounds.js';
import { runAlgorithm } from '../algorithms/offline/registry.js';
import { validatePacking } from '../algorithms/offline/instance.js';
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

  it('class averages of FFD / BFD / WFD agree with Mommessin et al. (2025) within 0.5 percentage points', () => {
    // published_mommessin_1d_heuristics.csv: mean_pct_error_vs_opt = mean over the class of
    // 100 * (bins - OPT) / OPT. Our copy holds the even-numbered instances of each class (all of
    // Waescher), the paper averaged over every instance, so the class averages are samples of
    // theirs: measured differences are at most 0.42 points (Scholl 3, 5 of 10 instances).
    const pub = csv(join(BASE, 'published_mommessin_1d_heuristics.csv'));
    const report: string[] = [];
    for (const [set, label] of Object.entries(PUBLISHED_CLASS)) {
      const mine = insts.filter(({ r }) => r.set === set);
      for (const a of ['FFD', 'BFD', 'WFD']) {
        const ours = mean(mine.map(({ r, inst }) => (100 * (runAlgorithm(a, inst).bins - Number(r.opt))) / Number(r.opt)));
        const theirs = Number(pub.find((p) => p.benchmark === label && p.algorithm === a)?.mean_pct_error_vs_opt);
        report.push(`${label} ${a}: ours ${ours.toFixed(3)} published ${theirs.toFixed(3)}`);
        expect(Math.abs(ours - theirs), `${label} ${a}`).toBeLessThanOrEqual(0.5);
      }
    }
    console.log(report.join('\n'));
  });

  it('FF / BF on seeded shuffles agree with the published (unsorted-order) averages within 1 point', () => {
    // The BPPLIB files here list weights largest first, so FF / BF in file order ARE FFD / BFD (as
    // optima.csv shows). The paper ran FF / BF on the original, unsorted item order. We compare the
    // mean over 3 seeded shuffles instead; the order is random, not theirs, so the tolerance is
    // 1 percentage point (measured: at most 0.60, Hard 28 BF).
    const pub = csv(join(BASE, 'published_mommessin_1d_heuristics.csv'));
    const report: string[] = [];
    for (const [set, label] of Object.entries(PUBLISHED_CLASS)) {
      const mine = insts.filter(({ r }) => r.set === set);
      for (const a of ['FF', 'BF']) {
        const vals: number[] = [];
        for (const seed of [1, 2, 3]) {
          for (const { r, inst } of mine) vals.push((100 * (runAlgorithm(`${a}-Shuffle`, inst, { seed }).bins - Number(r.opt))) / Number(r.opt));
        }
        const ours = mean(vals);
        const theirs = Number(pub.find((p) => p.benchmark === label && p.algorithm === a)?.mean_pct_error_vs_opt);
        report.push(`${label} ${a}-Shuffle: ours ${ours.toFixed(3)} published ${a} ${theirs.toFixed(3)}`);
        expect(Math.abs(ours - theirs), `${label} ${a}`).toBeLessThanOrEqual(1);
      }
    }
    console.log(report.join('\n'));
  });
});
