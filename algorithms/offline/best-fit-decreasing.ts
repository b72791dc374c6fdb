import { type DecreasingOptions, decreasingPlan } from './decreasing-order.js';
import type { Packing } from './packing.js';
import type { PackingInstance } from '../../model/packing-instance.js';
import { packInOrder } from './item-centric.js';

/**
 * Best Fit Decreasing (Johnson 1973): items in decreasing measure order (ties: file order), each into
 * the fitting bin whose residual capacity has the smallest measure (ties: earliest opened bin). For
 * vectors the bin measure is the item measure applied to the normalized residual with the same
 * weights: Mommessin et al.'s (2025) "BFD-T1-<measure>-<weight>". O(n log n) in one dimension.
 */
export function bestFitDecreasing(inst: PackingInstance, opts: DecreasingOptions = {}, name = 'BFD'): Packing {
  const plan = decreasingPlan(inst, opts);
  return packInOrder(inst, plan.order, 'best', name, plan.binMeasure);
}
