import { describe, expect, it } from 'vitest';
import { parseQuotaFile, readQuotaFile } from '../harness/admission/quota-file.js';
import { admissionSetup } from '../harness/admission/admission-config.js';
import { InputError, UsageError } from '../model/errors.js';
import { GOOGLE_2011_RESOURCES } from '../workloads/google-2011/units.js';
import { KUBERNETES_RESOURCES } from '../workloads/kubernetes/resources.js';
import { quotaSpec, quotaWorkload } from './fixtures/quota-workload.js';

const GiB = 2 ** 30;
const FIXTURE = 'test/fixtures/quota/quotas.yaml';

/** The one-line error a quota file text gives. */
function errorOf(text: string, schema = KUBERNETES_RESOURCES): string {
  try {
    parseQuotaFile(text, 'q.yaml', schema);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe('quota file', () => {
  it('reads ResourceQuotas (flat and object form) and Borg quotas into the workload’s units', () => {
    const f = readQuotaFile(FIXTURE, KUBERNETES_RESOURCES);
    expect(f.resourceQuotas).toEqual([
      // cpu millicores, memory bytes, gpu milli-GPU, pods (the node's pod capacity: never a quota dimension).
      { name: 'compute', namespace: 'team-a', requests: [4000, 8 * GiB, NaN, NaN], limits: [8000, 16 * GiB, NaN, NaN], pods: 10 },
      { name: 'high-priority', namespace: 'team-b', requests: [1500, NaN, 2000, NaN], limits: [NaN, NaN, NaN, NaN], pods: NaN, priorityClasses: { operator: 'In', values: ['high', 'critical'] } },
      { name: 'quota-3', namespace: 'team-b', requests: [NaN, NaN, NaN, NaN], limits: [NaN, NaN, NaN, NaN], pods: 3, scopes: ['BestEffort'] },
    ]);
    expect(f.resourceQuotaLines).toEqual([3, 12, 28]);
    expect(f.borgQuotas).toEqual([
      { user: 'alice', band: 'production', limit: [32_000, 128 * GiB, NaN, NaN] },
      { user: '*', band: 'default', limit: [500, NaN, NaN, NaN] },
    ]);
    expect(f.notes).toEqual([`quota ${FIXTURE}: hard limits Kubernetes accepts but schedlab does not track, not enforced: services, count/deployments.apps`]);
  });

  it('Borg quotas on a Google workload: cores and bytes after the machine scale', () => {
    const f = parseQuotaFile('borgQuotas:\n  - { user: u1, band: mid, cpu: 8, memory: 32Gi }\n', 'q.yaml', GOOGLE_2011_RESOURCES);
    expect(f.borgQuotas).toEqual([{ user: 'u1', band: 'mid', limit: [8000, 32 * GiB] }]);
    expect(f.resourceQuotas).toEqual([]);
  });

  it('a bad value names the file, line and field', () => {
    expect(() => readQuotaFile('test/fixtures/quota/quota-mistake.yaml', KUBERNETES_RESOURCES)).toThrow(
      'test/fixtures/quota/quota-mistake.yaml line 6 (resourceQuotas[0].hard.requests.memory): expected a Kubernetes quantity such as 250m, 0.5, 2, 512Mi, 1Gi, 1G or 1e3 (non-negative), got "eight-gigs"',
    );
  });

  it('mistakes the API server rejects, each with its line', () => {
    const rq = (body: string) => `resourceQuotas:\n  - namespace: a\n${body}`;
    expect(errorOf(rq('    hard: { cpus: 2 }\n'))).toBe(
      'q.yaml line 3 (resourceQuotas[0].hard.cpus): expected a ResourceQuota resource name such as requests.cpu, requests.memory, limits.cpu, limits.memory, pods, requests.nvidia.com/gpu, got "cpus"',
    );
    expect(errorOf(rq('    hard: { pods: -1 }\n'))).toMatch(/^q\.yaml line 3 \(resourceQuotas\[0\]\.hard\.pods\): expected a Kubernetes quantity/);
    expect(errorOf(rq('    hard: { requests.cpu: 1 }\n    scopes: [BestEffort]\n'))).toBe(
      'q.yaml line 4 (resourceQuotas[0].scopes[0]): unsupported scope applied to resource: BestEffort cannot bound requests.cpu (only pods)',
    );
    expect(errorOf(rq('    hard: { services: 1 }\n    scopes: [NotTerminating]\n'))).toMatch(/line 4 .*NotTerminating cannot bound services$/);
    expect(errorOf(rq('    hard: { pods: 1 }\n    scopes: [BestEffort, NotBestEffort]\n'))).toBe('q.yaml line 4 (resourceQuotas[0].scopes[1]): conflicting scopes: BestEffort and NotBestEffort');
    expect(errorOf(rq('    hard: { pods: 1 }\n    scopes: [Sometimes]\n'))).toMatch(/^q\.yaml line 4 \(resourceQuotas\[0\]\.scopes\[0\]\): expected a scope \(Terminating, NotTerminating, BestEffort, NotBestEffort, PriorityClass, CrossNamespacePodAffinity, VolumeAttributesClass\), got "Sometimes"$/);
    const sel = (x: string) => rq(`    hard: { pods: 1 }\n    scopeSelector:\n      matchExpressions:\n        - ${x}\n`);
    expect(errorOf(sel('{ scopeName: BestEffort, operator: DoesNotExist }'))).toBe(
      'q.yaml line 6 (resourceQuotas[0].scopeSelector.matchExpressions[0].operator): expected Exists (the only operator for scope BestEffort), got "DoesNotExist"',
    );
    expect(errorOf(sel('{ scopeName: PriorityClass, operator: In }'))).toMatch(/^q\.yaml line 6 \(resourceQuotas\[0\]\.scopeSelector\.matchExpressions\[0\]\.values\): expected at least one PriorityClass name \(operator In\)/);
    expect(errorOf(sel('{ scopeName: PriorityClass, operator: Exists, values: [a] }'))).toMatch(/line 6 .*values\): expected no values \(operator Exists\)/);
    expect(errorOf(sel('{ scopeName: PriorityClass, operator: Near, values: [a] }'))).toMatch(/operator\): expected an operator \(In, NotIn, Exists, DoesNotExist\), got "Near"$/);
    expect(errorOf(rq('    hard: { pods: 1 }\n    limit: 3\n'))).toBe('q.yaml line 4 (resourceQuotas[0].limit): expected one of the keys name, namespace, hard, scopes, scopeSelector, got "limit"');
    expect(errorOf(rq('    name: x\n'))).toMatch(/^q\.yaml line 2 \(resourceQuotas\[0\]\.hard\): expected a mapping of resource names to quantities \(hard\), got nothing$/);
  });

  it('object form: apiVersion, kind and metadata.name are checked', () => {
    expect(errorOf('resourceQuotas:\n  - kind: LimitRange\n    metadata: { name: x }\n    spec: { hard: { pods: 1 } }\n')).toBe('q.yaml line 2 (resourceQuotas[0].kind): expected ResourceQuota, got "LimitRange"');
    expect(errorOf('resourceQuotas:\n  - kind: ResourceQuota\n    metadata: { namespace: x }\n    spec: { hard: { pods: 1 } }\n')).toMatch(/^q\.yaml line 3 \(resourceQuotas\[0\]\.metadata\.name\): expected a ResourceQuota name, got nothing$/);
  });

  it('duplicates: a quota or a Borg entry given twice, a YAML key given twice', () => {
    expect(errorOf('resourceQuotas:\n  - { name: q, namespace: a, hard: { pods: 1 } }\n  - { name: q, namespace: a, hard: { pods: 2 } }\n')).toBe(
      'q.yaml line 3 (resourceQuotas[1]): ResourceQuota a/q is given twice (first at line 2)',
    );
    expect(errorOf('borgQuotas:\n  - { user: a, band: mid, cpu: 1 }\n  - { user: a, band: mid, cpu: 2 }\n')).toBe('q.yaml line 3 (borgQuotas[1]): the Borg quota of user a, band mid is given twice (first at line 2)');
    expect(errorOf('borgQuotas:\n  - { user: a, band: mid, cpu: 1, cpu: 2 }\n')).toMatch(/^q\.yaml line 2: not valid YAML: Map keys must be unique/);
  });

  it('Borg entries: band, user and resources are checked', () => {
    expect(errorOf('borgQuotas:\n  - { user: a, band: gold, cpu: 1 }\n')).toBe(
      'q.yaml line 2 (borgQuotas[0].band): expected a band (free, best-effort-batch, mid, production, monitoring, default), got "gold"',
    );
    expect(errorOf('borgQuotas:\n  - { band: mid, cpu: 1 }\n')).toMatch(/^q\.yaml line 2 \(borgQuotas\[0\]\.user\): expected a user name or '\*', got nothing$/);
    expect(errorOf('borgQuotas:\n  - { user: a, band: mid }\n')).toBe('q.yaml line 2 (borgQuotas[0]): a Borg quota needs at least one of cpu, memory, gpu');
    expect(errorOf('borgQuotas:\n  - { user: a, band: mid, gpu: 1 }\n', GOOGLE_2011_RESOURCES)).toBe('q.yaml line 2 (borgQuotas[0].gpu): expected one of the keys user, band, cpu, memory, got "gpu"');
  });

  it('the file as a whole: YAML syntax, shape, emptiness', () => {
    expect(errorOf('resourceQuotas:\n  - { name: q\n')).toMatch(/^q\.yaml line \d: not valid YAML/);
    expect(errorOf('quotas: []\n')).toBe('q.yaml line 1 (quotas): expected one of the keys resourceQuotas, borgQuotas, got "quotas"');
    expect(errorOf('resourceQuotas: []\n')).toBe('q.yaml line 1: holds no quota (resourceQuotas and borgQuotas are empty)');
    expect(errorOf('- a\n')).toMatch(/^q\.yaml line 1: expected a mapping with resourceQuotas and\/or borgQuotas, got "a list"$/);
  });

  it('--quota names a missing file as a usage error', () => {
    expect(() => readQuotaFile('test/fixtures/quota/none.yaml', KUBERNETES_RESOURCES)).toThrow(UsageError);
    expect(() => readQuotaFile('test/fixtures/quota/none.yaml', KUBERNETES_RESOURCES)).toThrow("--quota: no such file 'test/fixtures/quota/none.yaml'");
  });

  it('admissionSetup adds the file’s quotas to the workload’s and refuses one defined in both', () => {
    const own = quotaSpec('team-a', 'compute', { pods: 1 });
    const { workload } = quotaWorkload([{ ns: 'team-a', cpu: 100, mem: 100 }], { quotas: [own] });
    expect(() => admissionSetup({ quota: FIXTURE }, workload)).toThrow(`${FIXTURE} line 3 (resourceQuotas[0]): ResourceQuota team-a/compute is also defined in the workload`);
    const other = quotaWorkload([{ ns: 'team-a', cpu: 100, mem: 100 }]).workload;
    expect(admissionSetup({ quota: FIXTURE }, other)).toBeDefined();
    expect(other.notes.some((n) => n.includes('not enforced: services'))).toBe(true);
  });

  it('a PriorityClass in a scope selector that no pod has is a counted warning (Kubernetes accepts it)', () => {
    const { workload } = quotaWorkload([{ ns: 'team-b', cpu: 100, mem: 100, priorityClass: 'high' }]);
    admissionSetup({ quota: FIXTURE }, workload);
    expect(workload.notes.filter((n) => n.startsWith('warning: quota:'))).toEqual([
      'warning: quota: 1 PriorityClass name in scope selectors that no pod of the workload has (team-b/high-priority: critical)',
    ]);
  });

  it('a quota scoped to what the model does not have (CrossNamespacePodAffinity) is not applied, with a warning', () => {
    const f = parseQuotaFile('resourceQuotas:\n  - { name: x, namespace: a, hard: { pods: 1 }, scopes: [CrossNamespacePodAffinity] }\n  - { name: y, namespace: a, hard: { pods: 2 } }\n', 'q.yaml', KUBERNETES_RESOURCES);
    expect(f.resourceQuotas.map((q) => q.name)).toEqual(['y']);
    expect(f.notes).toEqual(['warning: quota q.yaml line 2: ResourceQuota a/x is scoped to CrossNamespacePodAffinity, which the model does not have: not applied']);
  });
});
