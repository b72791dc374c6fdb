import { quantileSorted } from 'simple-statistics';

/**
 * simple-statistics' quantile (its R-7-like definition on sorted input) applied to a sorted typed
 * array; the library only indexes into it, so a typed array works without copying millions of
 * values into a plain array.
 */
export function quantileOfSorted(sorted: Float64Array, p: number): number {
  return quantileSorted(sorted as unknown as number[], p);
}
