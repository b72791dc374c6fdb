import { packBinCentric } from './bin-centric.js';
import type { Packing } from './packing.js';
import type { PackingInstance } from '../../model/packing-instance.js';
import type { ItemScorer } from './item-kd-tree.js';
import { dimensionWeights, type WeightKind } from './size-measures.js';

/**
 * Dot-product bin-centric packer (Panigrahy, Talwar, Uyeda & Wieder 2011, "DotProduct"; Mommessin
 * et al. 2025 "BCS-DP1-<weight>"): while the open bin has room, add the fitting item maximizing
 *     sum_h w_h * (s_ih / C_h) * (r_h / C_h)
 * where r is the bin's residual capacity; close the bin when nothing fits. Weights as in
 * size-measures.ts (Unit, Avg = scarcity, Expo, ReciprocAvg).
 */
export function dotProductPacker(inst: PackingInstance, weight: WeightKind = 'Unit', name = `BCS-DP1-${weight}`): Packing {
  return packBinCentric(inst, dimensionWeights(inst, weight), dotProductScorer, name);
}

function dotProductScorer(inst: PackingInstance, resid: Float64Array, w: Float64Array): ItemScorer {
  const { d, sizes, capacity } = inst;
  // coef_h = w_h * r_h / C_h^2, refreshed lazily per call (resid changes between calls).
  return {
    bound(boxMin, boxMax, off) {
      let s = 0;
      for (let h = 0; h < d; h++) {
        const r = resid[h];
        if (boxMin[off + h] > r) return -Infinity;
        const hi = boxMax[off + h] < r ? boxMax[off + h] : r;
        s += (w[h] * hi * r) / (capacity[h] * capacity[h]);
      }
      return s;
    },
    score(i) {
      let s = 0;
      const o = i * d;
      for (let h = 0; h < d; h++) {
        const r = resid[h];
        const v = sizes[o + h];
        if (v > r) return -Infinity;
        s += (w[h] * v * r) / (capacity[h] * capacity[h]);
      }
      return s;
    },
  };
}
