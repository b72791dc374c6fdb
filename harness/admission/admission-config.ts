import { InputError } from '../../model/errors.js';
import type { Workload } from '../../model/workload.js';
import type { ResourceQuotaSpec } from '../../model/workload-controllers.js';
import type { Reaction } from '../reactions/reaction-host.js';
import { AdmissionReaction } from './admission-reaction.js';
import { BorgQuotaLedger } from './borg-quota.js';
import { readQuotaFile } from './quota-file.js';
import { ResourceQuotaLedger } from './resource-quota.js';

/** What the CLI passes for admission. */
export interface AdmissionSpec {
  /** `--quota FILE` (quota-file.ts): ResourceQuotas and Borg quotas added to the workload's own. */
  quota?: string;
}

/**
 * The admission reaction for a replay: the workload's own ResourceQuotas (Workload.resourceQuotas,
 * read from manifests) plus the `--quota` file's ResourceQuotas and Borg quotas. Undefined when
 * there is nothing to admit by and nothing to report (no quota, and no LimitRange rejection from
 * the reader). A file quota with the namespace/name of one of the workload's is an error (which
 * one holds would be a guess).
 */
export function admissionSetup(spec: AdmissionSpec, workload: Workload): Reaction | undefined {
  const file = spec.quota !== undefined ? readQuotaFile(spec.quota, workload.resources) : undefined;
  const own = workload.resourceQuotas ?? [];
  const quotas = [...own];
  if (file !== undefined) {
    const names = new Set(own.map((q) => `${q.namespace}/${q.name}`));
    file.resourceQuotas.forEach((q, i) => {
      const key = `${q.namespace}/${q.name}`;
      if (names.has(key)) {
        throw new InputError({ file: spec.quota!, pathAsGiven: true, line: file.resourceQuotaLines[i], field: `resourceQuotas[${i}]`, problem: `ResourceQuota ${key} is also defined in the workload` });
      }
      quotas.push(q);
    });
    workload.notes.push(...file.notes);
  }
  const borg = file?.borgQuotas ?? [];
  const limitRange = Object.keys(workload.admissionRejections ?? {}).length > 0;
  if (quotas.length === 0 && borg.length === 0 && !limitRange) return undefined;

  const parts: string[] = [];
  warnUnknownClasses(quotas, workload);
  if (quotas.length > 0) {
    const namespaces = new Set(quotas.map((q) => q.namespace)).size;
    parts.push(`${quotas.length} ResourceQuota${quotas.length === 1 ? '' : 's'} in ${namespaces} namespace${namespaces === 1 ? '' : 's'}`);
    if (workload.priorityScale !== 'kubernetes' && !(workload.controllers ?? []).some((c) => c !== undefined)) {
      workload.notes.push('quota: the workload has no namespaces (not from Kubernetes manifests): all its tasks are in namespace default');
    }
  }
  if (borg.length > 0) {
    parts.push(`${borg.length} Borg quota${borg.length === 1 ? '' : 's'} (user × band)`);
    if (workload.priorityScale === 'kubernetes') workload.notes.push('borg quota: the user of a pod read from manifests is its namespace');
  }
  if (limitRange) parts.push('LimitRange rejections from the reader');
  return new AdmissionReaction(
    workload,
    quotas.length > 0 ? new ResourceQuotaLedger(quotas, workload) : undefined,
    borg.length > 0 ? new BorgQuotaLedger(borg, workload) : undefined,
    parts.join('; '),
  );
}

/**
 * A PriorityClass scope naming a class no pod of the workload has: Kubernetes accepts it (a quota
 * may precede its pods), so it is a counted warning, not an error — most often a typo.
 */
function warnUnknownClasses(quotas: readonly ResourceQuotaSpec[], workload: Workload): void {
  if (workload.priorityScale !== 'kubernetes') return;
  const used = new Set<string>();
  for (const c of workload.jobConstraints ?? []) if (c?.priorityClassName) used.add(c.priorityClassName);
  const unknown: string[] = [];
  for (const q of quotas) {
    for (const v of q.priorityClasses?.values ?? []) if (!used.has(v)) unknown.push(`${q.namespace}/${q.name}: ${v}`);
  }
  if (unknown.length > 0) {
    workload.notes.push(`warning: quota: ${unknown.length} PriorityClass name${unknown.length === 1 ? '' : 's'} in scope selectors that no pod of the workload has (${unknown.join(', ')})`);
  }
}
