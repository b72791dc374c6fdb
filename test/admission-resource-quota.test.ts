import { describe, expect, it } from 'vitest';
import { FakeReactionHost } from './helpers/fake-reaction-host.js';
import { admissionSetup } from '../harness/admission/admission-config.js';
import { StopCause, type Reaction } from '../harness/reactions/reaction-host.js';
import { TaskStatus } from '../model/task-status.js';
import { ReactionCause, type AdmissionReport, type ReactionsResults } from '../reports/reaction-results.js';
import type { ResourceQuotaSpec } from '../model/workload-controllers.js';
import { GiB, MiB, quotaSpec, quotaWorkload, type QuotaPod } from './fixtures/quota-workload.js';

// ResourceQuota at admission (upstream plugin/pkg/admission/resourcequota controller.go CheckRequest
// and pkg/quota/v1/evaluator/core/pods.go). Expected figures are worked out by hand from the quotas
// and the pods below, not taken from the code.

/** A fully specified Burstable pod: requests and limits of cpu and memory. */
const pod = (cpu: number, mem = 100 * MiB, extra: Partial<QuotaPod> = {}): QuotaPod => ({ cpu, mem, cpuLimit: cpu * 2, memLimit: mem * 2, ...extra });

function setup(pods: QuotaPod[], quotas: ResourceQuotaSpec[], admissionRejections?: Record<string, number>) {
  const { workload, batch } = quotaWorkload(pods, { quotas, admissionRejections });
  const reaction = admissionSetup({}, workload) as Reaction;
  expect(reaction).toBeDefined();
  const host = new FakeReactionHost(workload, [batch]);
  host.use(reaction);
  const report = (): AdmissionReport => {
    const out = { settings: {}, events: {} } as unknown as ReactionsResults;
    reaction.finish!(0, out);
    return out.admission!;
  };
  return { host, reaction, workload, report };
}

