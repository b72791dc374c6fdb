import { describe, expect, it } from 'vitest';
import { autoscalerSetup } from '../harness/autoscaler/autoscaler-config.js';
import type { DisruptionBudgetView } from '../harness/autoscaler/removal-simulator.js';
import type { Reaction } from '../harness/reactions/reaction-host.js';
import { ReactionCause, type ReactionsResults } from '../reports/reaction-results.js';
import { TaskStatus } from '../model/task-status.js';
import type { JobController } from '../model/workload-controllers.js';
import type { FakeReactionHost } from './helpers/fake-reaction-host.js';
import { buildCluster, catalog, deployment, nodeUp, pendAll, type NodeDef, type PodDef, MIN, S } from './fixtures/node-groups-cluster.js';

const NO_BUDGETS: DisruptionBudgetView = { budgetsOf: () => [], allowed: () => Infinity };

/**
 * Nodes of group `a` (m5.large: 2000 mc, 8 GiB), pods placed by hand (`on[i]` = node id of pod
 * i), the autoscaler started at 0. Every pod is a Deployment's unless `controllers` says otherwise.
 */
function scenario(nodes: NodeDef[], pods: Array<PodDef & { on: string }>, opts: { groups?: string; options?: string; budgets?: DisruptionBudgetView; controllers?: Array<JobController | undefined> } = {}): { host: FakeReactionHost; ca: Reaction } {
  const controllers = opts.controllers ?? pods.map((_, i) => deployment(`d${i}`));
  const { workload, host } = buildCluster(nodes, pods.map((p, i) => ({ ...p, job: p.job ?? i })), { controllers });
  const ca = autoscalerSetup({ nodeGroups: opts.groups ?? 'name=a,instance=m5.large,min=0,max=10', options: opts.options }, workload, catalog, opts.budgets ?? NO_BUDGETS)!;
  pods.forEach((p, i) => {
    host.submit(i);
    host.startOn(i, host.cluster.nodeById(p.on)!);
  });
  host.use(ca);
  return { host, ca };
}

const node = (id: string, type = 'm5.large'): NodeDef => ({ id, type });
const scaleDowns = (host: FakeReactionHost): string[] => host.log.filter((e) => e.cause === ReactionCause.ScaleDown).map((e) => `${host.cluster.ids[e.node]}@${e.time / S}`);

