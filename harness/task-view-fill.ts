import type { TaskView } from '../model/task-view.js';
import type { PlacementConstraints } from '../model/placement-constraints.js';
import type { TaskStore } from './task-store.js';

/** A TaskView whose fields a caller refills per task (no allocation per decision). */
export type MutableTaskView = { -readonly [K in keyof TaskView]: TaskView[K] };

/**
 * Refills `view` with `task` as a policy sees it: the vector it is admitted by (its request, or
 * its overcommit charge, flat `task * dims + d` in `admission`), priority, job, user, constraints
 * and duration. Shared by the simulator and the reactions that ask the policy (preemption).
 */
export function fillTaskView(view: MutableTaskView, tasks: TaskStore, admission: Float64Array, constraints: ReadonlyArray<PlacementConstraints | undefined> | undefined, task: number): TaskView {
  const D = tasks.dims;
  for (let d = 0; d < D; d++) view.request[d] = admission[task * D + d];
  // The task's own id (its row may be a reused slot: TaskStore recycling).
  view.id = tasks.id[task];
  view.priority = tasks.priority[task];
  view.job = tasks.job[task];
  view.user = tasks.user[task];
  view.missingRequest = tasks.missing[task] === 1;
  view.constraints = constraints?.[tasks.job[task]];
  view.duration = tasks.duration[task];
  return view;
}
