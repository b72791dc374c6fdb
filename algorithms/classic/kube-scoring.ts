import type { ClusterView } from '../../model/cluster-view.js';
import type { TaskView } from '../../model/task-view.js';
import type { NonZeroRequested } from '../kubernetes/non-zero-requested.js';
import { DEFAULT_MEMORY_REQUEST, DEFAULT_MILLI_CPU_REQUEST } from '../kubernetes/default-requests.js';

/**
 * kube-scheduler's resource scores (pkg/scheduler/framework/plugins/noderesources), on CPU and
 * memory with weight 1 each, in its integer arithmetic (scores 0–100, truncating division).
 * LeastAllocated counts, for scoring only, a pod without a request as 100 millicores and 200 MiB
 * (DefaultMilliCPURequest, DefaultMemoryRequest) — the incoming pod and, through
 * NonZeroRequested, the node's running pods (kube's NodeInfo.NonZeroRequested). BalancedAllocation
 * uses actual requests and skips a pod that requests neither CPU nor memory (best effort: 0).
 */
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

/**
 * LeastAllocated: mean over resources (allocatable > 0) of (allocatable − requested) · 100 /
 * allocatable, requested = the node's non-zero requests (`extra`: defaults of its pods without
 * requests) + the pod's.
 */
export function leastAllocated(node: number, task: TaskView, cluster: ClusterView, dims: ScoringDims, extra?: NonZeroRequested): number {
  let sum = 0;
  let weights = 0;
  if (dims.cpu >= 0 && cluster.allocatable[node * cluster.dims + dims.cpu] > 0) {
    sum += leastAllocatedOne(node, dims.cpu, scoringRequest(task, dims.cpu, DEFAULT_MILLI_CPU_REQUEST) + (extra?.get(node, 0) ?? 0), cluster);
    weights++;
  }
  if (dims.mem >= 0 && cluster.allocatable[node * cluster.dims + dims.mem] > 0) {
    sum += leastAllocatedOne(node, dims.mem, scoringRequest(task, dims.mem, DEFAULT_MEMORY_REQUEST) + (extra?.get(node, 1) ?? 0), cluster);
    weights++;
  }
  return weights === 0 ? 0 : Math.trunc(sum / weights);
}

function fractionAfter(node: number, d: number, add: number, cluster: ClusterView): number {
  const o = node * cluster.dims + d;
  const cap = cluster.allocatable[o];
  return cap === 0 ? 0 : Math.min(1, (cluster.requested[o] + add) / cap);
}

/**
 * BalancedAllocation: 100 * (1 - population std of the requested fractions, each capped at 1),
 * resources with allocatable 0 left out; 0 for a pod requesting neither CPU nor memory (kube's
 * PreScore Skip for best-effort pods).
 */
export function balancedAllocation(node: number, task: TaskView, cluster: ClusterView, dims: ScoringDims): number {
  if (dims.cpu < 0 || dims.mem < 0) return 0;
  if (task.request[dims.cpu] === 0 && task.request[dims.mem] === 0) return 0;
  const o = node * cluster.dims;
  const hasC = cluster.allocatable[o + dims.cpu] > 0;
  const hasM = cluster.allocatable[o + dims.mem] > 0;
  if (!hasC || !hasM) return MAX_NODE_SCORE; // one fraction (or none): std 0
  const fc = fractionAfter(node, dims.cpu, task.request[dims.cpu], cluster);
  const fm = fractionAfter(node, dims.mem, task.request[dims.mem], cluster);
  // The population standard deviation of two values is half their distance.
  const std = Math.abs(fc - fm) / 2;
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}
