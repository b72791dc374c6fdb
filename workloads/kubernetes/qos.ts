import type { ContainerResources } from './pod-resources.js';
import { DIM_CPU, DIM_MEMORY } from './resources.js';

export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

/**
 * The pod's QoS class, as the kubelet computes it (pkg/apis/core/helper/qos GetPodQOS), from CPU
 * and memory only, over all containers (init containers included), after a limit alone has set
 * an equal request:
 * - BestEffort: no container states any CPU or memory request or limit;
 * - Guaranteed: every container has CPU and memory limits, each equal to its request;
 * - Burstable: everything else.
 * Only positive quantities count (a stated 0 is like no statement). Pod overhead does not enter.
 * A pod with pod-level resources (`spec.resources`, KEP-2837) is classed by them alone, after
 * defaulting (ComputePodQOS): BestEffort without any positive cpu/memory request or limit;
 * Guaranteed when the pod-level limits name both cpu and memory and every request equals its limit.
 */
export function qosClass(containers: readonly ContainerResources[], podLevel?: { request: Float64Array; limit: Float64Array }): QosClass {
  if (podLevel !== undefined) return podLevelQos(podLevel.request, podLevel.limit);
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    for (const d of [DIM_CPU, DIM_MEMORY]) {
      const req = c.request[d];
      const lim = c.limit[d];
      // The kubelet counts only positive quantities: `cpu: 0` is as good as absent.
      if (req > 0 || lim > 0) any = true;
      if (!(lim > 0 && req === lim)) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function podLevelQos(request: Float64Array, limit: Float64Array): QosClass {
  const dims = [DIM_CPU, DIM_MEMORY];
  const req = dims.filter((d) => request[d] > 0);
  const lim = dims.filter((d) => limit[d] > 0);
  if (req.length === 0 && lim.length === 0) return 'BestEffort';
  const guaranteed = lim.length === dims.length && req.length === lim.length && req.every((d) => request[d] === limit[d]);
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
