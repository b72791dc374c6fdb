import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../model/rng.js';
import type { UsageSeriesSet } from '../model/usage-series.js';
import { decomposeSeries } from '../workloads/usage/series-decomposition.js';
import { generateSyntheticUsage, lognormalCvForSkew, synthesizeDay, SyntheticUsageGenerator } from '../workloads/usage/synthetic-usage.js';
import { fitUsageProcess } from '../workloads/usage/fit-usage-process.js';
import { USAGE_PROCESS_FITS } from '../workloads/usage/usage-process-fit.js';
import { readGcdLibrary } from '../workloads/usage/gcd-library.js';
import { readPlanetLabLibrary } from '../workloads/usage/planetlab-library.js';
import { median, seriesStatistics, statisticsOf } from '../workloads/usage/series-statistics.js';
import { ksTwoSample } from '../workloads/synthetic/ks-two-sample.js';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const DATA = path.resolve(ROOT, '..', 'shared', 'data', 'usage');
const present = existsSync(path.join(DATA, 'google-2011-jobs', 'GCD_VMs')) && existsSync(path.join(DATA, 'planetlab', 'planetlab.tar.gz'));
if (!present) console.warn(`usage process fit and calibration tests skipped: ${DATA} is absent (see ../shared/data/README.md)`);

const R = { names: ['cpu', 'memory', 'gpu'], units: ['millicores', 'bytes', 'milli-gpu'] };

describe('series decomposition', () => {
  it('recovers the daily harmonic, a burst and a flat noise-free level', () => {
    const n = 288;
    const x = new Float64Array(n);
    for (let t = 0; t < n; t++) x[t] = 0.2 * (1 + 0.3 * Math.cos((2 * Math.PI * t) / n - 1));
    const c = decomposeSeries(x);
    expect(c.mean).toBeCloseTo(0.2, 12);
    expect(c.amplitude).toBeCloseTo(0.3, 9);
    expect(c.phase).toBeCloseTo(1, 9);
    expect(c.noiseSd).toBeLessThan(1e-9);
    expect(c.burstRate).toBe(0);
    // A flat series with one spike of +50 %: a one-point burst.
    const y = new Float64Array(n).fill(0.1);
    y[40] = 0.15;
    const d = decomposeSeries(y);
    expect(d.burstRate).toBeCloseTo(1 / n, 12);
    expect(d.burstLength).toBe(1);
    expect(d.burstHeight).toBeGreaterThan(0.45);
    expect(d.burstHeightCv).toBe(0);
  });

  it('lognormalCvForSkew solves the lognormal skewness (v² + 3)·v = γ', () => {
    for (const g of [0.1, 0.5, 1.59, 4]) {
      const v = lognormalCvForSkew(g);
      expect((v * v + 3) * v).toBeCloseTo(g, 10);
    }
    expect(lognormalCvForSkew(0)).toBe(0);
    expect(lognormalCvForSkew(-1)).toBe(0);
  });
});

describe('synthetic usage process (fitted numbers in code, no data needed)', () => {
  it('is deterministic per seed, one-day cyclic series on the 300-s grid, NaN on dimensions without a fit', () => {
    const a = generateSyntheticUsage({ profile: 'gcd', seed: 1, resources: R, count: 1024 });
    const b = generateSyntheticUsage({ profile: 'gcd', seed: 1, resources: R, count: 1024 });
    const c = generateSyntheticUsage({ profile: 'gcd', seed: 2, resources: R, count: 1024 });
    expect(a.count).toBe(1024);
    expect(a.step).toBe(300e6);
    expect(a.cyclic).toBe(true);
    expect(a.offsets[1024]).toBe(1024 * 288);
    expect(Buffer.from(a.values.buffer).equals(Buffer.from(b.values.buffer))).toBe(true);
    expect(Buffer.from(a.values.buffer).equals(Buffer.from(c.values.buffer))).toBe(false);
    for (let p = 0; p < 288 * 1024; p += 97) expect(a.values[p * 3 + 2]).toBeNaN();
    const pl = generateSyntheticUsage({ profile: 'planetlab', seed: 1, resources: R, count: 1024 });
    for (let p = 0; p < 288 * 1024; p += 97) expect(pl.values[p * 3 + 1]).toBeNaN();
  });

  it('makes series on demand, each from its own stream: one series alone equals the same series of the whole set', () => {
    const all = generateSyntheticUsage({ profile: 'gcd', seed: 5, resources: R, count: 256 });
    const lazy = new SyntheticUsageGenerator({ profile: 'gcd', seed: 5, resources: R, count: 256 });
    lazy.ensure(200);
    lazy.ensure(3);
    const slice = (v: Float32Array, s: number) => Buffer.from(v.buffer, s * 288 * 3 * 4, 288 * 3 * 4);
    expect(slice(lazy.set.values, 200).equals(slice(all.values, 200))).toBe(true);
    expect(slice(lazy.set.values, 3).equals(slice(all.values, 3))).toBe(true);
    // Not made yet: unknown.
    expect(lazy.set.values[100 * 288 * 3]).toBeNaN();
  });

  it('memory grows past 1 (the library reaches 1.27) and CPU values are never negative; PlanetLab stays within a VM (≤ 1)', () => {
    const g = generateSyntheticUsage({ profile: 'gcd', seed: 4, resources: R });
    let memAbove1 = 0;
    let cpuAbove1 = 0;
    let negative = 0;
    for (let p = 0; p < g.offsets[g.count]; p++) {
      if (g.values[p * 3 + 1] > 1) memAbove1++;
      if (g.values[p * 3] > 1) cpuAbove1++;
      if (g.values[p * 3] < 0 || g.values[p * 3 + 1] < 0) negative++;
    }
    expect(memAbove1).toBeGreaterThan(0);
    expect(cpuAbove1 + memAbove1).toBeGreaterThan(0);
    expect(negative).toBe(0);
    const pl = generateSyntheticUsage({ profile: 'planetlab', seed: 4, resources: R });
    let max = 0;
    for (let p = 0; p < pl.offsets[pl.count]; p++) max = Math.max(max, pl.values[p * 3]);
    expect(max).toBeLessThanOrEqual(1);
    expect(max).toBeGreaterThan(0.9);
  });

  it('a day has the drawn mean exactly, and its components come back from the decomposition', () => {
    const rng = new Rng(9);
    const c = { mean: 0.3, amplitude: 0.2, phase: 0.5, noiseSd: 0.05, noiseLag1: 0.8, noiseSkew: 0.3, burstRate: 0, burstLength: 0, burstHeight: 0, burstHeightCv: 0 };
    const x = new Float64Array(288);
    synthesizeDay(c, rng, x);
    const [mean] = statisticsOf(x, 0, 288, 1, 0);
    expect(mean).toBeCloseTo(0.3, 12);
    const back = decomposeSeries(x);
    expect(back.amplitude).toBeCloseTo(0.2, 2);
    expect(back.phase).toBeCloseTo(0.5, 1);
    expect(back.noiseSd).toBeGreaterThan(0.04);
    expect(back.noiseSd).toBeLessThan(0.06);
    expect(back.noiseLag1).toBeGreaterThan(0.6);
  });
});

