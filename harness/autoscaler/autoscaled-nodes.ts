import type { ReactionHost } from '../reactions/reaction-host.js';
import type { InstanceType } from '../../model/instance-catalog.js';
import type { ResourceSchema } from '../../model/resources.js';
import { instanceCapacity, nodeSpecFor, type NodeGroup } from './node-group-templates.js';
import { NodeGroupUsageLedger } from './node-group-usage.js';

/** A node asked for and not yet registered. */
export interface UpcomingNode {
  id: string;
  group: number;
  type: InstanceType;
  /** When it registers (decision time + provisioning delay). */
  readyAt: number;
  /** A Karpenter replacement: the node it replaces (drained once this one is Ready), else -1. */
  replaces: number;
}

/**
 * Which nodes each node group has, the nodes on their way, and what a new node of a group holds:
 * the bookkeeping both autoscalers share. Per node (typed arrays, node number): its group (-1 =
 * outside autoscaling), its ledger row, the requests of its DaemonSet pods (kept by the
 * started / stopped hooks in O(1)). Per instance type: the allocatable the simulator gave the
 * first node of that type (kubelet reservations, overcommit ratios applied), which replaces the
 * catalog shape in templates from then on.
 */
export class AutoscaledNodes {
  host!: ReactionHost;
  group = new Int32Array(0);
  row = new Int32Array(0);
  daemon = new Float64Array(0);
  /** Pods per node that need no new place when it goes (DaemonSet pods; for the cluster autoscaler also expendable ones). */
  ignorable = new Int32Array(0);
  readonly members: Array<Set<number>>;
  readonly upcoming: UpcomingNode[] = [];
  readonly ledger = new NodeGroupUsageLedger();
  private readonly allocatableByType = new Map<string, Float64Array>();
  private readonly rooms = new Map<string, Float64Array>();
  private roomsAt = NaN;
  private anyDaemon = false;
  private readonly nextNumber: number[];
  private readonly dims: number;

  constructor(
    readonly groups: readonly NodeGroup[],
    private readonly resources: ResourceSchema,
  ) {
    this.dims = resources.names.length;
    this.members = groups.map(() => new Set<number>());
    this.nextNumber = groups.map(() => 0);
  }

  /** Room per node slot up to `n`. */
  ensure(n: number): void {
    if (n <= this.group.length) return;
    const size = Math.max(n, this.group.length * 2, 64);
    const g = new Int32Array(size).fill(-1);
    g.set(this.group);
    this.group = g;
    const r = new Int32Array(size).fill(-1);
    r.set(this.row);
    this.row = r;
    const d = new Float64Array(size * this.dims);
    d.set(this.daemon);
    this.daemon = d;
    const i = new Int32Array(size);
    i.set(this.ignorable);
    this.ignorable = i;
  }

  /** Learns a node's allocatable as its instance type's (first node of the type only). */
  learnAllocatable(node: number): void {
    const c = this.host.cluster;
    const type = c.instanceTypes[node];
    if (type === '' || this.allocatableByType.has(type)) return;
    const D = this.dims;
    this.allocatableByType.set(type, c.allocatable.slice(node * D, node * D + D));
  }

  /** What a new node of the type has allocatable: learned from a node of that type, else the catalog shape. */
  allocatable(type: InstanceType): Float64Array {
    return this.allocatableByType.get(type.name) ?? instanceCapacity(type, this.resources);
  }

  /**
   * The room a new node of `group` and `type` offers pending pods: its allocatable minus the
   * largest DaemonSet load seen on a node of the group (upstream builds the template from a node
   * of the group, its DaemonSet pods included; a group with no node yet: none known).
   */
  templateRoom(group: number, type: InstanceType): Float64Array {
    // Asked per upcoming node and per group in every loop: computed once per instant.
    const now = this.host.now();
    if (now !== this.roomsAt) {
      this.rooms.clear();
      this.roomsAt = now;
    }
    const key = `${group}\u0000${type.name}`;
    const known = this.rooms.get(key);
    if (known) return known;
    const room = Float64Array.from(this.allocatable(type));
    const D = this.dims;
    if (this.anyDaemon) {
      const most = new Float64Array(D);
      for (const node of this.members[group]) for (let d = 0; d < D; d++) most[d] = Math.max(most[d], this.daemon[node * D + d]);
      for (let d = 0; d < D; d++) room[d] = Math.max(0, room[d] - most[d]);
    }
    this.rooms.set(key, room);
    return room;
  }

  /** Nodes of the group up now plus those on their way. */
  size(group: number): number {
    let n = this.members[group].size;
    for (const u of this.upcoming) if (u.group === group) n++;
    return n;
  }

  /** Nodes of all groups on their way. */
  upcomingCount(): number {
    return this.upcoming.length;
  }

  /** A fresh node name `<group>-<n>`, not used by any node yet. */
  newId(group: number): string {
    const name = this.groups[group].spec.name;
    for (;;) {
      const id = `${name}-${this.nextNumber[group]++}`;
      if (this.host.cluster.nodeById(id) === undefined && !this.upcoming.some((u) => u.id === id)) return id;
    }
  }

  /** Asks for a node: registered after `delay` (at `then`, which adds it), counted as upcoming meanwhile. */
  provision(group: number, type: InstanceType, t: number, delay: number, replaces = -1): UpcomingNode {
    const u: UpcomingNode = { id: this.newId(group), group, type, readyAt: t + delay, replaces };
    this.upcoming.push(u);
    this.host.at(t + delay, () => {
      const spec = nodeSpecFor(this.groups[group], type, u.id, this.resources);
      // The nodeAdded hook (called inside addNode) finds it among the upcoming.
      this.host.addNode(spec);
    });
    return u;
  }

  /** The upcoming node with this id, taken off the list (nodeAdded of our own node), or undefined. */
  arrived(id: string): UpcomingNode | undefined {
    const i = this.upcoming.findIndex((u) => u.id === id);
    if (i < 0) return undefined;
    return this.upcoming.splice(i, 1)[0];
  }

  /** The node joins a group (as `type`); `added`: the autoscaler made it. */
  join(node: number, group: number, type: InstanceType, t: number, added: boolean): void {
    this.ensure(node + 1);
    const g = this.groups[group];
    const row = this.ledger.row(g.spec.name, type.name, g.spec.zone, type.pricePerHour, t);
    this.group[node] = group;
    this.row[node] = row;
    this.members[group].add(node);
    this.ledger.join(row, t, added);
  }

  /** The node left the cluster; `removed`: the autoscaler removed it. */
  leave(node: number, t: number, removed: boolean): void {
    if (node >= this.group.length || this.group[node] < 0) return;
    this.members[this.group[node]].delete(node);
    this.ledger.leave(this.row[node], t, removed);
    this.group[node] = -1;
    this.row[node] = -1;
    const D = this.dims;
    this.daemon.fill(0, node * D, node * D + D);
  }

  /** A pod that needs no new place started (+1) on a node or stopped (−1). */
  ignorablePod(node: number, sign: 1 | -1): void {
    this.ensure(node + 1);
    this.ignorable[node] += sign;
  }

  /** A DaemonSet pod started (+1) or stopped (−1) on a node: its requests count in the node's DaemonSet load. */
  daemonPod(node: number, task: number, sign: 1 | -1): void {
    this.ensure(node + 1);
    this.anyDaemon = true;
    const D = this.dims;
    const v = this.host.admissionVectors();
    for (let d = 0; d < D; d++) this.daemon[node * D + d] += sign * v[task * D + d];
  }
}
