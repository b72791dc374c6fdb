/**
 * One usage series split into the components of the synthetic process (synthetic-usage.ts):
 *
 *   x_t = m · (1 + A·cos(2π t / n − φ) + σ·z_t + b_t),   t = 0 .. n−1 (n points = one day)
 *
 * with m the mean, A and φ the amplitude (relative to the mean) and phase of the daily cycle, z_t a
 * stationary noise of unit variance, skewness γ and lag-1 autocorrelation ρ, and b_t bursts: at a rate π
 * of points, in episodes of mean length L points, jumps of mean height h (relative to the mean)
 * and coefficient of variation v.
 *
 * Estimation, per series, in this order:
 * - m: the sample mean;
 * - A, φ: the first Fourier harmonic of the day (period n): a = (2/n)Σ x_t cos(2πt/n),
 *   b = (2/n)Σ x_t sin(2πt/n), A = √(a²+b²)/m, φ = atan2(b, a);
 * - bursts: the residual r_t = x_t/m − 1 − A cos(2πt/n − φ); its robust scale s = 1.4826·MAD
 *   (the normal-consistent median absolute deviation) and median c; a point is a burst when
 *   r_t − c > BURST_THRESHOLD·s, with a zero-MAD series (more than half its points equal) also
 *   requiring a jump above BURST_FLOOR of the mean. π = burst points / n, L = burst points / runs
 *   of consecutive burst points, h and v = mean and population CV of (r_t − c) over them (L = h =
 *   v = 0 when none);
 * - σ, ρ, γ: population sd, lag-1 autocorrelation (the estimator of series-statistics.ts) and
 *   population skewness Σ(r_t − r̄)³ / (n σ³) of the residual with burst points replaced by the
 *   median c.
 * A zero-mean series has A = σ = π = h = 0 and ρ = 0.
 */
export interface SeriesComponents {
  mean: number;
  amplitude: number;
  phase: number;
  noiseSd: number;
  noiseLag1: number;
  noiseSkew: number;
  burstRate: number;
  burstLength: number;
  burstHeight: number;
  burstHeightCv: number;
}

/** Bursts are residuals more than this many robust sds above the residual's median (p ≈ 0.0013 for a Gaussian). */
export const BURST_THRESHOLD = 3;
/** With a zero robust scale, a burst must also jump by more than this fraction of the mean. */
export const BURST_FLOOR = 0.05;

export function decomposeSeries(x: ArrayLike<number>): SeriesComponents {
  const n = x.length;
  let sum = 0;
  for (let t = 0; t < n; t++) sum += x[t];
  const m = sum / n;
  if (!(m > 0)) return { mean: m > 0 ? m : 0, amplitude: 0, phase: 0, noiseSd: 0, noiseLag1: 0, noiseSkew: 0, burstRate: 0, burstLength: 0, burstHeight: 0, burstHeightCv: 0 };
  let a = 0;
  let b = 0;
  for (let t = 0; t < n; t++) {
    const w = (2 * Math.PI * t) / n;
    a += x[t] * Math.cos(w);
    b += x[t] * Math.sin(w);
  }
  a = (2 / n) * a;
  b = (2 / n) * b;
  const amplitude = Math.sqrt(a * a + b * b) / m;
  const phase = Math.atan2(b, a);
  const r = new Float64Array(n);
  for (let t = 0; t < n; t++) r[t] = x[t] / m - 1 - amplitude * Math.cos((2 * Math.PI * t) / n - phase);
  const c = medianOf(r);
  const dev = r.map((v) => Math.abs(v - c));
  const s = 1.4826 * medianOf(dev);
  const cut = Math.max(BURST_THRESHOLD * s, s > 0 ? 0 : BURST_FLOOR);
  let bursts = 0;
  let runs = 0;
  let heights = 0;
  let squares = 0;
  let previous = false;
  for (let t = 0; t < n; t++) {
    const burst = r[t] - c > cut;
    if (burst && !previous) runs++;
    previous = burst;
    if (burst) {
      bursts++;
      heights += r[t] - c;
      squares += (r[t] - c) ** 2;
      r[t] = c;
    }
  }
  let rs = 0;
  for (let t = 0; t < n; t++) rs += r[t];
  const rm = rs / n;
  let ss = 0;
  let cube = 0;
  let cross = 0;
  for (let t = 0; t < n; t++) {
    const e = r[t] - rm;
    ss += e * e;
    cube += e * e * e;
    if (t + 1 < n) cross += e * (r[t + 1] - rm);
  }
  const sd = Math.sqrt(ss / n);
  return {
    mean: m,
    amplitude,
    phase,
    noiseSd: sd,
    noiseLag1: ss > 0 ? cross / ss : 0,
    noiseSkew: sd > 0 ? cube / n / (sd * sd * sd) : 0,
    burstRate: bursts / n,
    burstLength: runs > 0 ? bursts / runs : 0,
    burstHeight: bursts > 0 ? heights / bursts : 0,
    burstHeightCv: bursts > 0 ? Math.sqrt(Math.max(0, squares / bursts - (heights / bursts) ** 2)) / (heights / bursts) : 0,
  };
}

function medianOf(v: Float64Array): number {
  const s = Float64Array.from(v).sort();
  const k = s.length >> 1;
  return s.length % 2 ? s[k] : (s[k - 1] + s[k]) / 2;
}
