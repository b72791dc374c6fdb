import { StopCause, type Reaction, type ReactionHost } from '../reactions/reaction-host.js';
import { ReactionCause, type ReactionsResults } from '../../reports/reaction-results.js';
import type { InstanceType } from '../../model/instance-catalog.js';
import type { Workload } from '../../model/workload.js';
import { TaskStatus } from '../../model/task-status.js';
import type { AutoscalerOptions } from './autoscaler-options.js';
import { describeAutoscalerOptions } from './autoscaler-options.js';
import { AutoscaledNodes } from './autoscaled-nodes.js';
import { packPods, SimNodes } from './binpacking-estimator.js';
import { constraintsAdmit, EligibilityCache } from './node-eligibility.js';
import { nodeSpecFor, type NodeGroup } from './node-group-templates.js';
import { PendingPods, unschedulablePods } from './pending-pods.js';
import { groupPods, type PodGroup } from './pod-groups.js';
import { RemovalSimulator, type DisruptionBudgetView } from './removal-simulator.js';

const DEFAULT_GRACE = 30e6;
/** Single-node consolidation candidates simulated per loop (a bound on the work; Karpenter bounds it by time instead). */
const CONSOLIDATION_CANDIDATES = 100;
import { UnhelpablePods } from './unhelpable-pods.js';

/** A node being planned in one provisioning round (Karpenter's in-memory NodeClaim). */
interface Claim {
  pool: number;
  /** Instance types that still fit every pod put on it, cheapest first. */
  options: InstanceType[];
  used: Float64Array;
  pods: number;
  /** Pod groups of its pods (their constraints narrow the options). */
  members: PodGroup[];
}

/**
 * A Karpenter-style provisioner (karpenter.sh docs: concepts/scheduling, concepts/disruption;
 * kubernetes-sigs/karpenter pkg/controllers/provisioning/scheduling), the second mode of
 * `--autoscaler`. Node groups are NodePools: allowed instance types (`instanceTypes`, or the whole
 * catalog), labels, taints, a zone, and a node limit (`max`; Karpenter's limits are on CPU and
 * memory, schedlab's on nodes; `min` is kept as a floor for consolidation, Karpenter has none).
 * Only the nodes it launched are its own.
 *
 * Provisioning. Pending pods are batched: a batch closes 1 s after the last new pending pod, or
 * 10 s after it opened (BATCH_IDLE_DURATION, BATCH_MAX_DURATION). Then, as Karpenter's scheduler
 * does: pods go first on the nodes there (room freed meanwhile), then on the nodes launched and
 * not yet registered; the rest are sorted by CPU request, then memory, decreasing (queue.go byCPUAndMemoryDescending); each goes on the
 * planned node with the fewest pods whose remaining instance types can still hold all its pods
 * plus this one (scheduler.go add → addToInflightNode, the claims sorted by pod count), else on a
 * new planned node of the first NodePool that admits it, with every type that fits it; a planned
 * node's types narrow to those that fit everything on it (nodeclaim.go). Each planned node
 * launches the cheapest type left (on-demand: lowest price) and registers after
 * `provisioning-delay`. A pod that no pool could ever take is counted unhelpable once.
 *
 * Consolidation (concepts/disruption, every 10 s, one action at a time, within the pool's
 * disruption budget, 10% of its nodes by default): a node is a candidate once `consolidateAfter`
 * has passed since a pod last started on it or left it. Pending pods are part of the simulation:
 * the room they will take (on a node launched for them, say) is no one else's. First, empty nodes
 * (no pods but DaemonSet ones) whose room no pending pod needs are deleted together. Then, with WhenEmptyOrUnderutilized, single-node consolidation, the
 * candidates with the fewest pods first (Karpenter's disruption cost also weighs pod priority and
 * deletion cost; not modeled), at most 100 a loop: delete a node whose pods all fit
 * on the other nodes' free room (removal-simulator.ts, PDBs and do-not-disrupt respected), or
 * replace it by one cheaper node (the cheapest type of its pool that holds the pods that fit
 * nowhere else, strictly cheaper than the node): the replacement is launched and the old node
 * drained once it is Ready. Multi-node consolidation (several nodes into one) is not modeled.
 * Drained nodes are tainted and their non-DaemonSet pods terminated with their grace period; the
 * node goes when they have.
 */
