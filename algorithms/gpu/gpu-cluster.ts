/**
 * A GPU-device-level cluster model for GPU-sharing workloads (Weng et al., "Beware of
 * Fragmentation: Scheduling GPU-Sharing Workloads with Fragmentation Gradient Descent",
 * USENIX ATC'23, §2–3): every node has G GPU devices of 1000 milli-GPU each, CPU, memory and one GPU
 * model. A pod asks for either a share of ONE device (0 < milli < 1000), or k whole devices
 * (milli = 1000, k ≥ 1), or no GPU; plus CPU and memory, which must fit too.
 *
 * Struct-of-arrays with per-node summaries (free total, fully free count, largest free device)
 * kept in step on every placement, so feasibility is a handful of array reads, and a per-node
 * version counter that lets policies cache per-node work (FGD) and refresh only the node that
 * changed.
 */
export const MILLI = 1000;

export interface GpuNodeSpec {
  id: string;
  /** Milli-cores. */
  cpu: number;
  /** Any unit, the same as the pods' memory (openb: MiB). */
  memory: number;
  /** Number of GPU devices. */
  gpus: number;
  /** GPU model ('' when the node has no GPU). */
  model: string;
}

/** The pods to place, as columns. `spec` indexes `specs` (allowed GPU models), -1 = any. */
export interface GpuPodSet {
  count: number;
  cpu: Float64Array;
  memory: Float64Array;
  /** Milli-GPU per device: 1..999 for a shared device, 1000 for whole devices, 0 for CPU-only. */
  gpuMilli: Int32Array;
  /** Devices: 1 for a shared device, k for k whole devices, 0 for CPU-only. */
  gpuCount: Int32Array;
  spec: Int32Array;
  specs: string[][];
}

/** Total milli-GPU of pod i. */
export function podGpuMilli(pods: GpuPodSet, i: number): number {
  return pods.gpuMilli[i] * pods.gpuCount[i];
}

/** Whether pod i shares one device (asks for a fraction of it). */
export function isSharePod(pods: GpuPodSet, i: number): boolean {
  return pods.gpuCount[i] === 1 && pods.gpuMilli[i] < MILLI;
}

/**
 * Pod "type" for GPU clustering (Gandiva-style affinity): 0 = shares a device, k = k whole
 * devices, -1 = no GPU.
 */
export function podGpuType(pods: GpuPodSet, i: number): number {
  if (pods.gpuCount[i] === 0) return -1;
  return pods.gpuMilli[i] < MILLI ? 0 : pods.gpuCount[i];
}

export class GpuCluster {
  readonly n: number;
  /** Device slots per node (the largest G in the cluster). */
  readonly stride: number;
  readonly ids: string[];
  readonly models: string[];
  /** Index into `models` per node (-1 = no GPU). */
  readonly model: Int32Array;
  readonly cpuCap: Float64Array;
  readonly memCap: Float64Array;
  readonly gpuCount: Int32Array;
  readonly cpuFree: Float64Array;
  readonly memFree: Float64Array;
  /** Free milli-GPU per device: gpuFree[node * stride + g], g < gpuCount[node]. */
  readonly gpuFree: Int32Array;
  /** Per node: sum of gpuFree, devices with all 1000 free, and the largest free amount. */
  readonly gpuFreeTotal: Int32Array;
  readonly fullFree: Int32Array;
  readonly maxFree: Int32Array;
  /** GPU pods placed per node and type (0 share, k = k whole devices): typeCount[node * 9 + type]. */
  readonly typeCount: Int32Array;
  /** Distinct types present per node. */
  readonly typesPresent: Int32Array;
  /** Bumped on every change of a node. */
  readonly version: Uint32Array;
  readonly totalGpuMilli: number;
  allocatedGpuMilli = 0;
  /** Largest node CPU and GPU capacity (normalizers for best-fit and dot-product). */
  readonly maxCpu: number;
  readonly maxGpuMilli: number;

  constructor(nodes: readonly GpuNodeSpec[]) {
    const n = nodes.length;
    this.n = n;
    this.stride = Math.max(1, ...nodes.map((x) => x.gpus));
    if (this.stride > 8) throw new Error(`GpuCluster: a node has ${this.stride} GPUs; at most 8 are supported`);
    this.ids = nodes.map((x) => x.id);
    this.models = [...new Set(nodes.filter((x) => x.gpus > 0).map((x) => x.model))].sort();
    this.model = new Int32Array(n);
    this.cpuCap = new Float64Array(n);
    this.memCap = new Float64Array(n);
    this.gpuCount = new Int32Array(n);
    this.cpuFree = new Float64Array(n);
    this.memFree = new Float64Array(n);
    this.gpuFree = new Int32Array(n * this.stride);
    this.gpuFreeTotal = new Int32Array(n);
    this.fullFree = new Int32Array(n);
    this.maxFree = new Int32Array(n);
    this.typeCount = new Int32Array(n * 9);
    this.typesPresent = new Int32Array(n);
    this.version = new Uint32Array(n);
    let total = 0;
    let maxCpu = 0;
    let maxGpu = 0;
    for (let i = 0; i < n; i++) {
      const x = nodes[i];
      this.model[i] = x.gpus > 0 ? this.models.indexOf(x.model) : -1;
      this.cpuCap[i] = this.cpuFree[i] = x.cpu;
      this.memCap[i] = this.memFree[i] = x.memory;
      this.gpuCount[i] = x.gpus;
      for (let g = 0; g < x.gpus; g++) this.gpuFree[i * this.stride + g] = MILLI;
      this.refresh(i);
      total += x.gpus * MILLI;
      maxCpu = Math.max(maxCpu, x.cpu);
      maxGpu = Math.max(maxGpu, x.gpus * MILLI);
    }
    this.totalGpuMilli = total;
    this.maxCpu = maxCpu;
    this.maxGpuMilli = maxGpu;
  }

