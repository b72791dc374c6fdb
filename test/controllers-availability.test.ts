import { describe, expect, it } from 'vitest';
import { AvailabilityTracker } from '../harness/controllers/availability-tracker.js';
import { StepSamples } from '../harness/controllers/availability-samples.js';
import { KindCode } from '../harness/controllers/controller-kinds.js';
import type { JobController } from '../model/workload-controllers.js';

const S = 1e6;

function ctrl(name: string, kind: JobController['kind'], desired: number): JobController {
  return { name, namespace: 'default', kind, desired, restartPolicy: 'Always', terminationGracePeriod: 30 * S, preemptionPolicy: 'PreemptLowerPriority' };
}

describe('availability per workload', () => {
  it('integrates min(ready, desired)/desired over a hand-computed timeline', () => {
    const a = new AvailabilityTracker(true);
    a.register(0, ctrl('default/web', 'Deployment', 2), KindCode.Deployment, 0);
    a.arrive(0, 0);
    a.arrive(0, 0);
    a.readyUp(0, 0); // 1 of 2 on [0, 20)
    a.readyUp(0, 20 * S); // 2 of 2 on [20, 50)
    a.readyDown(0, 50 * S); // 1 of 2 on [50, 80)
    a.readyUp(0, 80 * S); // 2 of 2 on [80, 100)
    const r = a.report(100 * S, 0, 0);
    const w = r.workloads[0];
    expect(w.meanAvailability).toBeCloseTo((20 * 0.5 + 30 + 30 * 0.5 + 20) / 100, 12);
    expect(w.minAvailability).toBe(0.5);
    expect(w.degradedSeconds).toBeCloseTo(50, 9);
    expect(w.desired).toBe(2);
    // Samples on the 60-s grid, on change: the state at 0 (end of that instant), at 60, at the horizon.
    expect(Array.from(r.sampleTimes).map((t) => t / S)).toEqual([0, 60, 100]);
    expect(Array.from(r.ready)).toEqual([1, 1, 2]);
    expect(Array.from(r.desiredNow)).toEqual([2, 2, 2]);
    expect(r.byKind.map((k) => k.kind)).toEqual(['Deployment']);
    expect(Array.from(r.kindReady)).toEqual([1, 1, 2]);
    expect(Array.from(r.kindDesired)).toEqual([2, 2, 2]);
    expect(r.samplePeriodSeconds).toBe(60);
  });

  it('counts only the time the workload wants pods: a completed pod is no longer desired, more ready than desired is 1', () => {
    const a = new AvailabilityTracker(true);
    a.register(0, ctrl('default/batch', 'Job', 2), KindCode.Job, 0);
    a.arrive(0, 0);
    a.arrive(0, 0);
    a.readyUp(0, 0);
    a.readyUp(0, 0);
    a.readyDown(0, 40 * S);
    a.complete(0, 40 * S); // one pod done at 40 s: desired 1, ready 1
    a.readyDown(0, 70 * S);
    a.complete(0, 70 * S); // the Job is done at 70 s
    const w = a.report(1000 * S, 1, 0).workloads[0];
    expect(w.meanAvailability).toBe(1);
    expect(w.degradedSeconds).toBe(0);
    // A Borg job whose second task arrives late: not unavailable before it exists.
    const b = new AvailabilityTracker(true);
    b.register(3, ctrl('6251812952', 'BorgJob', 2), KindCode.BorgJob, 0);
    b.arrive(3, 0);
    b.readyUp(3, 0);
    b.arrive(3, 50 * S); // arrives at 50, starts at 60
    b.readyUp(3, 60 * S);
    const x = b.report(100 * S, 0, 0).workloads[0];
    expect(x.meanAvailability).toBeCloseTo((50 + 10 * 0.5 + 40) / 100, 12);
  });

  it('aggregates the jobs of one controller (a DaemonSet per node) and the workloads of a kind', () => {
    const a = new AvailabilityTracker(true);
    a.register(0, ctrl('kube-system/agent', 'DaemonSet', 1), KindCode.DaemonSet, 0);
    a.register(1, ctrl('kube-system/agent', 'DaemonSet', 1), KindCode.DaemonSet, 0);
    a.register(2, ctrl('default/api', 'Deployment', 1), KindCode.Deployment, 0);
    for (const j of [0, 1, 2]) {
      a.arrive(j, 0);
      a.readyUp(j, 0);
    }
    a.readyDown(1, 10 * S); // the agent on node 1 down 10..30 s
    a.readyUp(1, 30 * S);
    a.readyDown(2, 90 * S); // the api down for its last 10 s
    const r = a.report(100 * S, 0, 0);
    expect(r.workloads.map((w) => [w.name, w.desired])).toEqual([['kube-system/agent', 2], ['default/api', 1]]);
    expect(r.workloads[0].meanAvailability).toBeCloseTo((80 + 20 * 0.5) / 100, 12);
    expect(r.workloads[1].meanAvailability).toBeCloseTo(0.9, 12);
    const ds = r.byKind.find((k) => k.kind === 'DaemonSet')!;
    expect(ds).toMatchObject({ name: '1 workload', desired: 2 });
    expect(r.byKind.map((k) => k.kind)).toEqual(['Deployment', 'DaemonSet']);
  });

  it('lists no workload when told not to; the per-kind samples remain', () => {
    const a = new AvailabilityTracker(false);
    a.register(0, ctrl('1', 'BorgJob', 3), KindCode.BorgJob, 0);
    a.arrive(0, 0);
    a.readyUp(0, 5 * S);
    const r = a.report(100 * S, 0, 0);
    expect(r.workloads).toEqual([]);
    expect(r.ready.length).toBe(0);
    expect(r.byKind[0].meanAvailability).toBeCloseTo(95 / 100, 12);
    expect(Array.from(r.kindReady)).toEqual([0, 1]);
    expect(Array.from(r.sampleTimes).map((t) => t / S)).toEqual([0, 60]);
  });
});

describe('the sample grid', () => {
  it('keeps a row per changed grid step, and coarsens by keeping the last row of each doubled step', () => {
    let v = 0;
    const s = new StepSamples(10, () => Int32Array.of(v), 4);
    for (const t of [1, 12, 25, 31, 47]) {
      s.beforeChange(t);
      v = t;
      s.afterChange(t);
    }
    // Rows due at 10 (v=1), 20 (12), 30 (25), 40 (31), 50 (47, written at the end): the fifth
    // cell doubles the step to 20, keeping the last row of each 20-µs step, at its own time.
    s.finish(1000);
    expect(s.period).toBe(20);
    expect(s.times).toEqual([20, 40, 50]);
    expect(s.rows.map((r) => r[0])).toEqual([12, 31, 47]);
  });
});
