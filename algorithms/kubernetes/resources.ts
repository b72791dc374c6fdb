import type { ClusterView, TaskView } from '../policy.js';
import { DEFAULT_MEMORY_REQUEST, DEFAULT_MILLI_CPU_REQUEST } from '../kube-scoring.js';

/** A resource named in scoring args and its weight (kube's config.ResourceSpec). */
export interface ResourceSpec {
  name: string;
  weight: number;
}

export const DEFAULT_SCORING_RESOURCES: readonly ResourceSpec[] = [
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
];

/** Kubernetes resource names that map onto schedlab's dimension names. */
const ALIASES: Record<string, string> = { 'nvidia.com/gpu': 'gpu', 'ephemeral-storage': 'disk' };

/** Dimension of a Kubernetes resource name in the cluster's schema, -1 when the cluster has none (kube: allocatable 0, skipped). */
export function resourceDim(cluster: ClusterView, name: string): number {
  const names = cluster.resources.names;
  const i = names.indexOf(name);
  return i >= 0 ? i : names.indexOf(ALIASES[name] ?? '');
}

/**
 * Per-decision view of the scored resources: dimension, weight and the pod's amount. With
 * `nonZero`, a missing CPU / memory request counts as kube's 100 millicores / 200 MB (scoring
 * only; schedlab applies the default to missing requests, not to explicit zeros — see
 * kube-scoring.ts).
 */
export class ScoredResources {
  dims = new Int32Array(0);
  weights = new Float64Array(0);
  amounts = new Float64Array(0);
  count = 0;
  private readonly specs: readonly ResourceSpec[];
  private resolvedFor: ClusterView | undefined;

  constructor(specs: readonly ResourceSpec[]) {
    this.specs = specs;
  }

  prepare(task: TaskView, cluster: ClusterView, nonZero: boolean): void {
    if (this.resolvedFor !== cluster) {
      const dims: number[] = [];
      const weights: number[] = [];
      for (const s of this.specs) {
        const d = resourceDim(cluster, s.name);
        if (d < 0) continue;
        dims.push(d);
        weights.push(s.weight);
      }
      this.dims = Int32Array.from(dims);
      this.weights = Float64Array.from(weights);
      this.amounts = new Float64Array(dims.length);
      this.count = dims.length;
      this.resolvedFor = cluster;
    }
    const names = cluster.resources.names;
    for (let k = 0; k < this.count; k++) {
      const d = this.dims[k];
      let r = task.request[d];
      if (nonZero && r === 0 && task.missingRequest) {
        if (names[d] === 'cpu') r = DEFAULT_MILLI_CPU_REQUEST;
        else if (names[d] === 'memory') r = DEFAULT_MEMORY_REQUEST;
      }
      this.amounts[k] = r;
    }
  }
}
