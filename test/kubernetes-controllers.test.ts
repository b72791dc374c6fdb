import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readKubernetesManifests, type KubernetesReadOptions } from '../workloads/kubernetes/reader.js';
import { InputError } from '../model/errors.js';
import type { Workload } from '../model/workload.js';
import type { JobController } from '../model/workload-controllers.js';
import { GiB } from '../model/units.js';

/**
 * The controller behind each workload job (Workload.controllers), as the API server defaults and
 * validates the manifest (pkg/apis/apps, pkg/apis/batch, pkg/apis/core), the Priority admission
 * plugin resolves preemption policies, and the cluster autoscaler's drainability rules decide
 * what it may move.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'schedlab-k8s-ctl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const S = 1e6;
const SHAPE: KubernetesReadOptions = { nodes: 2, nodeShape: { cpuMillicores: 4000, memoryBytes: 16 * GiB }, instanceType: 'm5.xlarge' };

let n = 0;
async function read(yaml: string, options: KubernetesReadOptions = SHAPE): Promise<Workload> {
  const file = path.join(dir, `k${n++}.yaml`);
  writeFileSync(file, yaml);
  return readKubernetesManifests(file, options);
}

/** The controller of the first job of each object, by job name. */
function byJob(w: Workload): Record<string, JobController> {
  const out: Record<string, JobController> = {};
  w.jobs.forEach((j, i) => {
    out[j] = w.controllers![i]!;
  });
  return out;
}

const errorOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('no error');
};

const containers = 'containers: [{name: c, image: busybox, resources: {requests: {cpu: 100m}}}]';
/** A pod-template controller of `kind` with extra spec lines and pod-spec lines. */
const controller = (kind: string, name: string, spec = '', podSpec = '', templateMeta = '') => `apiVersion: ${kind === 'Job' ? 'batch/v1' : kind === 'ReplicationController' ? 'v1' : 'apps/v1'}
kind: ${kind}
metadata: {name: ${name}}
spec:
${spec}  template:
    metadata: {labels: {app: ${name}}${templateMeta}}
    spec:
${podSpec}      ${containers}
---
`;
const pod = (name: string, podSpec = '', meta = '') => `apiVersion: v1
kind: Pod
metadata: {name: ${name}${meta}}
spec:
${podSpec}  ${containers}
---
`;

