import { UsageError } from '../../model/errors.js';
import { TaskStatus } from '../../model/task-status.js';
import { ReactionCause } from '../../reports/reaction-results.js';
import { StopCause, type ReactionHost } from '../reactions/reaction-host.js';
import type { NodeTopology } from './topology.js';
import type { TolerationByJob } from './unreachable-toleration.js';
import { SettingsText, formatDuration } from './settings-text.js';
import { ZoneTainter } from './zone-tainter.js';
import { ZoneState, computeZoneState } from './zone-state.js';

/**
 * The node lifecycle controller of kube-controller-manager (pkg/controller/nodelifecycle,
 * node_lifecycle_controller.go) with taint-based eviction (pkg/controller/tainteviction), for nodes
 * that crash (harness/failures/: the failure model, zone outages):
 *
 * 1. A crashed node keeps its pods bound. Every `--node-monitor-period` (5 s) the controller looks
 *    at each node's heartbeat; the first pass more than `--node-monitor-grace-period` after the
 *    last one (50 s, the default since Kubernetes v1.32, kubernetes/kubernetes#126287; 40 s before)
 *    sets Ready=Unknown: the node is NotReady and gets the `node.kubernetes.io/unreachable:NoSchedule`
 *    taint (no new pods). The last heartbeat is taken to be the crash instant (the kubelet renews its
 *    Lease every 10 s, so a real controller may notice up to 10 s sooner).
 * 2. The NoExecute taint `node.kubernetes.io/unreachable` goes on through the zone's rate-limited
 *    queue (harness/failures/zone-tainter.ts): `--node-eviction-rate` 0.1 nodes/s. After every pass
 *    the zones' states are recomputed (harness/failures/zone-state.ts; handleDisruption):
 *    Normal → the normal rate; PartialDisruption → `--secondary-node-eviction-rate` 0.01 when the
 *    zone has more than `--large-cluster-size-threshold` (50) nodes, else 0 (evictions stop; upstream
 *    passes the zone's node count to ReducedQPSFunc, not the cluster's); FullDisruption → the normal
 *    rate, unless every zone is fully disrupted: then the controller assumes its own network is at
 *    fault, removes every NoExecute taint and stops all tainting until some node is Ready again
 *    (then it resets every heartbeat and the zones' rates).
 * 3. Pods on a tainted node leave after their tolerationSeconds (harness/failures/unreachable-toleration.ts:
 *    300 s by the DefaultTolerationSeconds admission plugin, `--default-unreachable-toleration-seconds`),
 *    counted from the taint: `host.stopTask(task, StopCause.NodeLost)`, a TaintEviction event; their
 *    controllers make them again elsewhere.
 * 4. A node that comes back restarts the pods still bound (the host); its kubelet reports Ready at
 *    once (the NoSchedule taint goes), and the next monitor pass removes the NoExecute taint, which
 *    cancels the pending pod evictions. A node back before the grace period ends was never NotReady.
 *
 * Passes run on the 5 s grid from the window start but only when something can change (a grace
 * period ending, a node back, nodes joining or leaving while some are NotReady); the tainting passes
 * on the 100 ms grid likewise. Settings text: `grace=50s,monitor-period=5s,toleration=300s,rate=0.1,
 * secondary-rate=0.01,large-cluster=50,unhealthy-threshold=0.55`.
 */
export interface NodeLifecycleSettings {
  /** --node-monitor-grace-period, µs. */
  grace: number;
  /** --node-monitor-period, µs. */
  monitorPeriod: number;
  /** --default-unreachable-toleration-seconds, seconds. */
  toleration: number;
  /** --node-eviction-rate, nodes/s. */
  rate: number;
  /** --secondary-node-eviction-rate, nodes/s. */
  secondaryRate: number;
  /** --large-cluster-size-threshold, nodes (compared with the zone's size). */
  largeCluster: number;
  /** --unhealthy-zone-threshold, fraction of a zone's nodes. */
  unhealthyThreshold: number;
}

export const NODE_LIFECYCLE_DEFAULTS: Readonly<NodeLifecycleSettings> = {
  grace: 50e6,
  monitorPeriod: 5e6,
  toleration: 300,
  rate: 0.1,
  secondaryRate: 0.01,
  largeCluster: 50,
  unhealthyThreshold: 0.55,
};

const KEYS = ['grace', 'monitor-period', 'toleration', 'rate', 'secondary-rate', 'large-cluster', 'unhealthy-threshold'] as const;
const EXAMPLE = 'grace=50s,toleration=300s,rate=0.1';

