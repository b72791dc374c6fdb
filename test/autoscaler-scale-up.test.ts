import { describe, expect, it } from 'vitest';
import { autoscalerSetup } from '../harness/autoscaler/autoscaler-config.js';
import type { DisruptionBudgetView } from '../harness/autoscaler/removal-simulator.js';
import type { ReactionsResults } from '../reports/reaction-results.js';
import { ReactionCause } from '../reports/reaction-results.js';
import { GiB } from '../model/units.js';
import { buildCluster, catalog, nodeUp, pendAll, deployment, MIN, S } from './fixtures/node-groups-cluster.js';

const NO_BUDGETS: DisruptionBudgetView = { budgetsOf: () => [], allowed: () => Infinity };

function results(): ReactionsResults {
  return { settings: {}, events: undefined as never };
}

describe('cluster autoscaler: scale-up', () => {
  it('adds a node after the provisioning delay, and does not ask again while it is on its way', () => {
    // One full m5.large outside autoscaling; a pod of 1.5 CPU pends.
    const { workload, host } = buildCluster([{ id: 'base', type: 'm5.xlarge' }], [{ cpu: 4000, mem: 1 }, { cpu: 1500, mem: 1 }]);
    const ca = autoscalerSetup({ nodeGroups: 'name=a,instance=m5.large,min=0,max=5', options: 'provisioning-delay=2m' }, workload, catalog, NO_BUDGETS)!;
    host.use(ca);
    host.submit(0);
    host.startOn(0, host.cluster.nodeById('base')!);
    pendAll(host, [1]);
    host.advanceTo(0);
    expect(host.log.filter((e) => e.cause === ReactionCause.ScaleUp)).toEqual([{ time: 0, cause: ReactionCause.ScaleUp, node: -1, task: -1, amount: 120, duration: 0 }]);
    // Still pending and unplaced in every pass: the upcoming node counts, no second scale-up.
    for (let t = 10 * S; t < 2 * MIN; t += 10 * S) {
      host.unplaced(1);
      host.advanceTo(t);
    }
    expect(nodeUp(host, 'a-0')).toBeUndefined();
    expect(host.log.filter((e) => e.cause === ReactionCause.ScaleUp)).toHaveLength(1);
    host.advanceTo(2 * MIN);
    const a0 = nodeUp(host, 'a-0')!;
    expect(a0).toBeDefined();
    expect(host.cluster.instanceTypes[a0]).toBe('m5.large');
    expect(host.cluster.labels[a0]['kubernetes.io/hostname']).toBe('a-0');
    expect(Array.from(host.cluster.allocatable.subarray(a0 * 3, a0 * 3 + 3))).toEqual([2000, 8 * GiB, 0]);
    host.startOn(1, a0);
    host.advanceTo(10 * MIN);
    const out = results();
    ca.finish!(10 * MIN, out);
    expect(out.autoscaler).toMatchObject({ mode: 'cluster-autoscaler', scaleUps: 1, nodesAdded: 1, nodesRemoved: 0, unhelpable: 0 });
    // 8 minutes of one m5.large at $0.096/h.
    expect(out.autoscaler!.groups).toEqual([{ group: 'a', instanceType: 'm5.large', nodeHours: 8 / 60, cost: (8 / 60) * 0.096, peakNodes: 1, added: 1, removed: 0 }]);
  });

  it('asks for as many nodes as the binpacking estimator says, up to the group max', () => {
    // Five pods of 1.5 CPU: one per m5.large; the group may have 3.
    const { workload, host } = buildCluster([], Array.from({ length: 5 }, () => ({ cpu: 1500, mem: 1 })));
    const ca = autoscalerSetup({ nodeGroups: 'name=a,instance=m5.large,max=3' }, workload, catalog, NO_BUDGETS)!;
    host.use(ca);
    pendAll(host, [0, 1, 2, 3, 4]);
    host.advanceTo(0);
    expect(host.log.filter((e) => e.cause === ReactionCause.ScaleUp)).toHaveLength(3);
    host.advanceTo(2 * MIN);
    expect(['a-0', 'a-1', 'a-2', 'a-3'].map((id) => nodeUp(host, id) !== undefined)).toEqual([true, true, true, false]);
    // At max: no more, however long the pods wait.
    for (let t = 2 * MIN + 10 * S; t <= 10 * MIN; t += 10 * S) {
      for (const task of [3, 4]) host.unplaced(task);
      host.advanceTo(t);
    }
    expect(host.log.filter((e) => e.cause === ReactionCause.ScaleUp)).toHaveLength(3);
  });

  it('max-nodes-total counts every node of the cluster and the upcoming ones', () => {
    const { workload, host } = buildCluster([{ id: 'base', type: 'm5.large' }], Array.from({ length: 5 }, () => ({ cpu: 1500, mem: 1 })));
    const ca = autoscalerSetup({ nodeGroups: 'name=a,instance=m5.large,max=10', options: 'max-nodes-total=3' }, workload, catalog, NO_BUDGETS)!;
    host.use(ca);
    pendAll(host, [0, 1, 2, 3, 4]);
    host.advanceTo(0);
    expect(host.log.filter((e) => e.cause === ReactionCause.ScaleUp)).toHaveLength(2);
  });

  it('a pod no template can take is counted unhelpable and triggers nothing', () => {
    // 3 CPU never fits an m5.large (2 vCPU).
    const { workload, host } = buildCluster([], [{ cpu: 3000, mem: 1 }]);
    const ca = autoscalerSetup({ nodeGroups: 'name=a,instance=m5.large,max=3' }, workload, catalog, NO_BUDGETS)!;
    host.use(ca);
    pendAll(host, [0]);
    host.advanceTo(0);
    host.unplaced(0);
    host.advanceTo(30 * S);
    expect(host.log.filter((e) => e.cause === ReactionCause.ScaleUp)).toHaveLength(0);
    const out = results();
    ca.finish!(30 * S, out);
    expect(out.autoscaler!.unhelpable).toBe(1);
  });

  it('only grows a group whose labels and taints the pod admits', () => {
    // Pods select tier=batch and tolerate dedicated=batch: only group b fits them.
    const constraints = [{ nodeSelector: { 'workload.example.com/tier': 'batch' }, tolerations: [{ key: 'dedicated', operator: 'Equal' as const, value: 'batch', effect: 'NoSchedule' as const }] }, { nodeSelector: { 'workload.example.com/tier': 'batch' } }];
    const { workload, host } = buildCluster([], [{ cpu: 1000, mem: 1, job: 0 }, { cpu: 1000, mem: 1, job: 1 }], { constraints });
    const ca = autoscalerSetup({ nodeGroups: 'test/fixtures/node-groups.yaml' }, workload, catalog, NO_BUDGETS)!;
    host.use(ca);
    pendAll(host, [0, 1]);
    host.advanceTo(2 * MIN);
    expect(nodeUp(host, 'batch-0')).toBeDefined();
    expect(nodeUp(host, 'general-0')).toBeUndefined();
    const out = results();
    ca.finish!(2 * MIN, out);
    // Job 1 does not tolerate the batch taint and selects a label general lacks: unhelpable.
    expect(out.autoscaler!.unhelpable).toBe(1);
  });

  it('pods below the expendable priority cutoff and DaemonSet pods trigger no scale-up', () => {
    const controllers = [deployment('low'), { ...deployment('ds'), kind: 'DaemonSet' as const }];
    const { workload, host } = buildCluster([], [{ cpu: 1000, mem: 1, priority: -11, job: 0 }, { cpu: 1000, mem: 1, job: 1 }], { controllers });
    const ca = autoscalerSetup({ nodeGroups: 'name=a,instance=m5.large,max=3' }, workload, catalog, NO_BUDGETS)!;
    host.use(ca);
    pendAll(host, [0, 1]);
    host.advanceTo(1 * MIN);
    expect(host.log.filter((e) => e.cause === ReactionCause.ScaleUp)).toHaveLength(0);
  });

  it('a template node carries the DaemonSet load seen on the group\'s nodes', () => {
    // a-node runs a 500-mc DaemonSet pod and a 1,000-mc pod: a new m5.large would offer 1,500 mc.
    const controllers = [{ ...deployment('ds'), kind: 'DaemonSet' as const }, deployment('web')];
    const pods = [{ cpu: 500, mem: 1, job: 0 }, { cpu: 1000, mem: 1, job: 1 }, { cpu: 1800, mem: 1, job: 1 }, { cpu: 1400, mem: 1, job: 1 }];
    const setup = () => {
      const { workload, host } = buildCluster([{ id: 'a-node', type: 'm5.large' }], pods, { controllers });
      const ca = autoscalerSetup({ nodeGroups: 'name=a,instance=m5.large,max=3' }, workload, catalog, NO_BUDGETS)!;
      host.use(ca);
      for (const task of [0, 1]) {
        host.submit(task);
        host.startOn(task, host.cluster.nodeById('a-node')!);
      }
      return { host, ca };
    };
    // 1,800 mc: more than 1,500, no scale-up, unhelpable.
    const big = setup();
    pendAll(big.host, [2]);
    big.host.advanceTo(30 * S);
    expect(big.host.log.filter((e) => e.cause === ReactionCause.ScaleUp)).toHaveLength(0);
    const out = results();
    big.ca.finish!(30 * S, out);
    expect(out.autoscaler!.unhelpable).toBe(1);
    // 1,400 mc: fits beside the DaemonSet pod on a new node.
    const small = setup();
    pendAll(small.host, [3]);
    small.host.advanceTo(30 * S);
    expect(small.host.log.filter((e) => e.cause === ReactionCause.ScaleUp)).toHaveLength(1);
  });

  it('the expander chooses the group (least-waste: the CPU-shaped group for CPU-heavy pods)', () => {
    // Two pods of 3.5 CPU and 4 GiB: c5.2xlarge (8 CPU, 16 GiB) wastes 1/8 + 8/16 = 0.625,
    // m5.2xlarge (8 CPU, 32 GiB) 1/8 + 24/32 = 0.875; both need one node.
    const { workload, host } = buildCluster([], [{ cpu: 3500, mem: 4 }, { cpu: 3500, mem: 4 }]);
    const ca = autoscalerSetup({ nodeGroups: 'name=m,instance=m5.2xlarge,max=3;name=c,instance=c5.2xlarge,max=3', options: 'expander=least-waste' }, workload, catalog, NO_BUDGETS)!;
    host.use(ca);
    pendAll(host, [0, 1]);
    host.advanceTo(2 * MIN);
    expect(nodeUp(host, 'c-0')).toBeDefined();
    expect(nodeUp(host, 'c-1')).toBeUndefined();
    expect(nodeUp(host, 'm-0')).toBeUndefined();
  });
});
