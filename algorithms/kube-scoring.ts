import type { ClusterView, TaskView } from './policy.js';

/**
 * kube-scheduler's resource scores (pkg/scheduler/framework/plugins/noderesources), on CPU and
 * memory with weight 1 each, in its integer arithmetic (scores 0–100, truncating division).
 * For scoring only, a pod without a request counts as 100 millicores and 200 MB
 * (DefaultMilliCPURequest, DefaultMemoryRequest). Simplification: the node's requested amount is
 * the plain sum of its tasks' requests, not kube's "non-zero requested" sum.
 */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;
export const MAX_NODE_SCORE = 100;

export interface ScoringDims {
  cpu: number;
  mem: number;
}

/** Dimension numbers of cpu and memory in the cluster's schema (-1 when absent). */
export function scoringDims(cluster: ClusterView): ScoringDims {
  return { cpu: cluster.resources.names.indexOf('cpu'), mem: cluster.resources.names.indexOf('memory') };
}

/** The pod's amount for scoring: its request, or kube's default when the request was missing. */
function scoringRequest(task: TaskView, d: number, dflt: number): number {
  const r = task.request[d];
  return r === 0 && task.missingRequest ? dflt : r;
}

function leastAllocatedOne(node: number, d: number, add: number, cluster: ClusterView): number {
  const o = node * cluster.dims + d;
  const cap = cluster.allocatable[o];
  const req = cluster.requested[o] + add;
  return cap === 0 || req > cap ? 0 : Math.trunc(((cap - req) * MAX_NODE_SCORE) / cap);
}

/** LeastAllocated: mean over resources of (allocatable - requested) * 100 / allocatable. */
export function leastAllocated(node: number, task: TaskView, cluster: ClusterView, dims: ScoringDims): number {
  let sum = 0;
  let weights = 0;
  if (dims.cpu >= 0) {
    sum += leastAllocatedOne(node, dims.cpu, scoringRequest(task, dims.cpu, DEFAULT_MILLI_CPU_REQUEST), cluster);
    weights++;
  }
  if (dims.mem >= 0) {
    sum += leastAllocatedOne(node, dims.mem, scoringRequest(task, dims.mem, DEFAULT_MEMORY_REQUEST), cluster);
    weights++;
  }
  return weights === 0 ? 0 : Math.trunc(sum / weights);
}

function fractionAfter(node: number, d: number, add: number, cluster: ClusterView): number {
  const o = node * cluster.dims + d;
  const cap = cluster.allocatable[o];
  return cap === 0 ? 0 : Math.min(1, (cluster.requested[o] + add) / cap);
}

/** BalancedAllocation: 100 * (1 - population std of the requested fractions, each capped at 1). */
export function balancedAllocation(node: number, task: TaskView, cluster: ClusterView, dims: ScoringDims): number {
  if (dims.cpu < 0 || dims.mem < 0) return 0;
  const fc = fractionAfter(node, dims.cpu, task.request[dims.cpu], cluster);
  const fm = fractionAfter(node, dims.mem, task.request[dims.mem], cluster);
  // The population standard deviation of two values is half their distance.
  const std = Math.abs(fc - fm) / 2;
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}