/** `--node-lifecycle` text (undefined = the defaults) → settings (UsageError naming --node-lifecycle and the key). */
export function parseNodeLifecycle(text: string | undefined): NodeLifecycleSettings {
  const out = { ...NODE_LIFECYCLE_DEFAULTS };
  if (text === undefined) return out;
  const s = new SettingsText('--node-lifecycle', text, KEYS, EXAMPLE);
  out.grace = s.duration('grace', 'node-monitor-grace-period') ?? out.grace;
  out.monitorPeriod = s.duration('monitor-period', 'node-monitor-period') ?? out.monitorPeriod;
  const tol = s.duration('toleration', 'default-unreachable-toleration-seconds', true);
  if (tol !== undefined) {
    if (tol % 1e6 !== 0) throw new UsageError(`--node-lifecycle: toleration (default-unreachable-toleration-seconds): expected whole seconds, got '${s.raw('toleration')}'`);
    out.toleration = tol / 1e6;
  }
  out.rate = s.number('rate', 'node-eviction-rate, nodes per second', 0, 1e6) ?? out.rate;
  out.secondaryRate = s.number('secondary-rate', 'secondary-node-eviction-rate, nodes per second', 0, 1e6) ?? out.secondaryRate;
  out.largeCluster = s.integer('large-cluster', 'large-cluster-size-threshold, nodes', 0, 2_147_483_647) ?? out.largeCluster;
  out.unhealthyThreshold = s.number('unhealthy-threshold', 'unhealthy-zone-threshold, a fraction', 0, 1, true) ?? out.unhealthyThreshold;
  return out;
}

export function describeNodeLifecycle(s: NodeLifecycleSettings): string {
  return (
    `grace=${formatDuration(s.grace)},monitor-period=${formatDuration(s.monitorPeriod)},toleration=${s.toleration}s,rate=${s.rate},` +
    `secondary-rate=${s.secondaryRate},large-cluster=${s.largeCluster},unhealthy-threshold=${s.unhealthyThreshold}`
  );
}

interface Zone {
  /** Nodes counted (present, not excluded) and of those NotReady. */
  size: number;
  notReady: number;
  state: ZoneState;
  /** In the controller's zone states (a zone with no counted node is dropped). */
  tracked: boolean;
  since: number;
  seconds: [number, number, number];
  tainter: ZoneTainter;
}

export class NodeLifecycleController {
  /** Pods evicted (taint-based), nodes marked NotReady, nodes tainted NoExecute, passes in master-disruption mode. */
  taintEvictions = 0;
  notReadyMarks = 0;
  taints = 0;
  masterDisruptions = 0;
  private host!: ReactionHost;
  private origin = 0;
  private readonly zones: Zone[] = [];
  // Per node.
  private present: Uint8Array = new Uint8Array(0);
  private down: Uint8Array = new Uint8Array(0);
  private unknown: Uint8Array = new Uint8Array(0);
  private tainted: Uint8Array = new Uint8Array(0);
  /** 1 = this controller made the node unschedulable (NotReady), so it may make it schedulable again. */
  private cordonedHere: Uint8Array = new Uint8Array(0);
  private countedZone: Int32Array = new Int32Array(0);
  private taintEpoch: Int32Array = new Int32Array(0);
  private queueSeq: Int32Array = new Int32Array(0);
  private incarnation: Int32Array = new Int32Array(0);
  private downSince: Float64Array = new Float64Array(0);
  private probe: Float64Array = new Float64Array(0);
  private taintAt: Float64Array = new Float64Array(0);
  private seq = 0;
  private readonly awaitingGrace = new Set<number>();
  private readonly awaitingReady = new Set<number>();
  private readonly unknownNodes = new Set<number>();
  private readonly scheduledPasses = new Set<number>();
  /** Pods that started on a node after its taint: their own eviction time. */
  private readonly late = new Map<number, number>();
  private scratch: number[] = [];
  private evicting = -1;
  private evictedLost = 0;

  constructor(
    readonly settings: NodeLifecycleSettings,
    private readonly topology: NodeTopology,
    private readonly tolerations: TolerationByJob,
  ) {}

  start(host: ReactionHost, t: number): void {
    this.host = host;
    this.origin = t;
    const c = host.cluster;
    for (let node = 0; node < c.nodeCount; node++) if (c.up[node]) this.nodeAdded(node, t);
    // The zones of the starting nodes have been Normal since the window start.
    for (const z of this.zones) z.state = ZoneState.Normal;
  }

