import { describe, expect, it } from 'vitest';
import { replay } from '../harness/replay.js';
import { runSpec } from '../harness/replay-spec.js';
import { DEFAULT_RESOURCES } from '../model/resources.js';
import { GiB } from '../model/units.js';
import { TaskStatus } from '../model/task-status.js';
import { kubeFramework } from '../algorithms/kubernetes/policies.js';
import { allocTaskBatch } from '../model/task-batch.js';
import type { MachineSpec } from '../model/machine.js';
import type { Workload } from '../model/workload.js';
import type { PlacementConstraints } from '../model/placement-constraints.js';
import { PRICING } from './helpers/tiny-workload.js';

const S = 1e6;
const ZONE = 'topology.kubernetes.io/zone';

/** Six nodes in three zones; n4 has an SSD, n5 is dedicated to GPU work (NoSchedule taint). */
function machines(): MachineSpec[] {
  const zones = ['a', 'a', 'b', 'b', 'c', 'c'];
  return zones.map((z, i) => ({
    id: `n${i}`,
    capacity: [4000, 8 * GiB, 0],
    labels: { 'kubernetes.io/hostname': `n${i}`, [ZONE]: z, ...(i === 4 ? { disk: 'ssd' } : {}) },
    taints: i === 5 ? [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' as const }] : undefined,
  }));
}

const JOBS: Array<{ name: string; replicas: number; cpu: number; c: PlacementConstraints | undefined }> = [
  {
    name: 'web',
    replicas: 4,
    cpu: 500,
    c: { labels: { app: 'web' }, podAntiAffinity: { required: [{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' }] } },
  },
  { name: 'db', replicas: 2, cpu: 500, c: { labels: { app: 'db' }, nodeSelector: { disk: 'ssd' } } },
  {
    name: 'spread',
    replicas: 6,
    cpu: 250,
    c: { labels: { app: 'spread' }, topologySpread: [{ maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'spread' } } }] },
  },
  { name: 'plain', replicas: 8, cpu: 250, c: undefined },
  { name: 'gpu', replicas: 1, cpu: 250, c: { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }], nodeSelector: { 'kubernetes.io/hostname': 'n5' } } },
];

/** Tasks of the jobs above, one per second, running past the horizon. */
function constrainedWorkload(): Workload {
  const D = 3;
  const tasks = JOBS.flatMap((j, job) => Array.from({ length: j.replicas }, (_, k) => ({ job, k, cpu: j.cpu })));
  return {
    name: 'kube-constraints',
    resources: DEFAULT_RESOURCES,
    machines: machines(),
    machineEvents: [],
    jobs: JOBS.map((j) => j.name),
    users: [],
    notes: [],
    horizon: 100 * S,
    jobConstraints: JOBS.map((j) => j.c),
    async *taskBatches() {
      const b = allocTaskBatch(tasks.length, D);
      tasks.forEach((t, i) => {
        b.submitTime[i] = (i + 1) * S;
        b.duration[i] = 1000 * S;
        b.request[i * D] = t.cpu;
        b.request[i * D + 1] = 0.5 * GiB;
        b.request[i * D + 2] = 0;
        b.job[i] = t.job;
        b.taskIndex[i] = t.k;
        b.usageFraction.fill(0.5, i * D, i * D + D);
      });
      yield b;
    },
  };
}

describe('kube-framework end to end', () => {
  it('honours anti-affinity, node selectors, taints and topology spread in a replay', async () => {
    const w = constrainedWorkload();
    const { result } = await replay({ workload: w, policy: kubeFramework, seed: 7, pricing: PRICING });
    const t = result.tasks;
    const ids = result.cluster.ids;
    const nodesOf = (job: number) => {
      const out: string[] = [];
      for (let i = 0; i < t.count; i++) if (t.job[i] === job) out.push(t.status[i] === TaskStatus.Running ? ids[t.node[i]] : 'pending');
      return out;
    };
    // Every task runs (the cluster has room for all of them).
    expect(result.runningAtEnd).toBe(t.count);
    // Anti-affinity: four web replicas on four different nodes, never n5 (no toleration).
    const web = nodesOf(0);
    expect(new Set(web).size).toBe(4);
    expect(web).not.toContain('n5');
    // nodeSelector disk=ssd: only n4 has it.
    expect(nodesOf(1)).toEqual(['n4', 'n4']);
    // Topology spread: 6 replicas over 3 zones with maxSkew 1 → 2 per zone.
    const zoneOf = (id: string) => w.machines.find((m) => m.id === id)!.labels![ZONE];
    const perZone: Record<string, number> = { a: 0, b: 0, c: 0 };
    for (const id of nodesOf(2)) perZone[zoneOf(id)]++;
    expect(Math.max(...Object.values(perZone)) - Math.min(...Object.values(perZone))).toBeLessThanOrEqual(1);
    expect(perZone).toEqual({ a: 2, b: 2, c: 2 });
    // The untolerated NoSchedule taint is avoided by everyone but the tolerating, pinned pod.
    for (const job of [0, 1, 2, 3]) expect(nodesOf(job)).not.toContain('n5');
    expect(nodesOf(4)).toEqual(['n5']);
  });

  it('a replica that cannot satisfy anti-affinity waits, and starts when a replica leaves', async () => {
    // Two nodes, three anti-affine replicas: the third waits until the first finishes at 50 s.
    const c: PlacementConstraints = JOBS[0].c!;
    const D = 3;
    const w: Workload = {
      name: 'anti-wait',
      resources: DEFAULT_RESOURCES,
      machines: machines().slice(0, 2),
      machineEvents: [],
      jobs: ['web'],
      users: [],
      notes: [],
      horizon: 200 * S,
      jobConstraints: [c],
      async *taskBatches() {
        const b = allocTaskBatch(3, D);
        for (let i = 0; i < 3; i++) {
          b.submitTime[i] = (i + 1) * S;
          b.duration[i] = i === 0 ? 50 * S : 1000 * S;
          b.request[i * D] = 100;
          b.request[i * D + 1] = GiB;
          b.taskIndex[i] = i;
          b.usageFraction.fill(0.5, i * D, i * D + D);
        }
        yield b;
      },
    };
    const { result } = await replay({ workload: w, policy: kubeFramework, seed: 1, pricing: PRICING });
    expect(result.tasks.start[2]).toBe(51 * S); // task 0 started at 1 s, ran 50 s
    expect(result.tasks.node[2]).toBe(result.tasks.node[0]);
  });

  it('on a workload without constraints it decides exactly as kube-default (same sample, scores, ties)', async () => {
    const base = { workload: 'synthetic', seed: 5, nodes: 150, tasks: 3000, hours: 3, instance: 'm5.2xlarge' };
    const fw = await runSpec({ ...base, policy: 'kube-framework' });
    const kd = await runSpec({ ...base, policy: 'kube-default' });
    expect(fw.summary.tasks.scheduled).toBeGreaterThan(1000);
    expect({ ...fw.summary, policy: '' }).toEqual({ ...kd.summary, policy: '' });
    expect(Array.from(fw.result.tasks.node.subarray(0, fw.result.tasks.count))).toEqual(Array.from(kd.result.tasks.node.subarray(0, kd.result.tasks.count)));
  });
});
