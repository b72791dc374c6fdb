import { assertFeasible } from './instance-feasibility.js';
import type { Packing } from './packing.js';
import type { PackingInstance } from '../../model/packing-instance.js';
import { MaxSegmentTree, ResidualTreap } from './residual-trees.js';
import { measureOf, type SizeMeasure } from './size-measures.js';
import { VectorBinTree } from './vector-bin-tree.js';

/**
 * The item-centric engine shared by FF/NF/BF/WF (items in the given order) and FFD/BFD/WFD (items in
 * decreasing order of a size measure): take the items one by one and put each into a bin chosen by
 * the fit rule, opening a new bin when no open bin fits.
 *
 *  - first: the lowest-numbered (earliest opened) bin that fits;
 *  - next:  only the most recently opened bin is considered (Next Fit);
 *  - best:  the fitting bin whose residual capacity has the smallest measure;
 *  - worst: the fitting bin whose residual capacity has the largest measure.
 *
 * Tie-breaking (documented, deterministic): among bins of equal measure the lowest bin index (the
 * earliest opened) wins. Mommessin et al. keep bins in a list re-sorted by bubbling, so their ties
 * can fall differently; in one dimension that never changes the bin count (bins with equal residual
 * are interchangeable), in several it can.
 *
 * The bin measure for best / worst fit is the size measure applied to the bin's normalized residual
 * capacity with the same weights as the items (Mommessin et al.'s "T1" bin ordering). In one
 * dimension every measure orders bins by residual, so the 1-D path ignores it.
 *
 * Cost: O(n log n) in one dimension (tournament tree for first fit, treap for best / worst fit),
 * and a branch-and-bound descent of a segment tree over bins per item in d dimensions.
 */
export type FitRule = 'first' | 'next' | 'best' | 'worst';

export interface BinMeasureSpec {
  measure: SizeMeasure;
  weights: Float64Array;
  /**
   * Dynamic weights ("-Dyn"): the weights in force at step k at `k * d` (the remaining items' weights
   * before the k-th placement, dynamic-weights.ts). Best / worst fit then re-key every open bin
   * with them at each step, so bins are ordered as the current weights say.
   */
  weightsByStep?: Float64Array;
}

export function packInOrder(
  inst: PackingInstance,
  order: ArrayLike<number> | null,
  rule: FitRule,
  algorithm: string,
  binMeasure?: BinMeasureSpec,
): Packing {
  assertFeasible(inst);
  const n = inst.n;
  const assignment = new Int32Array(n);
  if (n === 0) return { algorithm, bins: 0, assignment };
  const bins = inst.d === 1 ? pack1d(inst, order, rule, assignment) : packVec(inst, order, rule, assignment, binMeasure);
  return { algorithm, bins, assignment };
}

function pack1d(inst: PackingInstance, order: ArrayLike<number> | null, rule: FitRule, out: Int32Array): number {
  const n = inst.n;
  const s = inst.sizes;
  const C = inst.capacity[0];
  let opened = 0;
  if (rule === 'next') {
    let cur = -1;
    let resid = 0;
    for (let k = 0; k < n; k++) {
      const i = order ? order[k] : k;
      const w = s[i];
      if (cur < 0 || w > resid) {
        cur = opened++;
        resid = C;
      }
      resid -= w;
      out[i] = cur;
    }
    return opened;
  }
  if (rule === 'first') {
    const tree = new MaxSegmentTree(n, C);
    for (let k = 0; k < n; k++) {
      const i = order ? order[k] : k;
      const w = s[i];
      const b = tree.leftmostAtLeast(w);
      if (b >= opened) opened = b + 1;
      tree.set(b, tree.get(b) - w);
      out[i] = b;
    }
    return opened;
  }
  const treap = new ResidualTreap(n);
  for (let k = 0; k < n; k++) {
    const i = order ? order[k] : k;
    const w = s[i];
    let b: number;
    if (rule === 'best') {
      b = treap.ceiling(w);
    } else {
      const mx = treap.maxKey();
      b = mx >= w ? treap.ceiling(mx) : -1;
    }
    if (b < 0) {
      b = opened++;
      treap.insert(b, C - w);
    } else {
      const r = treap.key[b] - w;
      treap.remove(b);
      treap.insert(b, r);
    }
    out[i] = b;
  }
  return opened;
}

function packVec(
  inst: PackingInstance,
  order: ArrayLike<number> | null,
  rule: FitRule,
  out: Int32Array,
  binMeasure?: BinMeasureSpec,
): number {
  const { n, d, sizes, capacity } = inst;
  const resid = new Float64Array(n * d); // residual of bin b at b*d
  let opened = 0;
  const open = (): number => {
    const b = opened++;
    for (let h = 0; h < d; h++) resid[b * d + h] = capacity[h];
    return b;
  };
  const place = (i: number, b: number) => {
    for (let h = 0; h < d; h++) resid[b * d + h] -= sizes[i * d + h];
    out[i] = b;
  };
  if (rule === 'next') {
    let cur = -1;
    for (let k = 0; k < n; k++) {
      const i = order ? order[k] : k;
      let fits = cur >= 0;
      for (let h = 0; fits && h < d; h++) if (sizes[i * d + h] > resid[cur * d + h]) fits = false;
      if (!fits) cur = open();
      place(i, cur);
    }
    return opened;
  }
  const tree = new VectorBinTree(d, capacity, n);
  const m = binMeasure?.measure ?? { kind: 'L1' as const };
  let w = binMeasure?.weights ?? new Float64Array(d).fill(1);
  const byStep = rule === 'first' ? undefined : binMeasure?.weightsByStep;
  for (let k = 0; k < n; k++) {
    const i = order ? order[k] : k;
    const off = i * d;
    if (byStep) {
      w = byStep.subarray(k * d, k * d + d);
      for (let ob = 0; ob < opened; ob++) tree.setBin(ob, resid, ob * d, measureOf(m, w, resid, ob * d, capacity));
    }
    let b: number;
    if (rule === 'first') {
      b = tree.firstFit(sizes, off);
      if (b >= opened) b = open();
    } else {
      b = rule === 'best' ? tree.bestFit(sizes, off) : tree.worstFit(sizes, off);
      if (b < 0) b = open();
    }
    place(i, b);
    tree.setBin(b, resid, b * d, rule === 'first' ? 0 : measureOf(m, w, resid, b * d, capacity));
  }
  return opened;
}
