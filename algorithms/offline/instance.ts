/**
 * Offline bin-packing instances: the whole item list is known up front.
 *
 * Items are integer-sized vectors of dimension d >= 1 stored item-major in one Float64Array
 * (`sizes[i * d + h]`), so 10^6 one-dimensional or 10^5 vector items are a few contiguous arrays,
 * never objects. Sizes are integers (exact in a double up to 2^53).
 */
export interface PackingInstance {
  /** Instance name, e.g. the file stem. */
  readonly name: string;
  /** Number of resource dimensions (1 for classic bin packing). */
  readonly d: number;
  /** Number of items (a .vbp demand of k counts as k items). */
  readonly n: number;
  /** Bin capacity per dimension, length d, all > 0. */
  readonly capacity: Float64Array;
  /** Item sizes, item-major, length n * d, all >= 0. */
  readonly sizes: Float64Array;
  /** Where the instance came from (a path), when read from a file. */
  readonly source?: string;
}

/** The result of one packing heuristic or solver run. */
export interface Packing {
  /** Algorithm name as given to the registry. */
  readonly algorithm: string;
  /** Number of bins opened. */
  readonly bins: number;
  /** Bin of each item (0-based, bins numbered in the order they were opened). */
  readonly assignment: Int32Array;
}

/** Thrown when an item is larger than the bin in some dimension: no packing exists. */
export class InfeasibleInstanceError extends Error {
  constructor(
    readonly instance: string,
    readonly item: number,
    readonly dimension: number,
  ) {
    super(`instance ${instance}: item ${item} does not fit in an empty bin (dimension ${dimension})`);
    this.name = 'InfeasibleInstanceError';
  }
}

/** Builds an instance from plain arrays (mostly for tests and generators). */
export function makeInstance(
  name: string,
  capacity: number | readonly number[],
  items: readonly (number | readonly number[])[],
): PackingInstance {
  const cap = typeof capacity === 'number' ? [capacity] : [...capacity];
  const d = cap.length;
  const sizes = new Float64Array(items.length * d);
  items.forEach((it, i) => {
    const v = typeof it === 'number' ? [it] : it;
    if (v.length !== d) throw new Error(`item ${i} has ${v.length} dimensions, expected ${d}`);
    for (let h = 0; h < d; h++) sizes[i * d + h] = v[h];
  });
  return { name, d, n: items.length, capacity: Float64Array.from(cap), sizes };
}

/** Index of the first item that does not fit in an empty bin, or -1 if every item fits. */
export function firstOversizedItem(inst: PackingInstance): { item: number; dimension: number } | null {
  const { d, n, sizes, capacity } = inst;
  for (let i = 0; i < n; i++) {
    for (let h = 0; h < d; h++) {
      if (sizes[i * d + h] > capacity[h]) return { item: i, dimension: h };
    }
  }
  return null;
}

/** Throws InfeasibleInstanceError when some item cannot fit in an empty bin. */
export function assertFeasible(inst: PackingInstance): void {
  const bad = firstOversizedItem(inst);
  if (bad) throw new InfeasibleInstanceError(inst.name, bad.item, bad.dimension);
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
