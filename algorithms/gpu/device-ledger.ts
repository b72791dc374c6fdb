import { PolicyError } from '../policy.js';
import type { ClusterView } from '../../model/cluster-view.js';
import type { MachineSpec } from '../../model/machine.js';
import { GpuDevices, MAX_DEVICES, MILLI } from './gpu-devices.js';
import { isShare, shapeType, type GpuTaskShape } from './task-gpu-shape.js';

export { MAX_DEVICES };
const S = MAX_DEVICES;

/**
 * The device-level GPU state of the replay's nodes, as one GPU policy sees it: which device of
 * which node holds how many milli-GPU. The simulator (harness/simulator.ts) only keeps GPU summed
 * per node; it knows nothing of devices, so a policy that must not split a fractional pod over two
 * devices keeps this ledger beside it and updates it from its onBind / onUnbind hooks. CPU and
 * memory stay the simulator's (read from the ClusterView).
 *
 * Per node, built on first sight from ClusterView.specs (MachineExtras.gpuDevices, gpuModel; the
 * device count defaults to ⌈allocatable GPU / 1000⌉) and rebuilt when a removed machine comes back
 * with a new spec: devices of 1000 milli-GPU (the last ones smaller when the node's allocatable GPU
 * is less than devices × 1000) in the device model shared with the experiment (gpu-devices.ts).
 *
 * Invariant, checked on every node a decision looks at: the milli-GPU this ledger holds on a node
 * equals the simulator's GPU requested there. When something bound or unbound GPU without telling
 * the policy (a test harness, a bench, a policy created on a loaded cluster), the difference is
 * "adopted" — laid onto devices deterministically (whole free devices first, then best fit) — or
 * released from what was adopted, and counted in `adoptedMilli`; a plain replay adopts nothing.
 */
export class DeviceLedger extends GpuDevices {
  readonly dims: number;
  readonly cpuDim: number;
  readonly gpuDim: number;
  private specOf: Array<MachineSpec | undefined> = [];
  /** What was adopted per device (see class comment). */
  private adoptedDev = new Int32Array(0);
  /** Milli-GPU adopted (bound behind the policy's back) over the run; 0 in a plain replay. */
  adoptedMilli = 0;
  /** Binds that did not fit at device level (only when bound by another code path). */
  overcommits = 0;
  // Per task id: node (-1 = none), bit mask of devices, milli-GPU per device.
  private asgNode = new Int32Array(0);
  private asgMask = new Int32Array(0);
  private asgMilli = new Int32Array(0);

  constructor(names: readonly string[]) {
    super(MAX_DEVICES);
    this.dims = names.length;
    this.cpuDim = names.indexOf('cpu');
    this.gpuDim = names.indexOf('gpu');
  }

  /** Registers the cluster's new node slots (first sight). Cheap when nothing changed. */
  sync(cluster: ClusterView): void {
    const n = cluster.nodeCount;
    if (n <= this.size) return;
    this.grow(n);
    for (let node = this.size; node < n; node++) this.build(node, cluster);
    this.size = n;
  }

  /**
   * Brings one known node in step with the cluster: rebuilt if its machine came back with a new
   * spec, reconciled if the simulator's GPU requested differs from the ledger's (less `pendingMilli`,
   * the task being bound right now).
   */
  current(node: number, cluster: ClusterView, pendingMilli = 0): void {
    if (cluster.specs[node] !== this.specOf[node] && this.held(node) === this.adoptedOn(node)) this.build(node, cluster);
    if (this.gpuDim < 0) return;
    const want = cluster.requested[node * this.dims + this.gpuDim] - pendingMilli;
    const have = this.held(node);
    if (want > have) this.adopt(node, want - have);
    else if (want < have) this.unadopt(node, have - want);
  }

  /** The node's CPU free as the simulator has it (0 when the schema has no 'cpu'). */
  cpuFree(cluster: ClusterView, node: number): number {
    return this.cpuDim >= 0 ? cluster.free[node * this.dims + this.cpuDim] : 0;
  }

  /** Milli-GPU held on the node (tracked tasks + adopted). */
  held(node: number): number {
    return this.capTotal[node] - this.freeTotal[node];
  }

  private adoptedOn(node: number): number {
    let a = 0;
    for (let g = 0, G = this.devices[node]; g < G; g++) a += this.adoptedDev[node * S + g];
    return a;
  }

  /**
   * Records task `id` on `node`: a share on `device` (or the best-fitting one when device < 0 or
   * it cannot hold it), whole devices on the lowest-numbered fully free ones. If the task does not
   * fit at device level (bound by another code path), it still is recorded — on the devices with
   * the most free, going negative — and counted in `overcommits`, so the ledger's sums stay the
   * simulator's.
   */
  commit(id: number, node: number, s: GpuTaskShape, device: number): void {
    if (s.count === 0) return;
    this.growTasks(id + 1);
    if (this.asgNode[id] >= 0) throw new Error(`device ledger: task ${id} bound twice (on node ${this.asgNode[id]} and ${node})`);
    const o = node * S;
    const G = this.devices[node];
    let mask = 0;
    if (isShare(s)) {
      let g = device >= 0 && device < G && this.free[o + device] >= s.milli ? device : this.bestFitDevice(node, s.milli);
      if (g < 0) {
        this.overcommits++;
        g = this.mostFree(node, 0);
      }
      if (g < 0) throw new PolicyError(`device ledger: task ${id} bound to node ${node}, which has no GPU device`);
      mask = 1 << g;
    } else {
      mask = this.wholeDevices(node, s.count);
      let left = s.count - popcount(mask);
      if (left > 0) this.overcommits++;
      while (left > 0) {
        const g = this.mostFree(node, mask);
        if (g < 0) throw new PolicyError(`device ledger: task ${id} needs ${s.count} devices on node ${node}, which has ${G}`);
        mask |= 1 << g;
        left--;
      }
    }
    this.asgNode[id] = node;
    this.asgMask[id] = mask;
    this.asgMilli[id] = s.milli;
    this.occupy(node, mask, s.milli, shapeType(s));
  }

