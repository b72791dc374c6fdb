import type { ResourceQuotaSpec } from '../../model/workload-controllers.js';
import { isQualifiedName } from '../../model/labels.js';
import { Fields } from './fields.js';
import type { ManifestObject } from './manifest-documents.js';
import { isWholeQuantity, parseQuantity, quantityToUnits, QUANTITY_EXPECTED } from './quantity.js';
import { DIM_CPU, DIM_GPU, DIM_MEMORY, DIMS } from './resources.js';

/**
 * ResourceQuota (v1) objects → ResourceQuotaSpec (its name the bare object name, as quota
 * messages quote it), in the reader's units (millicores, bytes, milli-GPU), NaN = not limited
 * (`pods` too). Hard keys read (kubernetes.io/docs/concepts/policy/resource-quotas):
 * `cpu` and `requests.cpu`, `memory` and `requests.memory` (the same usage: when both are given
 * the smaller binds), `limits.cpu`, `limits.memory`, `requests.nvidia.com/gpu` (extended resources
 * take only the `requests.` prefix), `pods`. Other keys (object counts `count/...`, `services`,
 * storage, ephemeral-storage, hugepages, other extended resources) are not modeled: counted and
 * named in the notes, never silently dropped. Scopes: `spec.scopes` and `spec.scopeSelector`
 * (scopeName BestEffort / NotBestEffort / Terminating / NotTerminating with Exists, PriorityClass
 * with In / NotIn / Exists / DoesNotExist), validated as the API server does
 * (pkg/apis/core/validation validateResourceQuotaScopes, validateScopedResourceSelectorRequirement):
 * no BestEffort with NotBestEffort or Terminating with NotTerminating; BestEffort only bounds `pods`;
 * the other scopes only pod counts and compute resources.
 */

const SCOPES = ['BestEffort', 'NotBestEffort', 'Terminating', 'NotTerminating', 'PriorityClass', 'CrossNamespacePodAffinity', 'VolumeAttributesClass'] as const;
type Scope = (typeof SCOPES)[number];
type PodScope = NonNullable<ResourceQuotaSpec['scopes']>[number];

const REQUESTS: Record<string, number> = { cpu: DIM_CPU, 'requests.cpu': DIM_CPU, memory: DIM_MEMORY, 'requests.memory': DIM_MEMORY, 'requests.nvidia.com/gpu': DIM_GPU };
const LIMITS: Record<string, number> = { 'limits.cpu': DIM_CPU, 'limits.memory': DIM_MEMORY };
const PER_UNIT = [1000, 1, 1000];
/** Pod compute resources and pod counts: what scopes other than BestEffort may bound. */
const POD_COMPUTE = new Set(['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory', 'pods']);
/** IsStandardQuotaResourceName (pkg/apis/core/helper): the unprefixed names a quota may bound. */
const STANDARD_QUOTA = new Set([
  'cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.storage', 'requests.ephemeral-storage',
  'limits.cpu', 'limits.memory', 'limits.ephemeral-storage', 'pods', 'resourcequotas', 'services', 'replicationcontrollers',
  'secrets', 'persistentvolumeclaims', 'configmaps', 'services.nodeports', 'services.loadbalancers',
]);
const isStandardQuota = (k: string) => STANDARD_QUOTA.has(k) || k.startsWith('hugepages-') || k.startsWith('requests.hugepages-');

export interface QuotaRead {
  /** undefined when the quota cannot bound pods the way this reader models them (`notApplied` says why). */
  spec?: ResourceQuotaSpec;
  notApplied?: string;
}

/**
 * Reads one ResourceQuota; `unmodeled` counts the hard keys it holds that are not modeled. A quota
 * scoped to CrossNamespacePodAffinity (pods with cross-namespace affinity terms) or
 * VolumeAttributesClass (volume claims) is not applied to pods: `notApplied` says so for the notes.
 */
