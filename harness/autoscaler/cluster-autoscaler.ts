import { StopCause, type Reaction, type ReactionHost } from '../reactions/reaction-host.js';
import { ReactionCause, type ReactionsResults } from '../../reports/reaction-results.js';
import type { ResourceRates } from '../../reports/pricing.js';
import type { Workload } from '../../model/workload.js';
import { Rng } from '../../model/rng.js';
import { TaskStatus } from '../../model/task-status.js';
import type { AutoscalerOptions } from './autoscaler-options.js';
import { describeAutoscalerOptions } from './autoscaler-options.js';
import { AutoscaledNodes } from './autoscaled-nodes.js';
import { packPods, SimNodes } from './binpacking-estimator.js';
import { chooseOption, type ExpansionOption, type GroupFacts } from './expanders.js';
import { constraintsAdmit, EligibilityCache } from './node-eligibility.js';
import { groupOfMachine, instanceCapacity, nodeSpecFor, type NodeGroup } from './node-group-templates.js';
import { PendingPods, unschedulablePods } from './pending-pods.js';
import { groupPods, type PodGroup } from './pod-groups.js';
import { RemovalSimulator, type DisruptionBudgetView } from './removal-simulator.js';
import { utilizationOf } from './node-utilization.js';
import { UnhelpablePods } from './unhelpable-pods.js';

/** Default terminationGracePeriodSeconds of a pod (core/v1), for pods without a controller that states one. */
const DEFAULT_GRACE = 30e6;

/**
 * The Kubernetes cluster autoscaler (kubernetes/autoscaler cluster-autoscaler, FAQ.md; ../shared/docs/models.md
 * § Failures and autoscaling), one loop every `scan-interval` (RunOnce):
 *
 * Scale-up ("How does scale-up work?"). The pods the scheduler could not place, less DaemonSet
 * pods and pods below `expendable-pods-priority-cutoff`, in equivalence groups, less those the
 * nodes there can take now (filterOutSchedulable: room freed, a node just registered), first fill
 * the nodes already on their way (upcoming nodes are template nodes in upstream's snapshot: no
 * double scale-up). For each node group below its max (and under max-nodes-total, counting every
 * node and every upcoming one) the binpacking estimator says how many template nodes the rest
 * need, honouring the group's labels and taints (node-eligibility.ts); the expander picks one
 * option and that group grows by its node count; the nodes register after `provisioning-delay`.
 * A pod that no group's template could take, whatever the limits, is counted unhelpable once.
 * A loop that scaled up does not scale down (RunOnce returns after a scale-up).
 *
 * Scale-down ("How does scale-down work?"). A node of a group is unneeded while its utilization —
 * max over CPU and memory of Σ requests / allocatable, the GPU share on GPU nodes
 * (node-utilization.ts) — is below `scale-down-utilization-threshold` and every pod that must
 * move can (removal-simulator.ts: movable, its PodDisruptionBudgets allow it, room on another
 * node; pending pods that the nodes can take hold their room first, as upstream's snapshot has
 * them placed, so an empty node a pending pod needs is not unneeded). Non-empty candidates are
 * simulated at most `scale-down-non-empty-candidates-count` per loop (those unneeded already
 * first, the others in turn). Deletion waits for `scale-down-unneeded-time`
 * (`scale-down-unready-time` for a node that is NotReady or down), not within
 * `scale-down-delay-after-add` of a scale-up nor `scale-down-delay-after-delete` of a deletion,
 * never below the group's min, and not while a drain is in progress. Empty nodes (DaemonSet and
 * expendable pods only; a pod still terminating counts as a pod) go in bulk, up to
 * `max-empty-bulk-delete`; otherwise one node is drained: tainted (NoSchedule,
 * `setNodeReady(false)`), each pod terminated with its grace period capped by
 * `max-graceful-termination-sec` (DaemonSet pods too: daemonset-eviction-for-occupied-nodes),
 * and the node removed when the last pod has gone (or at the cap). Nodes outside every group
 * are never removed. Events: scale-up (node −1, amount = provisioning delay s), drained (per pod,
 * amount = work lost s), scale-down (per node, amount = seconds it was unneeded).
 *
 * Per-task hooks are O(1): unplaced records the pod, started/stopped keep DaemonSet loads.
 */