  /**
   * Frees what task `id` holds on `node`; false when it holds nothing there, or not `total`
   * milli-GPU (then the caller's task is not the one recorded: nothing is released).
   */
  release(id: number, node: number, total: number): boolean {
    if (id >= this.asgNode.length || this.asgNode[id] !== node) return false;
    const mask = this.asgMask[id];
    const milli = this.asgMilli[id];
    const k = popcount(mask);
    if (k * milli !== total) return false;
    this.asgNode[id] = -1;
    this.vacate(node, mask, milli, milli < MILLI ? 0 : k);
    return true;
  }

  /** Devices task `id` holds (ascending) and the milli-GPU on each; undefined when it holds none. */
  assignment(id: number): { node: number; devices: number[]; milli: number } | undefined {
    if (id >= this.asgNode.length || this.asgNode[id] < 0) return undefined;
    const node = this.asgNode[id];
    const devices: number[] = [];
    for (let g = 0; g < this.devices[node]; g++) if (this.asgMask[id] & (1 << g)) devices.push(g);
    return { node, devices, milli: this.asgMilli[id] };
  }

  /** The device (not in `exclude`) with the most free milli-GPU, lowest index on ties; -1 if none. */
  private mostFree(node: number, exclude: number): number {
    let best = -1;
    for (let g = 0, G = this.devices[node]; g < G; g++) {
      if (exclude & (1 << g)) continue;
      if (best < 0 || this.free[node * S + g] > this.free[node * S + best]) best = g;
    }
    return best;
  }

  /** Lays `amount` milli-GPU nobody told us about onto the node: whole free devices, then best fit, then most free. */
  private adopt(node: number, amount: number): void {
    this.adoptedMilli += amount;
    const o = node * S;
    const G = this.devices[node];
    if (G === 0) throw new PolicyError(`device ledger: node ${node} has GPU requested but no GPU device`);
    let a = amount;
    const take = (g: number, x: number) => {
      this.free[o + g] -= x;
      this.adoptedDev[o + g] += x;
      a -= x;
    };
    for (let g = 0; g < G && a >= MILLI; g++) if (this.free[o + g] === MILLI) take(g, MILLI);
    if (a > 0 && a < MILLI) {
      const g = this.bestFitDevice(node, a);
      if (g >= 0) take(g, a);
    }
    while (a > 0) {
      const g = this.mostFree(node, 0);
      const f = this.free[o + g];
      take(g, f > 0 && f < a ? f : a);
    }
    this.refresh(node);
  }

  /** The simulator holds `amount` less than the ledger: give back adopted milli-GPU (lowest device first). */
  private unadopt(node: number, amount: number): void {
    const o = node * S;
    let b = amount;
    for (let g = 0, G = this.devices[node]; g < G && b > 0; g++) {
      const x = Math.min(b, this.adoptedDev[o + g]);
      this.adoptedDev[o + g] -= x;
      this.free[o + g] += x;
      b -= x;
    }
    this.refresh(node);
    if (b > 0) {
      throw new PolicyError(
        `device ledger: node ${node} was released ${b} milli-GPU more than this policy was told about (a task unbound without onUnbind?)`,
      );
    }
  }

  /** Device layout of a node from its spec and the simulator's allocatable GPU. */
  private build(node: number, cluster: ClusterView): void {
    const spec = cluster.specs[node];
    this.specOf[node] = spec;
    const D = this.dims;
    const gpuAlloc = this.gpuDim >= 0 ? cluster.allocatable[node * D + this.gpuDim] : 0;
    const G = gpuAlloc > 0 ? (spec?.gpuDevices ?? Math.ceil(gpuAlloc / MILLI)) : 0;
    if (!(G >= 0 && G <= MAX_DEVICES && Number.isInteger(G))) {
      throw new PolicyError(`device ledger: machine ${cluster.ids[node]} declares ${G} GPU devices; 0..${MAX_DEVICES} are supported`);
    }
    this.adoptedDev.fill(0, node * S, node * S + S);
    const cpu = this.cpuDim >= 0 ? cluster.allocatable[node * D + this.cpuDim] : 0;
    this.setNode(node, G, gpuAlloc, spec?.gpuModel ?? '', cpu);
  }

  protected override grow(n: number): void {
    if (n <= this.devices.length) return;
    super.grow(n);
    const b = new Int32Array(this.devices.length * S);
    b.set(this.adoptedDev);
    this.adoptedDev = b;
  }

  private growTasks(n: number): void {
    if (n <= this.asgNode.length) return;
    const size = Math.max(n, this.asgNode.length * 2, 1024);
    const node = new Int32Array(size).fill(-1);
    node.set(this.asgNode);
    this.asgNode = node;
    const mask = new Int32Array(size);
    mask.set(this.asgMask);
    this.asgMask = mask;
    const milli = new Int32Array(size);
    milli.set(this.asgMilli);
    this.asgMilli = milli;
  }
}

function popcount(mask: number): number {
  let k = 0;
  for (let m = mask; m !== 0; m &= m - 1) k++;
  return k;
}