export function readResourceQuota(o: ManifestObject, unmodeled: Map<string, number>): QuotaRead {
  const f = new Fields(o.body, o.at);
  const name = f.requiredString(['metadata', 'name'], 'a ResourceQuota name');
  const namespace = f.string(['metadata', 'namespace']) || 'default';
  const requests = new Array<number>(DIMS).fill(NaN);
  const limits = new Array<number>(DIMS).fill(NaN);
  let pods = NaN;
  const hard = f.object(['spec', 'hard']) ?? {};
  const keys = Object.keys(hard);
  for (const key of keys) {
    const p = ['spec', 'hard', key];
    const v = hard[key];
    const text = typeof v === 'string' ? v : typeof v === 'number' ? (f.at.sourceText(p) ?? String(v)) : undefined;
    const q = text === undefined ? null : parseQuantity(text);
    if (q === null) throw f.at.error(p, `${QUANTITY_EXPECTED} (non-negative)`, v);
    const req = REQUESTS[key];
    const lim = LIMITS[key];
    if (key === 'pods') {
      if (!isWholeQuantity(q)) throw f.at.error(p, 'an integer (pods are counted)', v);
      pods = quantityToUnits(q, 1);
    } else if (req !== undefined) {
      const units = quantityToUnits(q, PER_UNIT[req]);
      requests[req] = requests[req] === requests[req] ? Math.min(requests[req], units) : units;
    } else if (lim !== undefined) {
      limits[lim] = quantityToUnits(q, PER_UNIT[lim]);
    } else {
      // Kubernetes accepts standard names and qualified ones (count/<resource>, extended resources); this reader models neither.
      const valid = key.includes('/') ? isQualifiedName(key) : isStandardQuota(key);
      if (!valid) throw f.at.error(p, 'a standard resource for quota (cpu, memory, requests.*, limits.*, pods, count/<resource>, ...)', key);
      unmodeled.set(key, (unmodeled.get(key) ?? 0) + 1);
    }
  }

  // The bare name, as quota messages quote it ("exceeded quota: <name>, ...").
  const spec: ResourceQuotaSpec = { name, namespace, requests, limits, pods };
  const scopes = new Set<Scope>();
  const podScopes: PodScope[] = [];
  const checkScope = (scope: Scope, p: (string | number)[]) => {
    for (const key of keys) {
      if (!isStandardQuota(key)) continue;
      const ok = scope === 'BestEffort' ? key === 'pods' : scope === 'CrossNamespacePodAffinity' || scope === 'VolumeAttributesClass' ? true : POD_COMPUTE.has(key);
      if (!ok) throw f.at.problem(p, `unsupported scope applied to resource: scope ${scope} cannot bound ${key}`);
    }
    scopes.add(scope);
    if (scope === 'BestEffort' || scope === 'NotBestEffort' || scope === 'Terminating' || scope === 'NotTerminating') podScopes.push(scope);
  };
  const ns = f.list(['spec', 'scopes']);
  for (let i = 0; i < ns; i++) {
    const scope = f.oneOf(['spec', 'scopes', i], SCOPES)!;
    checkScope(scope, ['spec', 'scopes', i]);
  }
  const ne = f.list(['spec', 'scopeSelector', 'matchExpressions']);
  for (let i = 0; i < ne; i++) {
    const p = ['spec', 'scopeSelector', 'matchExpressions', i];
    const scope = f.oneOf([...p, 'scopeName'], SCOPES);
    if (scope === undefined) throw f.at.error([...p, 'scopeName'], `one of ${SCOPES.join(', ')}`, undefined);
    const operator = f.oneOf([...p, 'operator'], ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const);
    if (operator === undefined) throw f.at.error([...p, 'operator'], 'In, NotIn, Exists or DoesNotExist', undefined);
    const values = f.stringList([...p, 'values']) ?? [];
    if ((operator === 'In' || operator === 'NotIn') && values.length === 0) throw f.at.problem([...p, 'values'], "must be at least one value when `operator` is 'In' or 'NotIn' for scope selector");
    if ((operator === 'Exists' || operator === 'DoesNotExist') && values.length > 0) throw f.at.problem([...p, 'values'], "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector");
    if (scope !== 'PriorityClass' && scope !== 'VolumeAttributesClass' && operator !== 'Exists') {
      throw f.at.problem([...p, 'operator'], `must be 'Exist' only operator when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort and ResourceQuotaScopeNotBestEffort`);
    }
    if (scope === 'PriorityClass') {
      if (spec.priorityClasses !== undefined) throw f.at.problem(p, 'a second PriorityClass scope expression: this reader models one per ResourceQuota');
      spec.priorityClasses = { operator, values };
    }
    checkScope(scope, p);
  }
  for (const [a, b] of [['BestEffort', 'NotBestEffort'], ['Terminating', 'NotTerminating']] as const) {
    if (scopes.has(a) && scopes.has(b)) throw f.at.problem(['spec'], `conflicting scopes: ${a} and ${b}`);
  }
  for (const scope of ['CrossNamespacePodAffinity', 'VolumeAttributesClass'] as const) {
    if (scopes.has(scope)) return { notApplied: `ResourceQuota ${namespace}/${name}: scope ${scope} is not modeled, so the quota is not applied` };
  }
  if (podScopes.length > 0) spec.scopes = podScopes;
  return { spec };
}
