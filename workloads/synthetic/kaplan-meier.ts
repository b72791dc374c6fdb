/**
 * Kaplan–Meier estimate of a survival function from right-censored data (Kaplan & Meier, JASA
 * 1958): S(t) = Π over event times t_i <= t of (1 - d_i / n_i), with d_i events at t_i and n_i
 * observations still at risk just before t_i. Censored observations leave the risk set without
 * counting as events; ties between an event and a censoring at the same time count the censoring
 * as still at risk (the usual convention). With `weight`, d_i and n_i are sums of weights (a
 * weighted estimate, e.g. 1 / job size per task to weight jobs equally); `atRiskCount` stays the
 * plain number of observations at risk.
 */
export interface KaplanMeier {
  /** Distinct event times, ascending. */
  times: Float64Array;
  /** S(t) just after each event time. */
  survival: Float64Array;
  /** Weight at risk just before each event time (= count when unweighted). */
  atRisk: Float64Array;
  /** Number of observations at risk just before each event time. */
  atRiskCount: Float64Array;
}

export function kaplanMeier(time: ArrayLike<number>, observed: ArrayLike<number>, weight?: ArrayLike<number>): KaplanMeier {
  const n = time.length;
  const w = (i: number): number => (weight ? weight[i] : 1);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => time[a] - time[b] || observed[b] - observed[a]);
  const times: number[] = [];
  const survival: number[] = [];
  const atRisk: number[] = [];
  const atRiskCount: number[] = [];
  let s = 1;
  let risk = 0;
  for (let i = 0; i < n; i++) risk += w(i);
  let riskCount = n;
  let i = 0;
  while (i < n) {
    const t = time[order[i]];
    let d = 0;
    let c = 0;
    let k = 0;
    while (i < n && time[order[i]] === t) {
      if (observed[order[i]]) d += w(order[i]);
      else c += w(order[i]);
      k++;
      i++;
    }
    if (d > 0) {
      s *= Math.max(0, 1 - d / risk);
      times.push(t);
      survival.push(s);
      atRisk.push(risk);
      atRiskCount.push(riskCount);
    }
    risk -= d + c;
    riskCount -= k;
  }
  return {
    times: Float64Array.from(times),
    survival: Float64Array.from(survival),
    atRisk: Float64Array.from(atRisk),
    atRiskCount: Float64Array.from(atRiskCount),
  };
}

/** The estimated CDF F(t) = 1 - S(t) at `t` (right-continuous step function). */
export function kmCdf(km: KaplanMeier, t: number): number {
  const { times, survival } = km;
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? 0 : 1 - survival[lo - 1];
}

/** Smallest event time with F(t) >= p, or NaN when the estimate never reaches p. */
export function kmQuantile(km: KaplanMeier, p: number): number {
  const { times, survival } = km;
  for (let i = 0; i < times.length; i++) if (1 - survival[i] >= p - 1e-12) return times[i];
  return NaN;
}