function statsOf(set: UsageSeriesSet, d: number): Record<'mean' | 'cv' | 'lag1' | 'peakToMean', number[]> {
  const s = seriesStatistics(set, d);
  const clean = (v: Float64Array): number[] => Array.from(v).filter((x) => !Number.isNaN(x));
  return { mean: clean(s.mean), cv: clean(s.cv), lag1: clean(s.lag1), peakToMean: clean(s.peakToMean) };
}

describe.skipIf(!present)('usage process fit and calibration on the library (../shared/data/usage)', () => {
  it('the pasted fit (usage-process-fit.ts) is what fitUsageProcess gives on the library (5 significant digits)', async () => {
    const gcd = await readGcdLibrary(DATA, R);
    const pl = await readPlanetLabLibrary(DATA, R);
    const refits = [fitUsageProcess('gcd', gcd, R, ['cpu', 'memory']), fitUsageProcess('planetlab', pl, R, ['cpu'], 1)];
    for (const refit of refits) {
      const pasted = USAGE_PROCESS_FITS[refit.profile];
      expect(pasted.seriesCount).toBe(refit.seriesCount);
      expect(pasted.points).toBe(refit.points);
      expect(pasted.resources).toEqual(refit.resources);
      expect(pasted.ceiling).toBe(refit.ceiling);
      expect(pasted.marginals.length).toBe(refit.marginals.length);
      refit.marginals.forEach((m, i) => {
        expect(pasted.marginals[i].p).toEqual(m.p);
        m.v.forEach((v, j) => expect(Math.abs(pasted.marginals[i].v[j] - v)).toBeLessThanOrEqual(1e-4 * Math.abs(v) + 1e-12));
      });
      refit.correlation.forEach((row, i) => row.forEach((r, j) => expect(Math.abs(pasted.correlation[i][j] - r)).toBeLessThanOrEqual(5.1e-5)));
    }
  });

  /**
   * Calibration (issue 10): per-series mean, CV, lag-1 autocorrelation and peak/mean of a synthetic
   * set (4,096 series, seed 1) against the library's. Statistic 1: the ratio of medians, within
   * 10 % (lag-1: the difference, within 0.05, as PlanetLab's is near 0 and a ratio means nothing
   * there). Statistic 2: the two-sample Kolmogorov–Smirnov distance between the per-series values,
   * at most 0.10 for GCD and 0.12 for PlanetLab. Known gap: PlanetLab's CV median comes out 8–11 %
   * low (seeds 1–3; the Gaussian copula loses part of the joint spread), so that bound is 15 %;
   * see the README, "Usage over time".
   */
  const cases: Array<[string, number, string]> = [
    ['gcd', 0, 'CPU'],
    ['gcd', 1, 'memory'],
    ['planetlab', 0, 'CPU'],
  ];
  for (const [profile, d, what] of cases) {
    it(`synthetic ${profile} ${what} agrees with the library: medians within 10 % (lag-1 ± 0.05), KS below the bound`, async () => {
      const lib = profile === 'gcd' ? await readGcdLibrary(DATA, R) : await readPlanetLabLibrary(DATA, R);
      const syn = generateSyntheticUsage({ profile, seed: 1, resources: R });
      const a = statsOf(lib, d);
      const b = statsOf(syn, d);
      const ksBound = profile === 'gcd' ? 0.1 : 0.12;
      for (const k of ['mean', 'cv', 'lag1', 'peakToMean'] as const) {
        const ml = median(a[k]);
        const ms = median(b[k]);
        if (k === 'lag1') expect(Math.abs(ms - ml), `${k} medians ${ms} vs ${ml}`).toBeLessThanOrEqual(0.05);
        else expect(Math.abs(ms / ml - 1), `${k} medians ${ms} vs ${ml}`).toBeLessThanOrEqual(profile === 'planetlab' && k === 'cv' ? 0.15 : 0.1);
        expect(ksTwoSample(a[k], b[k]), `${k} KS`).toBeLessThanOrEqual(ksBound);
      }
    });
  }
});
