import { describe, expect, it } from 'vitest';
import { StopCause } from '../harness/reactions/reaction-host.js';
import { ReactionCause, type ReactionsResults } from '../reports/reaction-results.js';
import { TaskStatus } from '../model/task-status.js';
import type { DynamicsEventLog } from '../reports/replay-results.js';
import { hostWithControllers, S } from './controllers-fixtures.js';
import type { FakeReactionHost } from './helpers/fake-reaction-host.js';
import type { Reaction } from '../harness/reactions/reaction-host.js';

function results(host: FakeReactionHost, controllers: Reaction, horizon: number): ReactionsResults {
  host.advanceTo(horizon);
  const out: ReactionsResults = { settings: {}, events: undefined as unknown as DynamicsEventLog };
  controllers.finish!(horizon, out);
  return out;
}

describe('Deployment / ReplicaSet / ReplicationController', () => {
  it.each(['Deployment', 'ReplicaSet', 'ReplicationController'] as const)('%s: a lost pod is recreated at once as the same row, whatever the cause', (kind) => {
    const { host, controllers } = hostWithControllers(2, [{ c: { kind }, pods: 2 }]);
    host.submit(0);
    host.submit(1);
    host.startOn(0, 0);
    host.startOn(1, 1);
    host.advanceTo(10 * S);
    host.stopTask(0, StopCause.Preempted);
    expect(host.enqueued.map((e) => [e.task, e.time / S])).toEqual([[0, 0], [1, 0], [0, 10]]);
    expect(host.tasks.status[0]).toBe(TaskStatus.Pending);
    host.advanceTo(15 * S);
    host.startOn(0, 0);
    expect(host.tasks.attempts[0]).toBe(2);
    // A kubelet eviction too: at once, not after the kubelet's 10-s restart back-off.
    host.advanceTo(40 * S);
    host.stopTask(1, StopCause.EvictedByKubelet);
    expect(host.enqueued.at(-1)).toEqual({ task: 1, time: 40 * S });
    expect(host.log.filter((e) => e.cause === ReactionCause.Recreated).map((e) => [e.task, e.time / S, e.amount])).toEqual([[0, 10, 0], [1, 40, 0]]);
    host.advanceTo(40 * S);
    host.startOn(1, 1);
    const out = results(host, controllers, 100 * S);
    const a = out.availability!;
    // ready 2 on [0,10), 1 on [10,15), 2 on [15,40), 1 at the instant 40 only: mean (10 + 2.5 + 85) / 100.
    expect(a.workloads).toHaveLength(1);
    expect(a.workloads[0]).toMatchObject({ name: 'default/job0', kind, desired: 2, lost: 2, recreated: 2 });
    expect(a.workloads[0].meanAvailability).toBeCloseTo(0.975, 12);
    expect(a.workloads[0].minAvailability).toBe(0.5);
    expect(a.workloads[0].degradedSeconds).toBeCloseTo(5, 9);
  });
});

describe('a bare Pod', () => {
  it('is not recreated: lost, it ends Failed, and stays unavailable to the end', () => {
    const { host, controllers } = hostWithControllers(1, [{ c: { kind: 'Pod' }, pods: 1 }]);
    host.submit(0);
    host.startOn(0, 0);
    host.advanceTo(10 * S);
    host.stopTask(0, StopCause.NodeLost);
    expect(host.tasks.status[0]).toBe(TaskStatus.Failed);
    expect(host.ended).toEqual([{ task: 0, status: 'failed', time: 10 * S }]);
    expect(host.enqueued).toHaveLength(1);
    const a = results(host, controllers, 100 * S).availability!;
    expect(a.workloads[0].meanAvailability).toBeCloseTo(0.1, 12);
    expect(a.workloads[0].recreated).toBe(0);
  });

  it('OOM-killed under restartPolicy Never: Failed, nothing requeues it', () => {
    const { host } = hostWithControllers(1, [{ c: { kind: 'Pod', restartPolicy: 'Never' }, pods: 1 }]);
    host.submit(0);
    host.startOn(0, 0);
    host.advanceTo(5 * S);
    host.stopTask(0, StopCause.OomKilled);
    host.advanceTo(1000 * S);
    expect(host.tasks.status[0]).toBe(TaskStatus.Failed);
    expect(host.enqueued).toHaveLength(1);
  });
});

