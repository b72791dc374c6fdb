import { NodeIndex } from './node-index.js';
import type { MachineSpec } from '../model/machine.js';
import type { ResourceSchema } from '../model/resources.js';
import type { ClusterView } from '../model/cluster-view.js';
import { NodeChangeRing } from './node-change-log.js';

/**
 * The modeled cluster: nodes as struct-of-arrays (one typed array per quantity, `node * dims + d`)
 * so policies score contiguous memory. Placement is by request: a node's free amount is
 * allocatable minus the requests of the tasks bound to it. Amounts are whole units (millicores,
 * bytes, milli-GPU), so sums are exact and a task either fits or it does not.
 *
 * Node dynamics (harness/node-dynamics.ts) reach the scheduler's view in two ways: `held`, an
 * amount per node beyond the sum of requests (an overcommit policy's reservation or predicted
 * peak minus the charges; may be negative), and a per-task `filter` (no BestEffort pod on a node
 * under MemoryPressure; Koordinator's batch pool), consulted by fits() and feasible().
 */
export class Cluster implements ClusterView {
  readonly dims: number;
  readonly resources: ResourceSchema;
  nodeCount = 0;
  capacity: Float64Array;
  allocatable: Float64Array;
  requested: Float64Array;
  /** allocatable - requested - held, kept in step so fit checks read one array. */
  free: Float64Array;
  /** Held beyond the requests (overcommit), per node and dimension; 0 without overcommit. */
  held: Float64Array;
  /**
   * While placing one task: nodes it may not use (false). `filterExcludesAtMost` bounds how many
   * up nodes the filter rejects (so a sampled search collects enough); nodeCount if unknown.
   */
  filter: ((node: number) => boolean) | undefined;
  filterExcludesAtMost = 0;
  private filterScratch = new Int32Array(0);
  up: Uint8Array;
  /**
   * 1 = up but taking no new tasks (a NotReady node under the node lifecycle controller's
   * NoSchedule taint): its tasks stay bound, fits() is false and the index skips it.
   */
  cordoned: Uint8Array;
  runningCount: Int32Array;
  readonly ids: string[] = [];
  readonly instanceTypes: string[] = [];
  readonly labels: Array<Readonly<Record<string, string>>> = [];
  readonly specs: MachineSpec[] = [];
  readonly index: NodeIndex;
  /**
   * Every node whose reservation state changed (bind, unbind, hold, cordon, up/down, added or back
   * with a new shape), in order: what score caches replay (algorithms/score-cache/).
   */
  readonly changeLog = new NodeChangeRing();
  private readonly idToNode = new Map<string, number>();

  /** Sums over nodes that are up. */
  readonly totalAllocatable: Float64Array;
  readonly totalRequested: Float64Array;
  upCount = 0;
  /** Nodes that are up and run at least one task. */
  busyCount = 0;

  constructor(resources: ResourceSchema, expectedNodes = 16) {
    const dims = resources.names.length;
    this.resources = resources;
    this.dims = dims;
    const n = Math.max(1, expectedNodes);
    this.capacity = new Float64Array(n * dims);
    this.allocatable = new Float64Array(n * dims);
    this.requested = new Float64Array(n * dims);
    this.free = new Float64Array(n * dims);
    this.held = new Float64Array(n * dims);
    this.up = new Uint8Array(n);
    this.cordoned = new Uint8Array(n);
    this.runningCount = new Int32Array(n);
    // Condition the index on CPU and memory (the pair that fragments), else the first two dims.
    const cpu = resources.names.indexOf('cpu');
    const mem = resources.names.indexOf('memory');
    this.index = new NodeIndex(dims, n, cpu >= 0 && mem >= 0 ? [cpu, mem] : [0, 1]);
    this.totalAllocatable = new Float64Array(dims);
    this.totalRequested = new Float64Array(dims);
  }

  nodeById(id: string): number | undefined {
    return this.idToNode.get(id);
  }

