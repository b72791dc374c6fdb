import { GpuDevices, MILLI } from './gpu-devices.js';
import type { GpuNodeSpec } from '../../model/gpu-node-spec.js';
import type { GpuPodSet } from '../../model/gpu-pod-set.js';

/**
 * The FGD experiment's cluster (Weng et al., "Beware of Fragmentation: Scheduling GPU-Sharing
 * Workloads with Fragmentation Gradient Descent", USENIX ATC'23, §2–3): a fixed node list, every
 * node with G GPU devices of 1000 milli-GPU each (the device model of gpu-devices.ts, shared with
 * the replay's ledger), CPU, memory and one GPU model. A pod asks for either a share of ONE device
 * (0 < milli < 1000), or k whole devices (milli = 1000, k ≥ 1), or no GPU; plus CPU and memory,
 * which must fit too. Pods come as columns (GpuPodSet); their model constraint is a table lookup.
 */
export { MILLI };

export class GpuCluster extends GpuDevices {
  readonly n: number;
  readonly ids: string[];
  readonly cpuCap: Float64Array;
  readonly memCap: Float64Array;
  readonly cpuFree: Float64Array;
  readonly memFree: Float64Array;
  readonly totalGpuMilli: number;
  allocatedGpuMilli = 0;

  constructor(nodes: readonly GpuNodeSpec[]) {
    // Device slots per node: the largest G in the cluster.
    super(Math.max(1, ...nodes.map((x) => x.gpus)));
    const n = nodes.length;
    this.n = n;
    this.ids = nodes.map((x) => x.id);
    // Models indexed in sorted order (stable across node orders).
    for (const m of [...new Set(nodes.filter((x) => x.gpus > 0).map((x) => x.model))].sort()) this.modelIndex(m);
    this.grow(n, true);
    this.size = n;
    this.cpuCap = new Float64Array(n);
    this.memCap = new Float64Array(n);
    this.cpuFree = new Float64Array(n);
    this.memFree = new Float64Array(n);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const x = nodes[i];
      this.cpuCap[i] = this.cpuFree[i] = x.cpu;
      this.memCap[i] = this.memFree[i] = x.memory;
      this.setNode(i, x.gpus, x.gpus * MILLI, x.model, x.cpu);
      total += x.gpus * MILLI;
    }
    this.totalGpuMilli = total;
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
    return this.devicesFit(node, pods.gpuMilli[i], k);
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
    if (k === 0) {
      this.version[node]++;
      return;
    }
    const milli = pods.gpuMilli[i];
    let mask: number;
    if (milli < MILLI) {
      const g = gpu >= 0 ? gpu : this.bestFitDevice(node, milli);
      if (g < 0 || g >= this.devices[node] || this.free[node * this.stride + g] < milli) {
        throw new Error(`pod ${i}: device ${gpu} of node ${this.ids[node]} cannot hold ${milli} milli-GPU`);
      }
      mask = 1 << g;
    } else {
      mask = this.wholeDevices(node, k);
    }
    this.allocatedGpuMilli += milli * k;
    this.occupy(node, mask, milli, milli < MILLI ? 0 : k);
  }
}
