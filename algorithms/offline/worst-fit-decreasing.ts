import { type DecreasingOptions, decreasingPlan } from './decreasing-order.js';
import type { Packing } from './packing.js';
import type { PackingInstance } from '../../model/packing-instance.js';
import { packInOrder } from './item-centric.js';

/**
 * Worst Fit Decreasing (Johnson 1973): items in decreasing measure order (ties: file order), each
 * into the fitting bin whose residual capacity has the largest measure (ties: earliest opened bin);
 * a new bin only when no open bin fits. Vectors: Mommessin et al.'s (2025) "WFD-T1-<measure>-<weight>".
 */
export function worstFitDecreasing(inst: PackingInstance, opts: DecreasingOptions = {}, name = 'WFD'): Packing {
  const plan = decreasingPlan(inst, opts);
  return packInOrder(inst, plan.order, 'worst', name, plan.binMeasure);
}
