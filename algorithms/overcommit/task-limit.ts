import type { OvercommitTask } from './overcommit-policy.js';

/**
 * What a task may use in dimension d, as Borg and the peak predictors count it: its limit, or its
 * request when it has no limit (a limit alone implies an equal request in Kubernetes, and a task
 * with only a request is admitted by it), 0 when it has neither. Only positive quantities count,
 * as for the QoS class (model/qos-class.ts).
 */
export function limitOrRequest(task: OvercommitTask, d: number): number {
  const lim = task.limit[d];
  if (lim > 0) return lim;
  const req = task.request[d];
  return req > 0 ? req : 0;
}

/** The task's request in dimension d, 0 when not given. */
export function requestOrZero(task: OvercommitTask, d: number): number {
  const req = task.request[d];
  return req > 0 ? req : 0;
}
