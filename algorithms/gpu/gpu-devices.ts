/**
 * The device-level GPU state shared by the FGD experiment (gpu-cluster.ts) and the replay policies
 * (device-ledger.ts): every node has G devices (Weng et al., "Beware of Fragmentation: Scheduling
 * GPU-Sharing Workloads with Fragmentation Gradient Descent", USENIX ATC'23, §2–3), each with a
 * capacity (1000 milli-GPU) and free milli-GPU; a pod takes a share of ONE device or k whole ones.
 *
 * Struct-of-arrays, `stride` device slots per node, with per-node summaries (free total, fully free
 * count, largest free device, pod types present) kept in step on every change, so device-level
 * feasibility is a couple of array reads, and a per-node version bumped on every change so
 * policies can cache per-node work (FGD). The scorers (scorers.ts, fgd-scorer.ts) read only this.
 */
export const MILLI = 1000;

/** Most GPU devices one node may have (openb has at most 8; DGX-2-class nodes have 16). */
export const MAX_DEVICES = 16;

/** The device-level demand of a pod/task (see task-gpu-shape.ts). */
export interface DeviceDemand {
  /** Milli-GPU per device: 1..999 shares one device, 1000 = whole devices, 0 = no GPU. */
  milli: number;
  /** Devices: 1 for a share, k for k whole devices, 0 for no GPU. */
  count: number;
  /** Allowed GPU models, undefined = any (binding only when count > 0). */
  models: readonly string[] | undefined;
}

export class GpuDevices {
  /** Node slots in use (0..size-1). */
  size = 0;
  /** Device slots per node: free[node * stride + g]. */
  readonly stride: number;
  /** Pod-type slots per node (0 = share, k = k whole devices): typeCount[node * types + type]. */
  readonly types: number;
  /** GPU models; `model[node]` indexes it (-1 = no GPU). */
  readonly models: string[] = [];
  private readonly modelIds = new Map<string, number>();
  /** Devices per node. */
  devices = new Int32Array(0);
  /** Per device: capacity and free milli-GPU (free < 0 only after a ledger overcommit). */
  cap = new Int32Array(0);
  free = new Int32Array(0);
  /** Per node: total capacity, sum of free, devices with all 1000 free, largest free device. */
  capTotal = new Int32Array(0);
  freeTotal = new Int32Array(0);
  fullFree = new Int32Array(0);
  maxFree = new Int32Array(0);
  model = new Int32Array(0);
  /** GPU pods per node and type; distinct types per node (GPU clustering). */
  typeCount = new Int32Array(0);
  typesPresent = new Int32Array(0);
  /** Bumped on every change of a node. */
  version = new Uint32Array(0);
  /** Largest node CPU and GPU capacity seen (best-fit / dot-product normalizers). */
  maxCpu = 0;
  maxGpuMilli = 0;

  constructor(stride = MAX_DEVICES) {
    if (!(Number.isInteger(stride) && stride >= 1 && stride <= MAX_DEVICES)) {
      throw new Error(`GPU devices: a node has ${stride} GPUs; at most ${MAX_DEVICES} are supported`);
    }
    this.stride = stride;
    this.types = stride + 1;
  }

  /** Index of a GPU model name, registered on first sight. */
  protected modelIndex(name: string): number {
    let m = this.modelIds.get(name);
    if (m === undefined) {
      m = this.models.length;
      this.models.push(name);
      this.modelIds.set(name, m);
    }
    return m;
  }

  /**
   * (Re)lays out a node: G devices of 1000 milli-GPU (the last ones smaller when `gpuAlloc` is
   * less than G × 1000), all free, no pods; `cpuAlloc` feeds the CPU normalizer.
   */
  protected setNode(node: number, G: number, gpuAlloc: number, modelName: string, cpuAlloc: number): void {
    const S = this.stride;
    if (!(G >= 0 && G <= S && Number.isInteger(G))) throw new Error(`GPU devices: ${G} devices on one node; 0..${S} are supported`);
    const o = node * S;
    let total = 0;
    for (let g = 0; g < S; g++) {
      const c = g < G ? Math.max(0, Math.min(MILLI, gpuAlloc - g * MILLI)) : 0;
      this.cap[o + g] = c;
      this.free[o + g] = c;
      total += c;
    }
    this.devices[node] = G;
    this.capTotal[node] = total;
    this.typeCount.fill(0, node * this.types, (node + 1) * this.types);
    this.typesPresent[node] = 0;
    this.model[node] = G > 0 ? this.modelIndex(modelName) : -1;
    if (cpuAlloc > this.maxCpu) this.maxCpu = cpuAlloc;
    if (total > this.maxGpuMilli) this.maxGpuMilli = total;
    this.refresh(node);
  }

