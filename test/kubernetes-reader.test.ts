import { describe, expect, it, vi } from 'vitest';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { readKubernetesManifests } from '../workloads/kubernetes/reader.js';
import { looksLikeKubernetes } from '../workloads/kubernetes/detect.js';
import { detectWorkloadFormat } from '../workloads/format-registry.js';
import type { TaskBatch } from '../model/task-batch.js';
import type { Workload } from '../model/workload.js';
import { GiB, MiB } from '../model/units.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const K8S_FIXTURE = path.join(here, 'fixtures', 'kubernetes', 'cluster');
const S = 1e6;

interface Pod {
  job: string;
  index: number;
  submit: number;
  duration: number;
  kill: number;
  request: number[];
  limit: number[];
  priority: number;
  user: string;
}

async function pods(w: Workload): Promise<Pod[]> {
  const out: Pod[] = [];
  const D = w.resources.names.length;
  for await (const b of w.taskBatches() as AsyncIterable<TaskBatch>) {
    for (let i = 0; i < b.count; i++) {
      out.push({
        job: w.jobs[b.job[i]],
        index: b.taskIndex[i],
        submit: b.submitTime[i],
        duration: b.duration[i],
        kill: b.killTime?.[i] ?? NaN,
        request: Array.from(b.request.subarray(i * D, i * D + D)),
        limit: Array.from(b.limit.subarray(i * D, i * D + D)),
        priority: b.priority[i],
        user: w.users[b.user[i]],
      });
    }
  }
  return out;
}

const constraintsOf = (w: Workload, job: string) => w.jobConstraints![w.jobs.indexOf(job)]!;

