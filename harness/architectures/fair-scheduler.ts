/**
 * The FairScheduler's share rules (Apache Hadoop docs, "Hadoop: Fair Scheduler", YARN 3.x), over
 * scalar shares of the cluster (the dominant share across cpu and memory, as the docs' DRF policy).
 *
 * - **Fair share** (upstream ComputeFairShares): among a parent's active children, find the ratio R
 *   for which Σ clamp(weightᵢ × R, minᵢ, min(maxᵢ, demandᵢ)) equals the parent's share, by
 *   bisection ("water-filling"); when the children together want less, each gets its cap.
 * - **Order** (upstream FairSharePolicy comparator): queues below min(minShare, demand) come first,
 *   lowest usage / minShare first; then the rest, lowest usage / weight first.
 * - **Starvation**: a queue below min(minShare, demand) for minSharePreemptionTimeout, or below
 *   fairSharePreemptionThreshold × its fair share for fairSharePreemptionTimeout, may preempt up
 *   to the missing amount from queues above their fair share.
 */
export interface ShareClaim {
  weight: number;
  min: number;
  max: number;
  demand: number;
}

/** Fair shares of `claims` splitting `total`; inactive claims (demand 0) get 0. Writes `out[i]`. */
export function computeFairShares(total: number, claims: readonly ShareClaim[], out: Float64Array | number[]): void {
  const cap = (c: ShareClaim) => Math.min(c.max, c.demand);
  const at = (r: number) => {
    let s = 0;
    for (const c of claims) if (c.demand > 0) s += Math.min(Math.max(c.weight * r, Math.min(c.min, cap(c))), cap(c));
    return s;
  };
  let wanted = 0;
  for (const c of claims) if (c.demand > 0) wanted += cap(c);
  let r: number;
  if (wanted <= total) r = Infinity;
  else {
    let hi = 1;
    while (at(hi) < total && hi < 1e12) hi *= 2;
    let lo = 0;
    for (let k = 0; k < 60; k++) {
      const mid = (lo + hi) / 2;
      if (at(mid) < total) lo = mid;
      else hi = mid;
    }
    r = hi;
  }
  claims.forEach((c, i) => {
    out[i] = c.demand > 0 ? Math.min(Math.max(c.weight * r, Math.min(c.min, cap(c))), cap(c)) : 0;
  });
}

/** Sort key, lower first: needy queues (under min(minShare, demand)) in [0, 1), the others at 2 + usage / weight. */
export function fairOrderKey(usage: number, minShare: number, demand: number, weight: number): number {
  if (usage < Math.min(minShare, demand)) return usage / minShare;
  return 2 + usage / weight;
}

/**
 * How much share a starved queue may take back now (0 = none): the larger of its min-share and
 * fair-share deficits whose timeouts have run out. `belowMinFor` / `belowFairFor` are how long it
 * has been below each (µs; NaN = not below); timeouts in µs (Infinity = never).
 */
export function starvedAmount(usage: number, minShare: number, demand: number, fairShare: number, belowMinFor: number, belowFairFor: number, minTimeout: number, fairTimeout: number): number {
  let amount = 0;
  if (belowMinFor >= minTimeout) amount = Math.max(amount, Math.min(minShare, demand) - usage);
  if (belowFairFor >= fairTimeout) amount = Math.max(amount, Math.min(fairShare, demand) - usage);
  return Math.max(0, amount);
}
