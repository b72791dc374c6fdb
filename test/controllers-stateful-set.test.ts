import { describe, expect, it } from 'vitest';
import { StopCause } from '../harness/reactions/reaction-host.js';
import { ReactionCause } from '../reports/reaction-results.js';
import { TaskStatus } from '../model/task-status.js';
import { hostWithControllers, S } from './controllers-fixtures.js';

describe('StatefulSet', () => {
  it('OrderedReady: pod i is created only once pods 0..i-1 run', () => {
    const { host } = hostWithControllers(3, [{ c: { kind: 'StatefulSet', orderedReady: true }, pods: 3 }]);
    expect([host.submit(0), host.submit(1), host.submit(2)]).toEqual([true, false, false]);
    expect([...host.pendingSet]).toEqual([0]);
    host.advanceTo(5 * S);
    host.startOn(0, 0);
    // Pod 0 ready: pod 1 enters the queue, pod 2 still waits for it.
    expect(host.enqueued.map((e) => [e.task, e.time / S])).toEqual([[0, 0], [1, 5]]);
    host.advanceTo(8 * S);
    host.startOn(1, 1);
    expect(host.enqueued.map((e) => [e.task, e.time / S])).toEqual([[0, 0], [1, 5], [2, 8]]);
  });

  it('a pod on a crashed node is not ready: the next ordinal waits until the node is back', () => {
    const { host } = hostWithControllers(2, [{ c: { kind: 'StatefulSet' }, pods: 2 }]);
    host.submit(0);
    host.submit(1);
    host.setNodeDown(0, true);
    host.startOn(0, 0);
    expect(host.enqueued.map((e) => e.task)).toEqual([0]);
    host.advanceTo(30 * S);
    host.setNodeDown(0, false);
    expect(host.enqueued.map((e) => [e.task, e.time / S])).toEqual([[0, 0], [1, 30]]);
  });

  it('keeps ordinal identity: a lost pod comes back as the same ordinal; one above a lost pod 0 waits for it', () => {
    const { host, workload } = hostWithControllers(3, [{ c: { kind: 'StatefulSet' }, pods: 3 }]);
    for (let t = 0; t < 3; t++) host.submit(t);
    host.startOn(0, 0);
    host.startOn(1, 1);
    host.startOn(2, 2);
    host.advanceTo(10 * S);
    // Pods 0 and 1 lost together (their node failed); pod 2 keeps running.
    host.stopTask(0, StopCause.NodeLost);
    host.stopTask(1, StopCause.NodeLost);
    expect(host.enqueued.slice(3).map((e) => [e.task, e.time / S])).toEqual([[0, 10]]);
    expect(host.tasks.status[1]).toBe(TaskStatus.Evicted);
    expect(host.tasks.status[2]).toBe(TaskStatus.Running);
    host.advanceTo(15 * S);
    host.startOn(0, 0);
    expect(host.enqueued.slice(3).map((e) => [e.task, e.time / S])).toEqual([[0, 10], [1, 15]]);
    // Same rows, same ordinals: identity kept.
    expect([host.tasks.taskIndex[0], host.tasks.taskIndex[1]]).toEqual([0, 1]);
    expect(host.tasks.job[1]).toBe(0);
    expect(workload.controllers![0]!.kind).toBe('StatefulSet');
    const rec = host.log.filter((e) => e.cause === ReactionCause.Recreated).map((e) => [e.task, e.time / S, e.amount]);
    expect(rec).toEqual([[0, 10, 0], [1, 15, 5]]);
  });

  it('a lost pod 1 is replaced at once while pod 0 runs', () => {
    const { host } = hostWithControllers(3, [{ c: { kind: 'StatefulSet' }, pods: 3 }]);
    for (let t = 0; t < 3; t++) host.submit(t);
    host.startOn(0, 0);
    host.startOn(1, 1);
    host.startOn(2, 2);
    host.advanceTo(20 * S);
    host.stopTask(1, StopCause.Preempted);
    expect(host.enqueued.at(-1)).toEqual({ task: 1, time: 20 * S });
  });

  it('Parallel pod management: every pod at once', () => {
    const { host } = hostWithControllers(3, [{ c: { kind: 'StatefulSet', orderedReady: false }, pods: 3 }]);
    expect([host.submit(0), host.submit(1), host.submit(2)]).toEqual([true, true, true]);
  });

  it('a finished pod no longer holds the next ordinal back', () => {
    const { host } = hostWithControllers(2, [{ c: { kind: 'StatefulSet' }, pods: 2 }]);
    host.submit(0);
    host.submit(1);
    host.startOn(0, 0);
    host.advanceTo(10 * S);
    host.stopTask(0, StopCause.Finished);
    // Pod 1 had been released when pod 0 became ready; after pod 0's finish it is not held again.
    expect(host.enqueued.map((e) => e.task)).toEqual([0, 1]);
    host.startOn(1, 1);
    host.stopTask(1, StopCause.Preempted);
    expect(host.enqueued.at(-1)).toEqual({ task: 1, time: 10 * S });
  });
});
