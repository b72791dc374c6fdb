import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runSpec } from '../harness/replay-spec.js';
import { Simulator } from '../harness/simulator.js';
import { admissionSetup } from '../harness/admission/admission-config.js';
import { AdmissionReaction } from '../harness/admission/admission-reaction.js';
import { BorgQuotaLedger } from '../harness/admission/borg-quota.js';
import { builtinPolicy } from '../algorithms/registry.js';
import { Rng } from '../model/rng.js';
import { TaskStatus } from '../model/task-status.js';
import { ReactionCause } from '../reports/reaction-results.js';
import { GiB, MiB, quotaSpec, quotaWorkload } from './fixtures/quota-workload.js';
import type { Workload } from '../model/workload.js';
import type { Reaction } from '../harness/reactions/reaction-host.js';

// Admission through the simulator: on the real microservices-demo manifests with a quota file, and
// on hand-written workloads for re-admission and Borg rejection. Expected figures are counted by
// hand from the inputs.

const here = path.dirname(fileURLToPath(import.meta.url));
const DEMO = path.join(here, '..', '..', 'shared', 'data', 'realworld', 'kubernetes', 'microservices-demo', 'release', 'kubernetes-manifests.yaml');
const demoPresent = existsSync(DEMO);
if (!demoPresent) console.warn(`admission end-to-end on real manifests skipped: ${DEMO} is absent (see ../shared/data/README.md)`);

function simulate(w: Workload, reaction: Reaction) {
  const policy = builtinPolicy('kube-default')!.create({ rng: new Rng(3) });
  return new Simulator(w, policy, { seed: 3, reactions: { list: [reaction], settings: {} } }).run();
}

describe.skipIf(!demoPresent)('ResourceQuota on microservices-demo (runSpec)', () => {
  it('one CPU in namespace default admits the Deployments in file order until the next would pass it; the rest wait', async () => {
    // Requests in file order: frontend 100m, adservice 200m, currencyservice 100m, cartservice 200m,
    // redis-cart 70m, loadgenerator 300m (970m so far); the six 100m services after it would make 1,070m.
    const out = await runSpec({
      workload: DEMO,
      seed: 1,
      nodes: 3,
      tasks: 20_000,
      hours: 1,
      instance: 'm5.2xlarge',
      policy: 'kube-default',
      reactions: { quota: 'test/fixtures/quota/microservices-cpu.yaml' },
    });
    const a = out.result.reactions!.admission!;
    const reason = 'exceeded quota: default/cpu-budget, requested: requests.cpu';
    expect(a.rejectedByReason).toEqual({ [reason]: 6 });
    expect(a.messages[reason]).toBe('exceeded quota: cpu-budget, requested: requests.cpu=100m, used: requests.cpu=970m, limited: requests.cpu=1');
    expect(a.podsRejected).toBe(6);
    expect(a.waitingAtEnd).toBe(6);
    expect(a.rejectedForGood).toBe(0);
    const t = out.result.tasks;
    const running: string[] = [];
    const waiting: string[] = [];
    for (let i = 0; i < t.count; i++) (t.status[i] === TaskStatus.Running ? running : waiting).push(out.workload.jobs[t.job[i]]);
    const names = (l: string[]) => l.map((j) => j.split('/').pop()).sort();
    expect(names(running)).toEqual(['adservice', 'cartservice', 'currencyservice', 'frontend', 'loadgenerator', 'redis-cart']);
    expect(names(waiting)).toEqual(['checkoutservice', 'emailservice', 'paymentservice', 'productcatalogservice', 'recommendationservice', 'shippingservice']);
    const log = out.result.reactions!.events;
    let refusals = 0;
    for (let i = 0; i < log.length; i++) if (log.cause[i] === ReactionCause.AdmissionRejected) refusals++;
    expect(refusals).toBe(6);
  });
});

