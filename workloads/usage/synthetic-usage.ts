import { Rng } from '../../model/rng.js';
import { hash3 } from '../../model/hash.js';
import type { ResourceSchema } from '../../model/resources.js';
import type { UsageSeriesSet } from '../../model/usage-series.js';
import { choleskyShrunk } from '../synthetic/copula.js';
import { normalCdf } from '../synthetic/normal.js';
import { sampleQuantileTable } from '../synthetic/quantile-table.js';
import type { SeriesComponents } from './series-decomposition.js';
import { COMPONENTS, LOG_SCALE_COMPONENTS, type UsageProcessFit } from './usage-process-model.js';
import { USAGE_PROCESS_FITS } from './usage-process-fit.js';

/** Default series count of a synthetic set (the issue asks for at least 1,024). */
export const SYNTHETIC_SERIES = 4096;
/** Grid of the synthetic series: 5-minute points, as the library. */
export const SYNTHETIC_STEP_US = 300e6;

export interface SyntheticUsageOptions {
  /** 'gcd' or 'planetlab' (USAGE_PROCESS_FITS), or a fit of one's own. */
  profile: string | UsageProcessFit;
  seed: number;
  /** The workload's resources: the profile's resources are found by name, the others are NaN. */
  resources: ResourceSchema;
  /** Series count (default SYNTHETIC_SERIES). */
  count?: number;
}

/**
 * A seeded synthetic usage process calibrated on the usage library (issue 10): the inverse of
 * series-decomposition.ts. Per series, the ten components are drawn jointly from the profile's
 * fitted distributions (fit-usage-process.ts: quantile-table marginals tied by a Gaussian
 * copula; the burst shape only counts when the drawn burst rate is above 0); then per resource,
 * over the day's n points,
 *
 *   y_t = 1 + A·cos(2π t / n − φ) + [λ·e_t + b_t],   x_t = m · max(0, y_t) / mean_t(max(0, y_t))  (capped at the profile's ceiling)
 *
 * where [·] is its argument cleared of its sample mean and first daily harmonic:
 *
 * - e_t: noise of mean 0, sd σ, skewness γ and lag-1 autocorrelation ρ, a shifted lognormal
 *   (three-parameter lognormal) e_t = ±σ (exp(s z_t − s²/2) − 1) / v, where v = √(e^{s²} − 1) is
 *   the root of v³ + 3v = |γ| (the lognormal's skewness (e^{s²} + 2)·v), the sign that of γ
 *   (Gaussian σ z_t when γ = 0). Usage noise is skewed (it cannot take more than the level
 *   away but can spike), so a Gaussian would be clipped at 0 and lose variance; fitting γ keeps
 *   the skew the library has, no more. z_t is an AR(1) path with coefficient
 *   ρ_z = ln(1 + ρ (e^{s²} − 1)) / s², the one that gives e_t the lag-1 correlation ρ (the
 *   correlation of two lognormals), with its sample mean and first daily harmonic projected out
 *   and scaled to unit sample sd, because the decomposition measures σ and ρ on the residual after
 *   the mean and the daily harmonic are removed (left in, the path's own slow wander would count
 *   the daily cycle twice);
 * - b_t: burst episodes, a share π of the points in runs of geometric length with mean L (an
 *   episode starts at a non-burst point with probability π / (L (1 − π))), each of one height drawn
 *   lognormal with the series' mean height h and height CV c_h;
 * - the daily cycle is added after the noise and bursts are cleared of their own mean and daily
 *   harmonic (so A and φ are the series' first harmonic, as the decomposition measures them), and
 *   the final division makes the sample mean exactly m (clipping at 0 would raise it); with a
 *   profile ceiling (PlanetLab: 100 % of the VM) values are capped there and the scale raised
 *   until the capped mean is m;
 * - λ ≥ 1 makes up for the clip at 0 (and the ceiling): the library's σ was measured on data that
 *   had its zeros already, so clipping the synthetic day again would lose variance (about 4 %
 *   of PlanetLab's median CV). λ is found by bisection (at most 4) so that the final day has the CV of the
 *   unclipped y; 1 when nothing is clipped.
 * Values are fractions of the usage scale, never below 0 and, but for a profile ceiling, not capped
 * above: memory may grow past its request and CPU demand past a limit. A cyclic set of `count` one-day series, step
 * 300 s, start 0; dimensions the profile has no fit for are NaN. Same options ⇒ same set.
 */
