import type { PackingInstance } from '../../model/packing-instance.js';

/**
 * Size measures and dimension weights for vector bin packing, following the taxonomy of
 * Mommessin, Erlebach & Shakhlevich, "Classification and evaluation of the algorithms for vector bin
 * packing", Computers & Operations Research (2025), and the earlier measures of Panigrahy, Talwar,
 * Uyeda & Wieder, "Heuristics for vector bin packing", Microsoft Research TR (2011).
 *
 * All measures work on normalized sizes s'_h = s_h / C_h (so every dimension has capacity 1).
 *
 * Measures (of an item size vector s', or of a bin's normalized residual r'):
 *   L1   (alias Sum):  sum_h w_h s'_h
 *   Linf (alias Max):  max_h w_h s'_h
 *   L2:                sum_h w_h s'_h^2  (the square of the weighted L2 norm; same order, no sqrt)
 *   Prod:              prod_h s'_h       (Panigrahy et al.'s FFDProd; weights ignored)
 *   Dim<k>:            s'_k              (one chosen resource, e.g. Dim0 = "FFD by CPU")
 *
 * Weights (computed once from the whole item list; "static" weights in Mommessin et al.):
 *   Unit:        w_h = 1
 *   Avg:         w_h = sum_i s'_ih  (total demand of dimension h in bin capacities; "scarcity":
 *                a dimension that needs more bins' worth of capacity weighs more)
 *   Expo:        w_h = exp(0.01 * sum_i s'_ih / n)  (Panigrahy et al.'s exponential weights)
 *   ReciprocAvg: w_h = 1 / sum_i s'_ih (0 when the dimension is unused)
 * Dynamic variants ("-Dyn": the same formulas over the items not yet packed, recomputed after every
 * placement) are in dynamic-weights.ts.
 */
export type MeasureKind = 'L1' | 'Linf' | 'L2' | 'Prod' | 'Dim';
export type WeightKind = 'Unit' | 'Avg' | 'Expo' | 'ReciprocAvg';

export interface SizeMeasure {
  kind: MeasureKind;
  /** The chosen dimension for kind 'Dim'. */
  dim?: number;
}

/** Parses 'L1' | 'Sum' | 'Linf' | 'Max' | 'L2' | 'Prod' | 'Dim<k>' (case-insensitive). */
export function parseMeasure(s: string): SizeMeasure | null {
  const t = s.toLowerCase();
  if (t === 'l1' || t === 'sum') return { kind: 'L1' };
  if (t === 'linf' || t === 'max') return { kind: 'Linf' };
  if (t === 'l2') return { kind: 'L2' };
  if (t === 'prod' || t === 'product') return { kind: 'Prod' };
  const m = /^dim(\d+)$/.exec(t);
  if (m) return { kind: 'Dim', dim: Number(m[1]) };
  return null;
}

/** Parses 'Unit' | 'Avg' (alias 'Scarcity') | 'Expo' | 'ReciprocAvg' (case-insensitive). */
export function parseWeight(s: string): WeightKind | null {
  const t = s.toLowerCase();
  if (t === 'unit') return 'Unit';
  if (t === 'avg' || t === 'scarcity') return 'Avg';
  if (t === 'expo' || t === 'exp') return 'Expo';
  if (t === 'reciprocavg') return 'ReciprocAvg';
  return null;
}

export function measureName(m: SizeMeasure): string {
  return m.kind === 'Dim' ? `Dim${m.dim ?? 0}` : m.kind;
}

/** Total normalized size per dimension: sum_i s_ih / C_h. */
export function totalNormalizedSize(inst: PackingInstance): Float64Array {
  const { d, n, sizes, capacity } = inst;
  const tot = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let h = 0; h < d; h++) tot[h] += sizes[i * d + h];
  for (let h = 0; h < d; h++) tot[h] /= capacity[h];
  return tot;
}

/** Dimension weights of the given kind for this instance (length d). */
export function dimensionWeights(inst: PackingInstance, kind: WeightKind): Float64Array {
  const d = inst.d;
  const w = new Float64Array(d);
  if (kind === 'Unit') return w.fill(1);
  const tot = totalNormalizedSize(inst);
  for (let h = 0; h < d; h++) {
    if (kind === 'Avg') w[h] = tot[h];
    else if (kind === 'Expo') w[h] = Math.exp((0.01 * tot[h]) / Math.max(1, inst.n));
    else w[h] = tot[h] > 1e-12 ? 1 / tot[h] : 0;
  }
  return w;
}

/**
 * Measure of a normalized vector v' given as raw values v and capacities C (v'_h = v_h / C_h),
 * reading d values from `src` at `off`.
 */
export function measureOf(
  m: SizeMeasure,
  w: Float64Array,
  src: Float64Array,
  off: number,
  capacity: Float64Array,
): number {
  const d = capacity.length;
  switch (m.kind) {
    case 'L1': {
      let s = 0;
      for (let h = 0; h < d; h++) s += (w[h] * src[off + h]) / capacity[h];
      return s;
    }
    case 'Linf': {
      let s = 0;
      for (let h = 0; h < d; h++) {
        const v = (w[h] * src[off + h]) / capacity[h];
        if (v > s) s = v;
      }
      return s;
    }
    case 'L2': {
      let s = 0;
      for (let h = 0; h < d; h++) {
        const v = src[off + h] / capacity[h];
        s += w[h] * v * v;
      }
      return s;
    }
    case 'Prod': {
      let s = 1;
      for (let h = 0; h < d; h++) s *= src[off + h] / capacity[h];
      return s;
    }
    case 'Dim': {
      const k = m.dim ?? 0;
      if (k < 0 || k >= d) throw new Error(`size measure Dim${k}: the instance has ${d} dimension(s)`);
      return src[off + k] / capacity[k];
    }
  }
}

/** Measure of every item (length n). */
export function itemMeasures(inst: PackingInstance, m: SizeMeasure, w: Float64Array): Float64Array {
  const out = new Float64Array(inst.n);
  for (let i = 0; i < inst.n; i++) out[i] = measureOf(m, w, inst.sizes, i * inst.d, inst.capacity);
  return out;
}

/**
 * Item indices sorted by decreasing key; ties keep the original (file) order, i.e. a stable sort,
 * as in Mommessin et al.'s implementation. Uses a packed Float64Array sort when keys are
 * non-negative integers below 2^31 and n < 2^21 (exact in a double), else a comparator sort.
 */
export function decreasingOrder(keys: Float64Array): Uint32Array {
  const n = keys.length;
  let intKeys = n < 1 << 21;
  for (let i = 0; intKeys && i < n; i++) {
    const k = keys[i];
    if (!(k >= 0 && k < 2 ** 31 && Math.floor(k) === k)) intKeys = false;
  }
  const order = new Uint32Array(n);
  if (intKeys) {
    // key * 2^21 + (2^21 - 1 - i): ascending sort then reverse = decreasing key, increasing index.
    const packed = new Float64Array(n);
    const M = 1 << 21;
    for (let i = 0; i < n; i++) packed[i] = keys[i] * M + (M - 1 - i);
    packed.sort();
    for (let j = 0; j < n; j++) order[j] = M - 1 - (packed[n - 1 - j] % M);
    return order;
  }
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => keys[b] - keys[a] || a - b);
  return order;
}
