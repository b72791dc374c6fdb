import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readKubernetesManifests, type KubernetesReadOptions } from '../workloads/kubernetes/reader.js';
import { replay } from '../harness/replay.js';
import { firstFit } from '../algorithms/classic/first-fit.js';
import { kubeFramework } from '../algorithms/kubernetes/policies.js';
import { TaskStatus } from '../model/task-status.js';
import type { MachineSpec } from '../model/machine.js';
import type { Workload } from '../model/workload.js';
import { GiB } from '../model/units.js';
import { PRICING } from './helpers/tiny-workload.js';

/**
 * Workload.daemonPodsFor from manifests: the DaemonSet controller's pods for a node that joins
 * after the start (pkg/controller/daemon), with their jobs, constraints, controllers and budgets
 * appended to the workload; and the reader's timed workloads (nodes joining, CronJob runs)
 * replayed end to end by the simulator.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'schedlab-k8s-ds-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const S = 1e6;
const SHAPE: KubernetesReadOptions = { nodes: 1, nodeShape: { cpuMillicores: 4000, memoryBytes: 16 * GiB }, instanceType: 'm5.xlarge' };

let n = 0;
async function read(yaml: string, options: KubernetesReadOptions = SHAPE): Promise<Workload> {
  const file = path.join(dir, `d${n++}.yaml`);
  writeFileSync(file, yaml);
  return readKubernetesManifests(file, options);
}

const daemonSet = (name: string, podSpec: string, annotations = '') => `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ${name}, namespace: infra${annotations}}
spec:
  template:
    metadata: {labels: {app: ${name}}}
    spec:
${podSpec}      containers: [{name: c, image: agent, resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {cpu: 200m}}}]
---
`;
const manifests =
  daemonSet('gpu-agent', '      nodeSelector: {pool: gpu}\n') +
  daemonSet('logs', '      priorityClassName: system-node-critical\n', ', annotations: {schedlab.io/duration-seconds: "50"}') +
  `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: logs, namespace: infra}
spec:
  maxUnavailable: 1
  selector: {matchLabels: {app: logs}}
---
`;

const node = (id: string, labels: Record<string, string>): MachineSpec => ({ id, capacity: [4000, 16 * GiB, 0, 110], labels: { 'kubernetes.io/hostname': id, ...labels } });

describe('daemonPodsFor: the DaemonSet pods a joining node wants', async () => {
  const w = await read(manifests);
  const before = w.jobs.length;

  it('at the start only the DaemonSet without a node selector runs on the generated node', () => {
    expect(w.jobs).toEqual(['DaemonSet/infra/logs@node-0']);
    expect(w.disruptionBudgets?.[0].jobs).toEqual([0]);
  });

  it('a node with the selected label gets both daemon pods, pinned to it, with their controllers; the budget follows', () => {
    const b = w.daemonPodsFor!(node('gpu-0', { pool: 'gpu' }), 120 * S)!;
    expect(b.count).toBe(2);
    expect(Array.from(b.job)).toEqual([before, before + 1]);
    expect(w.jobs.slice(before)).toEqual(['DaemonSet/infra/gpu-agent@gpu-0', 'DaemonSet/infra/logs@gpu-0']);
    expect(Array.from(b.submitTime)).toEqual([120 * S, 120 * S]);
    expect(Array.from(b.duration)).toEqual([NaN, 50 * S]);
    expect(Array.from(b.priority)).toEqual([0, 2_000_001_000]);
    expect(Array.from(b.request.subarray(0, 4))).toEqual([100, 64 * 1024 ** 2, 0, 1]);
    expect(Array.from(b.limit.subarray(0, 2))).toEqual([200, NaN]);
    expect(w.jobConstraints?.[before]).toMatchObject({ nodeName: 'gpu-0', nodeSelector: { pool: 'gpu' }, namespace: 'infra', labels: { app: 'gpu-agent' } });
    expect(w.controllers?.[before + 1]).toMatchObject({ kind: 'DaemonSet', name: 'infra/logs', desired: 1 });
    expect(w.users[b.user[0]]).toBe('infra');
    expect(w.disruptionBudgets?.[0].jobs).toEqual([0, before + 1]);
  });

  it('a node no DaemonSet wants gets nothing; a tainted node only what tolerates its taint', () => {
    const jobs = w.jobs.length;
    const tainted: MachineSpec = { ...node('tainted', { pool: 'gpu' }), taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] };
    expect(w.daemonPodsFor!(tainted, 130 * S)).toBeUndefined();
    expect(w.jobs.length).toBe(jobs);
    const plain = w.daemonPodsFor!(node('cpu-1', {}), 140 * S)!;
    expect(plain.count).toBe(1);
    expect(w.jobs[plain.job[0]]).toBe('DaemonSet/infra/logs@cpu-1');
  });

  it('a DaemonSet whose pods admission rejects makes none, and each attempt is counted', async () => {
    const limited = await read(
      `apiVersion: v1\nkind: LimitRange\nmetadata: {name: small, namespace: infra}\nspec:\n  limits:\n  - type: Container\n    max: {cpu: 150m}\n---\n` + daemonSet('big', ''),
      { ...SHAPE, nodes: 2 },
    );
    const reason = 'LimitRange infra/small: maximum cpu usage per Container is 150m, but limit is 200m';
    expect(limited.jobs).toEqual([]);
    expect(limited.admissionRejections).toEqual({ [reason]: 2 });
    expect(limited.daemonPodsFor!(node('late', {}), 10 * S)).toBeUndefined();
    expect(limited.admissionRejections).toEqual({ [reason]: 3 });
  });

  it('without DaemonSets there is no daemonPodsFor', async () => {
    const none = await read('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: x}]\n');
    expect(none.daemonPodsFor).toBeUndefined();
  });
});

describe('replayed by the simulator', () => {
  // A reaction that does nothing turns the simulator's reactions on (nodes join with their daemons).
  const reactions = () => ({ list: [{ name: 'none' }], settings: {} });

  it('a node joining at 100 s gets its DaemonSet pods, started there at 100 s (a policy that honours nodeName)', async () => {
    const w = await read(manifests, { ...SHAPE, horizonSeconds: 600 });
    w.machineEvents.push({ time: 100 * S, kind: 'add', machine: node('gpu-0', { pool: 'gpu' }) });
    const { result } = await replay({ workload: w, policy: kubeFramework, seed: 1, pricing: PRICING, reactions });
    const t = result.tasks;
    const started = [];
    for (let i = 0; i < t.count; i++) {
      started.push([w.jobs[t.job[i]], t.start[i] / S, result.cluster.specs[t.node[i]].id, t.status[i]]);
    }
    expect(started).toEqual([
      ['DaemonSet/infra/logs@node-0', 0, 'node-0', TaskStatus.Finished],
      ['DaemonSet/infra/gpu-agent@gpu-0', 100, 'gpu-0', TaskStatus.Running],
      ['DaemonSet/infra/logs@gpu-0', 100, 'gpu-0', TaskStatus.Finished],
    ]);
    expect(t.end[2] / S).toBe(150);
  });

  it('CronJob runs arrive at their times; under Replace each run kills the one before', async () => {
    const cron = `apiVersion: batch/v1
kind: CronJob
metadata: {name: sync, namespace: ops}
spec:
  schedule: "*/10 * * * *"
  concurrencyPolicy: Replace
  jobTemplate:
    spec:
      template:
        metadata: {annotations: {schedlab.io/duration-seconds: "900"}}
        spec:
          restartPolicy: OnFailure
          containers: [{name: c, image: sync, resources: {requests: {cpu: 500m}}}]
`;
    const w = await read(cron, { ...SHAPE, horizonSeconds: 3600 });
    const { result } = await replay({ workload: w, policy: firstFit, seed: 1, pricing: PRICING });
    const t = result.tasks;
    const rows = [];
    for (let i = 0; i < t.count; i++) rows.push([w.jobs[t.job[i]].slice(-9, -1), t.start[i] / S, t.end[i] / S, t.status[i]]);
    expect(rows).toEqual([
      ['00:10:00', 600, 1200, TaskStatus.Killed],
      ['00:20:00', 1200, 1800, TaskStatus.Killed],
      ['00:30:00', 1800, 2400, TaskStatus.Killed],
      ['00:40:00', 2400, 3000, TaskStatus.Killed],
      ['00:50:00', 3000, NaN, TaskStatus.Running],
    ]);
  });
});
