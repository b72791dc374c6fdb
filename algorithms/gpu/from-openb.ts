import type { OpenbNodes } from '../../workloads/alibaba-openb/nodes.js';
import type { OpenbPods } from '../../workloads/alibaba-openb/pods.js';
import type { GpuNodeSpec, GpuPodSet } from './gpu-cluster.js';

/** openb node list → GPU node specs (memory in MiB, as the pods). */
export function gpuNodesFromOpenb(nodes: OpenbNodes): GpuNodeSpec[] {
  return nodes.ids.map((id, i) => ({ id, cpu: nodes.cpuMilli[i], memory: nodes.memoryMib[i], gpus: nodes.gpus[i], model: nodes.model[i] }));
}

/** openb pod list → GPU pod set (same arrays where the layout matches). */
export function gpuPodsFromOpenb(pods: OpenbPods): GpuPodSet {
  const n = pods.count;
  return {
    count: n,
    cpu: pods.cpuMilli.subarray(0, n),
    memory: pods.memoryMib.subarray(0, n),
    gpuMilli: pods.gpuMilli.subarray(0, n),
    gpuCount: pods.numGpu.subarray(0, n),
    spec: pods.spec.subarray(0, n),
    specs: pods.specs,
  };
}
