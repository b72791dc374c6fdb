import { heapSort } from './heap-sort.js';

/** cgroup cpu.shares bounds and scale (pkg/kubelet/cm: MinShares, MaxShares, SharesPerCPU, MilliCPUToCPU). */
export const MIN_SHARES = 2;
export const MAX_SHARES = 262_144;
const SHARES_PER_CPU = 1024;
const MILLI_CPU_TO_CPU = 1000;
/**
 * The smallest CFS quota the kubelet writes (MinQuotaPeriod, 1 ms per 100 ms period): a CPU limit
 * below 10 millicores acts as 10 (MilliCPUToQuota).
 */
export const MIN_LIMIT_MILLI_CPU = 10;

/**
 * cpu.shares for a CPU request in millicores (pkg/kubelet/cm MilliCPUToShares):
 * `floor(milli × 1024 / 1000)`, at least 2 (so no request — BestEffort — gets 2) and at most 262,144.
 */
export function milliCpuToShares(milli: number): number {
  if (!(milli > 0)) return MIN_SHARES;
  const shares = Math.floor((milli * SHARES_PER_CPU) / MILLI_CPU_TO_CPU);
  return shares < MIN_SHARES ? MIN_SHARES : shares > MAX_SHARES ? MAX_SHARES : shares;
}

let order = new Int32Array(0);
let key = new Float64Array(0);
let weight = new Float64Array(0);
const byKey = (a: number, b: number) => key[a] < key[b] || (key[a] === key[b] && a < b);

/**
 * The same water level found without sorting: each pass satisfies every task whose capped demand
 * fits its share at the current level (the level only rises as they leave, so they stay
 * satisfied) and stops when a pass satisfies none. Usually a few O(n) passes; after MAX_PASSES
 * it gives up (false) and the caller sorts. Uses `order` as the active list.
 */
const MAX_PASSES = 8;
function waterFillByPasses(count: number, capacity: number, totalWeight: number, granted: Float64Array): boolean {
  let left = capacity;
  let weights = totalWeight;
  let active = count;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    let kept = 0;
    const l = left;
    const w = weights;
    for (let k = 0; k < active; k++) {
      const i = order[k];
      // Satisfied at this level: demand ≤ its share of what is left.
      if (granted[i] * w <= l * weight[i]) {
        left -= granted[i];
        weights -= weight[i];
      } else order[kept++] = i;
    }
    if (kept === active || kept === 0) {
      for (let k = 0; k < kept; k++) {
        const i = order[k];
        granted[i] = (left * weight[i]) / weights;
      }
      return true;
    }
    active = kept;
  }
  // Not settled: restore the full order for the sorting path (granted is untouched until the end).
  for (let i = 0; i < count; i++) order[i] = i;
  return false;
}

/**
 * CPU granted to each task of a node over one interval (millicores), as the Linux CFS shares it
 * under the kubelet's cgroup settings (../shared/docs/models.md § Node pressure: CPU is
 * compressible, throttled, never killed):
 * 1. CFS quota: a task gets at most its limit (`limit` NaN or ≤ 0 = no limit; a limit below 10m acts
 *    as 10m, the kubelet's minimum quota);
 * 2. if those capped demands exceed `capacity`, the node's CPU is shared in proportion to
 *    cpu.shares (milliCpuToShares of the request) by water-filling: a task wanting less than its
 *    share gets what it wants and the rest is split again among the others, until the level
 *    λ with Σ min(capped_i, λ·shares_i) = capacity. Work-conserving: Σ granted = min(Σ capped, capacity).
 * Throttled = demand − granted. Simplified: flat shares over the node's tasks — the kubelet nests
 * pods under QoS cgroups (Burstable's shares are the sum of its pods', the same in a flat model;
 * BestEffort's group has 2 shares in all, here 2 per task), and CFS shares per period, not per interval.
 * A few O(n) passes in the usual case (waterFillByPasses), else O(n log n) (a heap sort of the
 * tasks by capped demand per share); no allocation per call beyond growing the module's scratch buffers.
 */
export function distributeCpu(
  count: number,
  demand: Float64Array,
  request: Float64Array,
  limit: Float64Array,
  capacity: number,
  granted: Float64Array,
): void {
  let total = 0;
  for (let i = 0; i < count; i++) {
    let d = demand[i] > 0 ? demand[i] : 0;
    const l = limit[i];
    if (l > 0) {
      const cap = l < MIN_LIMIT_MILLI_CPU ? MIN_LIMIT_MILLI_CPU : l;
      if (d > cap) d = cap;
    }
    granted[i] = d;
    total += d;
  }
  const cpu = capacity > 0 ? capacity : 0;
  if (total <= cpu) return;
  if (order.length < count) {
    const size = Math.max(count, order.length * 2, 64);
    order = new Int32Array(size);
    key = new Float64Array(size);
    weight = new Float64Array(size);
  }
  let weights = 0;
  for (let i = 0; i < count; i++) {
    const w = milliCpuToShares(request[i]);
    weight[i] = w;
    key[i] = granted[i] / w;
    order[i] = i;
    weights += w;
  }
  if (waterFillByPasses(count, cpu, weights, granted)) return;
  heapSort(order, count, byKey);
  // Tasks in increasing capped demand per share: each is satisfied while its demand fits its
  // share of what is left; from the first that does not, all the rest get their share.
  let left = cpu;
  let k = 0;
  for (; k < count; k++) {
    const i = order[k];
    if (granted[i] * weights > left * weight[i]) break;
    left -= granted[i];
    weights -= weight[i];
  }
  for (; k < count; k++) {
    const i = order[k];
    granted[i] = (left * weight[i]) / weights;
  }
}
