import type { OpenbNodes } from './nodes.js';
import type { OpenbPods } from './pods.js';
import type { GpuNodeSpec } from '../../model/gpu-node-spec.js';
import type { GpuPodSet } from '../../model/gpu-pod-set.js';

// openb's node and pod lists as the GPU-sharing experiment's records (model/gpu-node-spec.ts,
// model/gpu-pod-set.ts), so GPU policies never see the file format.

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