export function generateSyntheticUsage(o: SyntheticUsageOptions): UsageSeriesSet {
  const g = new SyntheticUsageGenerator(o);
  for (let s = 0; s < g.set.count; s++) g.ensure(s);
  return g.set;
}

/** Salt of the per-series random streams. */
const SERIES_SALT = 0x73657273; // 'sers'

/**
 * The synthetic set generated series by series, on demand: each series has its own random stream
 * (seeded from the set's seed and its index), so series s is the same whether it is made alone, in
 * any order, or with all the others — a replay makes only the series its jobs are assigned (a few
 * hundred of 4,096 for the default workload) instead of the whole set. `set.values` holds NaN for
 * series not made yet; call ensure(s) before reading series s.
 */
export class SyntheticUsageGenerator {
  readonly set: UsageSeriesSet;
  private readonly made: Uint8Array;
  private readonly fit: UsageProcessFit;
  private readonly seed: number;
  private readonly dimOf: number[];
  private readonly logScale: boolean[];
  private readonly factor: number[][];
  private readonly z: Float64Array;
  private readonly param: Float64Array;
  private readonly day: DayScratch;
  private readonly x: Float64Array;
  private readonly values: Float32Array;
  private readonly D: number;

  constructor(o: SyntheticUsageOptions) {
    const fit = typeof o.profile === 'string' ? USAGE_PROCESS_FITS[o.profile] : o.profile;
    if (!fit) throw new Error(`unknown synthetic usage profile '${String(o.profile)}'`);
    this.fit = fit;
    this.seed = o.seed;
    const count = o.count ?? SYNTHETIC_SERIES;
    const n = fit.points;
    const D = o.resources.names.length;
    this.D = D;
    const K = COMPONENTS.length;
    const P = fit.marginals.length;
    this.dimOf = fit.resources.map((r) => o.resources.names.indexOf(r));
    this.logScale = fit.marginals.map((_, i) => LOG_SCALE_COMPONENTS.has(COMPONENTS[i % K]));
    this.factor = choleskyShrunk(fit.correlation).factor;
    this.values = new Float32Array(count * n * D).fill(NaN);
    const offsets = new Int32Array(count + 1);
    for (let s = 0; s < count; s++) offsets[s + 1] = (s + 1) * n;
    this.made = new Uint8Array(count);
    this.z = new Float64Array(P);
    this.param = new Float64Array(P);
    this.day = new DayScratch(n);
    this.x = new Float64Array(n);
    this.set = {
      source: `synthetic:${fit.profile}`,
      dims: D,
      step: SYNTHETIC_STEP_US,
      count,
      offsets,
      values: this.values,
      start: new Float64Array(count),
      cyclic: true,
    };
  }

  /** Makes series s if it is not made yet. */
  ensure(s: number): void {
    if (this.made[s]) return;
    this.made[s] = 1;
    const fit = this.fit;
    const n = fit.points;
    const D = this.D;
    const K = COMPONENTS.length;
    const P = fit.marginals.length;
    const { z, param, x, day, factor } = this;
    const rng = new Rng(hash3(this.seed, s, SERIES_SALT));
    const c = {} as SeriesComponents;
    for (let i = 0; i < P; i++) z[i] = rng.normal();
    for (let i = 0; i < P; i++) {
      let y = 0;
      for (let j = 0; j <= i; j++) y += factor[i][j] * z[j];
      param[i] = sampleQuantileTable(fit.marginals[i], normalCdf(y), this.logScale[i]);
    }
    for (let r = 0; r < fit.resources.length; r++) {
      for (let k = 0; k < K; k++) c[COMPONENTS[k]] = param[r * K + k];
      if (!(c.burstRate > 0)) c.burstLength = c.burstHeight = c.burstHeightCv = 0;
      synthesizeDay(c, rng, x, day, fit.ceiling);
      const d = this.dimOf[r];
      if (d >= 0) for (let t = 0; t < n; t++) this.values[(s * n + t) * D + d] = x[t];
    }
  }
}

