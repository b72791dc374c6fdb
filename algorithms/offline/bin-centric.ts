import { assertFeasible } from './instance-feasibility.js';
import type { Packing } from './packing.js';
import type { PackingInstance } from '../../model/packing-instance.js';
import { type ItemScorer, ItemKdTree } from './item-kd-tree.js';

/**
 * Bin-centric packing (Panigrahy, Talwar, Uyeda & Wieder, "Heuristics for vector bin packing",
 * Microsoft Research TR, 2011; "BCS" in Mommessin, Erlebach & Shakhlevich, C&OR 2025): open one bin,
 * repeatedly add the remaining item that fits and has the best score against the bin's current
 * residual capacity, and close the bin for good when no remaining item fits; then open the next.
 *
 * The best item is found by branch and bound over a k-d tree of the items (bounds from each node's
 * bounding box), which gives exactly the same choice as scanning every remaining item.
 * Tie-breaking: equal scores go to the lowest item index (file order). Mommessin et al. scan a list
 * that their swaps permute, so their ties can fall differently.
 */
export type BinScoreFactory = (
  inst: PackingInstance,
  resid: Float64Array,
  weights: Float64Array,
) => ItemScorer;

export function packBinCentric(
  inst: PackingInstance,
  weights: Float64Array,
  makeScorer: BinScoreFactory,
  algorithm: string,
): Packing {
  assertFeasible(inst);
  const { n, d, sizes, capacity } = inst;
  const assignment = new Int32Array(n);
  if (n === 0) return { algorithm, bins: 0, assignment };
  const tree = new ItemKdTree(sizes, d, n);
  const resid = new Float64Array(d);
  const scorer = makeScorer(inst, resid, weights);
  let bins = 0;
  let left = n;
  while (left > 0) {
    const b = bins++;
    resid.set(capacity);
    for (;;) {
      const i = tree.best(scorer);
      if (i < 0) break;
      tree.remove(i);
      for (let h = 0; h < d; h++) resid[h] -= sizes[i * d + h];
      assignment[i] = b;
      left--;
      if (left === 0) break;
    }
  }
  return { algorithm, bins, assignment };
}
