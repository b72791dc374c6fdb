import { describe, expect, it } from 'vitest';
import { StopCause } from '../harness/reactions/reaction-host.js';
import { ReactionCause, type ReactionsResults } from '../reports/reaction-results.js';
import type { DynamicsEventLog } from '../reports/replay-results.js';
import { TaskStatus } from '../model/task-status.js';
import { JOB_BACKOFF_INITIAL, JOB_BACKOFF_MAX, jobPodBackoff } from '../harness/controllers/job-backoff.js';
import { hostWithControllers, S } from './controllers-fixtures.js';
import type { FakeReactionHost } from './helpers/fake-reaction-host.js';
import type { Reaction } from '../harness/reactions/reaction-host.js';

function finish(host: FakeReactionHost, controllers: Reaction, horizon: number): ReactionsResults {
  host.advanceTo(horizon);
  const out: ReactionsResults = { settings: {}, events: undefined as unknown as DynamicsEventLog };
  controllers.finish!(horizon, out);
  return out;
}

describe('the Job back-off', () => {
  it('is 10 s · 2^(n-1) for the n-th failure since the last success, capped at six minutes', () => {
    expect(JOB_BACKOFF_INITIAL).toBe(10 * S);
    expect(JOB_BACKOFF_MAX).toBe(360 * S);
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 40].map((n) => jobPodBackoff(n) / S)).toEqual([0, 10, 20, 40, 80, 160, 320, 360, 360, 360]);
  });
});

