/**
 * Two-sample Kolmogorov–Smirnov statistic D = sup_x |F_a(x) - F_b(x)| between the empirical CDFs
 * of two samples, computed exactly by merging the sorted samples (ties handled: both CDFs step
 * past a tied value before the difference is taken). Also the asymptotic critical value
 * c(α) · sqrt((n + m) / (n m)) with c(α) = sqrt(-ln(α / 2) / 2) (Smirnov's limit), which is
 * conservative for discrete data.
 */
export function ksTwoSample(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const x = Float64Array.from(a).sort();
  const y = Float64Array.from(b).sort();
  const n = x.length;
  const m = y.length;
  if (n === 0 || m === 0) throw new Error('ksTwoSample: empty sample');
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < n && j < m) {
    const v = x[i] <= y[j] ? x[i] : y[j];
    while (i < n && x[i] === v) i++;
    while (j < m && y[j] === v) j++;
    const diff = Math.abs(i / n - j / m);
    if (diff > d) d = diff;
  }
  return d;
}

/** Asymptotic two-sample KS critical value at significance `alpha` for sample sizes n and m. */
export function ksCriticalValue(n: number, m: number, alpha: number): number {
  return Math.sqrt(-Math.log(alpha / 2) / 2) * Math.sqrt((n + m) / (n * m));
}

/**
 * Weighted variant: sup_x |F_a(x) - F_b(x)| where each value carries a weight (e.g. a job's
 * request counted once per task of the job). Same merge as above.
 */
export function ksTwoSampleWeighted(
  a: ArrayLike<number>,
  wa: ArrayLike<number>,
  b: ArrayLike<number>,
  wb: ArrayLike<number>,
): number {
  const sortIdx = (v: ArrayLike<number>): number[] => Array.from({ length: v.length }, (_, i) => i).sort((p, q) => v[p] - v[q]);
  const ia = sortIdx(a);
  const ib = sortIdx(b);
  let ta = 0;
  let tb = 0;
  for (let k = 0; k < wa.length; k++) ta += wa[k];
  for (let k = 0; k < wb.length; k++) tb += wb[k];
  if (!(ta > 0) || !(tb > 0)) throw new Error('ksTwoSampleWeighted: empty or zero-weight sample');
  let i = 0;
  let j = 0;
  let ca = 0;
  let cb = 0;
  let d = 0;
  while (i < ia.length && j < ib.length) {
    const v = Math.min(a[ia[i]], b[ib[j]]);
    while (i < ia.length && a[ia[i]] === v) ca += wa[ia[i++]];
    while (j < ib.length && b[ib[j]] === v) cb += wb[ib[j++]];
    const diff = Math.abs(ca / ta - cb / tb);
    if (diff > d) d = diff;
  }
  return d;
}

/**
 * Kolmogorov–Smirnov distance between a sample's empirical CDF and a reference step CDF given by
 * its jump points (`times`, ascending) and its values just after them (`cdf`), over t <= horizon:
 * sup_{t <= horizon} |F_n(t) - F(t)|. Both are right-continuous step functions, so the supremum is
 * reached at one of the merged jump points (left limits are the values at the previous point). Used
 * to compare generated run lengths with a Kaplan–Meier estimate of censored real ones, where a
 * plain two-sample KS would be biased by the censoring.
 */
export function ksAgainstStepCdf(
  sample: ArrayLike<number>,
  times: ArrayLike<number>,
  cdf: ArrayLike<number>,
  horizon = Infinity,
): number {
  const x = Float64Array.from(sample).sort();
  const n = x.length;
  if (n === 0) throw new Error('ksAgainstStepCdf: empty sample');
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < n || j < times.length) {
    const t = j >= times.length || (i < n && x[i] <= times[j]) ? x[i] : times[j];
    if (t > horizon) break;
    while (i < n && x[i] === t) i++;
    while (j < times.length && times[j] === t) j++;
    const ref = j === 0 ? 0 : cdf[j - 1];
    const diff = Math.abs(i / n - ref);
    if (diff > d) d = diff;
  }
  return d;
}

/**
 * Kolmogorov–Smirnov distance between two step CDFs given by their jump points (ascending) and
 * values just after them, over t <= horizon: sup |F(t) - G(t)|, reached at one of the merged jump
 * points. Used to compare two Kaplan–Meier estimates (e.g. real run lengths of two time windows).
 */
export function ksBetweenStepCdfs(
  timesA: ArrayLike<number>,
  cdfA: ArrayLike<number>,
  timesB: ArrayLike<number>,
  cdfB: ArrayLike<number>,
  horizon = Infinity,
): number {
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < timesA.length || j < timesB.length) {
    const t = j >= timesB.length || (i < timesA.length && timesA[i] <= timesB[j]) ? timesA[i] : timesB[j];
    if (t > horizon) break;
    while (i < timesA.length && timesA[i] === t) i++;
    while (j < timesB.length && timesB[j] === t) j++;
    const diff = Math.abs((i === 0 ? 0 : cdfA[i - 1]) - (j === 0 ? 0 : cdfB[j - 1]));
    if (diff > d) d = diff;
  }
  return d;
}
