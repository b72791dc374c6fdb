import type { Rng } from '../../model/rng.js';

/**
 * How long a node stays up (time between failures) or down (time to repair): an exponential or a
 * Weibull distribution given by its mean, as failure studies state them (Schroeder & Gibson,
 * "A large-scale study of failures in high-performance computing systems", DSN'06: time between
 * failures fits a Weibull with shape 0.7–0.8 better than an exponential).
 *
 * - exponential(mean m): X = −m · ln(1 − U), U uniform in [0, 1).
 * - Weibull(shape k, scale λ): X = λ · (−ln(1 − U))^(1/k), whose mean is λ · Γ(1 + 1/k); given the
 *   mean, λ = mean / Γ(1 + 1/k). k < 1: decreasing hazard (infant mortality), k = 1: exponential.
 *
 * Times are µs; a draw is rounded to whole µs and at least 1 µs (a node cannot fail and return
 * at the same instant).
 */
export interface Lifetime {
  kind: 'exponential' | 'weibull';
  /** Mean, µs. */
  mean: number;
  /** Weibull shape k (1 for the exponential). */
  shape: number;
  /** Weibull scale λ, µs (the mean for the exponential). */
  scale: number;
}

export function exponentialLifetime(mean: number): Lifetime {
  return { kind: 'exponential', mean, shape: 1, scale: mean };
}

/** The Weibull of shape k whose mean is `mean`: scale = mean / Γ(1 + 1/k). */
export function weibullLifetime(mean: number, shape: number): Lifetime {
  return { kind: 'weibull', mean, shape, scale: weibullScale(mean, shape) };
}

/** λ = mean / Γ(1 + 1/k). */
export function weibullScale(mean: number, shape: number): number {
  return mean / gammaFunction(1 + 1 / shape);
}

/** One draw, whole µs ≥ 1. */
export function drawLifetime(l: Lifetime, rng: Rng): number {
  const e = -Math.log(1 - rng.next()); // standard exponential
  const x = l.kind === 'exponential' ? l.mean * e : l.scale * Math.pow(e, 1 / l.shape);
  return Math.max(1, Math.round(x));
}

/** For the settings line: `exponential(mean 720h)`, `weibull(shape 0.7, scale 568.7h, mean 720h)`. */
export function describeLifetime(l: Lifetime): string {
  const h = (us: number): string => `${Number((us / 3.6e9).toPrecision(4))}h`;
  return l.kind === 'exponential' ? `exponential(mean ${h(l.mean)})` : `weibull(shape ${l.shape}, scale ${h(l.scale)}, mean ${h(l.mean)})`;
}

// Lanczos approximation of Γ (g = 7, 9 coefficients; relative error about 1e-15 for x > 0), with
// the reflection formula Γ(x)Γ(1 − x) = π / sin(πx) below 1/2.
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** Γ(x) for real x (not a non-positive integer). */
export function gammaFunction(x: number): number {
  if (x < 0.5) return Math.PI / (Math.sin(Math.PI * x) * gammaFunction(1 - x));
  const z = x - 1;
  let a = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) a += LANCZOS[i] / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return Math.sqrt(2 * Math.PI) * Math.pow(t, z + 0.5) * Math.exp(-t) * a;
}