describe('cluster autoscaler: scale-down conditions', () => {
  it('removes a node below the threshold whose pods fit elsewhere, after the unneeded time, draining it gracefully', () => {
    // x: 500 mc of 2000 (0.25); y: 1000 mc (0.5, at the threshold: needed).
    const { host, ca } = scenario([node('x'), node('y')], [{ cpu: 500, mem: 1, on: 'x' }, ANCHOR]);
    host.advanceTo(599 * S);
    expect(nodeUp(host, 'x')).toBeDefined();
    // Unneeded since 0: at 600 s the drain starts (the pod's 30 s grace), the node goes at 630 s.
    host.advanceTo(600 * S);
    expect(host.isNodeReady(host.cluster.nodeById('x')!)).toBe(false);
    expect(host.tasks.status[0]).toBe(TaskStatus.Running);
    host.advanceTo(700 * S);
    expect(nodeUp(host, 'x')).toBeUndefined();
    expect(scaleDowns(host)).toEqual(['x@630']);
    expect(host.log.filter((e) => e.cause === ReactionCause.Drained).map((e) => [e.task, e.time / S, e.amount])).toEqual([[0, 630, 630]]);
    expect(host.tasks.status[0]).toBe(TaskStatus.Evicted);
    // y is at the threshold (0.5): never unneeded.
    host.advanceTo(3600 * S);
    expect(nodeUp(host, 'y')).toBeDefined();
    const out: ReactionsResults = { settings: {}, events: undefined as never };
    ca.finish!(3600 * S, out);
    expect(out.autoscaler).toMatchObject({ nodesRemoved: 1, nodesAdded: 0 });
    expect(out.autoscaler!.groups[0]).toMatchObject({ group: 'a', removed: 1, peakNodes: 2 });
    // x ran 630 s and y 3600 s: (630 + 3600) / 3600 node-hours.
    expect(out.autoscaler!.groups[0].nodeHours).toBeCloseTo(4230 / 3600, 9);
  });

  it('memory counts as much as CPU: the larger share decides', () => {
    // 100 mc but 5 GiB of 8: 0.625 ≥ 0.5, needed (y would have room for it).
    const { host } = scenario([node('x'), node('y')], [{ cpu: 100, mem: 5, on: 'x' }, ANCHOR]);
    host.advanceTo(3600 * S);
    expect(nodeUp(host, 'x')).toBeDefined();
  });

  it('waits scale-down-delay-after-add after a scale-up', () => {
    // x is unneeded from 0 (its pod fits on y); a 1.8-CPU pod fits on neither and makes the group grow at 0.
    const { host } = scenario([node('x'), node('y')], [{ cpu: 500, mem: 1, on: 'x' }, ANCHOR], { options: 'scale-down-unneeded-time=1m,scale-down-delay-after-add=20m' });
    const big = addPending(host, 1800);
    host.advanceTo(0);
    expect(host.log.some((e) => e.cause === ReactionCause.ScaleUp)).toBe(true);
    host.advanceTo(2 * MIN);
    // The new node takes the big pod (the scheduler would).
    host.startOn(big, host.cluster.nodeById('a-0')!);
    host.advanceTo(19 * MIN + 50 * S);
    expect(nodeUp(host, 'x')).toBeDefined();
    host.advanceTo(21 * MIN);
    expect(nodeUp(host, 'x')).toBeUndefined();
  });

  it('a PodDisruptionBudget that allows no disruption blocks the removal', () => {
    const blocked: DisruptionBudgetView = { budgetsOf: (t) => (t === 0 ? [0] : []), allowed: () => 0 };
    const a = scenario([node('x'), node('y')], [{ cpu: 500, mem: 1, on: 'x' }, ANCHOR], { budgets: blocked });
    a.host.advanceTo(3600 * S);
    expect(nodeUp(a.host, 'x')).toBeDefined();
    const allows: DisruptionBudgetView = { budgetsOf: (t) => (t === 0 ? [0] : []), allowed: () => 1 };
    const b = scenario([node('x'), node('y')], [{ cpu: 500, mem: 1, on: 'x' }, ANCHOR], { budgets: allows });
    b.host.advanceTo(3600 * S);
    expect(nodeUp(b.host, 'x')).toBeUndefined();
  });

  it('a pod no controller recreates, or marked not movable, blocks; a DaemonSet pod does not', () => {
    for (const [c, stays] of [
      [{ ...deployment('bare'), kind: 'Pod' }, true],
      [deployment('local', { movable: false }), true],
      [{ ...deployment('ds'), kind: 'DaemonSet' }, false],
    ] as Array<[JobController, boolean]>) {
      const { host } = scenario([node('x'), node('y')], [{ cpu: 500, mem: 1, on: 'x' }, ANCHOR], { controllers: [c, deployment('anchor')] });
      host.advanceTo(3600 * S);
      expect(nodeUp(host, 'x') !== undefined).toBe(stays);
    }
  });

  it('pods that do not fit on the other nodes keep their node', () => {
    // x: 900 mc (0.45); y has 1800 of 2000 used: no room for 900.
    const { host } = scenario([node('x'), node('y')], [{ cpu: 900, mem: 1, on: 'x' }, { cpu: 1800, mem: 1, on: 'y' }]);
    host.advanceTo(3600 * S);
    expect(nodeUp(host, 'x')).toBeDefined();
  });

  it('two nodes never count on the same free room', () => {
    // a and b each hold 800 mc (0.4); c holds 1000 (0.5, needed) and has room for one of them.
    // a is found unneeded at 0, its pod promised to b (first fit); removing b too would move both
    // pods, and c has room for one: b is needed.
    const { host } = scenario([node('a1'), node('b1'), node('c1')], [{ cpu: 800, mem: 1, on: 'a1' }, { cpu: 800, mem: 1, on: 'b1' }, { cpu: 1000, mem: 1, on: 'c1' }]);
    host.advanceTo(15 * MIN);
    expect(scaleDowns(host)).toEqual(['a1@630']);
    // Once a is draining (600 s) it is no destination and its terminating pod needs no place
    // (no scheduler here recreates it): c's room is b's from the next loop, 610 s; b is drained
    // 10 minutes later and goes after its pod's 30 s grace. Counting c's room twice would have
    // made b unneeded from 0 and removed it right after a (660 s).
    host.advanceTo(30 * MIN);
    expect(scaleDowns(host)).toEqual(['a1@630', 'b1@1240']);
  });

  it('never goes below the group min', () => {
    const { host } = scenario([node('x'), node('y')], [], { groups: 'name=a,instance=m5.large,min=1,max=10' });
    host.advanceTo(3600 * S);
    expect([nodeUp(host, 'x'), nodeUp(host, 'y')].filter((n) => n !== undefined)).toHaveLength(1);
  });

  it('removes empty nodes in bulk, up to max-empty-bulk-delete at once', () => {
    const { host } = scenario([node('e1'), node('e2'), node('e3'), node('busy')], [{ cpu: 1500, mem: 1, on: 'busy' }], { options: 'max-empty-bulk-delete=2' });
    host.advanceTo(3600 * S);
    expect(scaleDowns(host)).toEqual(['e1@600', 'e2@600', 'e3@610']);
  });

  it('nodes outside every node group are never removed', () => {
    const { host } = scenario([node('x', 'm5.xlarge'), node('y')], []);
    host.advanceTo(3600 * S);
    expect(nodeUp(host, 'x')).toBeDefined();
    expect(nodeUp(host, 'y')).toBeUndefined();
  });

  it('a NotReady node waits scale-down-unready-time (20 min) instead', () => {
    const { host } = scenario([node('x'), node('y')], [{ cpu: 500, mem: 1, on: 'x' }, ANCHOR]);
    // The node lifecycle controller marks x NotReady (its pods stay bound).
    host.setNodeReady(host.cluster.nodeById('x')!, false);
    host.advanceTo(1199 * S);
    expect(nodeUp(host, 'x')).toBeDefined();
    host.advanceTo(1300 * S);
    expect(scaleDowns(host)).toEqual(['x@1230']);
  });

  it('an empty node a pending pod will take is not unneeded', () => {
    // e is empty; y is full enough (1,000 of 2,000 mc) that the pending 1.5-CPU pod fits only on e.
    const { host } = scenario([node('e'), node('y')], [ANCHOR]);
    const waiting = addPending(host, 1500);
    host.advanceTo(3600 * S);
    expect(nodeUp(host, 'e')).toBeDefined();
    // Once it is bound elsewhere (here: it gives up), e empties for good and goes 10 minutes later.
    host.endForGood(waiting, 'failed');
    host.advanceTo(3600 * S + 610 * S);
    expect(nodeUp(host, 'e')).toBeUndefined();
  });

  it('scale-down-enabled=false keeps every node', () => {
    const { host } = scenario([node('x'), node('y')], [], { options: 'scale-down-enabled=false' });
    host.advanceTo(3600 * S);
    expect(scaleDowns(host)).toEqual([]);
  });
});

/** y's pod: 1000 mc of 2000, at the threshold, so y is needed and offers 1000 mc of room. */
const ANCHOR = { cpu: 1000, mem: 1, on: 'y' };

/** Appends a pending pod of `cpu` millicores (1 GiB) to the host's tasks, submitted and unplaced; returns its task number. */
function addPending(host: FakeReactionHost, cpu: number): number {
  const D = host.tasks.dims;
  const id = host.tasks.append({
    count: 1,
    submitTime: Float64Array.of(0),
    duration: Float64Array.of(NaN),
    request: Float64Array.of(cpu, 2 ** 30, 0),
    limit: new Float64Array(D).fill(NaN),
    priority: Int32Array.of(0),
    job: Int32Array.of(0),
    taskIndex: Int32Array.of(99),
    user: Int32Array.of(-1),
    usageFraction: new Float32Array(D).fill(NaN),
    usageVariation: new Float32Array(1),
  });
  pendAll(host, [id]);
  return id;
}
