import type { ClusterView } from '../../model/cluster-view.js';

/**
 * Capacity a node would have left after taking `request`, as a sum over dimensions of the
 * leftover fraction of allocatable (dimensions the node does not have are skipped). The size
 * measure behind best fit and worst fit.
 */
export function leftoverFraction(node: number, request: Float64Array, cluster: ClusterView): number {
  const D = cluster.dims;
  const o = node * D;
  let sum = 0;
  for (let d = 0; d < D; d++) {
    const a = cluster.allocatable[o + d];
    if (a > 0) sum += (cluster.free[o + d] - request[d]) / a;
  }
  return sum;
}
