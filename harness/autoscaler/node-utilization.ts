import type { ClusterView } from '../../model/cluster-view.js';

/**
 * A node's utilization as the cluster autoscaler measures it for scale-down (kubernetes/autoscaler
 * cluster-autoscaler/simulator/utilization, FAQ.md "How does scale-down work?" and the
 * `scale-down-utilization-threshold` parameter): the larger of Σ CPU requests / allocatable CPU
 * and Σ memory requests / allocatable memory, over every pod bound to the node (DaemonSet pods
 * included, upstream's default); on a node with GPUs, the GPU share alone (upstream measures GPU
 * nodes by their GPUs). Requests are what the scheduler charged (the admission vectors).
 * Returns the measure for a cluster (its dimensions looked up once).
 */
export function utilizationOf(cluster: ClusterView): (node: number) => number {
  const D = cluster.dims;
  const names = cluster.resources.names;
  const gpu = names.indexOf('gpu');
  const dims = ['cpu', 'memory'].map((n) => names.indexOf(n)).filter((d) => d >= 0);
  return (node: number): number => {
    const o = node * D;
    if (gpu >= 0 && cluster.allocatable[o + gpu] > 0) return cluster.requested[o + gpu] / cluster.allocatable[o + gpu];
    let u = 0;
    for (const d of dims) {
      const a = cluster.allocatable[o + d];
      const r = cluster.requested[o + d];
      const share = a > 0 ? r / a : r > 0 ? Infinity : 0;
      if (share > u) u = share;
    }
    return u;
  };
}