export class ClusterAutoscaler implements Reaction {
  readonly name = 'cluster-autoscaler';
  private host!: ReactionHost;
  private readonly nodes: AutoscaledNodes;
  private readonly pending = new PendingPods();
  private readonly eligibility: EligibilityCache;
  private readonly templateLabels: Array<{ id: string; labels: Record<string, string>; taints: NodeGroup['spec']['taints'] }>;
  private readonly facts: GroupFacts[];
  private removal!: RemovalSimulator;
  private utilization!: (node: number) => number;
  /** Non-empty nodes found unneeded by the last loop (at most the candidates count). */
  private unneededBusy: number[] = [];
  private candidateMark = new Uint8Array(0);
  private rng!: Rng;
  private readonly unhelpable = new UnhelpablePods();
  private unneededSince = new Float64Array(0);
  private draining = new Uint8Array(0);
  private drainLeft = new Int32Array(0);
  private removing = new Uint8Array(0);
  private drainsInProgress = 0;
  /** Where the next loop's non-empty candidates start among the nodes below the threshold. */
  private cursor = 0;
  private lastScaleUp = -Infinity;
  private lastDelete = -Infinity;
  private scaleUps = 0;
  private nodesAdded = 0;
  private nodesRemoved = 0;
  private cpu: number;
  private memory: number;

  constructor(
    private readonly workload: Workload,
    readonly groups: readonly NodeGroup[],
    readonly options: AutoscalerOptions,
    private readonly budgets: DisruptionBudgetView | undefined,
    private readonly rates: ResourceRates,
  ) {
    this.nodes = new AutoscaledNodes(groups, workload.resources);
    this.eligibility = new EligibilityCache(groups.length);
    this.templateLabels = groups.map((g) => {
      const spec = nodeSpecFor(g, g.types[0], `${g.spec.name}-template`, workload.resources);
      return { id: spec.id, labels: spec.labels!, taints: g.spec.taints };
    });
    this.facts = groups.map((g) => ({ capacity: instanceCapacity(g.types[0], workload.resources), pricePerHour: g.types[0].pricePerHour, hasGpu: g.types[0].gpus > 0 }));
    this.cpu = workload.resources.names.indexOf('cpu');
    this.memory = workload.resources.names.indexOf('memory');
  }

  start(host: ReactionHost, t: number): void {
    this.host = host;
    this.nodes.host = host;
    this.rng = new Rng(host.seed).fork(0xca11);
    this.removal = new RemovalSimulator(host, this.budgets, this.options.expendablePodsPriorityCutoff);
    this.utilization = utilizationOf(host.cluster);
    const c = host.cluster;
    this.grow(c.nodeCount);
    for (let node = 0; node < c.nodeCount; node++) if (c.up[node]) this.adopt(node, t);
    host.at(t, (now) => this.loop(now));
  }

  unplaced(task: number): void {
    this.pending.add(task);
  }

  started(task: number, node: number): void {
    this.pending.forget(task);
    const daemon = this.isDaemon(task);
    if (daemon) this.nodes.daemonPod(node, task, 1);
    if (daemon || this.host.tasks.priority[task] < this.options.expendablePodsPriorityCutoff) this.nodes.ignorablePod(node, 1);
  }

  stopped(task: number, node: number, t: number, cause: StopCause, lost: number): void {
    const daemon = this.isDaemon(task);
    if (daemon) this.nodes.daemonPod(node, task, -1);
    if (daemon || this.host.tasks.priority[task] < this.options.expendablePodsPriorityCutoff) this.nodes.ignorablePod(node, -1);
    if (node < this.draining.length && this.draining[node] === 1) {
      if (cause === StopCause.ScaleDown) this.host.logEvent(ReactionCause.Drained, node, task, lost, 0);
      if (--this.drainLeft[node] <= 0) this.host.at(t, (now) => this.removeNow(node, now));
    }
  }

  dropped(task: number): void {
    this.pending.forget(task);
  }

  nodeAdded(node: number, t: number): void {
    this.grow(node + 1);
    this.nodes.learnAllocatable(node);
    const mine = this.nodes.arrived(this.host.cluster.ids[node]);
    if (mine) {
      this.nodes.join(node, mine.group, mine.type, t, true);
      this.nodesAdded++;
      return;
    }
    this.adopt(node, t);
  }

