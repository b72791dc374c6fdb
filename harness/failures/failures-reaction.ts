import { TaskStatus } from '../../model/task-status.js';
import { ReactionCause, type FailureReport, type ReactionsResults } from '../../reports/reaction-results.js';
import type { Reaction, ReactionHost, StopCause } from '../reactions/reaction-host.js';
import type { FailureProcess } from './failure-model.js';
import type { NodeDownCauses } from './node-down-causes.js';
import type { NodeLifecycleController } from './node-lifecycle-controller.js';
import type { NodeTopology } from './topology.js';
import type { ZoneOutages } from './zone-outage.js';

/**
 * Failures and zones as one reaction: the failure domains (topology), what takes nodes down (the
 * seeded failure model, zone/rack outages) and the node lifecycle controller that reacts to it.
 * It counts what the FailureReport shows: node failures and recoveries (a node going down and
 * coming back, whatever the cause), node-hours down, the work lost (at a crash, every running pod
 * on the node loses its work since its start: the host restarts them from scratch on recovery or
 * they are evicted), and logs NodeFailed (amount = that work, s) and NodeRecovered (duration = time
 * down, s) events.
 */
export class FailuresReaction implements Reaction {
  readonly name = 'failures';
  private host!: ReactionHost;
  private isDown: Uint8Array = new Uint8Array(0);
  private downSince: Float64Array = new Float64Array(0);
  private nodeFailures = 0;
  private nodeRecoveries = 0;
  private lostWorkSeconds = 0;
  private downNodeHours = 0;

  constructor(
    private readonly topology: NodeTopology,
    private readonly causes: NodeDownCauses,
    private readonly lifecycle: NodeLifecycleController,
    private readonly process: FailureProcess | undefined,
    private readonly outages: ZoneOutages | undefined,
    /** Setting lines known at setup (the finish adds the counts). */
    private readonly settings: Record<string, string>,
  ) {}

  start(host: ReactionHost, t: number): void {
    this.host = host;
    this.causes.bind(host);
    const c = host.cluster;
    for (let node = 0; node < c.nodeCount; node++) {
      if (!c.up[node]) continue;
      this.joined(node);
    }
    this.lifecycle.start(host, t);
    this.process?.start(host, t);
    this.outages?.start(host, t);
  }

  private joined(node: number): void {
    this.topology.assign(node, this.host.cluster.labels[node]);
    this.causes.joined(node);
    if (node >= this.isDown.length) {
      const n = Math.max(node + 1, this.isDown.length * 2, 16);
      const d = new Uint8Array(n);
      d.set(this.isDown);
      this.isDown = d;
      const s = new Float64Array(n);
      s.set(this.downSince);
      this.downSince = s;
    }
    this.isDown[node] = 0;
  }

  nodeAdded(node: number, t: number): void {
    this.joined(node);
    this.lifecycle.nodeAdded(node, t);
    this.process?.nodeAdded(node, t);
    this.outages?.nodeAdded(node);
  }

  nodeRemoved(node: number, t: number): void {
    if (node < this.isDown.length && this.isDown[node]) {
      this.downNodeHours += (t - this.downSince[node]) / 3.6e9;
      this.isDown[node] = 0;
    }
    this.causes.left(node);
    this.lifecycle.nodeRemoved(node, t);
    this.process?.nodeRemoved(node);
  }

  nodeDown(node: number, t: number, down: boolean): void {
    if (node >= this.isDown.length) return;
    if (down && !this.isDown[node]) {
      this.isDown[node] = 1;
      this.downSince[node] = t;
      this.nodeFailures++;
      const h = this.host;
      const ts = h.tasks;
      let lost = 0;
      for (let task = h.firstOn(node); task >= 0; task = h.nextOn(task)) {
        if (ts.status[task] === TaskStatus.Running && t > ts.start[task]) lost += (t - ts.start[task]) / 1e6;
      }
      this.lostWorkSeconds += lost;
      h.logEvent(ReactionCause.NodeFailed, node, -1, lost, 0);
    } else if (!down && this.isDown[node]) {
      this.isDown[node] = 0;
      this.nodeRecoveries++;
      this.downNodeHours += (t - this.downSince[node]) / 3.6e9;
      this.host.logEvent(ReactionCause.NodeRecovered, node, -1, 0, (t - this.downSince[node]) / 1e6);
    }
    this.lifecycle.nodeDown(node, t, down);
  }

  started(task: number, node: number, t: number): void {
    this.lifecycle.started(task, node, t);
  }

  stopped(task: number, _node: number, _t: number, _cause: StopCause, lost: number): void {
    this.lifecycle.stopped(task, lost);
  }

  finish(horizon: number, out: ReactionsResults): void {
    for (let node = 0; node < this.isDown.length; node++) {
      if (this.isDown[node] && horizon > this.downSince[node]) this.downNodeHours += (horizon - this.downSince[node]) / 3.6e9;
    }
    const lc = this.lifecycle;
    const report: FailureReport = {
      nodeFailures: this.nodeFailures,
      nodeRecoveries: this.nodeRecoveries,
      zoneOutages: this.outages?.started ?? 0,
      taintEvictions: lc.taintEvictions,
      lostWorkSeconds: this.lostWorkSeconds,
      downNodeHours: this.downNodeHours,
      zoneSeconds: lc.zoneSeconds(horizon),
    };
    out.failures = report;
    Object.assign(out.settings, this.settings);
    out.settings['failure domains'] = this.topology.describe();
    let counts = `${lc.notReadyMarks} nodes marked NotReady, ${lc.taints} tainted NoExecute (node.kubernetes.io/unreachable), ${lc.taintEvictions} pods evicted`;
    if (lc.masterDisruptions > 0) counts += `; every zone fully disrupted ${lc.masterDisruptions} times: evictions stopped and taints removed then`;
    out.settings['node lifecycle controller'] = counts;
    const o = this.outages;
    if (o && o.started < o.specs.length) out.settings['zone outages not reached'] = `${o.specs.length - o.started} of ${o.specs.length} outages start after the window ends: they did not happen`;
    if (this.process && this.process.unplaced > 0) out.settings['failures: nodes without a rack'] = `${this.process.unplaced} nodes joined without a rack under scope=rack and never failed`;
  }
}
