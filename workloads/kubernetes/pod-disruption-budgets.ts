import type { DisruptionBudget, IntOrPercent } from '../../model/workload-controllers.js';
import type { LabelSelector, PlacementConstraints } from '../../model/placement-constraints.js';
import { matchesLabelSelector } from '../../model/label-selector-matching.js';
import { Fields } from './fields.js';
import type { FieldPath, ManifestObject } from './manifest-documents.js';
import { labelSelector } from './pod-constraints.js';

/**
 * PodDisruptionBudget (policy/v1) objects, validated as the API server does
 * (pkg/apis/policy/validation ValidatePodDisruptionBudgetSpec): minAvailable and maxUnavailable
 * may not both be set; each is an integer ≥ 0 or a percentage `N%` of at most 100%; the selector
 * is a valid label selector. policy/v1 semantics: a missing (null) selector selects no pod, an
 * empty one (`{}`) every pod of the namespace. Kubernetes accepts a budget that sets neither
 * number: the disruption controller then wants 0 pods healthy (pkg/controller/disruption
 * getExpectedPodCount), so it allows every disruption — kept as minAvailable 0, with a warning.
 * The budget selects the Workload jobs of its namespace whose pod template labels match
 * (DisruptionBudget.jobs); one selecting nothing is accepted by Kubernetes and warned about.
 */
export interface BudgetRead {
  budget: DisruptionBudget;
  /** undefined = null selector (selects no pod). */
  selector: LabelSelector | undefined;
  /** Neither minAvailable nor maxUnavailable set (read as minAvailable 0). */
  neither: boolean;
}

const PERCENT = /^[0-9]+%$/;

function intOrPercent(f: Fields, p: FieldPath): IntOrPercent | undefined {
  const v = f.raw(p);
  if (v === undefined) return undefined;
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 0 || v > 2_147_483_647) throw f.at.error(p, 'an integer ≥ 0 or a percentage such as "50%"', v);
    return { value: v, percent: false };
  }
  if (typeof v !== 'string' || !PERCENT.test(v)) throw f.at.error(p, "an integer or percentage (e.g '5%')", v);
  const value = Number(v.slice(0, -1));
  if (value > 100) throw f.at.error(p, 'a percentage no more than 100%', v);
  return { value, percent: true };
}

/** Reads one PodDisruptionBudget (its jobs are resolved later: resolveBudgetJobs). */
export function readPodDisruptionBudget(o: ManifestObject): BudgetRead {
  const f = new Fields(o.body, o.at);
  if (o.apiVersion !== 'policy/v1') throw o.at.error(['apiVersion'], 'policy/v1 (policy/v1beta1 PodDisruptionBudgets were removed in Kubernetes 1.25)', o.apiVersion);
  const name = f.requiredString(['metadata', 'name'], 'a PodDisruptionBudget name');
  const namespace = f.string(['metadata', 'namespace']) || 'default';
  const minAvailable = intOrPercent(f, ['spec', 'minAvailable']);
  const maxUnavailable = intOrPercent(f, ['spec', 'maxUnavailable']);
  if (minAvailable !== undefined && maxUnavailable !== undefined) throw o.at.problem(['spec'], 'minAvailable and maxUnavailable cannot be both set');
  f.oneOf(['spec', 'unhealthyPodEvictionPolicy'], ['IfHealthyBudget', 'AlwaysAllow'] as const);
  const selector = f.object(['spec', 'selector']) === undefined ? undefined : labelSelector(f, ['spec', 'selector']);
  const budget: DisruptionBudget = { name: `${namespace}/${name}`, namespace, jobs: [] };
  const neither = minAvailable === undefined && maxUnavailable === undefined;
  if (maxUnavailable !== undefined) budget.maxUnavailable = maxUnavailable;
  else budget.minAvailable = minAvailable ?? { value: 0, percent: false };
  return { budget, selector, neither };
}

/** Does the budget select the pods of a job (its namespace, its pod template labels)? */
export function budgetSelects(b: BudgetRead, constraints: PlacementConstraints | undefined): boolean {
  if (b.selector === undefined || constraints === undefined) return false;
  if ((constraints.namespace ?? 'default') !== b.budget.namespace) return false;
  return matchesLabelSelector(constraints.labels ?? {}, b.selector);
}

/** Fills each budget's jobs from the jobs' constraints (job numbers in ascending order). */
export function resolveBudgetJobs(budgets: readonly BudgetRead[], jobConstraints: ReadonlyArray<PlacementConstraints | undefined>): void {
  for (const b of budgets) {
    for (let j = 0; j < jobConstraints.length; j++) if (budgetSelects(b, jobConstraints[j])) b.budget.jobs.push(j);
  }
}