  /** Adds a machine (or brings a removed one back with its new shape); returns its node number. */
  addNode(spec: MachineSpec): number {
    this.lastSearchRequest = undefined;
    const D = this.dims;
    let node = this.idToNode.get(spec.id);
    if (node === undefined) {
      node = this.nodeCount++;
      this.ensureCapacity(this.nodeCount);
      this.ids.push(spec.id);
      this.instanceTypes.push(spec.instanceType ?? '');
      this.labels.push(spec.labels ?? {});
      this.specs.push(spec);
      this.idToNode.set(spec.id, node);
    } else if (this.up[node]) {
      throw new Error(`machine ${spec.id} added twice without a removal`);
    } else {
      this.specs[node] = spec;
      this.labels[node] = spec.labels ?? {};
      this.instanceTypes[node] = spec.instanceType ?? '';
    }
    if (spec.capacity.length !== D) {
      throw new Error(`machine ${spec.id}: capacity has ${spec.capacity.length} dimensions, expected ${D}`);
    }
    const alloc = spec.allocatable ?? spec.capacity;
    const o = node * D;
    for (let d = 0; d < D; d++) {
      const c = spec.capacity[d];
      const a = alloc[d];
      if (!(c >= 0) || !(a >= 0)) {
        throw new Error(`machine ${spec.id}: capacity and allocatable must be non-negative numbers`);
      }
      this.capacity[o + d] = Math.floor(c);
      this.allocatable[o + d] = Math.floor(a);
      this.requested[o + d] = 0;
      this.held[o + d] = 0;
      this.free[o + d] = Math.floor(a);
      this.totalAllocatable[d] += Math.floor(a);
    }
    this.up[node] = 1;
    this.cordoned[node] = 0;
    this.runningCount[node] = 0;
    this.upCount++;
    this.index.update(node, this.free, o);
    this.changeLog.record(node);
    return node;
  }

  /** Takes a node out; the caller must have unbound its tasks first. */
  removeNode(node: number): void {
    this.lastSearchRequest = undefined;
    if (!this.up[node]) return;
    if (this.runningCount[node] !== 0) throw new Error(`node ${this.ids[node]} removed with tasks still bound`);
    const D = this.dims;
    for (let d = 0; d < D; d++) this.totalAllocatable[d] -= this.allocatable[node * D + d];
    this.up[node] = 0;
    this.upCount--;
    this.index.disable(node);
    this.changeLog.record(node);
  }

  /** Cordons (schedulable = false) or uncordons an up node; its bound tasks stay. */
  setSchedulable(node: number, schedulable: boolean): void {
    if (!this.up[node] || (this.cordoned[node] === 0) === schedulable) return;
    this.lastSearchRequest = undefined;
    this.cordoned[node] = schedulable ? 0 : 1;
    if (schedulable) this.index.update(node, this.free, node * this.dims);
    else this.index.disable(node);
    this.changeLog.record(node);
  }

  fits(node: number, req: Float64Array): boolean {
    if (node < 0 || node >= this.nodeCount || !this.up[node] || this.cordoned[node]) return false;
    const D = this.dims;
    const o = node * D;
    for (let d = 0; d < D; d++) if (req[d] > this.free[o + d]) return false;
    return this.filter === undefined || this.filter(node);
  }

  mayFitIn(lo: number, hi: number, req: Float64Array): boolean {
    return this.index.mayFitIn(req, lo, hi);
  }

  feasible(req: Float64Array, start: number, limit: number, out: Int32Array): number {
    if (this.filter !== undefined) return this.feasibleFiltered(req, start, limit, out, this.filter);
    const found = this.index.collect(req, start, limit, this.nodeCount, out);
    this.lastSearchRequest = req;
    this.lastSearchFound = found;
    return found;
  }

