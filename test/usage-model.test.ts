import { describe, expect, it } from 'vitest';
import { errorFunction, mean, sampleCorrelation, sampleVariance } from 'simple-statistics';
import { usageFactor } from '../harness/usage-model.js';
import { hash3 } from '../model/hash.js';
import { Rng } from '../model/rng.js';

/**
 * harness/usage-model.ts: a task's usage factor is max(0, 1 + cv · z) with z a standard normal
 * drawn from a hash of (seed, task, sample). Checked by what that promises: flat at 1 without a
 * variation, z standard normal (mean, variance, tail probabilities), the clamp at 0, and draws
 * independent across samples, tasks and seeds. Statistical bounds are 4 standard errors of the
 * sample size used; the draws are fixed by their inputs, so the outcome never varies between runs.
 */
const N = 40_000;
const phi = (x: number) => 0.5 * (1 + errorFunction(x / Math.SQRT2));
/** 4 standard errors of a proportion p estimated from n draws. */
const pTol = (p: number, n: number) => 4 * Math.sqrt((p * (1 - p)) / n);

/** z implied by the factor, for cv small enough that the clamp (z < -1/cv) practically never binds. */
function zs(seed: number, cv: number, at: (i: number) => [task: number, sample: number]): number[] {
  return Array.from({ length: N }, (_, i) => (usageFactor(seed, ...at(i), cv) - 1) / cv);
}

describe('usageFactor', () => {
  it('is exactly 1 when the variation is 0 or unknown', () => {
    for (const [seed, task, sample] of [[1, 0, 0], [7, 123, 45], [2 ** 31, 99999, 3]]) {
      expect(usageFactor(seed, task, sample, 0)).toBe(1);
      expect(usageFactor(seed, task, sample, Number.NaN)).toBe(1);
    }
  });

  it('is a pure function of (seed, task, sample, cv)', () => {
    expect(usageFactor(3, 17, 5, 0.3)).toBe(usageFactor(3, 17, 5, 0.3));
    expect(usageFactor(3, 17, 5, 0.3)).not.toBe(usageFactor(4, 17, 5, 0.3));
    expect(usageFactor(3, 17, 5, 0.3)).not.toBe(usageFactor(3, 18, 5, 0.3));
    expect(usageFactor(3, 17, 5, 0.3)).not.toBe(usageFactor(3, 17, 6, 0.3));
  });

  it('draws z from a standard normal: mean, variance and tail probabilities', () => {
    const z = zs(11, 0.2, (i) => [i, 0]);
    expect(Math.abs(mean(z))).toBeLessThan(4 / Math.sqrt(N));
    expect(Math.abs(sampleVariance(z) - 1)).toBeLessThan(4 * Math.sqrt(2 / N));
    for (const x of [-2, -1, -0.3, 0, 0.5, 1.5]) {
      const below = z.filter((v) => v <= x).length / N;
      expect(Math.abs(below - phi(x))).toBeLessThan(pTol(phi(x), N));
    }
  });

  it('clamps at 0: with cv 2 the factor is 0 with probability Φ(−1/2) and never negative', () => {
    const f = Array.from({ length: N }, (_, i) => usageFactor(5, i, 3, 2));
    expect(Math.min(...f)).toBe(0);
    const zeros = f.filter((v) => v === 0).length / N;
    expect(Math.abs(zeros - phi(-0.5))).toBeLessThan(pTol(phi(-0.5), N));
    // Above the clamp the factor is 1 + 2z: half of the draws lie above 1.
    const above = f.filter((v) => v > 1).length / N;
    expect(Math.abs(above - 0.5)).toBeLessThan(pTol(0.5, N));
  });

  it('draws independently across samples, tasks and seeds (also in magnitude)', () => {
    const tol = 4 / Math.sqrt(N);
    const pairs: Array<[number[], number[]]> = [
      [zs(1, 0.2, (i) => [i, 0]), zs(1, 0.2, (i) => [i, 1])],
      [zs(1, 0.2, (i) => [7, 2 * i]), zs(1, 0.2, (i) => [7, 2 * i + 1])],
      [zs(1, 0.2, (i) => [2 * i, 4]), zs(1, 0.2, (i) => [2 * i + 1, 4])],
      [zs(1, 0.2, (i) => [i, 9]), zs(2, 0.2, (i) => [i, 9])],
    ];
    for (const [x, y] of pairs) {
      expect(Math.abs(sampleCorrelation(x, y))).toBeLessThan(tol);
      expect(Math.abs(sampleCorrelation(x.map(Math.abs), y.map(Math.abs)))).toBeLessThan(tol);
    }
  });
});

describe('hash3', () => {
  const rng = new Rng(2024);
  const inputs = Array.from({ length: 4096 }, () => [rng.nextU32() | 0, rng.int(1 << 30), rng.int(1 << 20)] as const);

  it('returns unsigned 32-bit integers, each bit set half the time', () => {
    const ones = new Array(32).fill(0);
    for (const [a, b, c] of inputs) {
      const h = hash3(a, b, c);
      expect(Number.isInteger(h) && h >= 0 && h < 2 ** 32).toBe(true);
      for (let bit = 0; bit < 32; bit++) ones[bit] += (h >>> bit) & 1;
    }
    for (const k of ones) expect(Math.abs(k / inputs.length - 0.5)).toBeLessThan(pTol(0.5, inputs.length));
  });

  it('avalanches: flipping one input bit flips about half the output bits', () => {
    let flipped = 0;
    let trials = 0;
    for (const [a, b, c] of inputs.slice(0, 512)) {
      const h = hash3(a, b, c);
      for (let bit = 0; bit < 20; bit++) {
        for (const g of [hash3(a ^ (1 << bit), b, c), hash3(a, b ^ (1 << bit), c), hash3(a, b, c ^ (1 << bit))]) {
          let x = (h ^ g) >>> 0;
          while (x) {
            flipped += x & 1;
            x >>>= 1;
          }
          trials++;
        }
      }
    }
    // Each of 32 bits flipping with probability 1/2: mean 16, standard error sqrt(8 / trials).
    expect(Math.abs(flipped / trials - 16)).toBeLessThan(4 * Math.sqrt(8 / trials));
  });
});