describe('ResourceQuota: usage per dimension', () => {
  it('requests.cpu: a pod that would take the namespace past its hard limit is refused with upstream’s message', () => {
    // 1500m used of 2; a 1-core pod needs 2500m > 2000m; a 500m pod fits exactly (≤).
    const { host, report } = setup([pod(1500), pod(1000), pod(500)], [quotaSpec('default', 'compute', { 'requests.cpu': 2000 })]);
    expect(host.submit(0)).toBe(true);
    expect(host.submit(1)).toBe(false);
    expect(host.submit(2)).toBe(true);
    const r = report();
    expect(r.rejectedByReason).toEqual({ 'exceeded quota: default/compute, requested: requests.cpu': 1 });
    expect(r.messages['exceeded quota: default/compute, requested: requests.cpu']).toBe(
      'exceeded quota: compute, requested: requests.cpu=1, used: requests.cpu=1500m, limited: requests.cpu=2',
    );
    expect(r.podsRejected).toBe(1);
    expect(r.waitingAtEnd).toBe(1);
    expect(host.enqueued.map((e) => e.task)).toEqual([0, 2]);
  });

  it('limits.memory counts limits, not requests', () => {
    // Limits 768Mi then 512Mi against 1Gi: 1280Mi > 1024Mi. Requests (256Mi each) are far below.
    const p = (lim: number): QuotaPod => ({ cpu: 100, mem: 256 * MiB, cpuLimit: 200, memLimit: lim });
    const { host, report } = setup([p(768 * MiB), p(512 * MiB)], [quotaSpec('default', 'mem', { 'limits.memory': GiB })]);
    expect(host.submit(0)).toBe(true);
    expect(host.submit(1)).toBe(false);
    expect(Object.values(report().messages)).toEqual(['exceeded quota: mem, requested: limits.memory=512Mi, used: limits.memory=768Mi, limited: limits.memory=1Gi']);
  });

  it('pods: the count of non-terminal pods', () => {
    const { host, report } = setup([pod(100), pod(100), pod(100)], [quotaSpec('default', 'count', { pods: 2 })]);
    expect([host.submit(0), host.submit(1), host.submit(2)]).toEqual([true, true, false]);
    expect(Object.values(report().messages)).toEqual(['exceeded quota: count, requested: pods=1, used: pods=2, limited: pods=2']);
  });

  it('names every exceeded resource, sorted as prettyPrint sorts them', () => {
    const q = quotaSpec('default', 'all', { 'requests.cpu': 1000, 'requests.memory': GiB, pods: 1, 'limits.cpu': 4000 });
    // Pod 0 takes 1 core, 1Gi and the one pod; pod 1 exceeds cpu, memory and pods but not limits.cpu (2 + 1 ≤ 4 cores).
    const { host, report } = setup([pod(1000, GiB, { cpuLimit: 2000 }), pod(500, 512 * MiB, { cpuLimit: 1000 })], [q]);
    host.submit(0);
    expect(host.submit(1)).toBe(false);
    const r = report();
    expect(Object.keys(r.rejectedByReason)).toEqual(['exceeded quota: default/all, requested: pods,requests.cpu,requests.memory']);
    expect(Object.values(r.messages)).toEqual([
      'exceeded quota: all, requested: pods=1,requests.cpu=500m,requests.memory=512Mi, used: pods=1,requests.cpu=1,requests.memory=1Gi, limited: pods=1,requests.cpu=1,requests.memory=1Gi',
    ]);
  });

  it('a resource the pod does not use is not checked, even on a full quota (zero usage is removed)', () => {
    // cpu quota full; a pod that states cpu: 0 and a memory request still gets in.
    const { host } = setup([pod(1000), { cpu: 0, mem: 10 * MiB, cpuLimit: 100, memLimit: 20 * MiB }], [quotaSpec('default', 'cpu', { 'requests.cpu': 1000 })]);
    expect(host.submit(0)).toBe(true);
    expect(host.submit(1)).toBe(true);
  });

  it('GPUs: requests.nvidia.com/gpu in devices', () => {
    const { host, report } = setup([pod(100, MiB, { gpu: 1000 }), pod(100, MiB, { gpu: 500 })], [quotaSpec('default', 'gpu', { 'requests.nvidia.com/gpu': 1000 })]);
    expect([host.submit(0), host.submit(1)]).toEqual([true, false]);
    expect(Object.values(report().messages)).toEqual(['exceeded quota: gpu, requested: requests.nvidia.com/gpu=500m, used: requests.nvidia.com/gpu=1, limited: requests.nvidia.com/gpu=1']);
  });

  it('quotas of another namespace do not apply', () => {
    const { host } = setup([pod(1000, MiB, { ns: 'team-b' }), pod(1000, MiB, { ns: 'team-a' }), pod(1000, MiB, { ns: 'team-a' })], [quotaSpec('team-a', 'q', { 'requests.cpu': 1000 })]);
    expect([host.submit(0), host.submit(1), host.submit(2)]).toEqual([true, true, false]);
  });
});

describe('ResourceQuota: missing values (Constraints)', () => {
  it('a pod without the bounded request is refused: must specify requests.cpu; it never gets in', () => {
    const { host, report } = setup([{ mem: MiB, memLimit: MiB }, pod(100)], [quotaSpec('default', 'compute', { 'requests.cpu': 4000 })]);
    expect(host.submit(0)).toBe(false);
    expect(host.submit(1)).toBe(true);
    host.startOn(1, 0);
    host.stopTask(1, StopCause.Finished);
    host.advanceTo(0);
    const r = report();
    expect(r.rejectedByReason).toEqual({ 'failed quota: default/compute: must specify requests.cpu': 1 });
    expect(r.messages['failed quota: default/compute: must specify requests.cpu']).toBe('failed quota: compute: must specify requests.cpu');
    expect(r.waitingAtEnd).toBe(1);
    expect(r.readmitted).toBe(0);
    expect(host.enqueued.map((e) => e.task)).toEqual([1]);
  });

  it('a bounded limit the pod does not state, with the request: both named, sorted', () => {
    const q = quotaSpec('default', 'both', { 'requests.cpu': 4000, 'limits.cpu': 8000 });
    const { host, report } = setup([{ mem: MiB }], [q]);
    expect(host.submit(0)).toBe(false);
    expect(Object.values(report().messages)).toEqual(['failed quota: both: must specify limits.cpu,requests.cpu']);
  });

  it('constraints of every selecting quota come before usage: a later quota’s missing request wins over an earlier quota’s exceeded pods', () => {
    const { host, report } = setup([{ mem: MiB, memLimit: MiB }], [quotaSpec('default', 'none-left', { pods: 0 }), quotaSpec('default', 'cpu', { 'requests.cpu': 1000 })]);
    expect(host.submit(0)).toBe(false);
    expect(Object.keys(report().rejectedByReason)).toEqual(['failed quota: default/cpu: must specify requests.cpu']);
  });
});

