import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readKubernetesManifests } from '../workloads/kubernetes/reader.js';
import { detectWorkloadFormat } from '../workloads/format-registry.js';
import type { Workload } from '../model/workload.js';
import type { PolicyModule } from '../algorithms/policy.js';
import { replay } from '../harness/replay.js';
import { kubeFramework } from '../algorithms/kubernetes/policies.js';
import { firstFit } from '../algorithms/classic/first-fit.js';
import { TaskStatus } from '../model/task-status.js';
import { PRICING } from './helpers/tiny-workload.js';
import { GiB, MiB } from '../model/units.js';

/**
 * The Kubernetes reader and replay on public manifests of real projects
 * (../shared/data/realworld/kubernetes; provenance in its PROVENANCE.txt). Expected figures are
 * counted on the files by hand (their README lists the object counts) or follow from the
 * Kubernetes rules the code cites.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const REAL = path.join(here, '..', '..', 'shared', 'data', 'realworld', 'kubernetes');
const realPresent = existsSync(REAL);
if (!realPresent) console.warn(`Kubernetes real-manifest tests skipped: ${REAL} is absent (see ../shared/data/README.md)`);

const NODES = { nodes: 5, nodeShape: { cpuMillicores: 8000, memoryBytes: 32 * GiB }, instanceType: 'm5.2xlarge' };

async function firstPod(w: Workload): Promise<{ request: number[]; limit: number[] }> {
  const D = w.resources.names.length;
  for await (const b of w.taskBatches()) {
    return { request: Array.from(b.request.subarray(0, D)), limit: Array.from(b.limit.subarray(0, D)) };
  }
  throw new Error('no pods');
}

describe.skipIf(!realPresent)('Kubernetes docs examples with pod-level resources (k8s-website)', () => {
  it('pod-level-resources.yaml: the pod asks for its pod-level 1 CPU / 100Mi, limited to 1 CPU / 200Mi, Burstable', async () => {
    const w = await readKubernetesManifests(path.join(REAL, 'k8s-website', 'pods__resource__pod-level-resources.yaml'), NODES);
    const p = await firstPod(w);
    expect(p.request).toEqual([1000, 100 * MiB, 0, 1]);
    expect(p.limit.slice(0, 2)).toEqual([1000, 200 * MiB]);
    expect(w.jobConstraints?.[0]?.qos).toBe('Burstable');
  });

  it('pod-level-resource-managers-pod-scope-mixed.yaml: 4 CPU / 4Gi for the pod (the containers state 2 / 2Gi), Guaranteed', async () => {
    const w = await readKubernetesManifests(path.join(REAL, 'k8s-website', 'pods__resource__pod-level-resource-managers-pod-scope-mixed.yaml'), NODES);
    const p = await firstPod(w);
    expect(p.request).toEqual([4000, 4 * GiB, 0, 1]);
    expect(w.jobConstraints?.[0]?.qos).toBe('Guaranteed');
    expect(w.notes.join('\n')).toContain('1 pod with pod-level resources (spec.resources, KEP-2837)');
  });
});

describe.skipIf(!realPresent)('format detection on the real manifests', () => {
  it('recognizes every k8s-website example, flow-style ones included, and the project folders', async () => {
    const files = (await readdir(path.join(REAL, 'k8s-website'))).filter((f) => f.endsWith('.yaml'));
    expect(files).toHaveLength(9);
    for (const f of files) expect([f, (await detectWorkloadFormat(path.join(REAL, 'k8s-website', f))).format]).toEqual([f, 'kubernetes']);
    for (const p of ['k8s-website', 'kube-prometheus/manifests', 'microservices-demo/kubernetes-manifests', 'microservices-demo/release']) {
      expect((await detectWorkloadFormat(path.join(REAL, p))).format).toBe('kubernetes');
    }
  });
});

describe.skipIf(!realPresent)('the k8s-website folder, which holds files Kubernetes itself would reject', () => {
  const dir = path.join(REAL, 'k8s-website');

  it('stops at the first bad file by default, naming its path as given', async () => {
    await expect(readKubernetesManifests(dir, NODES)).rejects.toThrow(new RegExp(`^${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/pods__|^${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/policy__`));
  });

  it('--on-bad-row skip reads the others and names each skipped file with its reason', async () => {
    const w = await readKubernetesManifests(dir, { ...NODES, onBadRow: 'skip' });
    const skipped = w.notes.filter((n) => n.startsWith('--on-bad-row skip: file skipped: '));
    // high-priority-pod.yaml names a PriorityClass "high" that the folder does not define: the API server would refuse the pod.
    expect(skipped).toContain(
      `--on-bad-row skip: file skipped: ${dir}/policy__high-priority-pod.yaml line 30 (spec.priorityClassName): PriorityClass "high" is not defined in the input and is not built in (known: system-cluster-critical, system-node-critical)`,
    );
    expect(w.sourceStats?.files).toBe(9 - skipped.length);
    expect(w.notes[0]).toContain(`; ${skipped.length} of 9 files skipped (--on-bad-row skip, listed below)`);
    expect(w.jobs).toContain('StatefulSet/default/web');
    expect(w.jobs).toContain('Pod/pod-resources-example/pod-resources-demo');
  });
});

describe.skipIf(!realPresent)('real projects replayed on generated nodes under kube-framework', () => {
  const run = async (input: string, nodes: typeof NODES, policy: PolicyModule = kubeFramework) => {
    const workload = await readKubernetesManifests(path.join(REAL, input), nodes);
    return { workload, ...(await replay({ workload, policy, seed: 1, pricing: PRICING })) };
  };

  it('kube-prometheus: every pod (all select kubernetes.io/os: linux) is scheduled; node-exporter runs once per node', async () => {
    const { workload, result, summary } = await run('kube-prometheus/manifests', NODES);
    // 5 Deployments (prometheus-adapter has 2 replicas) and the node-exporter DaemonSet on 5 nodes.
    expect(summary.tasks).toMatchObject({ submitted: 11, scheduled: 11, pendingAtEnd: 0, pendingReasons: {} });
    expect(workload.notes).toContain('DaemonSet monitoring/node-exporter: 5 of 5 nodes eligible, one pod each (pinned by nodeName)');
    const t = result.tasks;
    const exporters = Array.from({ length: t.count }, (_, i) => i).filter((i) => workload.jobs[t.job[i]].startsWith('DaemonSet/monitoring/node-exporter@'));
    expect(exporters.map((i) => `${workload.jobs[t.job[i]].split('@')[1]}=${result.cluster.ids[t.node[i]]}`)).toEqual(
      ['node-0', 'node-1', 'node-2', 'node-3', 'node-4'].map((n) => `${n}=${n}`),
    );
  });

  it('microservices-demo: the 12 services run, holding exactly the 1,570m CPU and 1,368Mi they request', async () => {
    const { result, summary } = await run('microservices-demo/release/kubernetes-manifests.yaml', NODES);
    expect(summary.tasks).toMatchObject({ submitted: 12, scheduled: 12, pendingAtEnd: 0 });
    expect(Array.from(result.cluster.totalRequested)).toEqual([1570, 1368 * MiB, 0, 12]);
  });

  it('microservices-demo on one 1-CPU, 1 GiB node: each pending pod says which resource the node lacks, and it does', async () => {
    const tiny = { nodes: 1, nodeShape: { cpuMillicores: 1000, memoryBytes: GiB }, instanceType: 'tiny' };
    for (const policy of [kubeFramework, firstFit]) {
      const { result, summary } = await run('microservices-demo/release/kubernetes-manifests.yaml', tiny, policy);
      const t = result.tasks;
      const D = result.cluster.dims;
      const free = Array.from(result.cluster.free.subarray(0, D));
      expect(summary.tasks.pendingAtEnd).toBeGreaterThan(0);
      const { messageOf, messages } = result.pending;
      let seen = 0;
      for (let i = 0; i < t.count; i++) {
        if (t.status[i] !== TaskStatus.Pending) continue;
        seen++;
        const short = ['cpu', 'memory'].filter((_, d) => t.request[i * D + d] > free[d]).map((r) => `1 Insufficient ${r}`);
        expect(messages[messageOf[i]]).toBe(`0/1 nodes are available: ${short.join(', ')}.`);
      }
      expect(seen).toBe(summary.tasks.pendingAtEnd);
    }
  });
});
