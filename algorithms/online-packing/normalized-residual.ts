import type { ClusterView } from '../../model/cluster-view.js';

/**
 * The shared quantity behind the online packing measures: what a node would have left after
 * taking `request`, per dimension, as a fraction of that node's allocatable,
 *     r_h = (free_h − request_h) / allocatable_h,
 * written to `out[0..dims)`. A dimension the node does not have (allocatable 0, e.g. GPU on a CPU
 * machine) is written as 0, so it neither counts as room nor as exhaustion — the convention of
 * leftover.ts. Normalizing per node (not by one cluster-wide capacity) is what lets one measure
 * compare nodes of different shapes.
 */
export function normalizedResidual(node: number, request: Float64Array, cluster: ClusterView, out: Float64Array): void {
  const D = cluster.dims;
  const o = node * D;
  const alloc = cluster.allocatable;
  const free = cluster.free;
  for (let d = 0; d < D; d++) {
    const a = alloc[o + d];
    out[d] = a > 0 ? (free[o + d] - request[d]) / a : 0;
  }
}