  nodeAdded(node: number, t: number): void {
    this.grow(node + 1);
    this.incarnation[node]++;
    this.present[node] = 1;
    this.down[node] = 0;
    this.unknown[node] = 0;
    this.tainted[node] = 0;
    this.cordonedHere[node] = 0;
    this.taintEpoch[node]++;
    this.queueSeq[node] = 0;
    const z = this.topology.zoneOf[node];
    const zone = this.zone(z, t);
    if (this.topology.excluded[node]) this.countedZone[node] = -1;
    else {
      this.countedZone[node] = z;
      zone.size++;
    }
    if (this.unknownNodes.size > 0) this.requestPassAfter(t);
  }

  nodeRemoved(node: number, t: number): void {
    if (node >= this.present.length || !this.present[node]) return;
    this.present[node] = 0;
    const z = this.countedZone[node];
    if (z >= 0) {
      this.zones[z].size--;
      if (this.unknown[node]) this.zones[z].notReady--;
    }
    this.unknown[node] = 0;
    this.unknownNodes.delete(node);
    this.awaitingGrace.delete(node);
    this.awaitingReady.delete(node);
    this.tainted[node] = 0;
    this.taintEpoch[node]++;
    this.down[node] = 0;
    // queueSeq stays: a queued entry of a deleted node still takes a token (upstream: not found).
    if (this.unknownNodes.size > 0) this.requestPassAfter(t);
  }

  nodeDown(node: number, t: number, down: boolean): void {
    if (node >= this.present.length || !this.present[node]) return;
    if (down) {
      this.down[node] = 1;
      this.downSince[node] = t;
      this.probe[node] = t;
      if (!this.unknown[node]) {
        this.awaitingGrace.add(node);
        this.requestPassAfter(t + this.settings.grace);
      } else {
        // Down again before the controller saw it Ready: it stays NotReady.
        this.awaitingReady.delete(node);
        this.cordon(node);
      }
      return;
    }
    this.down[node] = 0;
    if (this.unknown[node]) {
      // The kubelet reports Ready at once (the NoSchedule taint goes); the next pass sees it.
      if (this.cordonedHere[node]) {
        this.cordonedHere[node] = 0;
        this.host.setNodeReady(node, true);
      }
      this.awaitingReady.add(node);
      this.requestPassAfter(t);
    } else this.awaitingGrace.delete(node);
  }

  /** A pod that starts on a node already tainted (it tolerates NoSchedule) is evicted after its own toleration. */
  started(task: number, node: number, t: number): void {
    if (node >= this.tainted.length || !this.tainted[node]) return;
    const tol = this.tolerations.of(this.host.tasks.job[task]);
    if (tol === Infinity) return;
    this.late.set(task, t + tol);
    this.scheduleEvictions(node, this.taintEpoch[node], t + tol);
  }

  stopped(task: number, lost: number): void {
    if (task === this.evicting) this.evictedLost = lost;
    if (this.late.size > 0) this.late.delete(task);
  }

  /** Seconds per zone in each state, to the horizon. */
  zoneSeconds(horizon: number): Record<string, { normal: number; partial: number; full: number }> {
    const out: Record<string, { normal: number; partial: number; full: number }> = {};
    this.zones.forEach((z, i) => {
      if (!z) return;
      const s: [number, number, number] = [...z.seconds];
      if (z.tracked && horizon > z.since) s[stateSlot(z.state)] += (horizon - z.since) / 1e6;
      out[this.topology.zoneNames[i]] = { normal: s[0], partial: s[1], full: s[2] };
    });
    return out;
  }

  // ---- The monitor pass (monitorNodeHealth, processTaintBaseEviction, handleDisruption).

  private requestPassAfter(x: number): void {
    const p = this.settings.monitorPeriod;
    const tick = this.origin + (Math.floor((x - this.origin) / p) + 1) * p;
    if (this.scheduledPasses.has(tick)) return;
    this.scheduledPasses.add(tick);
    this.host.at(tick, (t) => {
      this.scheduledPasses.delete(tick);
      this.pass(t);
    });
  }

  private pass(t: number): void {
    for (const node of this.awaitingGrace) {
      if (t > this.probe[node] + this.settings.grace) this.markUnknown(node, t);
    }
    for (const node of this.awaitingReady) this.markReady(node);
    for (const node of this.unknownNodes) if (!this.tainted[node] && this.queueSeq[node] === 0) this.enqueue(node);
    this.handleDisruption(t);
    this.zones.forEach((z, i) => {
      if (z && z.tainter.size > 0) this.scheduleTaintPass(i, z.tainter.nextPass(t, this.origin), t);
    });
  }

  private markUnknown(node: number, t: number): void {
    this.awaitingGrace.delete(node);
    this.unknown[node] = 1;
    this.unknownNodes.add(node);
    const z = this.countedZone[node];
    if (z >= 0) this.zones[z].notReady++;
    this.cordon(node);
    this.notReadyMarks++;
    this.host.logEvent(ReactionCause.NodeNotReady, node, -1, 0, (t - this.downSince[node]) / 1e6);
  }

