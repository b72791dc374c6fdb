import { describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { readKubernetesManifests } from '../workloads/kubernetes/reader.js';
import { replay } from '../harness/replay.js';
import { kubeFramework } from '../algorithms/kubernetes/policies.js';
import { TaskStatus } from '../model/task-status.js';
import { InputError } from '../model/errors.js';
import { PRICING } from './helpers/tiny-workload.js';

/**
 * Manifests → constraints → kube-framework, for the fields kube-scheduler reads beyond labels:
 * namespaceSelector with Namespace objects, matchFields, Gt tolerations, host ports by protocol and
 * host IP, minDomains with nodeTaintsPolicy (fixture: kubernetes-framework/manifests/constraints.yaml,
 * where each pod's comment says where it must go), and the API server's validation of them.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURE = path.join(here, 'fixtures', 'kubernetes-framework', 'manifests', 'constraints.yaml');

describe('manifests with namespaced affinity, matchFields, Gt tolerations, UDP ports and minDomains', async () => {
  const w = await readKubernetesManifests(FIXTURE, {});
  const c = (job: string) => w.jobConstraints![w.jobs.indexOf(job)]!;

  it('reads the new fields into the constraints', () => {
    expect(c('Pod/team-a/cache').namespaceLabels).toEqual({ team: 'a', 'kubernetes.io/metadata.name': 'team-a' });
    expect(c('Pod/team-a/cache').requiredNodeAffinity).toEqual([{ matchExpressions: [], matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }] }]);
    expect(c('Deployment/team-b/web').podAffinity?.required).toEqual([
      { labelSelector: { matchLabels: { app: 'cache' } }, namespaceSelector: { matchLabels: { team: 'a' } }, topologyKey: 'zone' },
    ]);
    expect(c('Pod/default/gen').tolerations).toEqual([{ key: 'example.com/gen', operator: 'Gt', value: '5', effect: 'NoSchedule' }]);
    expect(c('Pod/default/dns-a').hostPorts).toEqual([{ port: 53, protocol: 'UDP' }]);
    expect(c('Pod/default/dns-b').hostPorts).toEqual([53]);
    expect(c('Pod/default/dns-c').hostPorts).toEqual([{ port: 53, protocol: 'UDP', hostIP: '10.0.0.1' }]);
    expect(c('Deployment/default/spread').topologySpread).toEqual([
      { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'spread' } }, minDomains: 3, nodeTaintsPolicy: 'Honor' },
    ]);
    expect(w.notes.join('\n')).not.toMatch(/objects ignored.*Namespace/);
  });

  it('kube-framework places each pod where its comment says, and keeps the others pending', async () => {
    const { result } = await replay({ workload: w, policy: kubeFramework, seed: 1, pricing: PRICING });
    const t = result.tasks;
    const where = new Map<string, string[]>();
    for (let i = 0; i < t.count; i++) {
      const job = w.jobs[t.job[i]];
      const at = t.status[i] === TaskStatus.Pending ? 'pending' : result.cluster.ids[t.node[i]];
      where.set(job, [...(where.get(job) ?? []), at]);
    }
    expect(Object.fromEntries(where)).toMatchObject({
      'Pod/team-a/cache': ['node-1'],
      'Deployment/team-b/web': ['node-1'],
      'Pod/team-b/other': ['pending'],
      'Pod/default/gen': ['node-2'],
      'Pod/default/gen-old': ['pending'],
      'Pod/default/dns-a': ['node-0'],
      'Pod/default/dns-b': ['node-0'],
      'Pod/default/dns-c': ['pending'],
      'Pod/default/spread-seed': ['node-2'],
    });
    const spread = where.get('Deployment/default/spread')!;
    expect(spread.filter((n) => n === 'pending')).toHaveLength(1);
    expect(new Set(spread.filter((n) => n !== 'pending'))).toEqual(new Set(['node-0', 'node-1']));
  });
});

describe('pod constraint fields the API server would reject are errors naming the field', () => {
  const pod = (spec: string, labels = '{app: x}') =>
    `apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: ${labels}}\nspec:\n${spec}\n  containers: [{name: c, image: x, resources: {requests: {cpu: 100m}}}]\n`;
  async function readError(text: string): Promise<InputError> {
    const dir = await mkdtemp(path.join(tmpdir(), 'schedlab-k8s-constraints-'));
    const file = path.join(dir, 'pod.yaml');
    await writeFile(file, text);
    try {
      await readKubernetesManifests(file, { nodes: 1, nodeShape: { cpuMillicores: 1000, memoryBytes: 2 ** 30 } });
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      return e as InputError;
    }
    throw new Error('read without error');
  }
  const spread = (c: string) => `  topologySpreadConstraints:\n${c}`;

  it('minDomains with ScheduleAnyway; two constraints on one key and mode; matchLabelKeys without a selector or inside it', async () => {
    expect((await readError(pod(spread('  - {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: ScheduleAnyway, minDomains: 2, labelSelector: {}}')))).field).toBe(
      'spec.topologySpreadConstraints[0].minDomains',
    );
    const twice = '  - {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule}\n  - {maxSkew: 2, topologyKey: zone, whenUnsatisfiable: DoNotSchedule}';
    expect((await readError(pod(spread(twice)))).field).toBe('spec.topologySpreadConstraints[1]');
    expect((await readError(pod(spread('  - {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, matchLabelKeys: [app]}')))).field).toBe(
      'spec.topologySpreadConstraints[0].matchLabelKeys',
    );
    expect(
      (await readError(pod(spread('  - {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: x}}, matchLabelKeys: [app]}')))).field,
    ).toBe('spec.topologySpreadConstraints[0].matchLabelKeys[0]');
  });

  it('a Gt toleration without an integer value; a selector value that is not a label value; a bad label key', async () => {
    expect((await readError(pod('  tolerations: [{key: gen, operator: Gt, value: "07"}]'))).field).toBe('spec.tolerations[0].value');
    const anti = '  affinity:\n    podAntiAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n      - {topologyKey: zone, labelSelector: {matchExpressions: [{key: app, operator: In, values: ["{{bad}}"]}]}}';
    expect((await readError(pod(anti))).field).toBe('spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchExpressions[0].values[0]');
    expect((await readError(pod('  nodeSelector: {zone: z1}', '{"bad key": x}'))).field).toBe('metadata.labels["bad key"]');
    const both = '  affinity:\n    podAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n      - {topologyKey: zone, labelSelector: {}, matchLabelKeys: [v], mismatchLabelKeys: [v]}';
    expect((await readError(pod(both))).field).toBe('spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].mismatchLabelKeys');
  });

  it('a node affinity value kube-scheduler cannot parse is kept, noted, and matches no node', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'schedlab-k8s-constraints-'));
    const file = path.join(dir, 'pod.yaml');
    const term = '  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n        nodeSelectorTerms: [{matchExpressions: [{key: gen, operator: Gt, values: [ten]}]}]';
    await writeFile(file, pod(term));
    const w = await readKubernetesManifests(file, { nodes: 2, nodeShape: { cpuMillicores: 1000, memoryBytes: 2 ** 30 } });
    expect(w.notes.join('\n')).toContain('node affinity requirement with a value kube-scheduler cannot parse (kept: its term matches no node) ×1');
    const { summary } = await replay({ workload: w, policy: kubeFramework, seed: 1, pricing: PRICING });
    expect(summary.tasks).toMatchObject({ submitted: 1, scheduled: 0, pendingAtEnd: 1 });
  });
});
