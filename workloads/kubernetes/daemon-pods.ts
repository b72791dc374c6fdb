import type { MachineSpec } from '../../model/machine.js';
import type { PlacementConstraints } from '../../model/placement-constraints.js';
import { allocTaskBatch, type TaskBatch } from '../../model/task-batch.js';
import type { JobController } from '../../model/workload-controllers.js';
import { daemonWantsNode } from './daemonsets.js';
import { budgetSelects, type BudgetRead } from './pod-disruption-budgets.js';
import { DIMS } from './resources.js';

/** A DaemonSet as a template for the pods of nodes that join later. */
export interface DaemonTemplate {
  /** `DaemonSet/<namespace>/<name>`: the job name before `@<node>`. */
  base: string;
  /** The template's constraints with the daemon tolerations, not yet pinned to a node. */
  constraints: PlacementConstraints;
  request: Float64Array;
  limit: Float64Array;
  priority: number;
  user: number;
  /** Run time once started, µs; NaN = until the end. */
  duration: number;
  /** Copied for each new job (each job owns its controller record). */
  controller: JobController;
  /** Admission's reason when its pods are rejected (LimitRange): none is created, each counted. */
  rejection?: string;
}

/** The arrays the new pods' jobs are appended to (the workload's own). */
export interface DaemonTargets {
  jobs: string[];
  jobConstraints: Array<PlacementConstraints | undefined>;
  controllers: Array<JobController | undefined>;
  budgets: readonly BudgetRead[];
  admissionRejections?: Record<string, number>;
}

/**
 * Workload.daemonPodsFor for manifests: the DaemonSet controller's answer to a node that joins
 * after the start (pkg/controller/daemon: a pod for every DaemonSet whose node selector, required
 * node affinity and tolerations admit the node, daemonsets.ts). Each pod is a new Workload job
 * `DaemonSet/<ns>/<name>@<node>` pinned to the node by nodeName, arriving at `time`, with its
 * DaemonSet's controller, and joins the PodDisruptionBudgets that select its labels. A DaemonSet
 * whose pods admission rejects makes none: each attempt is counted in admissionRejections.
 */
export function daemonPodsFactory(templates: readonly DaemonTemplate[], into: DaemonTargets): (machine: MachineSpec, time: number) => TaskBatch | undefined {
  return (machine, time) => {
    const wanted: DaemonTemplate[] = [];
    for (const t of templates) {
      if (!daemonWantsNode(t.constraints, machine)) continue;
      if (t.rejection !== undefined) {
        if (into.admissionRejections !== undefined) into.admissionRejections[t.rejection] = (into.admissionRejections[t.rejection] ?? 0) + 1;
        continue;
      }
      wanted.push(t);
    }
    if (wanted.length === 0) return undefined;
    const b = allocTaskBatch(wanted.length, DIMS);
    wanted.forEach((t, i) => {
      const job = into.jobs.length;
      const constraints: PlacementConstraints = { ...t.constraints, nodeName: machine.id };
      into.jobs.push(`${t.base}@${machine.id}`);
      into.jobConstraints.push(constraints);
      into.controllers.push({ ...t.controller });
      for (const budget of into.budgets) if (budgetSelects(budget, constraints)) budget.budget.jobs.push(job);
      b.submitTime[i] = time;
      b.duration[i] = t.duration;
      b.request.set(t.request, i * DIMS);
      b.limit.set(t.limit, i * DIMS);
      b.priority[i] = t.priority;
      b.job[i] = job;
      b.taskIndex[i] = 0;
      b.user[i] = t.user;
    });
    return b;
  };
}
