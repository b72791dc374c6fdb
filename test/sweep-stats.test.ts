import { describe, expect, it } from 'vitest';
import { studentTCdf, studentTQuantile, regularizedIncompleteBeta } from '../harness/sweep/student-t.js';
import { meanInterval } from '../harness/sweep/confidence-interval.js';
import { Rng } from '../model/rng.js';

describe('Student t quantiles', () => {
  it('match the published two-sided 95% table (t_{0.975, df}, e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2)', () => {
    const table: Array<[number, number]> = [
      [1, 12.706],
      [2, 4.303],
      [3, 3.182],
      [4, 2.776],
      [5, 2.571],
      [9, 2.262],
      [10, 2.228],
      [19, 2.093],
      [30, 2.042],
      [100, 1.984],
    ];
    for (const [df, t] of table) expect(studentTQuantile(0.975, df), `df ${df}`).toBeCloseTo(t, 3);
  });

  it('other levels and the normal limit: t_{0.95,10} = 1.812, t_{0.995,5} = 4.032, large df → probit(0.975) = 1.95996', () => {
    expect(studentTQuantile(0.95, 10)).toBeCloseTo(1.812, 3);
    expect(studentTQuantile(0.995, 5)).toBeCloseTo(4.032, 3);
    expect(studentTQuantile(0.975, 1e7)).toBeCloseTo(1.959964, 4);
  });

  it('df = 1 is the Cauchy distribution: quantile tan(π(p − ½)) exactly', () => {
    for (const p of [0.6, 0.75, 0.9, 0.99]) expect(studentTQuantile(p, 1)).toBeCloseTo(Math.tan(Math.PI * (p - 0.5)), 8);
    // df = 2 has the closed form t = (2p − 1)·sqrt(2 / (4p(1 − p))).
    for (const p of [0.6, 0.9, 0.975]) expect(studentTQuantile(p, 2)).toBeCloseTo((2 * p - 1) * Math.sqrt(2 / (4 * p * (1 - p))), 8);
  });

  it('the CDF is symmetric, monotone and inverts the quantile', () => {
    for (const df of [1, 3, 7.5, 40]) {
      expect(studentTCdf(0, df)).toBeCloseTo(0.5, 12);
      let prev = 0;
      for (let t = -10; t <= 10; t += 0.5) {
        const c = studentTCdf(t, df);
        expect(c).toBeGreaterThan(prev);
        expect(c + studentTCdf(-t, df)).toBeCloseTo(1, 12);
        prev = c;
      }
      for (const p of [0.01, 0.3, 0.8, 0.999]) expect(studentTCdf(studentTQuantile(p, df), df)).toBeCloseTo(p, 10);
    }
  });

  it('the incomplete beta has its closed forms: I_x(1, 1) = x, I_x(a, 1) = x^a', () => {
    for (const x of [0.1, 0.5, 0.93]) {
      expect(regularizedIncompleteBeta(x, 1, 1)).toBeCloseTo(x, 12);
      expect(regularizedIncompleteBeta(x, 3.5, 1)).toBeCloseTo(x ** 3.5, 12);
    }
  });

  it('rejects p outside (0, 1) and df ≤ 0', () => {
    expect(() => studentTQuantile(1, 3)).toThrow(RangeError);
    expect(() => studentTQuantile(0.9, 0)).toThrow(RangeError);
  });
});

describe('meanInterval', () => {
  it('a hand-computed sample: 1..5 has mean 3, s = √2.5, half-width t_{0.975,4}·s/√5', () => {
    const ci = meanInterval([1, 2, 3, 4, 5]);
    const half = (2.776445 * Math.sqrt(2.5)) / Math.sqrt(5);
    expect(ci.n).toBe(5);
    expect(ci.mean).toBe(3);
    expect(ci.sd).toBeCloseTo(Math.sqrt(2.5), 12);
    expect(ci.low).toBeCloseTo(3 - half, 5);
    expect(ci.high).toBeCloseTo(3 + half, 5);
  });

  it('one value has a mean but no interval; equal values a zero-width one; NaN is refused', () => {
    expect(meanInterval([7])).toEqual({ n: 1, mean: 7, sd: null, low: null, high: null });
    const same = meanInterval([2, 2, 2]);
    expect(same.low).toBe(2);
    expect(same.high).toBe(2);
    expect(() => meanInterval([1, NaN])).toThrow(RangeError);
    expect(() => meanInterval([])).toThrow(RangeError);
  });

  it('covers the true mean of normal samples about 95% of the time with 5 seeds (the normal 1.96 would give ~88%)', () => {
    const rng = new Rng(11);
    const trials = 4000;
    let covered = 0;
    for (let k = 0; k < trials; k++) {
      const xs = Array.from({ length: 5 }, () => 10 + 3 * rng.normal());
      const ci = meanInterval(xs);
      if (ci.low! <= 10 && 10 <= ci.high!) covered++;
    }
    // Binomial sd at 95 % over 4000 trials is 0.34 %: ±1.2 % is over three of them.
    expect(covered / trials).toBeGreaterThan(0.938);
    expect(covered / trials).toBeLessThan(0.962);
  });
});
