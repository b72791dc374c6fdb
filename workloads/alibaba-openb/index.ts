/** Alibaba openb (cluster-trace-gpu-v2023) reader: node lists, pod lists, and the Workload for replay. */
export { readOpenb, openbWorkload, openbMachines, resolveOpenbFiles, type OpenbReadOptions } from './reader.js';
export { looksLikeOpenb, openbTableKind } from './detect.js';
export { readOpenbNodes, type OpenbNodes } from './nodes.js';
export { readOpenbPods, openbPodCounts, podGpuTotal, type OpenbPods, type OpenbPodReadOptions } from './pods.js';