  nodeRemoved(node: number, t: number): void {
    const byUs = this.removing[node] === 1;
    if (byUs) this.nodesRemoved++;
    this.nodes.leave(node, t, byUs);
    if (this.draining[node] === 1) this.drainsInProgress--;
    this.draining[node] = 0;
    this.removing[node] = 0;
    this.drainLeft[node] = 0;
    this.unneededSince[node] = NaN;
  }

  finish(horizon: number, out: ReactionsResults): void {
    out.settings.autoscaler = describeAutoscalerOptions(this.options);
    out.autoscaler = {
      mode: 'cluster-autoscaler',
      scaleUps: this.scaleUps,
      nodesAdded: this.nodesAdded,
      nodesRemoved: this.nodesRemoved,
      replacements: 0,
      groups: this.nodes.ledger.finish(horizon),
      unhelpable: this.unhelpable.count,
    };
  }

  private isDaemon(task: number): boolean {
    return this.workload.controllers?.[this.host.tasks.job[task]]?.kind === 'DaemonSet';
  }

  /** An existing node joins the group it matches (instance type and zone), if any. */
  private adopt(node: number, t: number): void {
    const c = this.host.cluster;
    this.nodes.ensure(node + 1);
    this.nodes.learnAllocatable(node);
    const g = groupOfMachine(this.groups, c.instanceTypes[node], c.labels[node]);
    if (g >= 0) this.nodes.join(node, g, this.groups[g].types[0], t, false);
  }

  private grow(n: number): void {
    this.nodes.ensure(n);
    if (n <= this.draining.length) return;
    const size = Math.max(n, this.draining.length * 2, 64);
    const u = new Float64Array(size).fill(NaN);
    u.set(this.unneededSince);
    this.unneededSince = u;
    const d = new Uint8Array(size);
    d.set(this.draining);
    this.draining = d;
    const r = new Uint8Array(size);
    r.set(this.removing);
    this.removing = r;
    const l = new Int32Array(size);
    l.set(this.drainLeft);
    this.drainLeft = l;
  }

  private loop(t: number): void {
    const scaledUp = this.scaleUp(t);
    if (!scaledUp && this.options.scaleDownEnabled) this.scaleDown(t);
    this.host.at(t + this.options.scanInterval, (now) => this.loop(now));
  }

  private eligible = (g: PodGroup, group: number): boolean =>
    this.eligibility.get(g.job, group, () => {
      const tl = this.templateLabels[group];
      return constraintsAdmit(this.workload.jobConstraints?.[g.job], tl.id, tl.labels, tl.taints.length > 0 ? tl.taints : undefined);
    });

  // ---- scale-up

  /** The unschedulable pods that may trigger a scale-up, in equivalence groups (none: none unschedulable). */
  private pendingGroups(): PodGroup[] {
    const host = this.host;
    const live = unschedulablePods(host, this.pending);
    if (live.length === 0) return [];
    const tasks = host.tasks;
    const cutoff = this.options.expendablePodsPriorityCutoff;
    return groupPods(live, tasks.job, host.admissionVectors(), host.cluster.dims, (task) => tasks.priority[task] >= cutoff && !this.isDaemon(task));
  }

