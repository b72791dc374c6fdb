/**
 * A daily cycle in the job arrival rate, applied as a time change (time warp) of the generator's
 * arrivals.
 *
 * Rate: λ(t) ∝ 1 + A cos(2π (h(t) − peakHour) / 24), h(t) the local hour at time t: h(0) =
 * startHour (the 2011 trace starts at 19:00 US Eastern, the datacenter's zone: google/cluster-data
 * ClusterData2011_2.md), 0 ≤ A < 1.
 *
 * Time change (Çinlar; the time-rescaling theorem of point processes): with Λ(t) = ∫₀ᵗ λ normalized
 * so that Λ(W) = W over the window W, a point process with arrival times uᵢ on [0, W) and constant
 * rate becomes one with rate ∝ λ(t) by tᵢ = Λ⁻¹(uᵢ). For a Poisson process the result is exactly
 * the non-homogeneous Poisson process of intensity λ; for the generator's bursty renewal arrivals
 * the bursts keep their shape and the mean rate follows λ. The number of jobs and their order are
 * unchanged, so nothing else of the workload moves.
 *
 * Λ has a closed form: with ω = 2π / 24 h and s = (startHour − peakHour) hours,
 * F(t) = t + (A / ω) (sin(ω (t + s)) − sin(ω s)), Λ(t) = W F(t) / F(W); Λ⁻¹ by safeguarded Newton
 * (F' = 1 + A cos(·) ≥ 1 − A > 0, so F is strictly increasing).
 */
export interface DailyProfile {
  /** Relative amplitude A of the daily harmonic, 0 ≤ A < 1. */
  readonly amplitude: number;
  /** Local hour of the peak rate, [0, 24). */
  readonly peakHour: number;
  /** Local hour at t = 0, [0, 24). */
  readonly startHour: number;
}

const DAY_US = 86_400e6;
const OMEGA = (2 * Math.PI) / DAY_US;

export function checkDailyProfile(p: DailyProfile): void {
  if (!(p.amplitude >= 0 && p.amplitude < 1)) throw new Error(`diurnal profile: amplitude must be in [0, 1), got ${p.amplitude}`);
  for (const k of ['peakHour', 'startHour'] as const) {
    if (!(p[k] >= 0 && p[k] < 24)) throw new Error(`diurnal profile: ${k} must be in [0, 24), got ${p[k]}`);
  }
}

/** Relative rate at time t (µs): 1 + A cos(2π (h(t) − peakHour) / 24); its daily mean is 1. */
export function dailyRate(p: DailyProfile, tUs: number): number {
  return 1 + p.amplitude * Math.cos(OMEGA * (tUs + (p.startHour - p.peakHour) * 3600e6));
}

/** Maps constant-rate times in [0, windowUs) to times whose rate follows the profile. */
export class DailyTimeWarp {
  private readonly a: number;
  private readonly s: number;
  private readonly sinS: number;
  private readonly scale: number;

  constructor(
    p: DailyProfile,
    private readonly windowUs: number,
  ) {
    checkDailyProfile(p);
    this.a = p.amplitude / OMEGA;
    this.s = (p.startHour - p.peakHour) * 3600e6;
    this.sinS = Math.sin(OMEGA * this.s);
    this.scale = windowUs / this.f(windowUs);
  }

  /** Unnormalized cumulative rate F(t). */
  private f(t: number): number {
    return t + this.a * (Math.sin(OMEGA * (t + this.s)) - this.sinS);
  }

  /** Λ(t): the constant-rate time of warped time t. */
  forward(t: number): number {
    return this.scale * this.f(t);
  }

  /** Λ⁻¹(u): the warped time of constant-rate time u, within 0.01 µs. */
  inverse(u: number): number {
    if (u <= 0) return 0;
    if (u >= this.windowUs) return this.windowUs;
    const target = u / this.scale;
    let lo = 0;
    let hi = this.windowUs;
    let x = u;
    for (let it = 0; it < 100; it++) {
      const g = this.f(x) - target;
      if (Math.abs(g) < 0.01) return x;
      if (g > 0) hi = x;
      else lo = x;
      const d = 1 + this.a * OMEGA * Math.cos(OMEGA * (x + this.s));
      let next = x - g / d;
      if (!(next > lo && next < hi)) next = (lo + hi) / 2;
      x = next;
    }
    return x;
  }
}

/**
 * Least-squares fit of c_k = β0 + β1 cos(ω x_k) + β2 sin(ω x_k) to counts per whole hour k, x_k the
 * local hour at the middle of hour k (startHour + k + 0.5). A = √(β1² + β2²) / β0, peak hour =
 * atan2(β2, β1) / ω. Needs at least 4 hours.
 */
export function fitDailyHarmonic(counts: readonly number[], startHour: number): { amplitude: number; peakHour: number; mean: number; residualSd: number } {
  const n = counts.length;
  if (n < 4) throw new Error(`fitDailyHarmonic: need at least 4 hourly counts, got ${n}`);
  const w = (2 * Math.PI) / 24;
  // Normal equations X'X β = X'y for X = [1, cos, sin].
  const xtx = [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ];
  const xty = [0, 0, 0];
  for (let k = 0; k < n; k++) {
    const h = startHour + k + 0.5;
    const row = [1, Math.cos(w * h), Math.sin(w * h)];
    for (let i = 0; i < 3; i++) {
      xty[i] += row[i] * counts[k];
      for (let j = 0; j < 3; j++) xtx[i][j] += row[i] * row[j];
    }
  }
  const beta = solve3(xtx, xty);
  let ss = 0;
  for (let k = 0; k < n; k++) {
    const h = startHour + k + 0.5;
    const r = counts[k] - (beta[0] + beta[1] * Math.cos(w * h) + beta[2] * Math.sin(w * h));
    ss += r * r;
  }
  const peak = ((Math.atan2(beta[2], beta[1]) / w) % 24 + 24) % 24;
  return { amplitude: Math.hypot(beta[1], beta[2]) / beta[0], peakHour: peak, mean: beta[0], residualSd: Math.sqrt(ss / Math.max(1, n - 3)) };
}

function solve3(m: number[][], b: number[]): number[] {
  const a = m.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < 3; c++) {
    let p = c;
    for (let r = c + 1; r < 3; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
    [a[c], a[p]] = [a[p], a[c]];
    if (Math.abs(a[c][c]) < 1e-12) throw new Error('fitDailyHarmonic: singular design (hours too few or all at one phase)');
    for (let r = 0; r < 3; r++) {
      if (r === c) continue;
      const f = a[r][c] / a[c][c];
      for (let k = c; k < 4; k++) a[r][k] -= f * a[c][k];
    }
  }
  return [a[0][3] / a[0][0], a[1][3] / a[1][1], a[2][3] / a[2][2]];
}