/** Work arrays of synthesizeDay for days of n points. */
export class DayScratch {
  readonly cos1: Float64Array;
  readonly sin1: Float64Array;
  readonly path: Float64Array;
  readonly noise: Float64Array;
  readonly bursts: Float64Array;
  readonly base: Float64Array;
  constructor(n: number) {
    this.cos1 = Float64Array.from({ length: n }, (_, t) => Math.cos((2 * Math.PI * t) / n));
    this.sin1 = Float64Array.from({ length: n }, (_, t) => Math.sin((2 * Math.PI * t) / n));
    this.path = new Float64Array(n);
    this.noise = new Float64Array(n);
    this.bursts = new Float64Array(n);
    this.base = new Float64Array(n);
  }
}

/** Noise scales tried to make up for the clip at 0 (at most 4× the fitted sd), and bisection steps. */
const MAX_NOISE_BOOST = 4;
const BOOST_STEPS = 14;

/** One day of the process (formula above) for components `c`, into `out` (its length = points). */
export function synthesizeDay(c: SeriesComponents, rng: Rng, out: Float64Array, day: DayScratch = new DayScratch(out.length), ceiling = Infinity): void {
  const n = out.length;
  const { cos1, sin1, path, noise, bursts, base } = day;
  const v = lognormalCvForSkew(Math.abs(c.noiseSkew));
  const s2 = Math.log(1 + v * v);
  const sl = Math.sqrt(s2);
  const noiseScale = v > 0 ? (Math.sign(c.noiseSkew) * c.noiseSd) / v : 0;
  const rhoZ = v > 0 ? Math.log(Math.max(1e-12, 1 + c.noiseLag1 * v * v)) / s2 : c.noiseLag1;
  arPath(rng, Math.max(-0.999, Math.min(0.999, rhoZ)), path);
  project(path, cos1, sin1, true);
  const rate = c.burstRate;
  const start = rate >= 1 ? 1 : rate > 0 && c.burstLength > 0 ? Math.min(1, rate / (c.burstLength * (1 - rate))) : 0;
  const stay = c.burstLength > 1 ? 1 - 1 / c.burstLength : 0;
  const hs2 = Math.log(1 + c.burstHeightCv * c.burstHeightCv);
  const hs = Math.sqrt(hs2);
  let burst = 0;
  for (let t = 0; t < n; t++) {
    if (burst > 0 ? rng.next() >= stay : rng.next() < start) {
      burst = burst > 0 ? 0 : c.burstHeight * Math.exp(hs * rng.normal() - hs2 / 2);
    }
    noise[t] = v > 0 ? noiseScale * (Math.exp(sl * path[t] - s2 / 2) - 1) : c.noiseSd * path[t];
    bursts[t] = burst;
  }
  project(noise, cos1, sin1, false);
  project(bursts, cos1, sin1, false);
  const cp = Math.cos(c.phase);
  const sp = Math.sin(c.phase);
  let ss = 0;
  for (let t = 0; t < n; t++) {
    base[t] = 1 + c.amplitude * (cos1[t] * cp + sin1[t] * sp);
    const y = base[t] + noise[t] + bursts[t];
    ss += (y - 1) * (y - 1);
  }
  // The unclipped day has mean 1 and this CV; the clip at 0 (and the ceiling) lower it, though
  // the library's σ was measured on data that had its zeros already: scale the noise up until the
  // clipped day has the CV again (no-op when nothing is clipped).
  const target = Math.sqrt(ss / n);
  let boost = 1;
  if (finishDay(c.mean, 1, day, out, ceiling) < target * (1 - 1e-9)) {
    let lo = 1;
    let hi = MAX_NOISE_BOOST;
    if (finishDay(c.mean, hi, day, out, ceiling) < target) lo = hi;
    else {
      for (let i = 0; i < BOOST_STEPS; i++) {
        const mid = (lo + hi) / 2;
        if (finishDay(c.mean, mid, day, out, ceiling) < target) lo = mid;
        else hi = mid;
      }
    }
    boost = lo;
  }
  finishDay(c.mean, boost, day, out, ceiling);
}