describe('desired replicas, restart policy, grace period and ordering per kind', async () => {
  const w = await read(
    pod('solo') +
      controller('Deployment', 'web', '  replicas: 3\n') +
      controller('ReplicaSet', 'rs', '  replicas: 2\n') +
      controller('ReplicationController', 'rc') +
      controller('StatefulSet', 'db', '  replicas: 3\n', '      terminationGracePeriodSeconds: 45\n') +
      controller('StatefulSet', 'cache', '  replicas: 2\n  podManagementPolicy: Parallel\n') +
      controller('Job', 'train', '  completions: 5\n  parallelism: 2\n  activeDeadlineSeconds: 900\n', '      restartPolicy: OnFailure\n') +
      controller('Job', 'queue', '  parallelism: 3\n  backoffLimit: 0\n', '      restartPolicy: Never\n      terminationGracePeriodSeconds: 0\n') +
      controller('DaemonSet', 'agent'),
  );
  const c = byJob(w);

  it('a bare Pod: one replica, restartPolicy Always by default, nothing recreates it so the autoscaler may not move it', () => {
    expect(c['Pod/default/solo']).toEqual({
      kind: 'Pod',
      name: 'default/solo',
      namespace: 'default',
      desired: 1,
      restartPolicy: 'Always',
      terminationGracePeriod: 30 * S,
      preemptionPolicy: 'PreemptLowerPriority',
      movable: false,
    });
  });

  it('long-running controllers keep spec.replicas (default 1), restart Always, 30 s grace by default', () => {
    expect(c['Deployment/default/web']).toMatchObject({ kind: 'Deployment', name: 'default/web', desired: 3, restartPolicy: 'Always', terminationGracePeriod: 30 * S, movable: true });
    expect(c['ReplicaSet/default/rs']).toMatchObject({ kind: 'ReplicaSet', desired: 2 });
    expect(c['ReplicationController/default/rc']).toMatchObject({ kind: 'ReplicationController', desired: 1 });
    expect(c['Deployment/default/web'].backoffLimit).toBeUndefined();
  });

  it('StatefulSet: OrderedReady unless podManagementPolicy is Parallel; its own grace period', () => {
    expect(c['StatefulSet/default/db']).toMatchObject({ desired: 3, orderedReady: true, terminationGracePeriod: 45 * S });
    expect(c['StatefulSet/default/cache']).toMatchObject({ desired: 2, orderedReady: false });
  });

  it('Job: its slot count, completions, parallelism, backoffLimit (default 6), activeDeadlineSeconds, restart policy', () => {
    expect(c['Job/default/train']).toMatchObject({ kind: 'Job', desired: 2, completions: 5, parallelism: 2, backoffLimit: 6, activeDeadline: 900 * S, restartPolicy: 'OnFailure' });
    // A work queue (no completions): parallelism pods once each.
    const q = c['Job/default/queue'];
    expect(q).toMatchObject({ desired: 3, parallelism: 3, backoffLimit: 0, restartPolicy: 'Never', terminationGracePeriod: 0 });
    expect(q.completions).toBeUndefined();
    expect(q.activeDeadline).toBeUndefined();
  });

  it('DaemonSet: one job per node, each wanting one pod; daemon pods never block a node removal', () => {
    expect(w.jobs.filter((j) => j.startsWith('DaemonSet/'))).toEqual(['DaemonSet/default/agent@node-0', 'DaemonSet/default/agent@node-1']);
    expect(c['DaemonSet/default/agent@node-0']).toMatchObject({ kind: 'DaemonSet', name: 'default/agent', desired: 1, movable: true });
  });

  it('one controller per workload job, in job order', () => {
    expect(w.controllers).toHaveLength(w.jobs.length);
    expect(w.notes.find((x) => x.startsWith('controllers, by workload jobs: '))).toBe(
      'controllers, by workload jobs: Pod 1, Deployment 1, ReplicaSet 1, ReplicationController 1, StatefulSet 2, Job 2, DaemonSet 2 (restart policy, Job backoffLimit/completions/parallelism/deadline, StatefulSet ordering, grace period, preemption policy from the manifests; workloads/kubernetes/README.md); 1 job the cluster autoscaler may not move (bare pods, local storage, safe-to-evict "false")',
    );
  });

  it("a pod template's own activeDeadlineSeconds is kept (a Terminating pod for quota scopes)", async () => {
    const d = await read(pod('deadline', '  activeDeadlineSeconds: 120\n'));
    expect(d.controllers?.[0]?.podActiveDeadline).toBe(120 * S);
    expect(c['Deployment/default/web'].podActiveDeadline).toBeUndefined();
  });

  it('Job features the reader does not model are counted in the notes', async () => {
    const d = await read(controller('Job', 'pf', '  podFailurePolicy: {rules: []}\n  completionMode: Indexed\n  completions: 2\n', '      restartPolicy: Never\n'));
    expect(d.notes).toContain('Job features not modeled, by objects: Job spec.podFailurePolicy ×1, Job spec.completionMode Indexed (completions counted, indexes not) ×1');
  });
});

