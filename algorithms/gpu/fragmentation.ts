import type { GpuCluster } from './gpu-cluster.js';
import type { GpuPodSet } from '../../model/gpu-pod-set.js';

/**
 * GPU fragmentation with respect to a target workload (Weng et al., ATC'23 §3.2–3.3).
 *
 * Target workload M: the pod shapes (CPU, milli-GPU per device, device count, allowed models)
 * with their popularity p_m. As in the authors' simulator, shapes are taken most popular first
 * until they cover `coverage` (95%) of the pods, then the weights are renormalized to sum to 1;
 * CPU-only pods are part of it.
 *
 * Fragmentation of node n for one shape m, F_n(m), in milli-GPU:
 *  - m cannot run on n (no GPU asked, wrong GPU model, not enough CPU, or too few devices with
 *    enough free milli-GPU): every free milli-GPU on n is a fragment for m;
 *  - m can run: the free milli-GPU on devices that each hold less than m's per-device demand are
 *    fragments (m could never use them).
 * Node fragmentation F_n(M) = Σ_m p_m · F_n(m): the expected unusable GPU capacity for a pod
 * drawn from M. Memory is not part of the measure (the paper considers CPU and GPU).
 */
export class TargetWorkload {
  readonly size: number;
  readonly cpu: Float64Array;
  readonly milli: Int32Array;
  readonly count: Int32Array;
  readonly weight: Float64Array;
  /** Allowed model per shape and cluster model: allowed[t * models + m]. */
  readonly allowed: Uint8Array;
  /** Share of the pods the kept shapes cover (before renormalization). */
  readonly covered: number;

  constructor(
    shapes: ReadonlyArray<{ cpu: number; milli: number; count: number; models?: readonly string[]; weight: number }>,
    clusterModels: readonly string[],
    covered = 1,
  ) {
    const T = shapes.length;
    const M = clusterModels.length;
    this.size = T;
    this.cpu = new Float64Array(T);
    this.milli = new Int32Array(T);
    this.count = new Int32Array(T);
    this.weight = new Float64Array(T);
    this.allowed = new Uint8Array(T * M);
    this.covered = covered;
    const total = shapes.reduce((s, x) => s + x.weight, 0);
    shapes.forEach((x, t) => {
      this.cpu[t] = x.cpu;
      this.milli[t] = x.milli;
      this.count[t] = x.count;
      this.weight[t] = x.weight / total;
      clusterModels.forEach((m, j) => (this.allowed[t * M + j] = x.models === undefined || x.models.includes(m) ? 1 : 0));
    });
  }

  /**
   * The target workload of `indices` (default: every pod): shapes counted by occurrence, most
   * popular first (ties in a fixed order: CPU, milli, count, spec), cut at `coverage`.
   */
  static fromPods(pods: GpuPodSet, clusterModels: readonly string[], indices?: Int32Array, coverage = 0.95): TargetWorkload {
    const counts = new Map<string, { cpu: number; milli: number; count: number; spec: number; n: number }>();
    const n = indices ? indices.length : pods.count;
    for (let k = 0; k < n; k++) {
      const i = indices ? indices[k] : k;
      const key = `${pods.cpu[i]},${pods.gpuMilli[i]},${pods.gpuCount[i]},${pods.spec[i]}`;
      const e = counts.get(key);
      if (e) e.n++;
      else counts.set(key, { cpu: pods.cpu[i], milli: pods.gpuMilli[i], count: pods.gpuCount[i], spec: pods.spec[i], n: 1 });
    }
    const list = [...counts.values()].sort(
      (a, b) => b.n - a.n || a.cpu - b.cpu || a.milli - b.milli || a.count - b.count || a.spec - b.spec,
    );
    const kept: typeof list = [];
    let cum = 0;
    for (const e of list) {
      if (cum >= coverage * n) break;
      kept.push(e);
      cum += e.n;
    }
    return new TargetWorkload(
      kept.map((e) => ({ cpu: e.cpu, milli: e.milli, count: e.count, models: e.spec >= 0 ? pods.specs[e.spec] : undefined, weight: e.n })),
      clusterModels,
      n === 0 ? 1 : cum / n,
    );
  }
}

/**
 * F_n(M) for a node state given as CPU free, its devices' free milli-GPU (`free[off .. off+G)`)
 * and model index; `scratch` holds ≥ 2·G + 1 numbers. Sorting the ≤ 8 devices by free amount
 * (largest first) turns "k devices with ≥ d free" into one comparison, s[k−1] ≥ d, and the
 * usable amount into a prefix sum.
 */
export function nodeFragmentation(
  target: TargetWorkload,
  modelCount: number,
  cpuFree: number,
  free: Int32Array,
  off: number,
  G: number,
  model: number,
  scratch: Float64Array,
): number {
  // insertion sort, descending, into scratch[0..G)
  for (let g = 0; g < G; g++) {
    const v = free[off + g];
    let j = g - 1;
    while (j >= 0 && scratch[j] < v) {
      scratch[j + 1] = scratch[j];
      j--;
    }
    scratch[j + 1] = v;
  }
  // prefix sums P[k] = s[0] + ... + s[k-1], in scratch[G .. 2G]
  const P = G;
  scratch[P] = 0;
  for (let g = 0; g < G; g++) scratch[P + g + 1] = scratch[P + g] + scratch[g];
  const total = scratch[P + G];
  if (total === 0) return 0;
  let usable = 0; // Σ over shapes that can run of p_m · (milli-GPU on devices big enough for m)
  const T = target.size;
  for (let t = 0; t < T; t++) {
    const d = target.milli[t];
    if (d === 0) continue; // asks no GPU: all free GPU is a fragment for it
    const k = target.count[t];
    if (k > G || scratch[k - 1] < d || cpuFree < target.cpu[t]) continue;
    if (model < 0 || target.allowed[t * modelCount + model] === 0) continue;
    let c = k;
    while (c < G && scratch[c] >= d) c++;
    usable += target.weight[t] * scratch[P + c];
  }
  return total - usable;
}

/** F_n(M) of a node of `cluster` as it is now. */
export function clusterNodeFragmentation(cluster: GpuCluster, target: TargetWorkload, node: number, scratch = new Float64Array(2 * cluster.stride + 1)): number {
  return nodeFragmentation(target, cluster.models.length, cluster.cpuFree[node], cluster.free, node * cluster.stride, cluster.devices[node], cluster.model[node], scratch);
}

/** Σ_n F_n(M): the cluster's expected fragmented milli-GPU. */
export function clusterFragmentation(cluster: GpuCluster, target: TargetWorkload): number {
  const scratch = new Float64Array(2 * cluster.stride + 1);
  let f = 0;
  for (let node = 0; node < cluster.n; node++) f += clusterNodeFragmentation(cluster, target, node, scratch);
  return f;
}

