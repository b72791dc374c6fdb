import { describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readKubernetesManifests } from '../workloads/kubernetes/reader.js';
import { generateNodes } from '../workloads/kubernetes/nodes.js';
import { syntheticWorkload } from '../workloads/synthetic/generator.js';
import { generatedNodeLabels, zoneNames } from '../workloads/generated-nodes.js';
import { replay } from '../harness/replay.js';
import { kubeFramework } from '../algorithms/kubernetes/policies.js';
import { TaskStatus } from '../model/task-status.js';
import { GiB } from '../model/units.js';
import { PRICING } from './helpers/tiny-workload.js';
import { schedlab } from './helpers/cli.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURE = path.join(here, 'fixtures', 'kubernetes', 'generated-nodes', 'spread.yaml');
const SHAPE = { cpuMillicores: 8000, memoryBytes: 32 * GiB };
const ZONE = 'topology.kubernetes.io/zone';

describe('generated nodes carry the well-known labels of a cloud node', () => {
  it('hostname, os, arch, instance type, region and zone (default us-east-1a/b/c round-robin)', () => {
    const nodes = generateNodes(5, SHAPE, { instanceType: 'm5.2xlarge' });
    expect(nodes[4].labels).toMatchObject({
      'kubernetes.io/hostname': 'node-4',
      'kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      'node.kubernetes.io/instance-type': 'm5.2xlarge',
      'topology.kubernetes.io/region': 'us-east-1',
      [ZONE]: 'us-east-1b',
    });
    expect(nodes.map((n) => n.labels?.[ZONE])).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1a', 'us-east-1b']);
    const hostnames = nodes.map((n) => n.labels?.['kubernetes.io/hostname']);
    expect(new Set(hostnames).size).toBe(5);
    expect(hostnames).toEqual(nodes.map((n) => n.id));
  });

  it('--zones and the region choose the layout', () => {
    expect(zoneNames({ region: 'eu-west-1', zones: 2 })).toEqual(['eu-west-1a', 'eu-west-1b']);
    const nodes = generateNodes(4, SHAPE, { zones: 2, region: 'eu-west-1' });
    expect(nodes.map((n) => n.labels?.[ZONE])).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1a', 'eu-west-1b']);
    expect(generatedNodeLabels('x', 0, { zones: 1 })[ZONE]).toBe('us-east-1a');
    expect(() => zoneNames({ zones: 0 })).toThrow(/--zones: expected a whole number from 1 to 26/);
    expect(() => zoneNames({ zones: 27 })).toThrow(/--zones/);
  });

  it('the synthetic workload labels its nodes the same way', () => {
    const w = syntheticWorkload({ seed: 1, nodes: 4, tasks: 10, hours: 1, instance: { name: 'm5.large', cpuMillicores: 2000, memoryBytes: 8 * GiB }, zones: 2 });
    expect(w.machines[3].labels).toMatchObject({ 'kubernetes.io/os': 'linux', 'node.kubernetes.io/instance-type': 'm5.large', [ZONE]: 'us-east-1b' });
    expect(w.notes.some((n) => n.startsWith('node labels:') && n.includes('us-east-1a, us-east-1b'))).toBe(true);
  });
});

describe('manifests that select well-known labels run on generated nodes under kube-framework', async () => {
  const run = async (zones?: number) => {
    const workload = await readKubernetesManifests(FIXTURE, { nodes: 6, nodeShape: SHAPE, instanceType: 'm5.2xlarge', zones });
    const { result } = await replay({ workload, policy: kubeFramework, seed: 1, pricing: PRICING });
    const t = result.tasks;
    const byJob = (prefix: string) =>
      Array.from({ length: t.count }, (_, i) => i).filter((i) => workload.jobs[t.job[i]].startsWith(prefix));
    const zoneCounts = (ids: number[]) => {
      const m: Record<string, number> = {};
      for (const i of ids) {
        const z = result.cluster.labels[t.node[i]][ZONE];
        m[z] = (m[z] ?? 0) + 1;
      }
      return m;
    };
    return { workload, t, byJob, zoneCounts };
  };

  it('schedules the linux pods, spreads them over the zones and gives the DaemonSet one pod per node', async () => {
    const { t, byJob, zoneCounts, workload } = await run();
    const web = byJob('Deployment/shop/web');
    expect(web.every((i) => t.status[i] === TaskStatus.Running)).toBe(true);
    expect(zoneCounts(web)).toEqual({ 'us-east-1a': 2, 'us-east-1b': 2, 'us-east-1c': 2 });
    const agent = byJob('DaemonSet/kube-system/agent');
    expect(agent).toHaveLength(6);
    expect(agent.every((i) => t.status[i] === TaskStatus.Running)).toBe(true);
    expect(workload.notes).toContain('DaemonSet kube-system/agent: 6 of 6 nodes eligible, one pod each (pinned by nodeName)');
    // Generated nodes are amd64: the arm64 pod waits.
    expect(t.status[byJob('Pod/shop/arm')[0]]).toBe(TaskStatus.Pending);
  });

  it('with --zones 2 the same replicas spread 3 and 3', async () => {
    const { byJob, zoneCounts } = await run(2);
    expect(zoneCounts(byJob('Deployment/shop/web'))).toEqual({ 'us-east-1a': 3, 'us-east-1b': 3 });
  });

  it('the CLI takes --zones and rejects a bad value with exit code 2', () => {
    const ok = schedlab(['replay', '--workload', FIXTURE, '--policy', 'kube-framework', '--nodes', '4', '--zones', '2', '--quiet']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('topology.kubernetes.io/zone round-robin over us-east-1a, us-east-1b (');
    const bad = schedlab(['replay', '--workload', FIXTURE, '--nodes', '4', '--zones', '30', '--quiet']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe("schedlab: --zones: expected a whole number from 1 to 26, got '30'");
  });
});
