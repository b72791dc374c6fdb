import { packBinCentric } from './bin-centric.js';
import type { Packing } from './packing.js';
import type { PackingInstance } from '../../model/packing-instance.js';
import type { ItemScorer } from './item-kd-tree.js';
import { dimensionWeights, type WeightKind } from './size-measures.js';

/**
 * L2-norm bin-centric packer (Panigrahy, Talwar, Uyeda & Wieder 2011, "L2Norm"; Mommessin et al.
 * 2025 "BCS-L2Norm-<weight>"): while the open bin has room, add the fitting item minimizing
 *     sum_h w_h * ((r_h - s_ih) / C_h)^2
 * i.e. the item that leaves the residual closest to the origin; close the bin when nothing fits.
 */
export function l2NormPacker(inst: PackingInstance, weight: WeightKind = 'Unit', name = `BCS-L2Norm-${weight}`): Packing {
  return packBinCentric(inst, dimensionWeights(inst, weight), l2Scorer, name);
}

function l2Scorer(inst: PackingInstance, resid: Float64Array, w: Float64Array): ItemScorer {
  const { d, sizes, capacity } = inst;
  return {
    bound(boxMin, boxMax, off) {
      // Fitting items have s_h <= r_h, so (r_h - s_h) >= r_h - min(boxMax_h, r_h) >= 0.
      let s = 0;
      for (let h = 0; h < d; h++) {
        const r = resid[h];
        if (boxMin[off + h] > r) return -Infinity;
        const hi = boxMax[off + h] < r ? boxMax[off + h] : r;
        const g = (r - hi) / capacity[h];
        s += w[h] * g * g;
      }
      return -s;
    },
    score(i) {
      let s = 0;
      const o = i * d;
      for (let h = 0; h < d; h++) {
        const r = resid[h];
        const v = sizes[o + h];
        if (v > r) return -Infinity;
        const g = (r - v) / capacity[h];
        s += w[h] * g * g;
      }
      return -s;
    },
  };
}
