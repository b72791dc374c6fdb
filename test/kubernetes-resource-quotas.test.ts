import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readKubernetesManifests, type KubernetesReadOptions } from '../workloads/kubernetes/reader.js';
import { InputError } from '../model/errors.js';
import type { Workload } from '../model/workload.js';
import { GiB } from '../model/units.js';

/**
 * ResourceQuota objects in the Kubernetes reader (enforced at run time by the admission reaction):
 * hard limits in the reader's units (millicores, bytes, milli-GPU; NaN = not limited), scopes and
 * scope selectors validated as the API server does (pkg/apis/core/validation), and the keys it
 * does not model counted in the notes.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'schedlab-k8s-quota-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SHAPE: KubernetesReadOptions = { nodes: 1, nodeShape: { cpuMillicores: 4000, memoryBytes: 16 * GiB }, instanceType: 'm5.xlarge' };

let n = 0;
async function read(yaml: string): Promise<Workload> {
  const file = path.join(dir, `q${n++}.yaml`);
  writeFileSync(file, yaml);
  return readKubernetesManifests(file, SHAPE);
}
const errorOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('no error');
};
const quota = (name: string, spec: string, ns = 'team') => `apiVersion: v1
kind: ResourceQuota
metadata: {name: ${name}, namespace: ${ns}}
spec:
${spec}
---
`;

describe('hard limits', () => {
  it('requests (cpu is requests.cpu), limits, GPUs and pods, in the reader units; unset dimensions are NaN', async () => {
    const w = await read(
      quota('compute', '  hard:\n    requests.cpu: "2"\n    requests.memory: 4Gi\n    limits.cpu: 4\n    limits.memory: 8Gi\n    requests.nvidia.com/gpu: 2\n    pods: "10"') +
        quota('plain', '  hard:\n    cpu: 1500m\n    memory: 1G', 'other'),
    );
    expect(w.resourceQuotas).toEqual([
      { name: 'compute', namespace: 'team', requests: [2000, 4 * GiB, 2000, NaN], limits: [4000, 8 * GiB, NaN, NaN], pods: 10 },
      { name: 'plain', namespace: 'other', requests: [1500, 1e9, NaN, NaN], limits: [NaN, NaN, NaN, NaN], pods: NaN },
    ]);
    expect(w.notes).toContain('ResourceQuotas: 2 (team, other), enforced at admission when the replay runs admission');
  });

  it('cpu and requests.cpu both given: the same usage, so the smaller binds', async () => {
    const w = await read(quota('both', '  hard:\n    cpu: "3"\n    requests.cpu: "2"'));
    expect(w.resourceQuotas?.[0].requests[0]).toBe(2000);
  });

  it('keys Kubernetes accepts but the reader does not model are counted, not dropped silently', async () => {
    const w = await read(quota('objects', '  hard:\n    pods: 5\n    count/deployments.apps: 3\n    services: 2\n    requests.storage: 10Gi\n    limits.nvidia.com/gpu: 1'));
    expect(w.resourceQuotas?.[0].pods).toBe(5);
    expect(w.notes).toContain(
      'ResourceQuotas: 1 (team), enforced at admission when the replay runs admission; hard keys not modeled (not enforced), by quotas: count/deployments.apps ×1, services ×1, requests.storage ×1, limits.nvidia.com/gpu ×1',
    );
  });

  it.each([
    ['a key that is not a quota resource', '  hard:\n    cores: 4', /q\d+\.yaml line 6 \(spec\.hard\.cores\): expected a standard resource for quota/],
    ['a negative amount', '  hard:\n    cpu: "-1"', /line 6 \(spec\.hard\.cpu\): expected a Kubernetes quantity/],
    ['a fractional pod count', '  hard:\n    pods: 1.5', /line 6 \(spec\.hard\.pods\): expected an integer \(pods are counted\), got "1\.5"$/],
  ])('refused: %s', async (_what, spec, message) => {
    const e = await errorOf(read(quota('bad', spec)));
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toMatch(message);
  });
});

describe('scopes and scope selectors', () => {
  it('spec.scopes and scopeSelector scopes; a PriorityClass expression', async () => {
    const w = await read(
      quota('be', '  hard: {pods: 20}\n  scopes: [BestEffort]') +
        quota('long', '  hard: {requests.cpu: 4}\n  scopes: [NotBestEffort, NotTerminating]') +
        quota('high', '  hard: {requests.cpu: 8, pods: 4}\n  scopeSelector:\n    matchExpressions:\n    - {scopeName: PriorityClass, operator: In, values: [high, critical]}\n    - {scopeName: Terminating, operator: Exists}'),
    );
    expect(w.resourceQuotas?.map((q) => [q.name, q.scopes, q.priorityClasses])).toEqual([
      ['be', ['BestEffort'], undefined],
      ['long', ['NotBestEffort', 'NotTerminating'], undefined],
      ['high', ['Terminating'], { operator: 'In', values: ['high', 'critical'] }],
    ]);
  });

  it('a quota for pods with cross-namespace affinity terms is not applied, and the notes say so', async () => {
    const w = await read(quota('xns', '  hard: {pods: 2}\n  scopes: [CrossNamespacePodAffinity]'));
    expect(w.resourceQuotas).toBeUndefined();
    expect(w.notes).toContain('warning: ResourceQuota team/xns: scope CrossNamespacePodAffinity is not modeled, so the quota is not applied');
  });

  it.each([
    ['BestEffort bounding cpu', '  hard: {cpu: 1}\n  scopes: [BestEffort]', /\(spec\.scopes\[0\]\): unsupported scope applied to resource: scope BestEffort cannot bound cpu$/],
    ['BestEffort with NotBestEffort', '  hard: {pods: 1}\n  scopes: [BestEffort, NotBestEffort]', /\(spec\): conflicting scopes: BestEffort and NotBestEffort$/],
    ['an unknown scope', '  hard: {pods: 1}\n  scopes: [Cheap]', /\(spec\.scopes\[0\]\): expected one of BestEffort, NotBestEffort, Terminating/],
    [
      'In without values',
      '  hard: {pods: 1}\n  scopeSelector:\n    matchExpressions:\n    - {scopeName: PriorityClass, operator: In}',
      /\(spec\.scopeSelector\.matchExpressions\[0\]\.values\): must be at least one value when `operator` is 'In' or 'NotIn' for scope selector$/,
    ],
    [
      'a QoS scope with an operator other than Exists',
      '  hard: {pods: 1}\n  scopeSelector:\n    matchExpressions:\n    - {scopeName: BestEffort, operator: In, values: [x]}',
      /\(spec\.scopeSelector\.matchExpressions\[0\]\.operator\): must be 'Exist' only operator when scope is any of/,
    ],
  ])('refused: %s', async (_what, spec, message) => {
    const e = await errorOf(read(quota('bad', spec)));
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toMatch(message);
  });
});
