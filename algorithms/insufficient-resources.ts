import type { ResourceSchema } from '../model/resources.js';
import type { ClusterView } from '../model/cluster-view.js';

/**
 * Which resources a node lacks for a request, worded as kube-scheduler's NodeResourcesFit filter
 * reports them (pkg/scheduler/framework/plugins/noderesources/fit.go fitsRequest): "Too many pods"
 * when the node's pod capacity is used up, then "Insufficient <resource>" for every resource the
 * pod requests (> 0) beyond the node's free allocatable, in schema order (cpu, memory, then
 * extended resources). Every failing resource is a reason of its own, as in kube.
 *
 * Resource names are the schema's, except the Kubernetes reader's `gpu` dimension, which is
 * `nvidia.com/gpu` in the manifests and so in kube's message.
 */
export function resourceReasonLabels(resources: ResourceSchema): string[] {
  const kube = resources.names.includes('pods');
  return resources.names.map((n) => (n === 'pods' ? 'Too many pods' : `Insufficient ${kube && n === 'gpu' ? 'nvidia.com/gpu' : n}`));
}

/** Appends to `out` the reasons `node` cannot take `request` (nothing when it fits); returns how many. */
export function insufficientResources(cluster: ClusterView, request: Float64Array, node: number, labels: readonly string[], out: string[]): number {
  const D = cluster.dims;
  const o = node * D;
  const podsDim = cluster.resources.names.indexOf('pods');
  let n = 0;
  // kube checks the pod count first.
  if (podsDim >= 0 && request[podsDim] > 0 && request[podsDim] > cluster.free[o + podsDim]) {
    out.push(labels[podsDim]);
    n++;
  }
  for (let d = 0; d < D; d++) {
    if (d === podsDim) continue;
    if (request[d] > 0 && request[d] > cluster.free[o + d]) {
      out.push(labels[d]);
      n++;
    }
  }
  return n;
}
