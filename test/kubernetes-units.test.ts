import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readKubernetesManifests, type KubernetesReadOptions } from '../workloads/kubernetes/reader.js';
import { looksLikeKubernetes } from '../workloads/kubernetes/detect.js';
import { toleratesTaint, taintsTolerated } from '../model/toleration-matching.js';
import { matchesRequirement } from '../model/node-selector-matching.js';
import type { TaskBatch } from '../model/task-batch.js';
import type { Workload } from '../model/workload.js';
import { GiB, MiB } from '../model/units.js';

const dir = mkdtempSync(path.join(tmpdir(), 'schedlab-k8s-units-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const S = 1e6;
const SHAPE: KubernetesReadOptions = { nodes: 3, nodeShape: { cpuMillicores: 4000, memoryBytes: 16 * GiB }, instanceType: 'm5.xlarge' };

let n = 0;
async function read(yaml: string, options: KubernetesReadOptions = SHAPE): Promise<Workload> {
  const file = path.join(dir, `u${n++}.yaml`);
  writeFileSync(file, yaml);
  return readKubernetesManifests(file, options);
}

async function tasks(w: Workload) {
  const out: Array<{ job: string; submit: number; duration: number; request: number[]; limit: number[]; priority: number }> = [];
  const D = w.resources.names.length;
  for await (const b of w.taskBatches() as AsyncIterable<TaskBatch>) {
    for (let i = 0; i < b.count; i++) {
      out.push({
        job: w.jobs[b.job[i]],
        submit: b.submitTime[i],
        duration: b.duration[i],
        request: Array.from(b.request.subarray(i * D, i * D + D)),
        limit: Array.from(b.limit.subarray(i * D, i * D + D)),
        priority: b.priority[i],
      });
    }
  }
  return out;
}

const pod = (name: string, spec: string, meta = '') => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}${meta}\nspec:\n${spec}\n---\n`;

describe('looksLikeKubernetes', () => {
  it.each([
    ['apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n', true],
    ['# comment\n---\napiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Node\n', true],
    ['{\n  "apiVersion": "v1",\n  "kind": "List",\n  "items": []\n}', true],
    ['{"kind": "Pod", "apiVersion": "v1"}', true],
    ['0,,3418309,0,4155527081,0,70s3v5qRyCO/1PCdI6fVXnrW8FU/w+5CKRSa72xgcIo=,3,9,,,,\n', false],
    ['replicaCount: 3\nimage: nginx\n', false],
    ['kind: Pod\n', false],
    ['{"name": "x", "kind": "thing"}', false],
  ])('%j → %s', (text, expected) => {
    expect(looksLikeKubernetes(text)).toBe(expected);
  });
});

describe('taints and tolerations (DaemonSet eligibility)', () => {
  const taint = { key: 'gpu', value: 'yes', effect: 'NoSchedule' as const };
  it.each([
    [{ key: 'gpu', operator: 'Exists' as const }, true],
    [{ key: 'gpu', value: 'yes' }, true],
    [{ key: 'gpu', operator: 'Equal' as const, value: 'no' }, false],
    [{ key: 'gpu', operator: 'Exists' as const, effect: 'NoExecute' as const }, false],
    [{ operator: 'Exists' as const }, true],
    [{ key: 'other', operator: 'Exists' as const }, false],
    [{ operator: 'Equal' as const, value: 'yes' }, false],
  ])('%j tolerates gpu=yes:NoSchedule: %s', (t, expected) => {
    expect(toleratesTaint(t, taint)).toBe(expected);
  });
  it('PreferNoSchedule never blocks; Gt compares integers', () => {
    expect(taintsTolerated([{ key: 'a', effect: 'PreferNoSchedule' }], undefined)).toBe(true);
    expect(taintsTolerated([{ key: 'a', effect: 'NoExecute' }], [])).toBe(false);
    expect(matchesRequirement({ cores: '16' }, { key: 'cores', operator: 'Gt', values: ['8'] })).toBe(true);
    expect(matchesRequirement({ cores: '4' }, { key: 'cores', operator: 'Gt', values: ['8'] })).toBe(false);
    expect(matchesRequirement({}, { key: 'cores', operator: 'NotIn', values: ['8'] })).toBe(true);
  });
});

describe('pod requests, limits and QoS edge cases', () => {
  it('sidecars run beside the app; a plain init container beside the sidecars started before it; overhead adds', async () => {
    const w = await read(
      pod(
        'p',
        `  overhead: {cpu: 250m, memory: 100Mi}
  initContainers:
  - {name: proxy, restartPolicy: Always, resources: {requests: {cpu: 200m, memory: 64Mi}}}
  - {name: setup, resources: {requests: {cpu: "3", memory: 128Mi}}}
  containers:
  - {name: a, resources: {requests: {cpu: 500m, memory: 1Gi}, limits: {cpu: "1", memory: 1Gi}}}
  - {name: b, resources: {requests: {cpu: 500m, memory: 1Gi}, limits: {cpu: "1", memory: 1Gi}}}`,
      ),
    );
    const [t] = await tasks(w);
    // CPU: long-running 0.5 + 0.5 + 0.2 sidecar = 1.2; setup needs 3 + 0.2 = 3.2 → 3.2, + 0.25 overhead.
    // Memory: 1Gi + 1Gi + 64Mi vs 128Mi + 64Mi → 2Gi + 64Mi, + 100Mi overhead.
    expect(t.request).toEqual([3450, 2 * GiB + 164 * MiB, 0, 1]);
    // The sidecar has no limit, so the pod is unbounded in CPU and memory.
    expect(t.limit).toEqual([NaN, NaN, NaN, NaN]);
    expect(w.jobConstraints![0]!.qos).toBe('Burstable');
  });

  it('a stated zero is no statement for QoS; one container without a request counts 0 beside another', async () => {
    const w = await read(
      pod('zero', '  containers:\n  - {name: a, resources: {requests: {cpu: "0", memory: "0"}}}') +
        pod('partial', '  containers:\n  - {name: a, resources: {requests: {cpu: 300m}}}\n  - {name: b}') +
        pod('guaranteed', '  containers:\n  - {name: a, resources: {limits: {cpu: 0.1, memory: 64Mi}}}\n  - {name: b, resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {cpu: 100m, memory: 64Mi}}}'),
    );
    const ts = await tasks(w);
    expect(w.jobConstraints!.map((c) => c!.qos)).toEqual(['BestEffort', 'Burstable', 'Guaranteed']);
    expect(ts[0].request).toEqual([0, 0, 0, 1]); // stated zeros are known zeros, not missing
    expect(ts[1].request).toEqual([300, NaN, 0, 1]); // memory stated by nobody: missing
    expect(ts[2].request).toEqual([200, 128 * MiB, 0, 1]);
    expect(w.notes.join('\n')).toContain('pods stating a request for only some containers (the others count 0, as in Kubernetes): CPU 1, memory 0');
  });
});

describe('controllers, times and options', () => {
  it('generates nodes from the options and runs a DaemonSet on each node its selector matches', async () => {
    const w = await read(
      `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ds, namespace: infra}
