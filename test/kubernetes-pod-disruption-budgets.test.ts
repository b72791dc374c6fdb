import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readKubernetesManifests, type KubernetesReadOptions } from '../workloads/kubernetes/reader.js';
import { InputError } from '../model/errors.js';
import type { Workload } from '../model/workload.js';
import { GiB } from '../model/units.js';

/**
 * PodDisruptionBudgets (policy/v1) in the Kubernetes reader: validated as the API server does
 * (pkg/apis/policy/validation), resolved to the workload jobs whose pod labels they select in
 * their namespace; accepted-but-useless budgets are warned about, as Kubernetes accepts them.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'schedlab-k8s-pdb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SHAPE: KubernetesReadOptions = { nodes: 2, nodeShape: { cpuMillicores: 4000, memoryBytes: 16 * GiB }, instanceType: 'm5.xlarge' };

let n = 0;
async function read(yaml: string, options: KubernetesReadOptions = SHAPE): Promise<Workload> {
  const file = path.join(dir, `p${n++}.yaml`);
  writeFileSync(file, yaml);
  return readKubernetesManifests(file, options);
}
const errorOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('no error');
};

const deployment = (ns: string, name: string, labels: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}}
spec:
  replicas: 2
  template:
    metadata: {labels: ${labels}}
    spec:
      containers: [{name: c, image: nginx}]
---
`;
const daemonSet = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: shop}
spec:
  template:
    metadata: {labels: {app: agent, tier: infra}}
    spec:
      containers: [{name: c, image: agent}]
---
`;
const pdb = (name: string, spec: string, ns = 'shop', apiVersion = 'policy/v1') => `apiVersion: ${apiVersion}
kind: PodDisruptionBudget
metadata: {name: ${name}, namespace: ${ns}}
spec:
${spec}
---
`;

const apps = deployment('shop', 'web', '{app: web, tier: front}') + deployment('shop', 'api', '{app: api, tier: back}') + deployment('other', 'web', '{app: web, tier: front}') + daemonSet;

describe('a budget selects the jobs of its namespace whose pod labels match', async () => {
  const w = await read(
    apps +
      pdb('web', '  minAvailable: 1\n  selector: {matchLabels: {app: web}}') +
      pdb('tiers', '  maxUnavailable: "50%"\n  selector: {matchExpressions: [{key: tier, operator: In, values: [front, back]}]}') +
      pdb('everything', '  maxUnavailable: 1\n  selector: {}') +
      pdb('agents', '  minAvailable: "100%"\n  selector: {matchLabels: {app: agent}}'),
  );
  const budget = (name: string) => w.disruptionBudgets!.find((b) => b.name === name)!;
  const jobsOf = (name: string) => budget(name).jobs.map((j) => w.jobs[j]);

  it('matchLabels, in its own namespace only', () => {
    expect(w.jobs).toEqual(['Deployment/shop/web', 'Deployment/shop/api', 'Deployment/other/web', 'DaemonSet/shop/agent@node-0', 'DaemonSet/shop/agent@node-1']);
    expect(budget('shop/web')).toEqual({ name: 'shop/web', namespace: 'shop', jobs: [0], minAvailable: { value: 1, percent: false } });
  });

  it('matchExpressions; percentages kept as such', () => {
    expect(jobsOf('shop/tiers')).toEqual(['Deployment/shop/web', 'Deployment/shop/api']);
    expect(budget('shop/tiers').maxUnavailable).toEqual({ value: 50, percent: true });
  });

  it('an empty selector selects every pod of the namespace (policy/v1); DaemonSet pods are jobs like the others', () => {
    expect(jobsOf('shop/everything')).toEqual(['Deployment/shop/web', 'Deployment/shop/api', 'DaemonSet/shop/agent@node-0', 'DaemonSet/shop/agent@node-1']);
    expect(jobsOf('shop/agents')).toEqual(['DaemonSet/shop/agent@node-0', 'DaemonSet/shop/agent@node-1']);
    expect(budget('shop/agents').minAvailable).toEqual({ value: 100, percent: true });
  });

  it('the notes list each budget with what it selects', () => {
    expect(w.notes).toContain('PodDisruptionBudget shop/web: minAvailable 1, selects 1 job (Deployment/shop/web)');
    expect(w.notes).toContain('PodDisruptionBudget shop/everything: maxUnavailable 1, selects 4 jobs (Deployment/shop/web, Deployment/shop/api, DaemonSet/shop/agent@node-0, ...)');
  });
});

describe('budgets Kubernetes accepts but that protect nothing: counted warnings', () => {
  it('a selector matching no pod, and a budget without a selector', async () => {
    const w = await read(apps + pdb('nobody', '  minAvailable: 1\n  selector: {matchLabels: {app: ghost}}') + pdb('noselector', '  minAvailable: 1'));
    expect(w.disruptionBudgets?.map((b) => b.jobs)).toEqual([[], []]);
    expect(w.notes).toContain('warning: PodDisruptionBudget shop/nobody (minAvailable 1) selects no pod of the input: Kubernetes accepts it; it protects nothing');
    expect(w.notes).toContain('warning: PodDisruptionBudget shop/noselector (minAvailable 1) selects no pod of the input (it has no selector): Kubernetes accepts it; it protects nothing');
    expect(w.notes).toContain('warnings: 2 PodDisruptionBudgets select no pod');
  });

  it('neither minAvailable nor maxUnavailable: every disruption allowed, read as minAvailable 0', async () => {
    const w = await read(apps + pdb('loose', '  selector: {matchLabels: {app: web}}'));
    expect(w.disruptionBudgets?.[0]).toEqual({ name: 'shop/loose', namespace: 'shop', jobs: [0], minAvailable: { value: 0, percent: false } });
    expect(w.notes).toContain('warning: PodDisruptionBudget shop/loose sets neither minAvailable nor maxUnavailable: Kubernetes accepts it and it allows every disruption (read as minAvailable 0)');
  });
});

describe('budgets the API server rejects: one line naming file, line and field', () => {
  it.each([
    // The budget starts at line 40, after the 39 lines of the apps.
    ['both numbers', '  minAvailable: 1\n  maxUnavailable: 1\n  selector: {}', /p\d+\.yaml line 43 \(spec\): minAvailable and maxUnavailable cannot be both set$/],
    ['a percentage over 100', '  maxUnavailable: "150%"\n  selector: {}', /line 44 \(spec\.maxUnavailable\): expected a percentage no more than 100%, got "150%"$/],
    ['a number as a string', '  minAvailable: "2"\n  selector: {}', /line 44 \(spec\.minAvailable\): expected an integer or percentage \(e\.g '5%'\), got "2"$/],
    ['a negative number', '  minAvailable: -1\n  selector: {}', /line 44 \(spec\.minAvailable\): expected an integer ≥ 0 or a percentage such as "50%", got "-1"$/],
    ['an invalid selector', '  minAvailable: 1\n  selector: {matchExpressions: [{key: app, operator: In}]}', /\(spec\.selector\.matchExpressions\[0\]\.values\): expected a non-empty list for operator In, got nothing$/],
  ])('%s', async (_what, spec, message) => {
    const e = await errorOf(read(apps + pdb('bad', spec)));
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toMatch(message);
  });

  it('policy/v1beta1 (removed in Kubernetes 1.25)', async () => {
    const e = await errorOf(read(pdb('old', '  minAvailable: 1\n  selector: {}', 'shop', 'policy/v1beta1')));
    expect(e.message).toMatch(/line 1 \(apiVersion\): expected policy\/v1 \(policy\/v1beta1 PodDisruptionBudgets were removed in Kubernetes 1\.25\), got "policy\/v1beta1"$/);
  });
});
