import type { PackingInstance } from '../../model/packing-instance.js';

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
