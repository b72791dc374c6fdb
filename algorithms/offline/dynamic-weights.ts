import type { PackingInstance } from '../../model/packing-instance.js';
import { measureOf, type SizeMeasure, type WeightKind } from './size-measures.js';

/**
 * Dynamic weights ("-Dyn" in Mommessin, Erlebach & Shakhlevich, Computers & OR 2025): the
 * dimension weights are recomputed from the items not yet packed after every placement, and the
 * next item is the remaining one of largest measure under the current weights (ties: file order).
 * The weight formulas are the static ones of size-measures.ts applied to the remaining items:
 *   Avg: w_h = Σ_remaining s'_ih;  Expo: w_h = exp(0.01 · Σ_remaining s'_ih / n_remaining);
 *   ReciprocAvg: w_h = 1 / Σ_remaining s'_ih (0 when unused);  Unit: 1 (dynamic = static).
 * The order depends only on which items remain, not on the bins, so it is worked out up front.
 * Returns the item order and the weights in force before each step (`k * d`), for the bin measure
 * of best / worst fit. O(n² d): for the benchmark sizes (hundreds to a few thousand items).
 */
export function dynamicDecreasingOrder(inst: PackingInstance, measure: SizeMeasure, kind: WeightKind): { order: Uint32Array; weightsByStep: Float64Array } {
  const { n, d, sizes, capacity } = inst;
  const order = new Uint32Array(n);
  const weightsByStep = new Float64Array(n * d);
  const total = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let h = 0; h < d; h++) total[h] += sizes[i * d + h] / capacity[h];
  const done = new Uint8Array(n);
  const w = new Float64Array(d);
  for (let k = 0; k < n; k++) {
    const left = n - k;
    for (let h = 0; h < d; h++) {
      const t = total[h] > 1e-12 ? total[h] : 0; // rounding leaves tiny remainders when a dimension runs out
      if (kind === 'Unit') w[h] = 1;
      else if (kind === 'Avg') w[h] = t;
      else if (kind === 'Expo') w[h] = Math.exp((0.01 * t) / left);
      else w[h] = t > 0 ? 1 / t : 0;
    }
    weightsByStep.set(w, k * d);
    let best = -1;
    let bestKey = -Infinity;
    for (let i = 0; i < n; i++) {
      if (done[i]) continue;
      const key = measureOf(measure, w, sizes, i * d, capacity);
      if (key > bestKey) {
        bestKey = key;
        best = i;
      }
    }
    done[best] = 1;
    order[k] = best;
    for (let h = 0; h < d; h++) total[h] -= sizes[best * d + h] / capacity[h];
  }
  return { order, weightsByStep };
}
