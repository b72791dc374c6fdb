import type { PackingInstance } from '../../model/packing-instance.js';
import { decreasingOrder, dimensionWeights, itemMeasures, type SizeMeasure, type WeightKind } from './size-measures.js';
import { dynamicDecreasingOrder } from './dynamic-weights.js';
import type { BinMeasureSpec } from './item-centric.js';

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
  /** Recompute the weights from the remaining items after every placement ("-Dyn", dynamic-weights.ts). */
  dynamic?: boolean;
}

/**
 * The item order and bin measure of a decreasing algorithm: static weights sort once; dynamic
 * weights (d > 1) choose each next item under the remaining items' weights and hand the
 * step-by-step weights to the bin measure.
 */
export function decreasingPlan(inst: PackingInstance, opts: DecreasingOptions): { order: Uint32Array; binMeasure: BinMeasureSpec } {
  const { measure, weights } = resolveDecreasing(inst, opts);
  if (opts.dynamic && inst.d > 1) {
    const dyn = dynamicDecreasingOrder(inst, measure, opts.weight ?? 'Unit');
    return { order: dyn.order, binMeasure: { measure, weights, weightsByStep: dyn.weightsByStep } };
  }
  return { order: decreasingItemOrder(inst, measure, weights), binMeasure: { measure, weights } };
}

export function resolveDecreasing(inst: PackingInstance, opts: DecreasingOptions) {
  const measure = opts.measure ?? { kind: 'L1' as const };
  const weights = dimensionWeights(inst, opts.weight ?? 'Unit');
  return { measure, weights };
}