  /** Can the demand run on the node at device level (its model allowed, a device or k free devices)? */
  fitsDemand(node: number, s: DeviceDemand): boolean {
    if (s.count === 0) return true;
    if (this.devices[node] === 0) return false;
    if (s.models !== undefined) {
      const m = this.model[node];
      if (m < 0 || !s.models.includes(this.models[m])) return false;
    }
    return this.devicesFit(node, s.milli, s.count);
  }

  /** Device fit alone (no model check): one device with `milli` free, or `count` fully free devices. */
  devicesFit(node: number, milli: number, count: number): boolean {
    return milli < MILLI ? this.maxFree[node] >= milli : this.fullFree[node] >= count;
  }

  /** The device with the least free milli-GPU that still holds `milli` (lowest index on ties); -1 if none. */
  bestFitDevice(node: number, milli: number): number {
    const o = node * this.stride;
    let best = -1;
    let bestFree = Infinity;
    for (let g = 0, G = this.devices[node]; g < G; g++) {
      const f = this.free[o + g];
      if (f >= milli && f < bestFree) {
        best = g;
        bestFree = f;
      }
    }
    return best;
  }

  /** Bit mask of the lowest-numbered fully free devices, at most `k` of them. */
  protected wholeDevices(node: number, k: number): number {
    const o = node * this.stride;
    let mask = 0;
    for (let g = 0, G = this.devices[node]; g < G && k > 0; g++) {
      if (this.free[o + g] === MILLI) {
        mask |= 1 << g;
        k--;
      }
    }
    return mask;
  }

  /** Takes `milli` on every device of `mask` for one pod of `type` (0 share, k whole devices). */
  protected occupy(node: number, mask: number, milli: number, type: number): void {
    const o = node * this.stride;
    for (let g = 0, G = this.devices[node]; g < G; g++) if (mask & (1 << g)) this.free[o + g] -= milli;
    if (this.typeCount[node * this.types + type]++ === 0) this.typesPresent[node]++;
    this.refresh(node);
  }

  /** Gives back what occupy() took. */
  protected vacate(node: number, mask: number, milli: number, type: number): void {
    const o = node * this.stride;
    for (let g = 0, G = this.devices[node]; g < G; g++) if (mask & (1 << g)) this.free[o + g] += milli;
    if (--this.typeCount[node * this.types + type] === 0) this.typesPresent[node]--;
    this.refresh(node);
  }

  /** Recomputes a node's device summaries (≤ stride reads) and bumps its version. */
  protected refresh(node: number): void {
    const o = node * this.stride;
    let sum = 0;
    let full = 0;
    let max = 0;
    for (let g = 0, G = this.devices[node]; g < G; g++) {
      const f = this.free[o + g];
      sum += f;
      if (f === MILLI) full++;
      if (f > max) max = f;
    }
    this.freeTotal[node] = sum;
    this.fullFree[node] = full;
    this.maxFree[node] = max;
    this.version[node]++;
  }

  /** Room for `n` node slots (amortized doubling, or exactly `n` for a fixed node list). */
  protected grow(n: number, exact = false): void {
    if (n <= this.devices.length) return;
    const size = exact ? n : Math.max(n, this.devices.length * 2, 16);
    const i32 = (a: Int32Array, per = 1) => {
      const b = new Int32Array(size * per);
      b.set(a);
      return b;
    };
    this.devices = i32(this.devices);
    this.cap = i32(this.cap, this.stride);
    this.free = i32(this.free, this.stride);
    this.capTotal = i32(this.capTotal);
    this.freeTotal = i32(this.freeTotal);
    this.fullFree = i32(this.fullFree);
    this.maxFree = i32(this.maxFree);
    this.model = i32(this.model);
    this.typeCount = i32(this.typeCount, this.types);
    this.typesPresent = i32(this.typesPresent);
    const v = new Uint32Array(size);
    v.set(this.version);
    this.version = v;
  }
}