describe('Kubernetes manifests reader: the fixture cluster', async () => {
  const w = await readKubernetesManifests(K8S_FIXTURE, { nodes: 99, nodeShape: { cpuMillicores: 1, memoryBytes: 1 } });
  const all = await pods(w);

  it('expands controllers into pods, in input order, all at t=0', () => {
    expect(all.map((p) => `${p.job}#${p.index}`)).toEqual([
      'Deployment/shop/web#0',
      'Deployment/shop/web#1',
      'Deployment/shop/web#2',
      'StatefulSet/shop/db#0',
      'StatefulSet/shop/db#1',
      'Deployment/shop/cache#0',
      'Deployment/shop/cache#1',
      'Job/ml/train#0',
      'Job/ml/train#1',
      'DaemonSet/kube-system/log-agent@node-a#0',
      'DaemonSet/kube-system/log-agent@node-b#1',
      'DaemonSet/kube-system/log-agent@node-gpu#2',
      'DaemonSet/kube-system/log-agent@node-cordoned#3',
      'Pod/default/debug#0',
    ]);
    expect(all.every((p) => p.submit === 0)).toBe(true);
    expect(w.expectedTasks).toBe(14);
    expect(w.resources.names).toEqual(['cpu', 'memory', 'gpu', 'pods']);
    expect(w.users).toEqual(['shop', 'ml', 'kube-system', 'default']);
    expect(all[0].user).toBe('shop');
    expect(w.horizon).toBe(3600 * S);
  });

  it('computes pod requests and limits by the Kubernetes rules', () => {
    const by = (job: string) => all.find((p) => p.job === job)!;
    // Plain requests; memory limit only for web.
    expect(by('Deployment/shop/web').request).toEqual([500, 512 * MiB, 0, 1]);
    expect(by('Deployment/shop/web').limit).toEqual([NaN, 512 * MiB, NaN, NaN]);
    // Limits-only app container (1 CPU, 2Gi) and a bigger init container (2 CPU, 1Gi):
    // effective = max(sum of app, max of init) per resource = (2 CPU, 2Gi).
    expect(by('StatefulSet/shop/db').request).toEqual([2000, 2 * GiB, 0, 1]);
    expect(by('StatefulSet/shop/db').limit).toEqual([2000, 2 * GiB, NaN, NaN]);
    // GPU from a limit alone (1 GPU = 1000 milli-GPU).
    expect(by('Job/ml/train').request).toEqual([1000, 4 * GiB, 1000, 1]);
    expect(by('Job/ml/train').limit).toEqual([NaN, 4 * GiB, 1000, NaN]);
    // No requests at all: CPU and memory missing (NaN), GPU 0, one pod.
    expect(by('Pod/default/debug').request).toEqual([NaN, NaN, 0, 1]);
  });

  it('assigns QoS classes and priorities', () => {
    expect(constraintsOf(w, 'Deployment/shop/web').qos).toBe('Burstable');
    expect(constraintsOf(w, 'StatefulSet/shop/db').qos).toBe('Guaranteed');
    expect(constraintsOf(w, 'Job/ml/train').qos).toBe('Burstable');
    expect(constraintsOf(w, 'Pod/default/debug').qos).toBe('BestEffort');
    const prio = Object.fromEntries(all.map((p) => [p.job.split('@')[0], p.priority]));
    expect(prio).toEqual({
      'Deployment/shop/web': 100, // globalDefault class "standard"
      'StatefulSet/shop/db': 1000,
      'Deployment/shop/cache': 100,
      'Job/ml/train': 1000,
      'DaemonSet/kube-system/log-agent': 2_000_001_000, // built-in system-node-critical
      'Pod/default/debug': 100,
    });
    expect(constraintsOf(w, 'Deployment/shop/web').priorityClassName).toBe('standard');
    expect(constraintsOf(w, 'Job/ml/train').priorityClassName).toBe('high');
  });

  it('turns Jobs into parallel slots with annotated run times and a kill time', () => {
    const train = all.filter((p) => p.job === 'Job/ml/train');
    // 5 completions, parallelism 2, 600 s each: slots run 3 and 2 completions back to back.
    expect(train.map((p) => p.duration)).toEqual([1800 * S, 1200 * S]);
    expect(train.map((p) => p.kill)).toEqual([3000 * S, 3000 * S]);
    expect(all.filter((p) => !p.job.startsWith('Job/')).every((p) => Number.isNaN(p.duration) && Number.isNaN(p.kill))).toBe(true);
  });

  it('keeps placement constraints per job', () => {
    const web = constraintsOf(w, 'Deployment/shop/web');
    expect(web.namespace).toBe('shop');
    expect(web.labels).toEqual({ app: 'web', tier: 'frontend' });
    expect(web.podAntiAffinity?.required).toEqual([{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' }]);
    expect(web.preferredNodeAffinity).toEqual([
      { weight: 50, preference: { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['us-east-1a'] }] } },
    ]);
    expect(web.hostPorts).toBeUndefined(); // a containerPort is not a host port
    expect(web.images).toEqual(['registry.example.com/web:1.4']);

    expect(constraintsOf(w, 'StatefulSet/shop/db').images).toEqual(['registry.example.com/migrate:2', 'postgres:16']);
    expect(constraintsOf(w, 'Job/ml/train').tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);

    const debug = constraintsOf(w, 'Pod/default/debug');
    expect(debug.namespace).toBe('default');
    expect(debug.nodeSelector).toEqual({ disktype: 'ssd' });
    expect(debug.hostPorts).toEqual([8080]);
    expect(debug.topologySpread).toEqual([
      { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'debug' } } },
    ]);

    // Daemon pods: pinned to their node, own toleration plus the DaemonSet controller's.
    const daemon = constraintsOf(w, 'DaemonSet/kube-system/log-agent@node-cordoned');
    expect(daemon.nodeName).toBe('node-cordoned');
    expect(daemon.tolerations).toContainEqual({ key: 'nvidia.com/gpu', operator: 'Exists' });
    expect(daemon.tolerations).toContainEqual({ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' });
  });

  it('reads Node objects: allocatable, labels, taints, cordon, conditions, images, GPUs', () => {
    expect(w.machines.map((m) => m.id)).toEqual(['node-a', 'node-b', 'node-gpu', 'node-cordoned']);
    const [a, , gpu, cordoned] = w.machines;
    expect(a.capacity).toEqual([4000, 16 * GiB, 0, 110]);
    expect(a.allocatable).toEqual([3800, 15 * GiB, 0, 110]);
    expect(a.labels).toMatchObject({ 'kubernetes.io/hostname': 'node-a', 'topology.kubernetes.io/zone': 'us-east-1a', disktype: 'ssd' });
    expect(a.instanceType).toBe('m5.xlarge');
    expect(a.conditions).toEqual({ memoryPressure: false, diskPressure: false, pidPressure: false });
    expect(a.images).toEqual([{ names: ['registry.example.com/web@sha256:1111', 'registry.example.com/web:1.4'], sizeBytes: 123456789 }]);
    expect(a.taints).toBeUndefined();
    expect(gpu.capacity).toEqual([8000, 32 * GiB, 4000, 110]);
    expect(gpu.gpuDevices).toBe(4);
    expect(gpu.gpuModel).toBe('Tesla-V100-SXM2-16GB');
    expect(gpu.taints).toEqual([{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }]);
    expect(gpu.instanceType).toBe('p3.8xlarge');
    expect(cordoned.unschedulable).toBe(true);
    expect(cordoned.conditions?.memoryPressure).toBe(true);
    // No hostname label in the input: the kubelet's default (the node name) is added.
    expect(cordoned.labels?.['kubernetes.io/hostname']).toBe('node-cordoned');
    // No capacity.pods: the kubelet default.
    expect(cordoned.capacity[3]).toBe(110);
  });

  it('reports counts in notes and source stats', () => {
    expect(w.sourceStats?.eventCounts).toEqual({ PriorityClass: 2, Node: 4, Deployment: 2, Service: 1, StatefulSet: 1, Job: 1, DaemonSet: 1, Pod: 1 });
    expect(w.sourceStats?.files).toBe(6);
    const text = w.notes.join('\n');
    expect(text).toContain('14 pods in 9 jobs (Deployment 5, StatefulSet 2, Job 2, DaemonSet 4, Pod 1)');
    expect(text).toContain('QoS classes: Guaranteed 2, Burstable 11, BestEffort 1');
    expect(text).toContain('1 pod without a CPU request, 1 pod without a memory request');
    expect(text).toContain('objects ignored (they make no pods here): Service 1');
    expect(text).toContain('the requested node count 99 is not used');
    expect(text).toContain('ephemeral-storage ×1');
  });

  it('gives the same tasks on every taskBatches() call, in batches of any size', async () => {
    const again = await pods(w);
    expect(again).toEqual(all);
    const small = await readKubernetesManifests(K8S_FIXTURE, { batchSize: 5 });
    let batches = 0;
    for await (const b of small.taskBatches()) {
      expect(b.count).toBeLessThanOrEqual(5);
      batches++;
    }
    expect(batches).toBe(3);
    expect(await pods(small)).toEqual(all);
  });
});

describe('typed lists as the API server returns them (items without kind)', () => {
  const LISTS = path.join(here, 'fixtures', 'kubernetes', 'api-lists');

  it('reads a NodeList and a PodList whose items carry no kind or apiVersion', async () => {
    const w = await readKubernetesManifests(LISTS, {});
    expect(w.machines.map((m) => m.id)).toEqual(['ip-10-0-1-12.ec2.internal', 'ip-10-0-2-7.ec2.internal']);
    expect(w.machines[0].allocatable).toEqual([1930, 7333068 * 1024, 0, 29]);
    expect(w.machines[1].taints).toEqual([{ key: 'dedicated', value: 'batch', effect: 'NoSchedule' }]);
    expect(w.jobs).toEqual(['Pod/shop/web-1']);
    expect(w.notes[0]).toBe('kubernetes manifests: 3 objects in 2 files (Node 2, Pod 1)');
  });

  it('still wants a kind on the items of a plain List (kubectl prints them; they may be of any kind)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'schedlab-list-'));
    const file = path.join(dir, 'list.yaml');
    await writeFile(file, 'apiVersion: v1\nkind: List\nitems:\n  - metadata: {name: a}\n');
    await expect(readKubernetesManifests(file, { nodes: 1, nodeShape: { cpuMillicores: 1000, memoryBytes: GiB } })).rejects.toThrow(
      `${file} line 4 (items[0].kind): expected a Kubernetes kind such as Pod, Deployment or Node, got nothing`,
    );
  });
});