  /** feasible() under a filter: collect enough to be left with `limit` after it, then drop the rejected. */
  private feasibleFiltered(req: Float64Array, start: number, limit: number, out: Int32Array, filter: (node: number) => boolean): number {
    const want = Math.min(this.nodeCount, limit + this.filterExcludesAtMost);
    if (this.filterScratch.length < want) this.filterScratch = new Int32Array(Math.max(want, 64));
    const got = this.index.collect(req, start, want, this.nodeCount, this.filterScratch);
    let found = 0;
    for (let i = 0; i < got && found < limit; i++) {
      const node = this.filterScratch[i];
      if (filter(node)) out[found++] = node;
    }
    // Not a search anyRoom() may reuse: its answer depends on the task.
    this.lastSearchRequest = undefined;
    return found;
  }

  /**
   * Sets what a node holds beyond its requests (overcommit), per dimension; returns whether its
   * free room grew in any dimension.
   */
  setHeld(node: number, held: Float64Array): boolean {
    this.lastSearchRequest = undefined;
    const D = this.dims;
    const o = node * D;
    let grew = false;
    let changed = false;
    for (let d = 0; d < D; d++) {
      const delta = held[d] - this.held[o + d];
      if (delta === 0) continue;
      if (delta < 0) grew = true;
      changed = true;
      this.held[o + d] = held[d];
      this.free[o + d] -= delta;
    }
    if (this.up[node] && !this.cordoned[node]) this.index.update(node, this.free, o);
    if (changed) this.changeLog.record(node);
    return grew;
  }

  /** The request array of the last feasible() search and how many nodes it found (0 = none fits anywhere). */
  lastSearchRequest: Float64Array | undefined;
  lastSearchFound = 0;

  /** Does any node have room for `req`? Reuses the last search when it was for this very array. */
  anyRoom(req: Float64Array, scratch: Int32Array): boolean {
    if (this.lastSearchRequest === req && this.lastSearchFound === 0) return false;
    return this.index.collect(req, 0, 1, this.nodeCount, scratch) > 0;
  }

  lastStop(): number {
    return this.index.lastStop;
  }

  /** Reserves `req` on `node` (the caller checked the fit). */
  bind(node: number, req: Float64Array): void {
    this.lastSearchRequest = undefined;
    const D = this.dims;
    const o = node * D;
    for (let d = 0; d < D; d++) {
      const r = req[d];
      this.requested[o + d] += r;
      this.free[o + d] -= r;
      this.totalRequested[d] += r;
    }
    if (this.runningCount[node]++ === 0) this.busyCount++;
    if (!this.cordoned[node]) this.index.update(node, this.free, o);
    this.changeLog.record(node);
  }

  unbind(node: number, req: Float64Array): void {
    this.lastSearchRequest = undefined;
    const D = this.dims;
    const o = node * D;
    for (let d = 0; d < D; d++) {
      const r = req[d];
      this.requested[o + d] -= r;
      this.free[o + d] += r;
      this.totalRequested[d] -= r;
    }
    if (--this.runningCount[node] === 0) this.busyCount--;
    if (this.up[node] && !this.cordoned[node]) this.index.update(node, this.free, o);
    this.changeLog.record(node);
  }

  private ensureCapacity(n: number): void {
    if (n <= this.up.length) return;
    const size = Math.max(n, this.up.length * 2);
    const D = this.dims;
    this.capacity = growF(this.capacity, size * D);
    this.allocatable = growF(this.allocatable, size * D);
    this.requested = growF(this.requested, size * D);
    this.free = growF(this.free, size * D);
    this.held = growF(this.held, size * D);
    const up = new Uint8Array(size);
    up.set(this.up);
    this.up = up;
    const co = new Uint8Array(size);
    co.set(this.cordoned);
    this.cordoned = co;
    const rc = new Int32Array(size);
    rc.set(this.runningCount);
    this.runningCount = rc;
    this.index.ensureCapacity(size);
  }
}

function growF(a: Float64Array, n: number): Float64Array {
  const b = new Float64Array(n);
  b.set(a);
  return b;
}
