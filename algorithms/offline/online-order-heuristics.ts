import type { Packing } from './packing.js';
import type { PackingInstance } from '../../model/packing-instance.js';
import { packInOrder } from './item-centric.js';
import { dimensionWeights, type SizeMeasure, type WeightKind } from './size-measures.js';

/**
 * The classic heuristics applied to the items in the order given (file order, or a caller's
 * permutation): Next Fit, First Fit, Best Fit, Worst Fit (Johnson, Demers, Ullman, Garey & Graham,
 * "Worst-case performance bounds for simple one-dimensional packing algorithms", SIAM J. Comput. 3,
 * 1974). Offline here only in that the list is fixed; no reordering happens. For vectors, Best /
 * Worst Fit rank bins by a measure of their normalized residual (default: L1, unit weights).
 */
export interface OrderOptions {
  /** A permutation of the items; default file order. */
  order?: ArrayLike<number>;
  measure?: SizeMeasure;
  weight?: WeightKind;
}

export function nextFit(inst: PackingInstance, opts: OrderOptions = {}, name = 'NF'): Packing {
  return packInOrder(inst, opts.order ?? null, 'next', name);
}

export function firstFit(inst: PackingInstance, opts: OrderOptions = {}, name = 'FF'): Packing {
  return packInOrder(inst, opts.order ?? null, 'first', name);
}

export function bestFit(inst: PackingInstance, opts: OrderOptions = {}, name = 'BF'): Packing {
  const measure = opts.measure ?? { kind: 'L1' as const };
  return packInOrder(inst, opts.order ?? null, 'best', name, { measure, weights: dimensionWeights(inst, opts.weight ?? 'Unit') });
}

export function worstFit(inst: PackingInstance, opts: OrderOptions = {}, name = 'WF'): Packing {
  const measure = opts.measure ?? { kind: 'L1' as const };
  return packInOrder(inst, opts.order ?? null, 'worst', name, { measure, weights: dimensionWeights(inst, opts.weight ?? 'Unit') });
}