describe('tasks without a controller', () => {
  it('are requeued as before controllers: kubelet evictions after the restart back-off, other losses at once, nothing logged', () => {
    const { host, controllers } = hostWithControllers(1, [{ pods: 1 }]);
    host.submit(0);
    host.startOn(0, 0);
    host.advanceTo(5 * S);
    host.stopTask(0, StopCause.EvictedByKubelet);
    host.advanceTo(14 * S);
    expect(host.enqueued).toHaveLength(1);
    host.advanceTo(15 * S);
    expect(host.enqueued.at(-1)).toEqual({ task: 0, time: 15 * S });
    host.startOn(0, 0);
    host.advanceTo(20 * S);
    host.stopTask(0, StopCause.EvictedByKubelet);
    host.advanceTo(60 * S);
    // Second eviction: 20 s.
    expect(host.enqueued.at(-1)).toEqual({ task: 0, time: 40 * S });
    host.startOn(0, 0);
    host.stopTask(0, StopCause.MachineRemoved);
    expect(host.enqueued.at(-1)).toEqual({ task: 0, time: 60 * S });
    expect(host.log).toEqual([]);
    // No workload to report.
    expect(results(host, controllers, 100 * S).availability).toBeUndefined();
  });
});

describe('DaemonSet', () => {
  const ds = (n: number) => ({ c: { kind: 'DaemonSet' as const, name: 'kube-system/agent', desired: 1 }, pods: 1, constraints: { nodeName: `n${n}` } });

  it('recreates a lost pod on its node at once; a pod whose node is removed ends with it, and is no longer desired', () => {
    const { host, controllers } = hostWithControllers(2, [ds(0), ds(1)]);
    host.submit(0);
    host.submit(1);
    host.startOn(0, 0);
    host.startOn(1, 1);
    host.advanceTo(10 * S);
    host.stopTask(0, StopCause.EvictedByKubelet);
    expect(host.enqueued.at(-1)).toEqual({ task: 0, time: 10 * S });
    host.advanceTo(12 * S);
    host.startOn(0, 0);
    host.advanceTo(50 * S);
    host.removeNode(1, StopCause.MachineRemoved);
    expect(host.tasks.status[1]).toBe(TaskStatus.Failed);
    expect(host.enqueued.filter((e) => e.task === 1)).toHaveLength(1);
    const a = results(host, controllers, 100 * S).availability!;
    // One workload for both per-node jobs: desired 2, then 1 once node 1 left.
    expect(a.workloads).toHaveLength(1);
    expect(a.workloads[0]).toMatchObject({ name: 'kube-system/agent', kind: 'DaemonSet', desired: 1, lost: 2, recreated: 1 });
    // 2/2 on [0,10), 1/2 on [10,12), 2/2 on [12,50), 1/1 on [50,100).
    expect(a.workloads[0].meanAvailability).toBeCloseTo((10 + 1 + 38 + 50) / 100, 12);
    expect(a.workloads[0].degradedSeconds).toBeCloseTo(2, 9);
  });

  it('a recreated pod still waiting for its node ends when the node leaves', () => {
    const { host } = hostWithControllers(2, [ds(0), ds(1)]);
    host.submit(0);
    host.submit(1);
    host.startOn(0, 0);
    host.advanceTo(10 * S);
    host.stopTask(0, StopCause.Preempted);
    expect(host.tasks.status[0]).toBe(TaskStatus.Pending);
    host.advanceTo(20 * S);
    host.removeNode(0, StopCause.MachineRemoved);
    expect(host.ended).toEqual([{ task: 0, status: 'failed', time: 20 * S }]);
    // The other node's pod, never started, is pinned to a node that is still there.
    expect(host.tasks.status[1]).toBe(TaskStatus.Pending);
  });
});