spec:
  template:
    spec:
      nodeSelector: {role: worker}
      containers: [{name: c, resources: {requests: {cpu: 50m}}}]
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: only-zone-b}
spec:
  template:
    spec:
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
            - matchExpressions: [{key: zone, operator: In, values: [b]}]
      containers: [{name: c}]
`,
      { ...SHAPE, nodeShape: { cpuMillicores: 2000, memoryBytes: 8 * GiB, gpus: 1, labels: { role: 'worker' }, maxPods: 30 } },
    );
    expect(w.machines.map((m) => m.id)).toEqual(['node-0', 'node-1', 'node-2']);
    expect(w.machines[1]).toMatchObject({
      capacity: [2000, 8 * GiB, 1000, 30],
      instanceType: 'm5.xlarge',
      gpuDevices: 1,
      labels: { role: 'worker', 'kubernetes.io/hostname': 'node-1', 'node.kubernetes.io/instance-type': 'm5.xlarge' },
    });
    expect(w.jobs).toEqual(['DaemonSet/infra/ds@node-0', 'DaemonSet/infra/ds@node-1', 'DaemonSet/infra/ds@node-2']);
    expect(w.notes.join('\n')).toContain('DaemonSet default/only-zone-b: 0 of 3 nodes eligible');
  });

  it('Job variants: work queue, suspended, option run time, pod deadline; and spaced arrivals', async () => {
    const job = (name: string, spec: string, podSpec = '') => `apiVersion: batch/v1
kind: Job
metadata: {name: ${name}}
spec:
${spec}
  template:
    spec:
      restartPolicy: Never${podSpec}
      containers: [{name: c, resources: {requests: {cpu: 1}}}]