describe('Job', () => {
  it('restartPolicy Never: each failed pod counts, its replacement comes after the back-off; failures past backoffLimit fail the Job', () => {
    const { host, controllers } = hostWithControllers(1, [{ c: { kind: 'Job', restartPolicy: 'Never', backoffLimit: 2, completions: 1, parallelism: 1 }, pods: 1 }]);
    host.submit(0);
    host.startOn(0, 0);
    host.advanceTo(10 * S);
    host.stopTask(0, StopCause.OomKilled); // failure 1: 10 s
    host.advanceTo(19 * S);
    expect(host.enqueued).toHaveLength(1);
    host.advanceTo(20 * S);
    expect(host.enqueued.at(-1)).toEqual({ task: 0, time: 20 * S });
    host.startOn(0, 0);
    host.advanceTo(30 * S);
    host.stopTask(0, StopCause.Preempted); // failure 2: 20 s
    host.advanceTo(50 * S);
    expect(host.enqueued.at(-1)).toEqual({ task: 0, time: 50 * S });
    host.startOn(0, 0);
    host.advanceTo(60 * S);
    host.stopTask(0, StopCause.EvictedByKubelet); // failure 3 > backoffLimit 2: the Job fails
    host.advanceTo(1000 * S);
    expect(host.enqueued).toHaveLength(3);
    expect(host.tasks.status[0]).toBe(TaskStatus.Failed);
    expect(host.ended).toEqual([{ task: 0, status: 'failed', time: 60 * S }]);
    const rec = host.log.filter((e) => e.cause === ReactionCause.Recreated).map((e) => [e.time / S, e.amount]);
    expect(rec).toEqual([[20, 10], [50, 20]]);
    const failed = host.log.filter((e) => e.cause === ReactionCause.JobFailed);
    expect(failed.map((e) => [e.time / S, e.task, e.amount])).toEqual([[60, 0, 3]]);
    const out = finish(host, controllers, 1000 * S);
    expect(out.availability!.jobsFailed).toBe(1);
    expect(out.availability!.jobsSucceeded).toBe(0);
    // Up [0,10), [20,30), [50,60) of the 60 s the Job lived.
    expect(out.availability!.workloads[0].meanAvailability).toBeCloseTo(30 / 60, 12);
  });

  it('a success resets the back-off count, not the failure count', () => {
    const { host, controllers } = hostWithControllers(2, [{ c: { kind: 'Job', restartPolicy: 'Never', backoffLimit: 6 }, pods: 2 }]);
    host.submit(0);
    host.submit(1);
    host.startOn(0, 0);
    host.startOn(1, 1);
    host.advanceTo(10 * S);
    host.stopTask(0, StopCause.Preempted); // 1st failure since success: 10 s
    host.advanceTo(20 * S);
    host.startOn(0, 0);
    host.advanceTo(25 * S);
    host.stopTask(1, StopCause.Finished); // a success
    host.advanceTo(30 * S);
    host.stopTask(0, StopCause.Preempted); // 1st since the success again: 10 s, not 20
    host.advanceTo(40 * S);
    expect(host.enqueued.map((e) => [e.task, e.time / S])).toEqual([[0, 0], [1, 0], [0, 20], [0, 40]]);
    host.startOn(0, 0);
    host.advanceTo(90 * S);
    host.stopTask(0, StopCause.Finished);
    const out = finish(host, controllers, 1000 * S);
    expect(out.availability!.jobsSucceeded).toBe(1);
    expect(out.availability!.jobsFailed).toBe(0);
  });

  it('activeDeadlineSeconds after its start: the Job fails, its running pods terminate with their grace period, waiting ones end', () => {
    const { host, controllers } = hostWithControllers(2, [{ c: { kind: 'Job', restartPolicy: 'Never', activeDeadline: 100 * S, terminationGracePeriod: 30 * S }, pods: 2 }]);
    host.submit(0);
    host.submit(1);
    host.startOn(0, 0);
    host.startOn(1, 1);
    host.advanceTo(95 * S);
    host.stopTask(1, StopCause.Preempted); // its replacement waits 10 s, past the deadline
    host.advanceTo(100 * S);
    expect(host.log.filter((e) => e.cause === ReactionCause.JobFailed).map((e) => [e.time / S, e.task])).toEqual([[100, -1]]);
    expect(host.ended).toEqual([{ task: 1, status: 'failed', time: 100 * S }]);
    expect(host.isTerminating(0)).toBe(true);
    expect(host.tasks.status[0]).toBe(TaskStatus.Running);
    host.advanceTo(130 * S);
    expect(host.tasks.status[0]).toBe(TaskStatus.Failed);
    expect(host.tasks.end[0]).toBe(130 * S);
    // Nothing recreated after the deadline.
    expect(host.enqueued).toHaveLength(2);
    expect(finish(host, controllers, 1000 * S).availability!.jobsFailed).toBe(1);
  });

  it('OnFailure: in-place restarts of its active pods count toward backoffLimit; under Never they do not', () => {
    for (const restartPolicy of ['OnFailure', 'Never'] as const) {
      const { host, controllers } = hostWithControllers(2, [{ c: { kind: 'Job', restartPolicy, backoffLimit: 2 }, pods: 2 }]);
      host.submit(0);
      host.submit(1);
      host.startOn(0, 0);
      host.startOn(1, 1);
      // The kubelet restarts pod 0's container twice in place (each restart is an attempt).
      host.tasks.attempts[0] += 2;
      host.advanceTo(30 * S);
      host.stopTask(1, StopCause.Finished); // a pod event of the Job: restarts 2 ≥ backoffLimit 2
      host.advanceTo(200 * S);
      const out = finish(host, controllers, 200 * S);
      if (restartPolicy === 'OnFailure') {
        expect(out.availability!.jobsFailed).toBe(1);
        expect(host.tasks.status[0]).toBe(TaskStatus.Failed);
        expect(host.tasks.end[0]).toBe(60 * S); // 30 s + its 30-s grace
      } else {
        expect(out.availability!.jobsFailed).toBe(0);
        expect(host.tasks.status[0]).toBe(TaskStatus.Running);
      }
    }
  });

  it('OnFailure: an evicted pod is a failed pod as under Never, replaced after the back-off', () => {
    const { host } = hostWithControllers(1, [{ c: { kind: 'Job', restartPolicy: 'OnFailure', backoffLimit: 1 }, pods: 1 }]);
    host.submit(0);
    host.startOn(0, 0);
    host.advanceTo(10 * S);
    host.stopTask(0, StopCause.NodeLost);
    host.advanceTo(20 * S);
    expect(host.enqueued.at(-1)).toEqual({ task: 0, time: 20 * S });
    host.startOn(0, 0);
    host.stopTask(0, StopCause.NodeLost); // failure 2 > 1
    expect(host.tasks.status[0]).toBe(TaskStatus.Failed);
  });

  it('CronJob runs are Jobs: one succeeds, one fails, counted apart', () => {
    const { host, controllers } = hostWithControllers(2, [
      { c: { kind: 'CronJob', name: 'default/backup@2026-01-01T00:00:00Z', backoffLimit: 0, restartPolicy: 'Never' }, pods: 1 },
      { c: { kind: 'CronJob', name: 'default/backup@2026-01-01T01:00:00Z', backoffLimit: 0, restartPolicy: 'Never' }, pods: 1 },
    ]);
    host.submit(0);
    host.submit(1);
    host.startOn(0, 0);
    host.startOn(1, 1);
    host.advanceTo(10 * S);
    host.stopTask(0, StopCause.Finished);
    host.stopTask(1, StopCause.OomKilled);
    const out = finish(host, controllers, 100 * S);
    expect([out.availability!.jobsSucceeded, out.availability!.jobsFailed]).toEqual([1, 1]);
    expect(out.availability!.byKind.map((k) => [k.kind, k.name])).toEqual([['CronJob', '2 workloads']]);
  });
});