describe('ResourceQuota: scopes', () => {
  const bestEffort: QuotaPod = {};

  it('BestEffort counts only BestEffort pods; NotBestEffort only the others (and asks them for requests)', () => {
    const quotas = [quotaSpec('default', 'be', { pods: 1 }, { scopes: ['BestEffort'] }), quotaSpec('default', 'not-be', { 'requests.cpu': 1000 }, { scopes: ['NotBestEffort'] })];
    const { host, report } = setup([bestEffort, bestEffort, pod(1000), pod(100)], quotas);
    // BestEffort pods: not selected by not-be (no "must specify"), the second exceeds be's 1 pod.
    expect(host.submit(0)).toBe(true);
    expect(host.submit(1)).toBe(false);
    // Burstable pods: not counted by be; the second exceeds not-be's cpu.
    expect(host.submit(2)).toBe(true);
    expect(host.submit(3)).toBe(false);
    expect(Object.keys(report().rejectedByReason).sort()).toEqual([
      'exceeded quota: default/be, requested: pods',
      'exceeded quota: default/not-be, requested: requests.cpu',
    ]);
  });

  it('PriorityClass In: only pods of a listed class', () => {
    const q = quotaSpec('default', 'high', { pods: 1 }, { priorityClasses: { operator: 'In', values: ['high'] } });
    const { host } = setup([pod(100, MiB, { priorityClass: 'high' }), pod(100, MiB, { priorityClass: 'high' }), pod(100, MiB, { priorityClass: 'low' }), pod(100)], [q]);
    expect([host.submit(0), host.submit(1), host.submit(2), host.submit(3)]).toEqual([true, false, true, true]);
  });

  it('PriorityClass NotIn: pods of other classes and pods with no class', () => {
    const q = quotaSpec('default', 'not-high', { pods: 2 }, { priorityClasses: { operator: 'NotIn', values: ['high'] } });
    const { host } = setup([pod(100, MiB, { priorityClass: 'low' }), pod(100), pod(100, MiB, { priorityClass: 'high' }), pod(100, MiB, { priorityClass: 'low' })], [q]);
    // low and no-class take the 2 pods; high is not selected; the second low is over.
    expect([host.submit(0), host.submit(1), host.submit(2), host.submit(3)]).toEqual([true, true, true, false]);
  });

  it('PriorityClass Exists and DoesNotExist', () => {
    const exists = quotaSpec('default', 'any-class', { pods: 0 }, { priorityClasses: { operator: 'Exists', values: [] } });
    const none = quotaSpec('other', 'no-class', { pods: 0 }, { priorityClasses: { operator: 'DoesNotExist', values: [] } });
    const { host } = setup([pod(100, MiB, { priorityClass: 'x' }), pod(100), pod(100, MiB, { ns: 'other', priorityClass: 'x' }), pod(100, MiB, { ns: 'other' })], [exists, none]);
    expect([host.submit(0), host.submit(1), host.submit(2), host.submit(3)]).toEqual([false, true, true, false]);
  });

  it('Terminating: pods with an active deadline (a Job’s); NotTerminating: the others', () => {
    const quotas = [quotaSpec('default', 'term', { pods: 1 }, { scopes: ['Terminating'] }), quotaSpec('default', 'long', { pods: 1 }, { scopes: ['NotTerminating'] })];
    const job = (): QuotaPod => pod(100, MiB, { kind: 'Job', activeDeadline: 600e6 });
    const { host } = setup([job(), job(), pod(100), pod(100)], quotas);
    expect([host.submit(0), host.submit(1), host.submit(2), host.submit(3)]).toEqual([true, false, true, false]);
  });
});