describe('pod-level resources (spec.resources, KEP-2837)', async () => {
  const w = await readKubernetesManifests(path.join(here, 'fixtures', 'kubernetes', 'pod-level', 'pods.yaml'), {
    nodes: 1,
    nodeShape: { cpuMillicores: 8000, memoryBytes: 32 * GiB },
  });
  const all = await pods(w);
  const pod = (name: string) => all.find((p) => p.job === `Pod/default/${name}`)!;
  const qos = (name: string) => w.jobConstraints?.[w.jobs.indexOf(`Pod/default/${name}`)]?.qos;

  it('the pod-level request and limit replace the containers\' aggregate; QoS comes from them', () => {
    expect(pod('shared').request).toEqual([1000, 100 * MiB, 0, 1]);
    expect(pod('shared').limit.slice(0, 2)).toEqual([1000, 200 * MiB]);
    expect(qos('shared')).toBe('Burstable');
  });

  it('defaults as the API server does: request from the containers, else from the limit; limit from the containers', () => {
    expect(pod('capped').request.slice(0, 2)).toEqual([500, 256 * MiB]);
    expect(pod('capped').limit.slice(0, 2)).toEqual([2000, GiB]);
    expect(qos('capped')).toBe('Burstable');
    expect(pod('fixed').request.slice(0, 2)).toEqual([750, 512 * MiB]);
    expect(qos('fixed')).toBe('Guaranteed');
    expect(pod('sized').request.slice(0, 2)).toEqual([1000, GiB]);
    expect(pod('sized').limit.slice(0, 2)).toEqual([1000, GiB]);
    expect(qos('sized')).toBe('Guaranteed');
    expect(pod('empty').request.slice(0, 2)).toEqual([100, NaN]);
    expect(qos('empty')).toBe('BestEffort');
  });

  it('says so in the notes', () => {
    expect(w.notes.join('\n')).toContain("5 pods with pod-level resources (spec.resources, KEP-2837): their cpu/memory request and limit replace the containers' aggregate");
  });

  const bad = async (spec: string) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'schedlab-podlevel-'));
    const file = path.join(dir, 'pod.yaml');
    await writeFile(file, `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n${spec}`);
    return readKubernetesManifests(file, { nodes: 1, nodeShape: { cpuMillicores: 8000, memoryBytes: 32 * GiB } });
  };

  it('rejects what the API server rejects, naming the field', async () => {
    await expect(
      bad('  resources: {requests: {cpu: 500m}}\n  containers: [{name: a, image: a, resources: {requests: {cpu: "1"}}}]\n'),
    ).rejects.toThrow("pod.yaml line 5 (spec.resources.requests.cpu): expected a pod-level cpu request no smaller than the containers' aggregate request (1000m), got \"500m\"");
    await expect(
      bad('  resources: {limits: {cpu: "1"}}\n  containers: [{name: a, image: a, resources: {limits: {cpu: "2"}}}]\n'),
    ).rejects.toThrow(/spec\.resources\.limits\.cpu\): expected a pod-level cpu limit no smaller than every container's limit \(container a has 2000m\)/);
    await expect(bad('  resources: {limits: {nvidia.com/gpu: 1}}\n  containers: [{name: a, image: a}]\n')).rejects.toThrow(
      /spec\.resources\.limits\["nvidia\.com\/gpu"\]\): expected a pod-level resource Kubernetes accepts \(cpu, memory, hugepages-\*\)/,
    );
  });
});

