import { heapSort } from './heap-sort.js';

/**
 * The kubelet's victim order under node pressure (pkg/kubelet/eviction/helpers.go
 * rankMemoryPressure = orderedBy(exceedMemoryRequests, priority, memory); rankDiskPressureFunc =
 * orderedBy(exceedDiskRequests, priority, disk); ../shared/docs/models.md § Node pressure and
 * eviction):
 * 1. pods whose usage exceeds their request before those within it (`usage > request`, strictly);
 *    a pod without usage stats (NaN here) goes first of all, as upstream;
 * 2. then lower priority first;
 * 3. then the larger `usage − request` first (a missing request counts as 0, as
 *    GetResourceRequestQuantity returns).
 * So Guaranteed pods, and Burstable ones within their request, come last. Ties keep position
 * order (the kubelet's sort.Sort is not stable; positions make the result deterministic).
 *
 * Over parallel arrays by position; writes `count` positions to `out` in eviction order. The
 * sort is an in-place heap sort on `out`: O(n log n), no allocation.
 */
export function rankMemoryVictims(count: number, usage: Float64Array, request: Float64Array, priority: Int32Array, out: Int32Array): void {
  for (let i = 0; i < count; i++) out[i] = i;
  rankUsage = usage;
  rankRequest = request;
  rankPriority = priority;
  heapSort(out, count, evictedBefore);
  rankUsage = rankRequest = EMPTY_F64;
  rankPriority = EMPTY_I32;
}

const EMPTY_F64: Float64Array = new Float64Array(0);
const EMPTY_I32: Int32Array = new Int32Array(0);
// The columns of the call in progress (module state, so the comparator is not a new closure per call).
let rankUsage = EMPTY_F64;
let rankRequest = EMPTY_F64;
let rankPriority = EMPTY_I32;

/** True when the pod at position a is evicted before the one at b (the order above). */
function evictedBefore(a: number, b: number): boolean {
  const ua = rankUsage[a];
  const ub = rankUsage[b];
  const noStatsA = ua !== ua;
  const noStatsB = ub !== ub;
  if (noStatsA || noStatsB) {
    if (noStatsA !== noStatsB) return noStatsA;
    return a < b;
  }
  const ra = rankRequest[a] > 0 ? rankRequest[a] : 0;
  const rb = rankRequest[b] > 0 ? rankRequest[b] : 0;
  const overA = ua > ra;
  const overB = ub > rb;
  if (overA !== overB) return overA;
  if (rankPriority[a] !== rankPriority[b]) return rankPriority[a] < rankPriority[b];
  const ea = ua - ra;
  const eb = ub - rb;
  if (ea !== eb) return ea > eb;
  return a < b;
}

/** Disk pressure ranks the same way over disk (ephemeral-storage) usage and request. */
export const rankDiskVictims = rankMemoryVictims;