describe('ResourceQuota: release and retry', () => {
  it('a finished pod releases its usage and the waiting pod is admitted at that instant', () => {
    const { host, report } = setup([pod(1000), pod(1000)], [quotaSpec('default', 'cpu', { 'requests.cpu': 1000 })]);
    host.submit(0);
    host.startOn(0, 0);
    expect(host.submit(1)).toBe(false);
    host.advanceTo(5e6);
    host.stopTask(0, StopCause.Finished);
    expect(host.enqueued.map((e) => e.task)).toEqual([0]);
    host.advanceTo(5e6);
    expect(host.enqueued).toEqual([
      { task: 0, time: 0 },
      { task: 1, time: 5e6 },
    ]);
    const r = report();
    expect(r.readmitted).toBe(1);
    expect(r.waitingAtEnd).toBe(0);
    expect(r.podsRejected).toBe(1);
  });

  it('a failed pod (OOM-killed, restartPolicy Never) and an evicted pod release their usage', () => {
    const { host } = setup([pod(1000), pod(1000), pod(1000)], [quotaSpec('default', 'cpu', { 'requests.cpu': 1000 })]);
    host.submit(0);
    host.startOn(0, 0);
    host.submit(1);
    host.stopTask(0, StopCause.OomKilled);
    expect(host.tasks.status[0]).toBe(TaskStatus.Failed);
    host.advanceTo(0);
    expect(host.enqueued.map((e) => e.task)).toEqual([0, 1]);
    host.startOn(1, 0);
    host.submit(2);
    host.stopTask(1, StopCause.Preempted);
    expect(host.tasks.status[1]).toBe(TaskStatus.Evicted);
    host.advanceTo(0);
    expect(host.enqueued.map((e) => e.task)).toEqual([0, 1, 2]);
    // The evicted pod's new pod must pass admission again: the quota is now full.
    expect(host.recreate(1)).toBe(false);
  });

  it('a pending pod killed by its source releases its usage', () => {
    const { host } = setup([pod(1000), pod(1000)], [quotaSpec('default', 'cpu', { 'requests.cpu': 1000 })]);
    host.submit(0);
    host.submit(1);
    host.endForGood(0, 'failed');
    host.advanceTo(0);
    expect(host.enqueued.map((e) => e.task)).toEqual([0, 1]);
  });

  it('waiting pods are retried in refusal order; each one that fits gets in', () => {
    // 3 cores, all held by pod 0. Refused in order: 1 (2 cores), 2 (1.5), 3 (0.5), 4 (1).
    // Pod 0 ends: 1 gets in (2 used), 2 does not (3.5 > 3), 3 does (2.5), 4 does not (3.5).
    const { host, report } = setup([pod(3000), pod(2000), pod(1500), pod(500), pod(1000)], [quotaSpec('default', 'cpu', { 'requests.cpu': 3000 })]);
    host.submit(0);
    host.startOn(0, 0);
    expect([1, 2, 3, 4].map((t) => host.submit(t))).toEqual([false, false, false, false]);
    host.stopTask(0, StopCause.Finished);
    host.advanceTo(0);
    expect(host.enqueued.map((e) => e.task)).toEqual([0, 1, 3]);
    const r = report();
    expect(r.readmitted).toBe(2);
    expect(r.waitingAtEnd).toBe(2);
    expect(r.podsRejected).toBe(4);
  });

  it('order holds across pods of different quota sets in one namespace', () => {
    // ns-wide pods: 1 and a BestEffort-only quota: BestEffort and Burstable pods wait in different groups.
    const quotas = [quotaSpec('default', 'one-pod', { pods: 1 }), quotaSpec('default', 'be', { pods: 5 }, { scopes: ['BestEffort'] })];
    const { host } = setup([pod(100), {}, pod(100), {}], quotas);
    host.submit(0);
    host.startOn(0, 0);
    host.submit(1); // BestEffort, refused first
    host.submit(2); // Burstable
    host.submit(3); // BestEffort
    host.stopTask(0, StopCause.Finished);
    host.advanceTo(0);
    expect(host.enqueued.map((e) => e.task)).toEqual([0, 1]);
    host.startOn(1, 0);
    host.stopTask(1, StopCause.Finished);
    host.advanceTo(0);
    expect(host.enqueued.map((e) => e.task)).toEqual([0, 1, 2]);
  });

  it('a refusal is counted and logged once per pod, not per retry; a pod made again is a new pod', () => {
    const { host, report } = setup([pod(1000), pod(1000), pod(600), pod(300)], [quotaSpec('default', 'cpu', { 'requests.cpu': 1000 })]);
    host.submit(0);
    host.startOn(0, 0);
    host.submit(1);
    host.submit(2);
    host.submit(3);
    expect(host.enqueued.map((e) => e.task)).toEqual([0]);
    // Pod 0 ends: 1 gets in, 2 and 3 are retried and refused again (not counted again).
    host.stopTask(0, StopCause.Finished);
    host.advanceTo(0);
    expect(host.enqueued.map((e) => e.task)).toEqual([0, 1]);
    let r = report();
    expect(r.podsRejected).toBe(3);
    expect(host.log.filter((e) => e.cause === ReactionCause.AdmissionRejected).map((e) => e.task)).toEqual([1, 2, 3]);
    // Pod 1 is evicted: 2 then 3 fit (0.6 + 0.3); pod 1 made again is refused as a new pod.
    host.startOn(1, 0);
    host.stopTask(1, StopCause.EvictedByKubelet);
    host.advanceTo(0);
    expect(host.enqueued.map((e) => e.task)).toEqual([0, 1, 2, 3]);
    expect(host.recreate(1)).toBe(false);
    r = report();
    expect(r.podsRejected).toBe(4);
    expect(r.readmitted).toBe(3);
    expect(r.waitingAtEnd).toBe(1);
  });

  it('a bare Pod is rejected for good: status Rejected, never retried', () => {
    const { host, report } = setup([pod(1000), pod(1000, MiB, { kind: 'Pod' })], [quotaSpec('default', 'cpu', { 'requests.cpu': 1000 })]);
    host.submit(0);
    host.startOn(0, 0);
    expect(host.submit(1)).toBe(false);
    expect(host.ended).toEqual([{ task: 1, status: 'rejected', time: 0 }]);
    expect(host.tasks.status[1]).toBe(TaskStatus.Rejected);
    host.stopTask(0, StopCause.Finished);
    host.advanceTo(0);
    expect(host.enqueued.map((e) => e.task)).toEqual([0]);
    const r = report();
    expect(r.rejectedForGood).toBe(1);
    expect(r.waitingAtEnd).toBe(0);
    expect(r.podsRejected).toBe(1);
  });

  it('a pod that started without passing admission is charged when it starts', () => {
    const { host } = setup([pod(1000), pod(1000)], [quotaSpec('default', 'cpu', { 'requests.cpu': 1000 })]);
    host.enqueue(0);
    host.startOn(0, 0);
    expect(host.submit(1)).toBe(false);
  });
});

describe('ResourceQuota: the report', () => {
  it('folds the reader’s LimitRange rejections into the counts', () => {
    const lr = { 'LimitRange default/limits: maximum cpu usage per Container is 2': 3 };
    const { host, report } = setup([pod(1000), pod(1000)], [quotaSpec('default', 'cpu', { 'requests.cpu': 1000 })], lr);
    host.submit(0);
    host.submit(1);
    const r = report();
    expect(r.rejectedByReason).toEqual({
      'LimitRange default/limits: maximum cpu usage per Container is 2': 3,
      'exceeded quota: default/cpu, requested: requests.cpu': 1,
    });
    expect(r.podsRejected).toBe(4);
  });

  it('admission is on for LimitRange rejections alone, off with neither quotas nor rejections', () => {
    const { workload } = quotaWorkload([pod(100)], { admissionRejections: { 'LimitRange x': 2 } });
    const reaction = admissionSetup({}, workload)!;
    const out = { settings: {}, events: {} } as unknown as ReactionsResults;
    reaction.finish!(0, out);
    expect(out.admission!.podsRejected).toBe(2);
    expect(admissionSetup({}, quotaWorkload([pod(100)]).workload)).toBeUndefined();
  });
});