export class KarpenterProvisioner implements Reaction {
  readonly name = 'karpenter';
  private host!: ReactionHost;
  private readonly nodes: AutoscaledNodes;
  private readonly pending = new PendingPods();
  private readonly eligibility: EligibilityCache;
  /** Target index of (pool, type) in the eligibility cache. */
  private readonly targetOf: number[];
  private readonly templates: Array<Array<{ id: string; labels: Record<string, string> }>>;
  private removal!: RemovalSimulator;
  private batchOpen = false;
  private batchStart = 0;
  private lastArrival = 0;
  private lastPodEvent = new Float64Array(0);
  private draining = new Uint8Array(0);
  private drainLeft = new Int32Array(0);
  private removing = new Uint8Array(0);
  /** A consolidation under way (a drain, or a replacement on its way): the next waits for it. */
  private disrupting = 0;
  private readonly unhelpable = new UnhelpablePods();
  private scaleUps = 0;
  private nodesAdded = 0;
  private nodesRemoved = 0;
  private replacements = 0;
  private readonly cpu: number;
  private readonly memory: number;

  constructor(
    private readonly workload: Workload,
    readonly groups: readonly NodeGroup[],
    readonly options: AutoscalerOptions,
    private readonly budgets: DisruptionBudgetView | undefined,
  ) {
    this.nodes = new AutoscaledNodes(groups, workload.resources);
    this.targetOf = [];
    let targets = 0;
    for (const g of groups) {
      this.targetOf.push(targets);
      targets += g.types.length;
    }
    this.eligibility = new EligibilityCache(targets);
    this.templates = groups.map((g) =>
      g.types.map((type) => {
        const spec = nodeSpecFor(g, type, `${g.spec.name}-template`, workload.resources);
        return { id: spec.id, labels: spec.labels! };
      }),
    );
    this.cpu = workload.resources.names.indexOf('cpu');
    this.memory = workload.resources.names.indexOf('memory');
  }

  start(host: ReactionHost, t: number): void {
    this.host = host;
    this.nodes.host = host;
    this.removal = new RemovalSimulator(host, this.budgets, -Infinity);
    const c = host.cluster;
    this.grow(c.nodeCount);
    for (let node = 0; node < c.nodeCount; node++) if (c.up[node]) this.nodes.learnAllocatable(node);
    host.at(t + this.options.scanInterval, (now) => this.disruptionLoop(now));
  }

  unplaced(task: number, t: number): void {
    if (!this.pending.add(task)) return;
    this.lastArrival = t;
    this.openBatch(t);
  }

  started(task: number, node: number, t: number): void {
    this.pending.forget(task);
    this.grow(node + 1);
    this.lastPodEvent[node] = t;
    if (this.isDaemon(task)) {
      this.nodes.daemonPod(node, task, 1);
      this.nodes.ignorablePod(node, 1);
    }
  }

  stopped(task: number, node: number, t: number, cause: StopCause, lost: number): void {
    this.lastPodEvent[node] = t;
    if (this.isDaemon(task)) {
      this.nodes.daemonPod(node, task, -1);
      this.nodes.ignorablePod(node, -1);
      return;
    }
    if (this.draining[node] === 1) {
      if (cause === StopCause.ScaleDown) this.host.logEvent(ReactionCause.Drained, node, task, lost, 0);
      if (--this.drainLeft[node] <= 0) this.host.at(t, (now) => this.removeNow(node, now));
    }
  }

  dropped(task: number): void {
    this.pending.forget(task);
  }

  nodeAdded(node: number, t: number): void {
    this.grow(node + 1);
    this.lastPodEvent[node] = t;
    this.nodes.learnAllocatable(node);
    const mine = this.nodes.arrived(this.host.cluster.ids[node]);
    if (!mine) return;
    this.nodes.join(node, mine.group, mine.type, t, true);
    this.nodesAdded++;
    // A replacement is Ready: now the node it replaces goes.
    if (mine.replaces >= 0) {
      this.disrupting--;
      if (this.host.cluster.up[mine.replaces] && this.nodes.group[mine.replaces] >= 0) this.drain(mine.replaces, t);
    }
  }