  /**
   * The NotReady node takes no new pods. The host has one schedulable flag per node: a node another
   * reaction made unschedulable (an autoscaler drain) is left to it, and not made schedulable here.
   */
  private cordon(node: number): void {
    if (!this.host.isNodeReady(node)) return;
    this.cordonedHere[node] = 1;
    this.host.setNodeReady(node, false);
  }

  private markReady(node: number): void {
    this.awaitingReady.delete(node);
    this.unknown[node] = 0;
    this.unknownNodes.delete(node);
    const z = this.countedZone[node];
    if (z >= 0) this.zones[z].notReady--;
    this.markReachable(node);
  }

  /** markNodeAsReachable: the NoExecute taint off (pending evictions cancelled), out of the taint queue. */
  private markReachable(node: number): void {
    if (this.tainted[node]) {
      this.tainted[node] = 0;
      this.taintEpoch[node]++;
    }
    this.queueSeq[node] = 0;
  }

  private enqueue(node: number): void {
    const seq = ++this.seq;
    this.queueSeq[node] = seq;
    this.zones[this.topology.zoneOf[node]].tainter.push(node, this.incarnation[node], seq);
  }

  private handleDisruption(t: number): void {
    const s = this.settings;
    let allAre = true;
    const fresh: ZoneState[] = [];
    this.zones.forEach((z, i) => {
      if (!z || z.size === 0) return;
      const st = computeZoneState(z.size - z.notReady, z.notReady, s.unhealthyThreshold);
      fresh[i] = st;
      if (st !== ZoneState.FullDisruption) allAre = false;
      if (!z.tracked) {
        z.tracked = true;
        z.state = ZoneState.Initial;
        z.since = t;
      }
    });
    let allWas = true;
    this.zones.forEach((z) => {
      if (!z || !z.tracked) return;
      if (z.size === 0) {
        this.setState(z, z.state, t);
        z.tracked = false;
        return;
      }
      if (z.state !== ZoneState.FullDisruption) allWas = false;
    });
    if (allAre && allWas) return;
    if (allAre) {
      // Every zone fully disrupted: the controller suspects itself; no taint stays, none is added.
      this.masterDisruptions++;
      for (const node of this.unknownNodes) this.markReachable(node);
      for (const z of this.zones) {
        if (!z || !z.tracked) continue;
        z.tainter.swap(0, t);
        this.setState(z, ZoneState.FullDisruption, t);
      }
      return;
    }
    if (allWas) {
      // Leaving that mode: every heartbeat is taken as fresh.
      for (const node of this.awaitingGrace) {
        this.probe[node] = t;
        this.requestPassAfter(t + s.grace);
      }
      this.zones.forEach((z, i) => {
        if (!z || !z.tracked) return;
        this.setLimiter(z, fresh[i]!, t);
        this.setState(z, fresh[i]!, t);
      });
      return;
    }
    this.zones.forEach((z, i) => {
      if (!z || !z.tracked || z.state === fresh[i]) return;
      this.setLimiter(z, fresh[i]!, t);
      this.setState(z, fresh[i]!, t);
    });
  }

  /** setLimiterInZone: Normal and FullDisruption → the normal rate; PartialDisruption → ReducedQPSFunc(zone size). */
  private setLimiter(z: Zone, st: ZoneState, t: number): void {
    const s = this.settings;
    z.tainter.swap(st === ZoneState.PartialDisruption ? (z.size > s.largeCluster ? s.secondaryRate : 0) : s.rate, t);
  }

  private setState(z: Zone, st: ZoneState, t: number): void {
    if (t > z.since) z.seconds[stateSlot(z.state)] += (t - z.since) / 1e6;
    z.since = Math.max(z.since, t);
    z.state = st;
  }

  // ---- The tainting pass (doNoExecuteTaintingPass) and the pods' evictions.

  private scheduleTaintPass(zoneIndex: number, at: number, now: number): void {
    const tr = this.zones[zoneIndex].tainter;
    if (at === Infinity) return;
    if (at <= now) {
      this.taintPass(zoneIndex, now);
      return;
    }
    if (tr.scheduledPass === tr.scheduledPass && tr.scheduledPass <= at) return;
    tr.scheduledPass = at;
    this.host.at(at, (t) => {
      if (tr.scheduledPass !== at) return;
      this.taintPass(zoneIndex, t);
    });
  }

