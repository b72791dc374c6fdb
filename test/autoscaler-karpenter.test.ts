import { describe, expect, it } from 'vitest';
import { autoscalerSetup } from '../harness/autoscaler/autoscaler-config.js';
import type { DisruptionBudgetView } from '../harness/autoscaler/removal-simulator.js';
import { StopCause, type Reaction } from '../harness/reactions/reaction-host.js';
import { ReactionCause, type ReactionsResults } from '../reports/reaction-results.js';
import { TaskStatus } from '../model/task-status.js';
import type { FakeReactionHost } from './helpers/fake-reaction-host.js';
import { buildCluster, catalog, deployment, nodeUp, pendAll, type PodDef, MIN, S } from './fixtures/node-groups-cluster.js';

const NO_BUDGETS: DisruptionBudgetView = { budgetsOf: () => [], allowed: () => Infinity };

function karpenter(pods: PodDef[], groups: string, options?: string, controllers = pods.map((_, i) => deployment(`d${i}`))): { host: FakeReactionHost; k: Reaction } {
  const { workload, host } = buildCluster([], pods.map((p, i) => ({ ...p, job: p.job ?? i })), { controllers });
  const k = autoscalerSetup({ nodeGroups: groups, mode: 'karpenter', options }, workload, catalog, NO_BUDGETS)!;
  host.use(k);
  return { host, k };
}

const typeOf = (host: FakeReactionHost, id: string): string | undefined => {
  const n = nodeUp(host, id);
  return n === undefined ? undefined : host.cluster.instanceTypes[n];
};

function report(k: Reaction, t: number): NonNullable<ReactionsResults['autoscaler']> {
  const out: ReactionsResults = { settings: {}, events: undefined as never };
  k.finish!(t, out);
  return out.autoscaler!;
}

