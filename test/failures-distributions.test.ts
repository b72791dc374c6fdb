import { describe, expect, it } from 'vitest';
import { Rng } from '../model/rng.js';
import { drawLifetime, exponentialLifetime, gammaFunction, weibullLifetime, weibullScale } from '../harness/failures/lifetime-distribution.js';

const HOUR = 3.6e9;

describe('Γ (Lanczos)', () => {
  it('matches factorials, Γ(1/2) = √π and the recurrence Γ(x+1) = xΓ(x)', () => {
    expect(gammaFunction(1)).toBeCloseTo(1, 12);
    expect(gammaFunction(5)).toBeCloseTo(24, 9);
    expect(gammaFunction(11)).toBeCloseTo(3628800, 3);
    expect(gammaFunction(0.5)).toBeCloseTo(Math.sqrt(Math.PI), 12);
    expect(gammaFunction(0.25)).toBeCloseTo(3.625609908221908, 10); // Γ(1/4), tabulated
    for (const x of [0.3, 1.7, 2.428571, 4.2]) expect(gammaFunction(x + 1) / (x * gammaFunction(x))).toBeCloseTo(1, 12);
  });
});

describe('Weibull scale from the mean', () => {
  it('scale = mean / Γ(1 + 1/k): shape 1 is the exponential, shape 0.5 halves the mean (Γ(3) = 2), shape 2 divides by √π/2', () => {
    expect(weibullScale(720 * HOUR, 1)).toBeCloseTo(720 * HOUR, 0);
    expect(weibullScale(720 * HOUR, 0.5)).toBeCloseTo(360 * HOUR, 0);
    expect(weibullScale(10, 2) / (10 / (Math.sqrt(Math.PI) / 2))).toBeCloseTo(1, 12);
  });
});

/** Sample mean and the fraction of draws at or below `q`. */
function sample(draw: () => number, n: number, q: number): { mean: number; below: number } {
  let sum = 0;
  let below = 0;
  for (let i = 0; i < n; i++) {
    const x = draw();
    sum += x;
    if (x <= q) below++;
  }
  return { mean: sum / n, below: below / n };
}

describe('seeded draws (statistical: 40,000 draws, tolerances ≥ 4 standard errors)', () => {
  const N = 40_000;

  it('exponential: mean within 2% of 720 h (SE 0.5%), P(X ≤ mean·ln2) = 1/2 within 0.01', () => {
    const l = exponentialLifetime(720 * HOUR);
    const rng = new Rng(7);
    const s = sample(() => drawLifetime(l, rng), N, 720 * HOUR * Math.LN2);
    expect(Math.abs(s.mean / (720 * HOUR) - 1)).toBeLessThan(0.02);
    expect(Math.abs(s.below - 0.5)).toBeLessThan(0.01);
  });

  it('Weibull shape 0.7: mean within 3% of 720 h (CV 1.46, SE 0.7%), median at scale·(ln 2)^(1/k)', () => {
    const l = weibullLifetime(720 * HOUR, 0.7);
    const rng = new Rng(11);
    const median = l.scale * Math.pow(Math.LN2, 1 / 0.7);
    const s = sample(() => drawLifetime(l, rng), N, median);
    expect(Math.abs(s.mean / (720 * HOUR) - 1)).toBeLessThan(0.03);
    expect(Math.abs(s.below - 0.5)).toBeLessThan(0.01);
    // The shape matters: an exponential of the same mean has its median at mean·ln2, far from this one.
    expect(Math.abs(median - 720 * HOUR * Math.LN2) / (720 * HOUR)).toBeGreaterThan(0.1);
  });

  it('same seed, same draws; draws are whole µs, at least 1', () => {
    const l = weibullLifetime(2 * HOUR, 1.5);
    const a = new Rng(3);
    const b = new Rng(3);
    for (let i = 0; i < 100; i++) {
      const x = drawLifetime(l, a);
      expect(x).toBe(drawLifetime(l, b));
      expect(Number.isInteger(x) && x >= 1).toBe(true);
    }
    expect(drawLifetime(exponentialLifetime(1e-9), new Rng(1))).toBe(1);
  });
});
