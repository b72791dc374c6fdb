import type { PackingInstance } from '../../model/packing-instance.js';
import { decreasingOrder, dimensionWeights, itemMeasures, type SizeMeasure, type WeightKind } from './size-measures.js';

/**
 * Items sorted by decreasing size measure, ties in file order (stable). In one dimension every
 * measure orders items by size, so the raw integer sizes are the keys (fast packed sort).
 */
export function decreasingItemOrder(
  inst: PackingInstance,
  measure: SizeMeasure,
  weights: Float64Array,
): Uint32Array {
  if (inst.d === 1) return decreasingOrder(inst.sizes);
  return decreasingOrder(itemMeasures(inst, measure, weights));
}

/** Options shared by the FFD / BFD / WFD families. */
export interface DecreasingOptions {
  /** Size measure for ordering items (and bins for BFD / WFD). Default L1 (sum). */
  measure?: SizeMeasure;
  /** Dimension weights. Default Unit. */
  weight?: WeightKind;
}

export function resolveDecreasing(inst: PackingInstance, opts: DecreasingOptions) {
  const measure = opts.measure ?? { kind: 'L1' as const };
  const weights = dimensionWeights(inst, opts.weight ?? 'Unit');
  return { measure, weights };
}