---
`;
    const yaml =
      job('queue', '  parallelism: 3') +
      job('paused', '  suspend: true\n  completions: 4') +
      job('deadline', '  completions: 1', '\n      activeDeadlineSeconds: 60') +
      pod('svc', '  containers: [{name: c}]');
    const w = await read(yaml, { ...SHAPE, jobDurationSeconds: 120, arrival: { interarrivalSeconds: 10 } });
    const ts = await tasks(w);
    expect(ts.map((t) => t.job)).toEqual(['Job/default/queue', 'Job/default/queue', 'Job/default/queue', 'Job/default/deadline', 'Pod/default/svc']);
    expect(ts.map((t) => t.duration)).toEqual([120 * S, 120 * S, 120 * S, 60 * S, NaN]);
    expect(ts.map((t) => t.submit)).toEqual([0, 10 * S, 20 * S, 30 * S, 40 * S]);
    const notes = w.notes.join('\n');
    expect(notes).toContain('Job default/paused: suspended: no pods');
    expect(notes).toContain('1 pod capped by spec.activeDeadlineSeconds');

    const perObject = await read(yaml, { ...SHAPE, arrival: { interarrivalSeconds: 10, per: 'object' } });
    expect((await tasks(perObject)).map((t) => t.submit)).toEqual([0, 0, 0, 10 * S, 20 * S]);
    // Without the option, Job pods run forever unless annotated.
    expect((await tasks(await read(yaml))).map((t) => t.duration)).toEqual([NaN, NaN, NaN, 60 * S, NaN]);
  });

  it('a live dump: owned objects, finished pods and past nodeNames are handled', async () => {
    const yaml = `apiVersion: v1
kind: List
items:
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: web, namespace: shop}
  spec:
    replicas: 2
    template:
      spec:
        containers: [{name: c, resources: {requests: {cpu: 100m}}}]
- apiVersion: apps/v1
  kind: ReplicaSet
  metadata:
    name: web-5d9f
    namespace: shop
    ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, controller: true}]
  spec:
    replicas: 2
    template:
      spec:
        containers: [{name: c, resources: {requests: {cpu: 100m}}}]
- apiVersion: v1
  kind: Pod
  metadata:
    name: web-5d9f-abcde
    namespace: shop
    ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-5d9f, controller: true}]
  spec:
    nodeName: node-0
    containers: [{name: c, resources: {requests: {cpu: 100m}}}]
  status: {phase: Running}
- apiVersion: v1
  kind: Pod
  metadata: {name: done, namespace: shop}
  spec:
    containers: [{name: c}]
  status: {phase: Succeeded}
- apiVersion: v1
  kind: Pod
  metadata: {name: lone, namespace: shop}
  spec:
    nodeName: node-1
    priority: 0
    containers: [{name: c, resources: {requests: {cpu: 100m}}}]
  status: {phase: Running}
`;
    const w = await read(yaml);
    expect(w.jobs).toEqual(['Deployment/shop/web', 'Pod/shop/lone']);
    expect(w.expectedTasks).toBe(3);
    expect(w.jobConstraints![1]!.nodeName).toBeUndefined();
    const notes = w.notes.join('\n');
    expect(notes).toContain('2 objects left out because their controlling owner is also in the input');
    expect(notes).toContain('1 pod in phase Succeeded/Failed left out');
    expect(notes).toContain('1 live pod had spec.nodeName from a past scheduling decision');
    const kept = await read(yaml, { ...SHAPE, keepBoundNodeNames: true });
    expect(kept.jobConstraints![1]!.nodeName).toBe('node-1');
  });

  it('host ports: hostNetwork exposes container ports, UDP ones kept with their protocol; matchFields name the node', async () => {
    const w = await read(
      pod('net', '  hostNetwork: true\n  containers:\n  - name: c\n    ports: [{containerPort: 9100}, {containerPort: 53, protocol: UDP}]') +
        pod('aff', `  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
        - matchFields: [{key: metadata.name, operator: In, values: [node-2]}]
  containers: [{name: c}]`),
    );
    expect(w.jobConstraints![0]!.hostPorts).toEqual([{ port: 53, protocol: 'UDP' }, 9100]);
    expect(w.jobConstraints![1]!.requiredNodeAffinity).toEqual([{ matchExpressions: [], matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-2'] }] }]);
  });

  it('bad options are usage errors', async () => {
    await expect(read(pod('p', '  containers: [{name: c}]'), { ...SHAPE, nodes: 0 })).rejects.toThrow(/--nodes: expected a positive integer/);
    await expect(read(pod('p', '  containers: [{name: c}]'), { ...SHAPE, arrival: { interarrivalSeconds: -1 } })).rejects.toThrow(/interarrivalSeconds/);
    await expect(read(pod('p', '  containers: [{name: c}]'), { ...SHAPE, horizonSeconds: 0 })).rejects.toThrow(/horizonSeconds/);
  });
});
