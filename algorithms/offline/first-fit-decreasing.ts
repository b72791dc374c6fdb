import { type DecreasingOptions, decreasingPlan } from './decreasing-order.js';
import type { Packing } from './packing.js';
import type { PackingInstance } from '../../model/packing-instance.js';
import { packInOrder } from './item-centric.js';

/**
 * First Fit Decreasing (Johnson, "Near-optimal bin packing algorithms", PhD thesis, MIT, 1973;
 * 11/9 OPT + 6/9 bound by Dósa, 2007), generalized to vectors by sorting on a size measure
 * (Mommessin et al. 2025 name these FFD-<measure>-<weight>, e.g. FFD-L2-Avg; Panigrahy et al. 2011
 * call FFD-L1-Unit "FFDSum" and the product measure "FFDProd"). Items in decreasing measure order
 * (ties: file order), each into the lowest-numbered bin that fits. O(n log n) in one dimension.
 */
export function firstFitDecreasing(inst: PackingInstance, opts: DecreasingOptions = {}, name = 'FFD'): Packing {
  const plan = decreasingPlan(inst, opts);
  return packInOrder(inst, plan.order, 'first', name, plan.binMeasure);
}