describe('format detection of manifests in every style they are written in', () => {
  it.each([
    ['---\n{\n  apiVersion: "v1",\n  kind: "Pod",\n  metadata: {\n    name: "x",\n  },\n}\n', true],
    ["{apiVersion: v1, kind: Pod, metadata: {name: x}}\n", true],
    ['apiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name: x\r\n', true],
    ['# Source: chart/templates/deployment.yaml\n# A comment naming no key\n---\napiVersion: apps/v1\nkind: Deployment\n', true],
    ['--- # first\napiVersion: v1 # core\nkind: Service # ClusterIP\n', true],
    ['# apiVersion: v1\n# kind: Pod\nreplicaCount: 3\n', false],
    ['image: {repository: nginx, kind: thing}\n', false],
  ])('%j → %s', (text, expected) => {
    expect(looksLikeKubernetes(text)).toBe(expected);
  });

  it('a folder is recognized when its first file holds only comments', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'schedlab-detect-'));
    await writeFile(path.join(dir, '00-notes.yaml'), '# applied by hand; see README\n');
    await writeFile(path.join(dir, '10-pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: a, image: a}]}\n');
    expect((await detectWorkloadFormat(dir)).format).toBe('kubernetes');
  });
});

describe('a folder with bad files: --on-bad-row, paths as given, YAML warnings', () => {
  const SHAPE = { nodes: 2, nodeShape: { cpuMillicores: 4000, memoryBytes: 16 * GiB } };
  const folder = async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'schedlab-bad-'));
    await writeFile(path.join(dir, '10-good.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: good}\nspec: {containers: [{name: a, image: a}]}\n');
    await writeFile(path.join(dir, '20-broken.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: broken\n');
    await writeFile(path.join(dir, '30-invalid.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: bad}\nspec:\n  priorityClassName: nope\n  containers: [{name: a, image: a}]\n');
    await writeFile(path.join(dir, '40-tagged.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: !custom tagged\nspec: {containers: [{name: a, image: a}]}\n');
    return dir;
  };

  it('by default the first bad file stops the read, named by its whole path as given', async () => {
    const dir = await folder();
    await expect(readKubernetesManifests(dir, SHAPE)).rejects.toThrow(new RegExp(`^${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/20-broken\\.yaml line \\d+: not valid YAML/JSON`));
  });

  it('--on-bad-row skip leaves out each bad file, naming its path and reason in the notes, and counts them', async () => {
    const dir = await folder();
    const w = await readKubernetesManifests(dir, { ...SHAPE, onBadRow: 'skip' });
    expect(w.jobs).toEqual(['Pod/default/good', 'Pod/default/tagged']);
    expect(w.notes[0]).toBe('kubernetes manifests: 2 objects in 2 files (Pod 2); 2 of 4 files skipped (--on-bad-row skip, listed below)');
    const skipped = w.notes.filter((n) => n.startsWith('--on-bad-row skip: file skipped: '));
    expect(skipped).toHaveLength(2);
    expect(skipped[0]).toMatch(new RegExp(`^--on-bad-row skip: file skipped: ${dir}/20-broken\\.yaml line \\d+: not valid YAML/JSON`));
    expect(skipped[1]).toBe(
      `--on-bad-row skip: file skipped: ${dir}/30-invalid.yaml line 5 (spec.priorityClassName): PriorityClass "nope" is not defined in the input and is not built in (known: system-cluster-critical, system-node-critical)`,
    );
    expect(Object.values(w.sourceStats?.badRows ?? {}).reduce((a, b) => a + b, 0)).toBe(2);
  });

  it('YAML parser warnings name their file and line, in the notes, and are not printed bare', async () => {
    const dir = await folder();
    const printed = vi.spyOn(process, 'emitWarning');
    const w = await readKubernetesManifests(path.join(dir, '40-tagged.yaml'), SHAPE);
    expect(w.notes).toContain(`${dir}/40-tagged.yaml line 4: YAML warning: Unresolved tag: !custom`);
    expect(printed).not.toHaveBeenCalled();
    printed.mockRestore();
  });
});
