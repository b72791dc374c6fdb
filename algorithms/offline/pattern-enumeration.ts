import type { PackingInstance } from '../../model/packing-instance.js';

/**
 * Item types and maximal packing patterns, for the set-covering formulation of bin packing
 * (Gilmore & Gomory, "A linear programming approach to the cutting-stock problem", Operations
 * Research 9, 1961). Identical items form one type with a demand; a pattern is a multiset of types
 * that fits one bin and is maximal (no remaining type can still be added), which loses nothing for
 * a covering model. Enumeration is a depth-first search over types with a cap on the count.
 */
export interface ItemTypes {
  /** Type of each item. */
  typeOf: Int32Array;
  /** Size vector of each type, type-major (T * d). */
  sizes: Float64Array;
  /** Demand (number of items) of each type. */
  demand: Int32Array;
  count: number;
}

export function itemTypes(inst: PackingInstance): ItemTypes {
  const { n, d, sizes } = inst;
  const map = new Map<string, number>();
  const typeOf = new Int32Array(n);
  const tsz: number[] = [];
  const dem: number[] = [];
  for (let i = 0; i < n; i++) {
    let k = '';
    for (let h = 0; h < d; h++) k += sizes[i * d + h] + ',';
    let t = map.get(k);
    if (t === undefined) {
      t = dem.length;
      map.set(k, t);
      for (let h = 0; h < d; h++) tsz.push(sizes[i * d + h]);
      dem.push(0);
    }
    dem[t]++;
    typeOf[i] = t;
  }
  return { typeOf, sizes: Float64Array.from(tsz), demand: Int32Array.from(dem), count: dem.length };
}

/**
 * All maximal patterns as sparse (type, multiplicity) lists, or null when there are more than
 * `maxPatterns` or the search takes more than `maxSteps` steps (a count, not a clock, so the answer
 * does not depend on the machine or its load).
 */
export function maximalPatterns(
  types: ItemTypes,
  capacity: Float64Array,
  maxPatterns: number,
  maxSteps = 1 << 24,
): { type: Int32Array; mult: Int32Array }[] | null {
  const d = capacity.length;
  const T = types.count;
  const { sizes, demand } = types;
  const r = Float64Array.from(capacity);
  const a = new Int32Array(T);
  const out: { type: Int32Array; mult: Int32Array }[] = [];
  let aborted = false;
  let steps = 0;
  const fits = (t: number, times: number) => {
    for (let h = 0; h < d; h++) if (sizes[t * d + h] * times > r[h]) return false;
    return true;
  };
  const rec = (t: number): void => {
    if (aborted) return;
    if (++steps > maxSteps) {
      aborted = true;
      return;
    }
    if (t === T) {
      for (let u = 0; u < T; u++) if (a[u] < demand[u] && fits(u, 1)) return; // not maximal
      let nz = 0;
      for (let u = 0; u < T; u++) if (a[u] > 0) nz++;
      if (nz === 0) return;
      const ty = new Int32Array(nz);
      const mu = new Int32Array(nz);
      for (let u = 0, k = 0; u < T; u++) if (a[u] > 0) (ty[k] = u), (mu[k++] = a[u]);
      out.push({ type: ty, mult: mu });
      if (out.length > maxPatterns) aborted = true;
      return;
    }
    let c = demand[t];
    for (let h = 0; h < d; h++) {
      const s = sizes[t * d + h];
      if (s > 0) c = Math.min(c, Math.floor(r[h] / s));
    }
    for (let x = c; x >= 0; x--) {
      a[t] = x;
      for (let h = 0; h < d; h++) r[h] -= x * sizes[t * d + h];
      rec(t + 1);
      for (let h = 0; h < d; h++) r[h] += x * sizes[t * d + h];
      if (aborted) break;
    }
    a[t] = 0;
  };
  rec(0);
  return aborted ? null : out;
}
