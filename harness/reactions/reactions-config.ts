import type { Policy } from '../../algorithms/policy.js';
import type { InstanceCatalog } from '../../model/instance-catalog.js';
import type { Workload } from '../../model/workload.js';
import { UsageError } from '../../model/errors.js';
import type { Reaction } from './reaction-host.js';
import type { ReactionsSpec } from './reactions-spec.js';
import { DisruptionBudgets } from './disruption-budgets.js';
import { createPreemption } from './preemption-reaction.js';
import { createControllers } from '../controllers/controller-reaction.js';
import { failuresSetup } from '../failures/failures-config.js';
import { autoscalerSetup } from '../autoscaler/autoscaler-config.js';
import { admissionSetup } from '../admission/admission-config.js';

/** What the simulator takes: the reactions, in hook order, and their settings for run.json. */
export interface ReactionsSetup {
  list: Reaction[];
  settings: Record<string, string | number>;
}

/** The preemption a workload gets by default: Kubernetes' for manifests, Borg's bands for traces and the generator. */
export function defaultPreemption(workload: Workload): 'kube' | 'borg' {
  return workload.priorityScale === 'kubernetes' ? 'kube' : 'borg';
}

/**
 * Turns the plain-data ReactionsSpec into the run's reactions, checking every setting before the
 * run (each model's parser names its option in a UsageError). Hook order: the disruption budgets
 * (healthy counts first), the controllers (they want a pod from its creation, so a pod a quota
 * parks counts as not ready; StatefulSet ordering holds a pod back before admission charges it),
 * admission, preemption, failures, the autoscaler (which sees what preemption could not solve). Returns a factory for the run's policy (preemption asks it about non-resource filters),
 * or undefined when nothing reacts.
 */
export function reactionsSetup(spec: ReactionsSpec, workload: Workload, catalog: InstanceCatalog, seed: number): ((policy: Policy) => ReactionsSetup) | undefined {
  const preemption = spec.preemption === undefined || spec.preemption === 'auto' ? defaultPreemption(workload) : spec.preemption;
  const controllers = spec.controllers ?? true;
  if (preemption === 'kube' && workload.priorityScale !== 'kubernetes') {
    workload.notes.push('preemption: kube on a workload whose priorities are not PriorityClass values (read as stated)');
  }
  const budgets = workload.disruptionBudgets && workload.disruptionBudgets.length > 0 ? new DisruptionBudgets(workload) : undefined;
  const view = budgets ?? NO_BUDGETS;
  const admission = admissionSetup({ quota: spec.quota }, workload);
  const failures = failuresSetup({ failures: spec.failures, zoneOutages: spec.zoneOutages, nodeLifecycle: spec.nodeLifecycle, topology: spec.topology }, workload, seed);
  const autoscaler = spec.nodeGroups === undefined ? undefined : autoscalerSetup({ nodeGroups: spec.nodeGroups, mode: spec.autoscaler, options: spec.autoscalerOptions }, workload, catalog, view);
  if (spec.nodeGroups !== undefined && !autoscaler) throw new UsageError('--node-groups: no node group given');
  const settings: Record<string, string | number> = {
    preemption,
    controllers: controllers ? 'on' : 'off',
  };
  if (budgets) settings.disruptionBudgets = workload.disruptionBudgets!.length;
  if (spec.failures !== undefined) settings.failures = spec.failures;
  if (spec.zoneOutages !== undefined) settings.zoneOutages = spec.zoneOutages.join('; ');
  if (spec.nodeLifecycle !== undefined) settings.nodeLifecycle = spec.nodeLifecycle;
  if (spec.topology !== undefined) settings.topology = spec.topology;
  if (spec.nodeGroups !== undefined) {
    settings.autoscaler = spec.autoscaler ?? 'cluster-autoscaler';
    settings.nodeGroups = spec.nodeGroups;
    if (spec.autoscalerOptions !== undefined) settings.autoscalerOptions = spec.autoscalerOptions;
  }
  if (spec.quota !== undefined) settings.quota = spec.quota;
  const anything = controllers || preemption !== 'none' || admission || failures || autoscaler || budgets;
  if (!anything) return undefined;
  return (policy) => {
    const list: Reaction[] = [];
    if (budgets) list.push(budgets);
    if (controllers) list.push(createControllers(workload, seed));
    if (admission) list.push(admission);
    if (preemption !== 'none') list.push(createPreemption(preemption, workload, view, policy));
    if (failures) list.push(failures);
    if (autoscaler) list.push(autoscaler);
    return { list, settings };
  };
}

/** The budget view of a workload without PodDisruptionBudgets: nothing is protected. */
const NO_BUDGETS = {
  budgetsOf: (): readonly number[] => EMPTY,
  allowed: (): number => Infinity,
};
const EMPTY: readonly number[] = [];
