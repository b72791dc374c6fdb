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