  nodeRemoved(node: number, t: number): void {
    const byUs = this.removing[node] === 1;
    if (byUs) this.nodesRemoved++;
    this.nodes.leave(node, t, byUs);
    if (this.draining[node] === 1) this.disrupting--;
    this.draining[node] = 0;
    this.removing[node] = 0;
    this.drainLeft[node] = 0;
  }

  finish(horizon: number, out: ReactionsResults): void {
    out.settings.autoscaler = describeAutoscalerOptions(this.options);
    out.autoscaler = {
      mode: 'karpenter',
      scaleUps: this.scaleUps,
      nodesAdded: this.nodesAdded,
      nodesRemoved: this.nodesRemoved,
      replacements: this.replacements,
      groups: this.nodes.ledger.finish(horizon),
      unhelpable: this.unhelpable.count,
    };
  }

  private isDaemon(task: number): boolean {
    return this.workload.controllers?.[this.host.tasks.job[task]]?.kind === 'DaemonSet';
  }

  private grow(n: number): void {
    this.nodes.ensure(n);
    if (n <= this.draining.length) return;
    const size = Math.max(n, this.draining.length * 2, 64);
    const p = new Float64Array(size);
    p.set(this.lastPodEvent);
    this.lastPodEvent = p;
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

  // ---- provisioning

  private openBatch(t: number): void {
    if (this.batchOpen) return;
    this.batchOpen = true;
    this.batchStart = t;
    this.host.at(t + this.options.batchIdleDuration, (now) => this.batchCheck(now));
  }

  private batchCheck(t: number): void {
    const o = this.options;
    const idleEnds = this.lastArrival + o.batchIdleDuration;
    const maxEnds = this.batchStart + o.batchMaxDuration;
    if (t >= idleEnds || t >= maxEnds) {
      this.batchOpen = false;
      this.provision(t);
      return;
    }
    this.host.at(Math.min(idleEnds, maxEnds), (now) => this.batchCheck(now));
  }

  /** May pods of `g` run on a node of `pool` and `type` (labels, taints)? */
  private admits(g: PodGroup, pool: number, type: number): boolean {
    return this.eligibility.get(g.job, this.targetOf[pool] + type, () => {
      const tl = this.templates[pool][type];
      const taints = this.groups[pool].spec.taints;
      return constraintsAdmit(this.workload.jobConstraints?.[g.job], tl.id, tl.labels, taints.length > 0 ? taints : undefined, undefined);
    });
  }

  private provision(t: number): void {
    const host = this.host;
    const live = unschedulablePods(host, this.pending);
    if (live.length === 0) return;
    const D = host.cluster.dims;
    const pods = groupPods(live, host.tasks.job, host.admissionVectors(), D, (task) => !this.isDaemon(task));
    if (pods.length === 0) return;
    // Nodes launched and not registered yet take what they can first.
    const typeIndex = (pool: number, type: InstanceType): number => this.groups[pool].types.indexOf(type);
    // A simulated node's kind is its (pool, type) target.
    const inflight = new SimNodes(D);
    const targets: Array<[number, number]> = [];
    for (const u of this.nodes.upcoming) {
      inflight.add(this.nodes.templateRoom(u.group, u.type), targets.length);
      targets.push([u.group, typeIndex(u.group, u.type)]);
    }
    // Existing nodes first (scheduler.go addToExistingNode), then the in-flight ones.
    this.removal.begin();
    const skip = this.removal.placeOnExisting(pods);
    if (inflight.count > 0) {
      const more = packPods(pods, inflight, { eligible: (g, kind) => this.admits(g, targets[kind][0], targets[kind][1]), skip }, { cpu: this.cpu, memory: this.memory }).placed;
      for (let i = 0; i < skip.length; i++) skip[i] += more[i];
    }
    // Room of each (pool, type), and how many more nodes each pool may have.
    const rooms = this.groups.map((g) => g.types.map((type) => this.nodes.templateRoom(g.index, type)));
    const left = this.groups.map((g) => g.spec.max - this.nodes.size(g.index));
    // The pods one by one, CPU then memory decreasing (stable).
    const order: number[] = [];
    pods.forEach((g, gi) => {
      for (let i = skip[gi]; i < g.tasks.length; i++) order.push(gi);
    });
    const c = this.cpu;
    const m = this.memory;
    order.sort((a, b) => {
      const ra = pods[a].request;
      const rb = pods[b].request;
      return (c >= 0 ? rb[c] - ra[c] : 0) || (m >= 0 ? rb[m] - ra[m] : 0) || a - b;
    });
    const claims: Claim[] = [];
    const fitsType = (pool: number, type: InstanceType, used: Float64Array, req: Float64Array): boolean => {
      const room = rooms[pool][typeIndex(pool, type)];
      for (let d = 0; d < D; d++) if (used[d] + req[d] > room[d]) return false;
      return true;
    };
    const zero = new Float64Array(D);
    for (const gi of order) {
      const g = pods[gi];
      const req = g.request;
      // The planned node with the fewest pods that can still take it.
      claims.sort((x, y) => x.pods - y.pods);
      let placed = false;
      for (const claim of claims) {
        const opts = claim.options.filter((type) => this.admits(g, claim.pool, typeIndex(claim.pool, type)) && fitsType(claim.pool, type, claim.used, req));
        if (opts.length === 0) continue;
        claim.options = opts;
        for (let d = 0; d < D; d++) claim.used[d] += req[d];
        claim.pods++;
        if (!claim.members.includes(g)) claim.members.push(g);
        placed = true;
        break;
      }
      if (placed) continue;
      // A new planned node of the first pool that admits it and may grow.
      let everFits = false;
      for (const pool of this.groups) {
        const opts = pool.types.filter((type, i) => this.admits(g, pool.index, i) && fitsType(pool.index, type, zero, req));
        if (opts.length === 0) continue;
        everFits = true;
        if (left[pool.index] <= 0) continue;
        left[pool.index]--;
        const used = new Float64Array(D);
        for (let d = 0; d < D; d++) used[d] = req[d];
        claims.push({ pool: pool.index, options: opts, used, pods: 1, members: [g] });
        placed = true;
        break;
      }
      if (!everFits) this.markUnhelpable(g);
    }
    if (claims.length === 0) return;
    for (const claim of claims) {
      const type = claim.options[0];
      this.nodes.provision(claim.pool, type, t, this.options.provisioningDelay);
      host.logEvent(ReactionCause.ScaleUp, -1, -1, this.options.provisioningDelay / 1e6, 0);
    }
    this.scaleUps++;
  }

  private markUnhelpable(g: PodGroup): void {
    for (const task of g.tasks) {
      if (this.host.tasks.status[task] !== TaskStatus.Pending) continue;
      this.unhelpable.add(task);
    }
  }

  // ---- consolidation

  private disruptionLoop(t: number): void {
    // Pods left pending (a batch that could not place them all, a replacement's pods) are looked at again.
    if (!this.batchOpen && this.pending.live(this.host.tasks).length > 0) {
      this.lastArrival = t;
      this.openBatch(t);
    }
    if (this.disrupting === 0) this.consolidate(t);
    this.host.at(t + this.options.scanInterval, (now) => this.disruptionLoop(now));
  }

  private consolidate(t: number): void {
    const host = this.host;
    const o = this.options;
    const empty: number[] = [];
    const busy: number[] = [];
    const budget = this.groups.map((g) => {
      const n = this.nodes.members[g.index].size;
      const b = o.disruptionBudget;
      const allowed = b.percent ? Math.ceil((n * b.value) / 100) : b.value;
      return Math.min(allowed, n - g.spec.min);
    });
    for (const members of this.nodes.members) {
      for (const node of members) {
        if (this.draining[node] === 1 || !host.isNodeReady(node) || host.isNodeDown(node)) continue;
        if (t - this.lastPodEvent[node] < o.consolidateAfter) continue;
        (this.isEmpty(node) ? empty : busy).push(node);
      }
    }
    const drainingNow: number[] = [];
    for (let n = 0; n < this.draining.length; n++) if (this.draining[n] === 1) drainingNow.push(n);
    // Pending pods are part of Karpenter's simulation: the room they will take (a node launched
    // for them, before they are bound: Karpenter's nominated nodes) is no one else's.
    const live = unschedulablePods(host, this.pending);
    const pending = live.length > 0 ? groupPods(live, host.tasks.job, host.admissionVectors(), host.cluster.dims, (task) => !this.isDaemon(task)) : [];
    const round = (): void => {
      this.removal.begin();
      for (const n of drainingNow) this.removal.exclude(n);
      if (pending.length > 0) this.removal.placeOnExisting(pending);
    };
    // Empty nodes, all at once (within each pool's budget), unless pending pods need their room.
    round();
    const gone = empty.filter((node) => {
      const g = this.nodes.group[node];
      if (budget[g] <= 0 || this.removal.tryRemove(node) !== 'ok') return false;
      budget[g]--;
      return true;
    });
    if (gone.length > 0) {
      for (const node of gone) this.removeNow(node, t);
      return;
    }
    if (o.consolidationPolicy === 'WhenEmpty') return;
    // Single-node: the nodes with the fewest pods first (the least disruption).
    const pods = (node: number): number => host.countOn(node) - this.nodes.ignorable[node];
    busy.sort((a, b) => pods(a) - pods(b) || a - b);
    for (let i = 0; i < busy.length && i < CONSOLIDATION_CANDIDATES; i++) {
      const node = busy[i];
      const g = this.nodes.group[node];
      if (budget[g] <= 0) continue;
      round();
      const leftovers: number[] = [];
      const verdict = this.removal.tryRemove(node, leftovers);
      if (verdict === 'ok') {
        this.drain(node, t);
        return;
      }
      if (verdict !== 'no-room') continue;
      const replacement = this.cheaperReplacement(node, leftovers);
      if (!replacement) continue;
      this.disrupting++;
      this.replacements++;
      this.nodes.provision(g, replacement, t, o.provisioningDelay, node);
      host.logEvent(ReactionCause.ScaleUp, -1, -1, o.provisioningDelay / 1e6, 0);
      return;
    }
  }

  /** The cheapest type of the node's pool that holds `pods` on one node and its pods admit, strictly cheaper than the node; undefined if none. */
  private cheaperReplacement(node: number, pods: number[]): InstanceType | undefined {
    const host = this.host;
    const pool = this.nodes.group[node];
    const g = this.groups[pool];
    const current = g.types.find((type) => type.name === host.cluster.instanceTypes[node]);
    if (!current) return undefined;
    const D = host.cluster.dims;
    const v = host.admissionVectors();
    const sum = new Float64Array(D);
    for (const task of pods) for (let d = 0; d < D; d++) sum[d] += v[task * D + d];
    const jobs = [...new Set(pods.map((task) => host.tasks.job[task]))];
    for (let i = 0; i < g.types.length; i++) {
      const type = g.types[i];
      if (!(type.pricePerHour < current.pricePerHour)) break;
      const room = this.nodes.templateRoom(pool, type);
      let fits = true;
      for (let d = 0; d < D; d++) if (sum[d] > room[d]) fits = false;
      if (!fits) continue;
      if (!jobs.every((job) => this.admits({ job, request: sum, tasks: [] }, pool, i))) continue;
      return type;
    }
    return undefined;
  }

  /** No pod but DaemonSet pods (counted by the started/stopped hooks: O(1)). */
  private isEmpty(node: number): boolean {
    return this.host.countOn(node) === this.nodes.ignorable[node];
  }

  /** Taints the node and terminates its non-DaemonSet pods; the node goes when they have. */
  private drain(node: number, t: number): void {
    const host = this.host;
    this.draining[node] = 1;
    this.disrupting++;
    host.setNodeReady(node, false);
    const on: number[] = [];
    for (let task = host.firstOn(node); task >= 0; task = host.nextOn(task)) if (!this.isDaemon(task)) on.push(task);
    this.drainLeft[node] = on.length;
    if (on.length === 0) {
      this.removeNow(node, t);
      return;
    }
    for (const task of on) {
      const c = this.workload.controllers?.[host.tasks.job[task]];
      if (host.tasks.status[task] === TaskStatus.Running && host.tasks.node[task] === node) host.terminate(task, StopCause.ScaleDown, c?.terminationGracePeriod ?? DEFAULT_GRACE);
    }
  }

  private removeNow(node: number, t: number): void {
    const host = this.host;
    if (!host.cluster.up[node] || this.removing[node] === 1 || this.nodes.group[node] < 0) return;
    this.removing[node] = 1;
    host.logEvent(ReactionCause.ScaleDown, node, -1, Math.max(0, (t - this.lastPodEvent[node]) / 1e6), 0);
    host.removeNode(node, StopCause.ScaleDown);
  }
}