describe('Karpenter-style provisioner', () => {
  it('launches the cheapest instance type that fits, after the batch closes and the provisioning delay', () => {
    // 3 CPU: m5.large (2 vCPU) is too small, m5.xlarge (4 vCPU, $0.192) the cheapest that fits.
    const { host, k } = karpenter([{ cpu: 3000, mem: 4 }], 'name=k,instances=m5.2xlarge|m5.large|m5.xlarge,max=10');
    pendAll(host, [0]);
    host.advanceTo(0);
    expect(host.log).toEqual([]);
    // The batch closes 1 s after the last new pending pod.
    host.advanceTo(1 * S);
    expect(host.log.map((e) => [e.cause, e.time])).toEqual([[ReactionCause.ScaleUp, 1 * S]]);
    host.advanceTo(1 * S + 2 * MIN - 1);
    expect(nodeUp(host, 'k-0')).toBeUndefined();
    host.advanceTo(1 * S + 2 * MIN);
    expect(typeOf(host, 'k-0')).toBe('m5.xlarge');
    expect(report(k, 1 * S + 2 * MIN)).toMatchObject({ mode: 'karpenter', scaleUps: 1, nodesAdded: 1, unhelpable: 0 });
  });

  it('keeps the batch open while pods keep coming, up to the 10 s window', () => {
    const pods = Array.from({ length: 30 }, () => ({ cpu: 100, mem: 0.1 }));
    const { host } = karpenter(pods, 'name=k,instances=m5.large,max=10');
    // A new pending pod every 0.5 s for 15 s: the idle second never passes.
    for (let i = 0; i < 30; i++) {
      host.advanceTo(i * 0.5 * S);
      pendAll(host, [i]);
    }
    host.advanceTo(15 * S);
    const ups = host.log.filter((e) => e.cause === ReactionCause.ScaleUp);
    expect(ups[0].time).toBe(10 * S);
  });

  it('packs pods onto one planned node and launches the cheapest type that holds them all', () => {
    // 3 × 1.5 CPU: together 4.5 CPU, 6 GiB → c5.2xlarge (8 vCPU, 16 GiB, $0.34) beats m5.2xlarge ($0.384).
    const { host, k } = karpenter([{ cpu: 1500, mem: 2 }, { cpu: 1500, mem: 2 }, { cpu: 1500, mem: 2 }], 'name=k,instances=m5.large|m5.xlarge|c5.2xlarge|m5.2xlarge,max=10');
    pendAll(host, [0, 1, 2]);
    host.advanceTo(3 * MIN);
    expect(typeOf(host, 'k-0')).toBe('c5.2xlarge');
    expect(nodeUp(host, 'k-1')).toBeUndefined();
    expect(report(k, 3 * MIN).groups).toEqual([expect.objectContaining({ group: 'k', instanceType: 'c5.2xlarge', added: 1, peakNodes: 1 })]);
  });

  it('honours the pool limit and counts pods no type fits as unhelpable', () => {
    const { host, k } = karpenter([{ cpu: 1500, mem: 1 }, { cpu: 1500, mem: 1 }, { cpu: 9000, mem: 1 }], 'name=k,instances=m5.large,max=1');
    pendAll(host, [0, 1, 2]);
    host.advanceTo(3 * MIN);
    expect(nodeUp(host, 'k-0')).toBeDefined();
    expect(nodeUp(host, 'k-1')).toBeUndefined();
    expect(report(k, 3 * MIN).unhelpable).toBe(1);
  });

  it('deletes an empty node once consolidateAfter has passed since its last pod left', () => {
    // k-1's pod is a bare Pod (nothing recreates it: not disrupted), so only k-0 can go.
    const { host } = karpenter([{ cpu: 1500, mem: 1 }, { cpu: 1500, mem: 1 }], 'name=k,instances=m5.large,max=10', 'consolidate-after=5m', [deployment('web'), { ...deployment('bare'), kind: 'Pod' }]);
    pendAll(host, [0, 1]);
    host.advanceTo(1 * S + 2 * MIN);
    host.startOn(0, nodeUp(host, 'k-0')!);
    host.startOn(1, nodeUp(host, 'k-1')!);
    host.advanceTo(10 * MIN);
    host.stopTask(0, StopCause.Finished);
    host.advanceTo(15 * MIN - 1);
    expect(nodeUp(host, 'k-0')).toBeDefined();
    host.advanceTo(15 * MIN);
    expect(nodeUp(host, 'k-0')).toBeUndefined();
    expect(nodeUp(host, 'k-1')).toBeDefined();
  });

  it('deletes a node whose pods fit on the others (single-node consolidation)', () => {
    // Two m5.xlarge: k-0 holds 2 × 1.5 CPU, k-1 one. When one of k-0's pods ends, k-0's last pod fits on k-1.
    const { host, k } = karpenter([{ cpu: 1500, mem: 1 }, { cpu: 1500, mem: 1 }, { cpu: 1500, mem: 1 }], 'name=k,instances=m5.xlarge,max=10');
    pendAll(host, [0, 1, 2]);
    host.advanceTo(1 * S + 2 * MIN);
    const k0 = nodeUp(host, 'k-0')!;
    const k1 = nodeUp(host, 'k-1')!;
    host.startOn(0, k0);
    host.startOn(1, k0);
    host.startOn(2, k1);
    host.advanceTo(10 * MIN);
    // Both full enough that neither fits on the other: nothing happens.
    expect([nodeUp(host, 'k-0'), nodeUp(host, 'k-1')].every((n) => n !== undefined)).toBe(true);
    host.stopTask(0, StopCause.Finished);
    host.advanceTo(12 * MIN);
    expect(nodeUp(host, 'k-0')).toBeUndefined();
    expect(host.tasks.status[1]).toBe(TaskStatus.Evicted);
    expect(host.log.filter((e) => e.cause === ReactionCause.Drained).map((e) => e.task)).toEqual([1]);
    expect(report(k, 12 * MIN)).toMatchObject({ nodesRemoved: 1, replacements: 0 });
  });

  it('WhenEmpty consolidates only empty nodes', () => {
    const { host } = karpenter([{ cpu: 1500, mem: 1 }, { cpu: 1500, mem: 1 }, { cpu: 1500, mem: 1 }], 'name=k,instances=m5.xlarge,max=10', 'consolidation-policy=WhenEmpty');
    pendAll(host, [0, 1, 2]);
    host.advanceTo(1 * S + 2 * MIN);
    host.startOn(0, nodeUp(host, 'k-0')!);
    host.startOn(1, nodeUp(host, 'k-0')!);
    host.startOn(2, nodeUp(host, 'k-1')!);
    host.stopTask(0, StopCause.Finished);
    host.advanceTo(30 * MIN);
    expect(nodeUp(host, 'k-0')).toBeDefined();
  });

  it('replaces a node by a cheaper one that holds its pods, and drains it once the replacement is Ready', () => {
    // 7 + 0.5 CPU on one m5.2xlarge ($0.384); when the 7-CPU pod ends, an m5.large ($0.096) holds the rest.
    const { host, k } = karpenter([{ cpu: 7000, mem: 4 }, { cpu: 500, mem: 1 }], 'name=k,instances=m5.large|m5.2xlarge,max=10');
    pendAll(host, [0, 1]);
    host.advanceTo(1 * S + 2 * MIN);
    const k0 = nodeUp(host, 'k-0')!;
    expect(host.cluster.instanceTypes[k0]).toBe('m5.2xlarge');
    host.startOn(0, k0);
    host.startOn(1, k0);
    host.advanceTo(5 * MIN);
    host.stopTask(0, StopCause.Finished);
    host.advanceTo(5 * MIN + 10 * S);
    // The replacement is on its way; the old node still runs its pod.
    expect(host.log.filter((e) => e.cause === ReactionCause.ScaleUp)).toHaveLength(2);
    expect(host.tasks.status[1]).toBe(TaskStatus.Running);
    host.advanceTo(5 * MIN + 10 * S + 2 * MIN);
    expect(typeOf(host, 'k-1')).toBe('m5.large');
    // Drained now: its pod ends after its 30 s grace and the node goes.
    host.advanceTo(5 * MIN + 10 * S + 2 * MIN + 30 * S);
    expect(nodeUp(host, 'k-0')).toBeUndefined();
    expect(report(k, 10 * MIN)).toMatchObject({ replacements: 1, nodesAdded: 2, nodesRemoved: 1 });
  });

  it('does not replace a node when no cheaper type holds its pods', () => {
    const { host, k } = karpenter([{ cpu: 7000, mem: 4 }, { cpu: 3000, mem: 1 }], 'name=k,instances=m5.large|m5.2xlarge,max=10');
    pendAll(host, [0]);
    host.advanceTo(1 * S + 2 * MIN);
    host.startOn(0, nodeUp(host, 'k-0')!);
    host.advanceTo(3 * MIN);
    // The 7-CPU pod ends and a 3-CPU one (more than an m5.large holds) takes its place.
    host.stopTask(0, StopCause.Finished);
    host.submit(1);
    host.startOn(1, nodeUp(host, 'k-0')!);
    host.advanceTo(20 * MIN);
    expect(nodeUp(host, 'k-0')).toBeDefined();
    expect(report(k, 20 * MIN).replacements).toBe(0);
  });
});