  private scaleUp(t: number): boolean {
    const host = this.host;
    const o = this.options;
    const pods = this.pendingGroups();
    if (pods.length === 0) return false;
    const D = host.cluster.dims;
    const score = { cpu: this.cpu, memory: this.memory };
    // Pods the nodes there can take (room freed, a node just registered) are the scheduler's;
    // the upcoming nodes take what they can of the rest.
    this.removal.begin();
    const skip = this.removal.placeOnExisting(pods);
    const upcoming = new SimNodes(D);
    for (const u of this.nodes.upcoming) upcoming.add(this.nodes.templateRoom(u.group, u.type), u.group);
    if (upcoming.count > 0) {
      const more = packPods(pods, upcoming, { eligible: this.eligible, skip }, score).placed;
      for (let i = 0; i < skip.length; i++) skip[i] += more[i];
    }
    const rooms = this.groups.map((g) => this.nodes.templateRoom(g.index, g.types[0]));
    this.countUnhelpable(pods, skip, rooms);
    const total = host.cluster.upCount + this.nodes.upcomingCount();
    const options: ExpansionOption[] = [];
    for (const g of this.groups) {
      let limit = g.spec.max - this.nodes.size(g.index);
      if (o.maxNodesTotal > 0) limit = Math.min(limit, o.maxNodesTotal - total);
      if (limit <= 0) continue;
      const res = packPods(pods, new SimNodes(D), { eligible: this.eligible, template: { room: rooms[g.index], kind: g.index, limit }, skip }, { ...score, allocatable: this.nodes.allocatable(g.types[0]) });
      if (res.newNodes > 0) options.push({ group: g.index, nodes: res.newNodes, pods: res.pods, requested: res.requested });
    }
    const best = chooseOption(o.expander, options, {
      facts: this.facts,
      cpu: this.cpu,
      memory: this.memory,
      gpu: this.workload.resources.names.indexOf('gpu'),
      clusterNodes: host.cluster.upCount,
      perVcpuHour: this.rates.perVcpuHour,
      perGiBHour: this.rates.perGiBHour,
      rng: this.rng,
    });
    if (!best) return false;
    const group = this.groups[best.group];
    for (let i = 0; i < best.nodes; i++) {
      this.nodes.provision(best.group, group.types[0], t, o.provisioningDelay);
      host.logEvent(ReactionCause.ScaleUp, -1, -1, o.provisioningDelay / 1e6, 0);
    }
    this.scaleUps++;
    this.lastScaleUp = t;
    return true;
  }

  /** Pods no group's empty template could take (constraints or size), counted once each. */
  private countUnhelpable(pods: readonly PodGroup[], skip: Int32Array, rooms: readonly Float64Array[]): void {
    const D = this.host.cluster.dims;
    pods.forEach((g, gi) => {
      if (skip[gi] >= g.tasks.length) return;
      for (const group of this.groups) {
        const room = rooms[group.index];
        let fits = true;
        for (let d = 0; d < D; d++) if (g.request[d] > room[d]) fits = false;
        if (fits && this.eligible(g, group.index)) return;
      }
      for (let i = skip[gi]; i < g.tasks.length; i++) {
        const task = g.tasks[i];
        this.unhelpable.add(task);
      }
    });
  }

  // ---- scale-down

