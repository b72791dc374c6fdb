import type { ClusterView } from '../../model/cluster-view.js';
import type { TaskView } from '../../model/task-view.js';
import { DEFAULT_MEMORY_REQUEST, DEFAULT_MILLI_CPU_REQUEST } from './default-requests.js';

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
const KUBE_NAMES: Record<string, string> = { gpu: 'nvidia.com/gpu', disk: 'ephemeral-storage' };

/** Dimension of a Kubernetes resource name in the cluster's schema, -1 when the cluster has none (kube: allocatable 0, skipped). */
export function resourceDim(cluster: ClusterView, name: string): number {
  const names = cluster.resources.names;
  const i = names.indexOf(name);
  return i >= 0 ? i : names.indexOf(ALIASES[name] ?? '');
}

/** The Kubernetes name of dimension `d` (schedlab's gpu is nvidia.com/gpu, disk is ephemeral-storage). */
export function kubeResourceName(cluster: ClusterView, d: number): string {
  const n = cluster.resources.names[d];
  return KUBE_NAMES[n] ?? n;
}

/**
 * schedutil.IsScalarResourceName: extended resources, hugepages-*, and other resources that are
 * not CPU, memory, ephemeral-storage or pods. The resource scores skip a scalar resource the pod
 * requests none of (resource_allocation.go calculateResourceAllocatableRequest).
 */
export function isScalarResource(kubeName: string): boolean {
  return kubeName !== 'cpu' && kubeName !== 'memory' && kubeName !== 'ephemeral-storage' && kubeName !== 'pods';
}

/**
 * v1helper.IsExtendedResourceName: a domain-qualified name outside the kubernetes.io domain
 * (`example.com/foo`, `nvidia.com/gpu`), not a `requests.` quota name. Only these can be ignored
 * by NodeResourcesFit's ignoredResources / ignoredResourceGroups.
 */
export function isExtendedResource(kubeName: string): boolean {
  const slash = kubeName.indexOf('/');
  if (slash < 0) return false;
  const domain = kubeName.slice(0, slash);
  if (domain === 'kubernetes.io' || domain.endsWith('.kubernetes.io')) return false;
  return !kubeName.startsWith('requests.');
}

/**
 * Per-decision view of the scored resources (kube's resourceAllocationScorer): for each resource
 * the cluster has, its dimension, weight and the pod's amount; a scalar resource the pod requests
 * none of is left out for this pod, and `pods` is never scored (kube returns allocatable 0 for it).
 * With `nonZero` (NodeResourcesFit), a missing CPU / memory request counts as kube's 100
 * millicores / 200 MiB; `kind` then says which node-side default (NonZeroRequested) to add:
 * 0 = CPU, 1 = memory, -1 = none.
 */
export class ScoredResources {
  dims = new Int32Array(0);
  weights = new Float64Array(0);
  amounts = new Float64Array(0);
  kinds = new Int8Array(0);
  count = 0;
  /** Every scored resource's request is 0 (BalancedAllocation's best-effort test, on actual requests). */
  allZero = true;
  private readonly specs: readonly ResourceSpec[];
  private resolvedFor: ClusterView | undefined;
  private allDims = new Int32Array(0);
  private allWeights = new Float64Array(0);
  private allKinds = new Int8Array(0);
  private allScalar = new Uint8Array(0);

  constructor(specs: readonly ResourceSpec[]) {
    this.specs = specs;
  }

  prepare(task: TaskView, cluster: ClusterView, nonZero: boolean): void {
    if (this.resolvedFor !== cluster) this.resolve(cluster);
    let n = 0;
    let allZero = true;
    for (let k = 0; k < this.allDims.length; k++) {
      const d = this.allDims[k];
      let r = task.request[d];
      if (r !== 0) allZero = false;
      const kind = this.allKinds[k];
      if (nonZero && r === 0 && task.missingRequest && kind >= 0) r = kind === 0 ? DEFAULT_MILLI_CPU_REQUEST : DEFAULT_MEMORY_REQUEST;
      if (this.allScalar[k] && r === 0) continue;
      this.dims[n] = d;
      this.weights[n] = this.allWeights[k];
      this.amounts[n] = r;
      this.kinds[n] = nonZero ? kind : -1;
      n++;
    }
    this.count = n;
    this.allZero = allZero;
  }

  private resolve(cluster: ClusterView): void {
    const dims: number[] = [];
    const weights: number[] = [];
    const kinds: number[] = [];
    const scalar: number[] = [];
    for (const s of this.specs) {
      const d = resourceDim(cluster, s.name);
      if (d < 0) continue;
      const kube = kubeResourceName(cluster, d);
      if (kube === 'pods') continue;
      dims.push(d);
      weights.push(s.weight);
      kinds.push(kube === 'cpu' ? 0 : kube === 'memory' ? 1 : -1);
      scalar.push(isScalarResource(kube) ? 1 : 0);
    }
    this.allDims = Int32Array.from(dims);
    this.allWeights = Float64Array.from(weights);
    this.allKinds = Int8Array.from(kinds);
    this.allScalar = Uint8Array.from(scalar);
    this.dims = new Int32Array(dims.length);
    this.weights = new Float64Array(dims.length);
    this.amounts = new Float64Array(dims.length);
    this.kinds = new Int8Array(dims.length);
    this.resolvedFor = cluster;
  }
}