describe('a ResourceQuota in the manifests themselves (runSpec)', () => {
  it('2 pods and 1 CPU in team-a: two replicas run, the third waits, the bare Pod is rejected for good', async () => {
    const out = await runSpec({ workload: 'test/fixtures/quota/manifests-with-quota.yaml', seed: 1, nodes: 2, tasks: 20_000, hours: 1, instance: 'm5.2xlarge', policy: 'kube-default' });
    const a = out.result.reactions!.admission!;
    // Replica 3 exceeds pods (2 + 1 > 2) and requests.cpu (800m + 400m > 1,000m); the Pod (100m) exceeds pods only.
    expect(a.rejectedByReason).toEqual({
      'exceeded quota: team-a/team-quota, requested: pods,requests.cpu': 1,
      'exceeded quota: team-a/team-quota, requested: pods': 1,
    });
    expect(a.messages['exceeded quota: team-a/team-quota, requested: pods,requests.cpu']).toBe(
      'exceeded quota: team-quota, requested: pods=1,requests.cpu=400m, used: pods=2,requests.cpu=800m, limited: pods=2,requests.cpu=1',
    );
    expect(a.waitingAtEnd).toBe(1);
    expect(a.rejectedForGood).toBe(1);
    const t = out.result.tasks;
    expect(Array.from(t.status.subarray(0, t.count))).toEqual([TaskStatus.Running, TaskStatus.Running, TaskStatus.Pending, TaskStatus.Rejected]);
  });
});

describe('admission through the simulator (hand-written workloads)', () => {
  it('a waiting pod is admitted and placed at the instant the pod holding the quota finishes; a bare pod is rejected', async () => {
    const pods = [
      { cpu: 1000, mem: 100 * MiB, cpuLimit: 1000, memLimit: 100 * MiB, duration: 60e6 },
      { cpu: 1000, mem: 100 * MiB, cpuLimit: 1000, memLimit: 100 * MiB, duration: 60e6, submit: 1e6 },
      { cpu: 1000, mem: 100 * MiB, cpuLimit: 1000, memLimit: 100 * MiB, duration: 60e6, submit: 2e6, kind: 'Pod' as const },
    ];
    const { workload } = quotaWorkload(pods, { quotas: [quotaSpec('default', 'cpu', { 'requests.cpu': 1000 })] });
    workload.horizon = 600e6;
    const r = await simulate(workload, admissionSetup({}, workload)!);
    const t = r.tasks;
    expect(t.start[0]).toBe(0);
    expect(t.start[1]).toBe(60e6);
    expect(t.status[1]).toBe(TaskStatus.Finished);
    expect(t.status[2]).toBe(TaskStatus.Rejected);
    const a = r.reactions!.admission!;
    expect(a.readmitted).toBe(1);
    expect(a.rejectedForGood).toBe(1);
    expect(a.podsRejected).toBe(2);
    expect(a.waitingAtEnd).toBe(0);
  });

  it('Borg quota rejects the task past its user’s production quota; the rest run', async () => {
    const task = (cpu: number, submit: number) => ({ user: 'alice', priority: 9, cpu, mem: GiB, submit, duration: 100e6, kind: 'BorgJob' as const });
    const { workload } = quotaWorkload([task(3000, 0), task(2000, 1e6), task(1000, 2e6)], { priorityScale: 'google-2011' });
    workload.horizon = 600e6;
    const reaction = new AdmissionReaction(workload, undefined, new BorgQuotaLedger([{ user: 'alice', band: 'production', limit: [4000, NaN, NaN, NaN] }], workload), 'test');
    const r = await simulate(workload, reaction);
    expect(Array.from(r.tasks.status.subarray(0, 3))).toEqual([TaskStatus.Finished, TaskStatus.Rejected, TaskStatus.Finished]);
    expect(r.reactions!.admission!.rejectedByReason).toEqual({ 'borg quota exceeded: alice/production: cpu': 1 });
  });
});
