import type { ResourceSchema } from '../../model/resources.js';

/**
 * The Kubernetes reader's resource dimensions: the project defaults (CPU millicores, memory bytes,
 * GPU thousandths) plus `pods`, because a node's pod capacity (kubelet `--max-pods`, 110 by default)
 * is a real limit when pods are small: every pod requests 1 of it, as kube-scheduler's
 * NodeResourcesFit counts it.
 */
export const KUBERNETES_RESOURCES: ResourceSchema = {
  names: ['cpu', 'memory', 'gpu', 'pods'],
  units: ['millicores', 'bytes', 'milli-gpu', 'pods'],
};

export const DIM_CPU = 0;
export const DIM_MEMORY = 1;
export const DIM_GPU = 2;
export const DIM_PODS = 3;
export const DIMS = 4;

/** kubelet's default --max-pods, used for generated nodes and Nodes that do not state capacity.pods. */
export const DEFAULT_MAX_PODS = 110;

/**
 * Kubernetes resource names read into a dimension, with the unit conversion (units per 1 of the
 * quantity): cpu cores → millicores, memory → bytes, nvidia.com/gpu devices → milli-GPU. Other
 * names (ephemeral-storage, hugepages-*, other extended resources) are not modeled; the reader
 * counts them in the notes.
 */
export const RESOURCE_DIMS: Record<string, { dim: number; perUnit: number; whole: boolean }> = {
  cpu: { dim: DIM_CPU, perUnit: 1000, whole: false },
  memory: { dim: DIM_MEMORY, perUnit: 1, whole: false },
  'nvidia.com/gpu': { dim: DIM_GPU, perUnit: 1000, whole: true },
  pods: { dim: DIM_PODS, perUnit: 1, whole: true },
};
