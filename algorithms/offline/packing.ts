import type { PackingInstance } from '../../model/packing-instance.js';

/** The result of one packing heuristic or solver run. */
export interface Packing {
  /** Algorithm name as given to the registry. */
  readonly algorithm: string;
  /** Number of bins opened. */
  readonly bins: number;
  /** Bin of each item (0-based, bins numbered in the order they were opened). */
  readonly assignment: Int32Array;
}

/**
 * Checks a packing: every item assigned to a bin in [0, bins), no bin over capacity in any
 * dimension. Returns null when valid, else a description of the first violation.
 */
export function validatePacking(inst: PackingInstance, p: Packing): string | null {
  const { d, n, sizes, capacity } = inst;
  if (p.assignment.length !== n) return `assignment has ${p.assignment.length} entries, expected ${n}`;
  const load = new Float64Array(p.bins * d);
  const used = new Uint8Array(p.bins);
  for (let i = 0; i < n; i++) {
    const b = p.assignment[i];
    if (!(b >= 0 && b < p.bins)) return `item ${i} assigned to bin ${b}, outside [0, ${p.bins})`;
    used[b] = 1;
    for (let h = 0; h < d; h++) load[b * d + h] += sizes[i * d + h];
  }
  for (let b = 0; b < p.bins; b++) {
    if (!used[b]) return `bin ${b} is empty`;
    for (let h = 0; h < d; h++) {
      if (load[b * d + h] > capacity[h]) return `bin ${b} exceeds capacity in dimension ${h}`;
    }
  }
  return null;
}
