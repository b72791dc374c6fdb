import { fitByMeasure } from './fit-by-measure.js';

/**
 * L2-norm distance, the norm-based greedy rule of Panigrahy, Talwar, Uyeda & Wieder, "Heuristics for
 * vector bin packing" (Microsoft Research, 2011), in its item-centric (online) form: the feasible
 * node minimizing
 *     ‖(free − request) / allocatable‖₂²
 * i.e. the node whose normalized leftover vector lands closest to the origin — the node the task
 * "completes" best in every dimension at once. This is best fit under the L2 measure, so it decides
 * exactly as `best-fit-l2`; it is registered under the paper's name too so either finds it.
 * Unit weights. Sampling as best fit (fit-by-measure.ts).
 */
export const l2Norm = fitByMeasure({
  name: 'l2-norm',
  direction: 'best',
  measure: { kind: 'l2' },
  description: "Panigrahy et al. '11 L2-norm distance: min ‖(free − demand)/allocatable‖₂ (same decisions as best-fit-l2)",
});