  private taintPass(zoneIndex: number, t: number): void {
    const tr = this.zones[zoneIndex].tainter;
    tr.scheduledPass = NaN;
    for (;;) {
      const e = tr.peek();
      if (e === undefined) break;
      const [node, inc, seq] = e;
      if (this.queueSeq[node] !== seq || this.incarnation[node] !== inc) {
        tr.shift(); // removed from the queue (Ready again, or taints cleared)
        continue;
      }
      if (!tr.hasToken(t)) break;
      tr.take(t);
      tr.shift();
      this.queueSeq[node] = 0;
      // Gone from the cluster, or its kubelet reports Ready again: the token is spent, no taint.
      if (!this.present[node] || !this.down[node]) continue;
      this.taint(node, t);
    }
    if (tr.size > 0) this.scheduleTaintPass(zoneIndex, tr.nextPass(t, this.origin), t);
  }

  private taint(node: number, t: number): void {
    this.tainted[node] = 1;
    this.taintAt[node] = t;
    this.taints++;
    const epoch = ++this.taintEpoch[node];
    const h = this.host;
    let next = Infinity;
    const now: number[] = this.scratch;
    now.length = 0;
    for (let task = h.firstOn(node); task >= 0; task = h.nextOn(task)) {
      const tol = this.tolerations.of(h.tasks.job[task]);
      if (tol === 0) now.push(task);
      else if (tol < Infinity) next = Math.min(next, t + tol);
    }
    this.evictAll(now, node, t);
    if (next < Infinity) this.scheduleEvictions(node, epoch, next);
  }

  private scheduleEvictions(node: number, epoch: number, at: number): void {
    this.host.at(at, (t) => {
      if (this.taintEpoch[node] !== epoch || !this.tainted[node]) return;
      const h = this.host;
      let next = Infinity;
      const due: number[] = this.scratch;
      due.length = 0;
      for (let task = h.firstOn(node); task >= 0; task = h.nextOn(task)) {
        const tol = this.tolerations.of(h.tasks.job[task]);
        if (tol === Infinity) continue;
        const when = this.late.get(task) ?? this.taintAt[node] + tol;
        if (when <= t) due.push(task);
        else next = Math.min(next, when);
      }
      this.evictAll(due, node, t);
      if (next < Infinity) this.scheduleEvictions(node, epoch, next);
    });
  }

  private evictAll(tasks: number[], node: number, t: number): void {
    if (tasks.length === 0) return;
    const list = tasks.slice();
    const ts = this.host.tasks;
    for (const task of list) {
      if (ts.status[task] !== TaskStatus.Running || ts.node[task] !== node) continue;
      this.evicting = task;
      this.evictedLost = 0;
      this.host.stopTask(task, StopCause.NodeLost);
      this.evicting = -1;
      this.taintEvictions++;
      this.host.logEvent(ReactionCause.TaintEviction, node, task, this.evictedLost, (t - this.downSince[node]) / 1e6);
    }
  }

  private zone(z: number, t: number): Zone {
    let zone = this.zones[z];
    if (!zone) {
      zone = { size: 0, notReady: 0, state: ZoneState.Initial, tracked: true, since: t, seconds: [0, 0, 0], tainter: new ZoneTainter(this.settings.rate) };
      this.zones[z] = zone;
    } else if (!zone.tracked) {
      zone.tracked = true;
      zone.state = ZoneState.Initial;
      zone.since = t;
    }
    return zone;
  }

  private grow(n: number): void {
    if (n <= this.present.length) return;
    const size = Math.max(n, this.present.length * 2, 16);
    const u8 = (a: Uint8Array): Uint8Array => {
      const b = new Uint8Array(size);
      b.set(a);
      return b;
    };
    const i32 = (a: Int32Array): Int32Array => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    const f64 = (a: Float64Array): Float64Array => {
      const b = new Float64Array(size);
      b.set(a);
      return b;
    };
    this.present = u8(this.present);
    this.down = u8(this.down);
    this.unknown = u8(this.unknown);
    this.tainted = u8(this.tainted);
    this.cordonedHere = u8(this.cordonedHere);
    this.countedZone = i32(this.countedZone);
    this.taintEpoch = i32(this.taintEpoch);
    this.queueSeq = i32(this.queueSeq);
    this.incarnation = i32(this.incarnation);
    this.downSince = f64(this.downSince);
    this.probe = f64(this.probe);
    this.taintAt = f64(this.taintAt);
  }
}

/** Seconds slot of a state (Initial counts as Normal). */
function stateSlot(s: ZoneState): 0 | 1 | 2 {
  return s === ZoneState.PartialDisruption ? 1 : s === ZoneState.FullDisruption ? 2 : 0;
}
