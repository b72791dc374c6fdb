import type { PackingInstance } from '../../model/packing-instance.js';

/**
 * Lower bounds on the number of bins.
 *
 *  - L1 (continuous bound): max over dimensions h of ceil(sum_i s_ih / C_h).
 *  - L2 (Martello & Toth, "Lower bounds and reduction procedures for the bin packing problem",
 *    Discrete Applied Mathematics 28, 1990): for a threshold K in [0, C/2], items larger than C - K
 *    each need their own bin, items in (C/2, C - K] need their own bin too and leave room usable
 *    only by items of size >= K, and the items in [K, C/2] must fit in that room plus extra bins:
 *        L(K) = |J1| + |J2| + max(0, ceil((sum_{J3} s - (|J2| C - sum_{J2} s)) / C))
 *    L2 = max over K (only item sizes <= C/2 and 0 need trying). O(n log n). For vectors, the
 *    maximum of L2 over the one-dimensional projections (each is a valid relaxation).
 *  - Clique bound (vectors): items pairwise incompatible (for every pair some dimension overflows
 *    when both are in one bin) need distinct bins; a greedy clique, grown from several orders, gives
 *    a bound. Capped by a work budget so it stays fast on 10^5 items.
 * The reported bound is the maximum.
 */
export interface LowerBounds {
  L1: number;
  L2: number;
  clique: number;
  best: number;
}

/** ceil(a / b) for non-negative integers held in doubles, robust to division rounding. */
function ceilDiv(a: number, b: number): number {
  let q = Math.floor(a / b);
  while (q * b < a) q++;
  while (q > 0 && (q - 1) * b >= a) q--;
  return q;
}

export function lowerBoundL1(inst: PackingInstance): number {
  const { n, d, sizes, capacity } = inst;
  let best = 0;
  for (let h = 0; h < d; h++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += sizes[i * d + h];
    const v = ceilDiv(s, capacity[h]);
    if (v > best) best = v;
  }
  return best;
}

/** Martello–Toth L2 of a one-dimensional list of sizes with capacity C. */
export function martelloTothL2(sizes: Float64Array, C: number): number {
  const n = sizes.length;
  if (n === 0) return 0;
  const a = Float64Array.from(sizes).sort(); // ascending
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i] + a[i];
  // first index with a[idx] > x / >= x
  const upper = (x: number) => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (a[m] > x) hi = m;
      else lo = m + 1;
    }
    return lo;
  };
  const lowerIdx = (x: number) => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (a[m] >= x) hi = m;
      else lo = m + 1;
    }
    return lo;
  };
  const half = C / 2;
  const iHalf = upper(half); // items > C/2 start here
  let best = 0;
  const evalK = (K: number) => {
    const iBig = upper(C - K); // items > C-K
    const j1 = n - iBig;
    const j2 = iBig - iHalf; // (C/2, C-K]
    const sumJ2 = prefix[iBig] - prefix[iHalf];
    const iK = lowerIdx(K);
    const sumJ3 = iK < iHalf ? prefix[iHalf] - prefix[iK] : 0; // [K, C/2]
    const room = j2 * C - sumJ2;
    const extra = sumJ3 > room ? ceilDiv(sumJ3 - room, C) : 0;
    const v = j1 + j2 + extra;
    if (v > best) best = v;
  };
  evalK(0);
  for (let i = 0; i < iHalf; i++) {
    if (i > 0 && a[i] === a[i - 1]) continue;
    evalK(a[i]);
  }
  return best;
}

/** Dimensions in which some item has a negative size (the L2 and clique arguments need s >= 0). */
function negativeDims(inst: PackingInstance): Uint8Array {
  const { n, d, sizes } = inst;
  const neg = new Uint8Array(d);
  for (let i = 0; i < n * d; i++) if (sizes[i] < 0) neg[i % d] = 1;
  return neg;
}

export function lowerBoundL2(inst: PackingInstance): number {
  const { n, d, sizes, capacity } = inst;
  let best = 0;
  const col = new Float64Array(n);
  const neg = negativeDims(inst);
  for (let h = 0; h < d; h++) {
    if (neg[h]) continue;
    for (let i = 0; i < n; i++) col[i] = sizes[i * d + h];
    const v = martelloTothL2(col, capacity[h]);
    if (v > best) best = v;
  }
  return best;
}

/**
 * Greedy clique of pairwise-incompatible items. Candidates are tried in decreasing order of their
 * largest normalized size and, separately, of each single dimension; each run keeps an item when it
 * conflicts with every member so far. `budget` caps the pair checks over all runs.
 */
export function lowerBoundClique(inst: PackingInstance, budget = 20_000_000): number {
  const { n, d, sizes, capacity } = inst;
  if (n === 0) return 0;
  const neg = negativeDims(inst);
  const conflict = (i: number, j: number) => {
    for (let h = 0; h < d; h++) if (!neg[h] && sizes[i * d + h] + sizes[j * d + h] > capacity[h]) return true;
    return false;
  };
  const keysList: Float64Array[] = [];
  const kmax = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (let h = 0; h < d; h++) m = Math.max(m, sizes[i * d + h] / capacity[h]);
    kmax[i] = m;
  }
  keysList.push(kmax);
  if (d > 1) {
    for (let h = 0; h < d; h++) {
      const k = new Float64Array(n);
      for (let i = 0; i < n; i++) k[i] = sizes[i * d + h] / capacity[h];
      keysList.push(k);
    }
  }
  let best = 0;
  let work = 0;
  for (const keys of keysList) {
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => keys[b] - keys[a] || a - b);
    const clique: number[] = [];
    for (const i of order) {
      let ok = true;
      for (const j of clique) {
        work++;
        if (!conflict(i, j)) {
          ok = false;
          break;
        }
      }
      if (ok) clique.push(i);
      if (work > budget) break;
    }
    if (clique.length > best) best = clique.length;
    if (work > budget) break;
  }
  return best;
}

export function lowerBounds(inst: PackingInstance): LowerBounds {
  const L1 = lowerBoundL1(inst);
  const L2 = lowerBoundL2(inst);
  const clique = inst.d > 1 ? lowerBoundClique(inst) : 0;
  return { L1, L2, clique, best: Math.max(L1, L2, clique) };
}