/**
 * out = the day base + boost·noise + bursts, clipped at 0, scaled to mean m (and capped at the
 * ceiling with the scale raised until the capped mean is m again); returns its CV.
 */
function finishDay(m: number, boost: number, day: DayScratch, out: Float64Array, ceiling: number): number {
  const n = out.length;
  const { noise, bursts, base } = day;
  let sum = 0;
  for (let t = 0; t < n; t++) {
    const y = base[t] + boost * noise[t] + bursts[t];
    out[t] = y > 0 ? y : 0;
    sum += out[t];
  }
  let k = sum > 0 ? (m * n) / sum : 0;
  if (ceiling < Infinity && m < ceiling) {
    // Capped at the ceiling, the mean drops: raise the scale until the capped mean is m again
    // (the capped mean grows monotonically with the scale; a few fixed-point steps suffice).
    for (let it = 0; it < 8; it++) {
      let capped = 0;
      for (let t = 0; t < n; t++) capped += Math.min(ceiling, out[t] * k);
      if (!(capped > 0) || Math.abs(capped - m * n) < 1e-9 * n) break;
      k *= (m * n) / capped;
    }
  }
  let s1 = 0;
  let s2 = 0;
  for (let t = 0; t < n; t++) {
    const x = Math.min(ceiling, out[t] * k);
    out[t] = x;
    s1 += x;
    s2 += x * x;
  }
  const mean = s1 / n;
  return mean > 0 ? Math.sqrt(Math.max(0, s2 / n - mean * mean)) / mean : 0;
}

/**
 * The coefficient of variation v of the lognormal with skewness g: the real root of v³ + 3v = g
 * (Cardano); 0 for g ≤ 0 (no skew: Gaussian).
 */
export function lognormalCvForSkew(g: number): number {
  if (!(g > 1e-6)) return 0;
  const r = Math.sqrt((g * g) / 4 + 1);
  return Math.cbrt(g / 2 + r) + Math.cbrt(g / 2 - r);
}

/** A stationary unit-variance AR(1) path with coefficient rho. */
function arPath(rng: Rng, rho: number, out: Float64Array): void {
  const innovation = Math.sqrt(1 - rho * rho);
  out[0] = rng.normal();
  for (let t = 1; t < out.length; t++) out[t] = rho * out[t - 1] + innovation * rng.normal();
}

/**
 * Removes the sample mean and the first daily harmonic (least squares on the orthogonal daily
 * basis); with `unitSd`, then scales to unit sample sd.
 */
function project(x: Float64Array, cos1: Float64Array, sin1: Float64Array, unitSd: boolean): void {
  const n = x.length;
  let mean = 0;
  let a = 0;
  let b = 0;
  for (let t = 0; t < n; t++) {
    mean += x[t];
    a += x[t] * cos1[t];
    b += x[t] * sin1[t];
  }
  mean /= n;
  a *= 2 / n;
  b *= 2 / n;
  let ss = 0;
  for (let t = 0; t < n; t++) {
    x[t] -= mean + a * cos1[t] + b * sin1[t];
    ss += x[t] * x[t];
  }
  const sd = Math.sqrt(ss / n);
  if (unitSd && sd > 0) for (let t = 0; t < n; t++) x[t] /= sd;
}