  private scaleDown(t: number): void {
    const host = this.host;
    const o = this.options;
    const removal = this.removal;
    removal.begin();
    // Pending pods the nodes there can take hold that room (upstream's snapshot has them placed):
    // a removal must not count on it.
    const pending = this.pendingGroups();
    if (pending.length > 0) removal.placeOnExisting(pending);
    const empty: number[] = [];
    const busy: number[] = [];
    if (this.candidateMark.length < host.cluster.nodeCount) this.candidateMark = new Uint8Array(Math.max(host.cluster.nodeCount, this.candidateMark.length * 2));
    for (const members of this.nodes.members) {
      for (const node of members) {
        if (this.draining[node] === 1) {
          removal.exclude(node);
          continue;
        }
        if (this.utilization(node) >= o.scaleDownUtilizationThreshold) {
          this.unneededSince[node] = NaN;
          continue;
        }
        if (this.isEmpty(node)) {
          empty.push(node);
          this.candidateMark[node] = 3;
        } else {
          busy.push(node);
          this.candidateMark[node] = 1;
        }
      }
    }
    // Empty nodes: unneeded, and no destination for the others, unless pending pods are to take
    // their room and have no other place.
    for (const node of empty) {
      if (removal.tryRemove(node) === 'ok') {
        if (!(this.unneededSince[node] === this.unneededSince[node])) this.unneededSince[node] = t;
      } else this.unneededSince[node] = NaN;
    }
    // Non-empty ones, at most the candidates count per loop: those unneeded already (longest
    // first), then others in turn from where the last loop stopped. Only those are simulated.
    const limit = o.scaleDownNonEmptyCandidatesCount > 0 ? o.scaleDownNonEmptyCandidatesCount : busy.length;
    const before = this.unneededBusy;
    const chosen = before.filter((node) => this.candidateMark[node] === 1).sort((a, b) => this.unneededSince[a] - this.unneededSince[b] || a - b);
    // One that is no longer below the threshold lost its time already; one that emptied keeps it.
    for (const node of before) if (this.candidateMark[node] === 0) this.unneededSince[node] = NaN;
    if (chosen.length > limit) {
      for (const node of chosen.slice(limit)) this.unneededSince[node] = NaN;
      chosen.length = limit;
    }
    for (const node of chosen) this.candidateMark[node] = 2;
    for (let k = 0; k < busy.length && chosen.length < limit; k++) {
      const node = busy[(this.cursor + k) % busy.length];
      if (this.candidateMark[node] === 1) chosen.push(node);
    }
    if (busy.length > 0) this.cursor = (this.cursor + limit) % busy.length;
    for (const node of busy) this.candidateMark[node] = 0;
    for (const node of empty) this.candidateMark[node] = 0;
    this.unneededBusy = [];
    for (const node of chosen) {
      if (removal.tryRemove(node) === 'ok') {
        if (!(this.unneededSince[node] === this.unneededSince[node])) this.unneededSince[node] = t;
        this.unneededBusy.push(node);
      } else this.unneededSince[node] = NaN;
    }
    if (t < this.lastScaleUp + o.scaleDownDelayAfterAdd || t < this.lastDelete + o.scaleDownDelayAfterDelete) return;
    if (this.drainsInProgress > 0) return;
    // Room to shrink per group: never below its min.
    const room = this.groups.map((g) => {
      let n = 0;
      for (const node of this.nodes.members[g.index]) if (this.draining[node] === 0) n++;
      return n - g.spec.min;
    });
    const ripe = (node: number): boolean => {
      const s = this.unneededSince[node];
      if (!(s === s)) return false;
      const wait = host.isNodeReady(node) && !host.isNodeDown(node) ? o.scaleDownUnneededTime : o.scaleDownUnreadyTime;
      return t - s >= wait && room[this.nodes.group[node]] > 0;
    };
    const gone: number[] = [];
    for (const node of empty) {
      if (gone.length >= o.maxEmptyBulkDelete) break;
      if (!(this.unneededSince[node] === this.unneededSince[node]) || !ripe(node)) continue;
      room[this.nodes.group[node]]--;
      gone.push(node);
    }
    if (gone.length > 0) {
      for (const node of gone) this.removeNow(node, t);
      this.lastDelete = t;
      return;
    }
    // The one unneeded longest, if it is ripe.
    for (const node of chosen) {
      if (this.unneededSince[node] === this.unneededSince[node] && ripe(node)) {
        this.drain(node, t);
        this.lastDelete = t;
        return;
      }
    }
  }

  /** No pod but DaemonSet and expendable pods (counted by the started/stopped hooks: O(1)). */
  private isEmpty(node: number): boolean {
    return this.host.countOn(node) === this.nodes.ignorable[node];
  }

  /** Taints the node, terminates its pods gracefully, removes it when they are gone (or at the grace cap). */
  private drain(node: number, t: number): void {
    const host = this.host;
    this.draining[node] = 1;
    this.drainsInProgress++;
    host.setNodeReady(node, false);
    const on: number[] = [];
    for (let task = host.firstOn(node); task >= 0; task = host.nextOn(task)) on.push(task);
    this.drainLeft[node] = on.length;
    let longest = 0;
    for (const task of on) {
      const c = this.workload.controllers?.[host.tasks.job[task]];
      const grace = Math.min(c?.terminationGracePeriod ?? DEFAULT_GRACE, this.options.maxGracefulTermination);
      longest = Math.max(longest, grace);
      if (host.tasks.status[task] === TaskStatus.Running && host.tasks.node[task] === node) host.terminate(task, StopCause.ScaleDown, grace);
    }
    if (on.length === 0) this.removeNow(node, t);
    else host.at(t + longest, (now) => this.removeNow(node, now));
  }

  private removeNow(node: number, t: number): void {
    const host = this.host;
    if (!host.cluster.up[node] || this.removing[node] === 1) return;
    if (this.nodes.group[node] < 0) return;
    this.removing[node] = 1;
    const s = this.unneededSince[node];
    host.logEvent(ReactionCause.ScaleDown, node, -1, s === s ? (t - s) / 1e6 : 0, 0);
    host.removeNode(node, StopCause.ScaleDown);
  }
}