  /** Recomputes a node's device summaries (G ≤ 8 reads). */
  private refresh(node: number): void {
    const o = node * this.stride;
    let sum = 0;
    let full = 0;
    let max = 0;
    for (let g = 0, G = this.gpuCount[node]; g < G; g++) {
      const f = this.gpuFree[o + g];
      sum += f;
      if (f === MILLI) full++;
      if (f > max) max = f;
    }
    this.gpuFreeTotal[node] = sum;
    this.fullFree[node] = full;
    this.maxFree[node] = max;
    this.version[node]++;
  }

  /** access[spec * models.length + model] = 1 when pods of that spec may use that model. */
  specAccess(specs: readonly string[][]): Uint8Array {
    const M = this.models.length;
    const a = new Uint8Array(specs.length * M);
    specs.forEach((s, k) => this.models.forEach((m, j) => (a[k * M + j] = s.includes(m) ? 1 : 0)));
    return a;
  }

  /** The GPU model constraint alone: may pod i (of `pods`, with `access` from specAccess) use this node's GPUs? */
  modelAllowed(pods: GpuPodSet, access: Uint8Array, i: number, node: number): boolean {
    const s = pods.spec[i];
    if (s < 0) return true;
    const m = this.model[node];
    return m >= 0 && access[s * this.models.length + m] === 1;
  }

  /** Does pod i fit on `node` now: CPU, memory, GPU model and devices? */
  fits(pods: GpuPodSet, access: Uint8Array, i: number, node: number): boolean {
    if (this.cpuFree[node] < pods.cpu[i] || this.memFree[node] < pods.memory[i]) return false;
    const k = pods.gpuCount[i];
    if (k === 0) return true;
    if (!this.modelAllowed(pods, access, i, node)) return false;
    const milli = pods.gpuMilli[i];
    return milli < MILLI ? this.maxFree[node] >= milli : this.fullFree[node] >= k;
  }

  /** The device with the least free milli-GPU that still holds `milli` (lowest index on ties); -1 if none. */
  bestFitGpu(node: number, milli: number): number {
    const o = node * this.stride;
    let best = -1;
    let bestFree = Infinity;
    for (let g = 0, G = this.gpuCount[node]; g < G; g++) {
      const f = this.gpuFree[o + g];
      if (f >= milli && f < bestFree) {
        best = g;
        bestFree = f;
      }
    }
    return best;
  }

  /**
   * Binds pod i to `node`. A share pod goes on device `gpu` (or the best-fitting device when
   * gpu < 0); a whole-device pod takes the lowest-numbered fully free devices (all choices leave
   * the same multiset of free amounts). Throws when the pod does not fit: a policy bug.
   */
  place(pods: GpuPodSet, access: Uint8Array, i: number, node: number, gpu = -1): void {
    if (!this.fits(pods, access, i, node)) throw new Error(`pod ${i} does not fit on node ${this.ids[node]}`);
    this.cpuFree[node] -= pods.cpu[i];
    this.memFree[node] -= pods.memory[i];
    const k = pods.gpuCount[i];
    if (k > 0) {
      const milli = pods.gpuMilli[i];
      const o = node * this.stride;
      if (milli < MILLI) {
        const g = gpu >= 0 ? gpu : this.bestFitGpu(node, milli);
        if (g < 0 || g >= this.gpuCount[node] || this.gpuFree[o + g] < milli) {
          throw new Error(`pod ${i}: device ${gpu} of node ${this.ids[node]} cannot hold ${milli} milli-GPU`);
        }
        this.gpuFree[o + g] -= milli;
      } else {
        let left = k;
        for (let g = 0, G = this.gpuCount[node]; g < G && left > 0; g++) {
          if (this.gpuFree[o + g] === MILLI) {
            this.gpuFree[o + g] = 0;
            left--;
          }
        }
      }
      this.allocatedGpuMilli += milli * k;
      const t = milli < MILLI ? 0 : k;
      if (this.typeCount[node * 9 + t]++ === 0) this.typesPresent[node]++;
    }
    this.refresh(node);
  }
}
