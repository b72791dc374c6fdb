import type { ControllerKind, JobController } from '../../model/workload-controllers.js';

/** Controller kinds in report order; a kind's code is its index + 1 (0 = no controller). */
export const CONTROLLER_KINDS: readonly ControllerKind[] = ['Deployment', 'ReplicaSet', 'ReplicationController', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod', 'BorgJob'];

export const enum KindCode {
  None = 0,
  Deployment = 1,
  ReplicaSet = 2,
  ReplicationController = 3,
  StatefulSet = 4,
  DaemonSet = 5,
  Job = 6,
  CronJob = 7,
  Pod = 8,
  BorgJob = 9,
}

export function kindCode(c: JobController | undefined): KindCode {
  if (c === undefined) return KindCode.None;
  const i = CONTROLLER_KINDS.indexOf(c.kind);
  if (i < 0) throw new Error(`unknown controller kind '${String(c.kind)}' (one of ${CONTROLLER_KINDS.join(', ')})`);
  return (i + 1) as KindCode;
}

/** Deployment, ReplicaSet, ReplicationController: a lost pod is replaced at once (replica-controller.ts). */
export function isReplicaKind(k: KindCode): boolean {
  return k === KindCode.Deployment || k === KindCode.ReplicaSet || k === KindCode.ReplicationController;
}

/** Job, and the Jobs a CronJob makes: the Job controller's rules (job-controller.ts). */
export function isJobKind(k: KindCode): boolean {
  return k === KindCode.Job || k === KindCode.CronJob;
}