describe('restart policies the API server rejects', () => {
  it('a Deployment accepts only Always', async () => {
    const e = await errorOf(read(controller('Deployment', 'web', '', '      restartPolicy: Never\n')));
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toMatch(/k\d+\.yaml line 8 \(spec\.template\.spec\.restartPolicy\): expected Always \(the only restartPolicy a Deployment accepts\), got "Never"$/);
  });

  it('a Job without restartPolicy gets Always, which a Job rejects', async () => {
    const e = await errorOf(read(controller('Job', 'j')));
    expect(e.message).toMatch(/\(spec\.template\.spec\.restartPolicy\): expected OnFailure or Never \(a Job's pods may not restart Always, the default the API server would give\), got nothing$/);
  });

  it('a bare Pod may say OnFailure or Never', async () => {
    const w = await read(pod('a', '  restartPolicy: OnFailure\n') + pod('b', '  restartPolicy: Never\n'));
    expect(w.controllers?.map((c) => c?.restartPolicy)).toEqual(['OnFailure', 'Never']);
  });
});

describe('preemption policy (the Priority admission plugin)', () => {
  const classes = `apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: batch-low}
value: 100
preemptionPolicy: Never
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: online}
value: 1000
---
`;

  it("from the pod's PriorityClass (PreemptLowerPriority when the class says nothing; the built-in classes too)", async () => {
    const w = await read(
      classes +
        pod('a', '  priorityClassName: batch-low\n') +
        pod('b', '  priorityClassName: online\n') +
        pod('c', '  priorityClassName: system-cluster-critical\n') +
        pod('d') +
        pod('e', '  priorityClassName: batch-low\n  preemptionPolicy: Never\n'),
    );
    expect(w.controllers?.map((c) => c?.preemptionPolicy)).toEqual(['Never', 'PreemptLowerPriority', 'PreemptLowerPriority', 'PreemptLowerPriority', 'Never']);
  });

  it("a pod without a class takes the globalDefault class's policy", async () => {
    const w = await read(`apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: default-never}
value: 10
globalDefault: true
preemptionPolicy: Never
---
${pod('a')}`);
    expect(w.controllers?.[0]?.preemptionPolicy).toBe('Never');
  });

  it('a stated spec.preemptionPolicy that differs from the computed one is forbidden, with the plugin\'s message', async () => {
    const e = await errorOf(read(classes + pod('x', '  priorityClassName: online\n  preemptionPolicy: Never\n')));
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toMatch(
      /line \d+ \(spec\.preemptionPolicy\): the string value of PreemptionPolicy \(Never\) must not be provided in pod spec; priority admission controller computed PreemptLowerPriority from the given PriorityClass name \(online\)$/,
    );
    // Without any class, Never needs a PriorityClass.
    const e2 = await errorOf(read(pod('y', '  preemptionPolicy: Never\n')));
    expect(e2.message).toContain('computed PreemptLowerPriority from the given PriorityClass name (no class: set preemptionPolicy on a PriorityClass instead)');
  });

  it("a class's preemptionPolicy must be PreemptLowerPriority or Never", async () => {
    const e = await errorOf(read('apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: p}\nvalue: 1\npreemptionPolicy: Sometimes\n'));
    expect(e.message).toMatch(/line 5 \(preemptionPolicy\): expected one of PreemptLowerPriority, Never, got "Sometimes"$/);
  });

  it('an unknown priorityClassName in a template names file, line and field', async () => {
    const e = await errorOf(read(controller('Deployment', 'web', '', '      priorityClassName: gold\n')));
    expect(e.message).toMatch(/k\d+\.yaml line 8 \(spec\.template\.spec\.priorityClassName\): PriorityClass "gold" is not defined in the input and is not built in \(known: system-cluster-critical, system-node-critical\)$/);
  });
});

describe('movable: may the cluster autoscaler evict the pod to remove its node?', () => {
  const volumes = (v: string) => `      volumes:\n${v}`;
  it.each([
    ['movable: a replicated pod without local storage', controller('Deployment', 'a'), true],
    ['not movable: an emptyDir volume', controller('Deployment', 'a', '', volumes('      - {name: scratch, emptyDir: {}}\n')), false],
    ['movable: an emptyDir in memory (not local storage)', controller('Deployment', 'a', '', volumes('      - {name: shm, emptyDir: {medium: Memory}}\n')), true],
    ['not movable: a hostPath volume', controller('Deployment', 'a', '', volumes('      - {name: logs, hostPath: {path: /var/log}}\n')), false],
    ['movable: a configMap volume (not local storage)', controller('Deployment', 'a', '', volumes('      - {name: cfg, configMap: {name: x}}\n')), true],
    [
      'movable: local volumes all named safe-to-evict-local-volumes',
      controller('Deployment', 'a', '', volumes('      - {name: s1, emptyDir: {}}\n      - {name: s2, emptyDir: {}}\n'), ', annotations: {cluster-autoscaler.kubernetes.io/safe-to-evict-local-volumes: "s1,s2"}'),
      true,
    ],
    [
      'not movable: one local volume not named',
      controller('Deployment', 'a', '', volumes('      - {name: s1, emptyDir: {}}\n      - {name: s2, emptyDir: {}}\n'), ', annotations: {cluster-autoscaler.kubernetes.io/safe-to-evict-local-volumes: "s1"}'),
      false,
    ],
    ['not movable: safe-to-evict "false"', controller('Deployment', 'a', '', '', ', annotations: {cluster-autoscaler.kubernetes.io/safe-to-evict: "false"}'), false],
    ['movable: safe-to-evict "true" despite local storage', controller('Deployment', 'a', '', volumes('      - {name: logs, hostPath: {path: /var/log}}\n'), ', annotations: {cluster-autoscaler.kubernetes.io/safe-to-evict: "true"}'), true],
    ['not movable: a bare Pod', pod('p'), false],
    ['movable: a bare Pod marked safe-to-evict "true"', pod('p', '', ', annotations: {cluster-autoscaler.kubernetes.io/safe-to-evict: "true"}'), true],
    ['movable: a live Pod whose controller is not in the input', pod('p', '', ', ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: gone, uid: u1, controller: true}]'), true],
    ['movable: a DaemonSet pod with hostPath (daemon pods do not block)', controller('DaemonSet', 'd', '', volumes('      - {name: logs, hostPath: {path: /var/log}}\n')), true],
  ])('%s', async (_what, yaml, movable) => {
    const w = await read(yaml);
    expect(w.controllers?.[0]?.movable).toBe(movable);
  });
});
