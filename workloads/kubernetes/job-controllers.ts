import type { ControllerKind, JobController, RestartPolicy } from '../../model/workload-controllers.js';
import type { Fields } from './fields.js';
import type { FieldPath } from './manifest-documents.js';
import { secondsToMicros } from './durations.js';
import type { PreemptionPolicy } from './priority-classes.js';

/**
 * What a manifest's controller does with its pods over time (model/workload-controllers.ts), read
 * as the API server defaults and validates it (pkg/apis/apps, pkg/apis/batch, pkg/apis/core):
 * - restartPolicy (the pod template's): Always by default; Deployments, ReplicaSets,
 *   ReplicationControllers, StatefulSets and DaemonSets accept only Always; a Job's (and a
 *   CronJob's jobTemplate's) must be OnFailure or Never, so the default Always is rejected too;
 * - Job: backoffLimit (default 6), completions, parallelism (default 1), activeDeadlineSeconds;
 * - StatefulSet: podManagementPolicy OrderedReady (default: pod i starts after 0..i-1 run) or Parallel;
 * - terminationGracePeriodSeconds of the template (default 30 s);
 * - movable, the cluster autoscaler's drainability rules (cluster-autoscaler
 *   simulator/drainability/rules, utils/drain): DaemonSet pods never block a node's removal;
 *   `cluster-autoscaler.kubernetes.io/safe-to-evict: "true"` makes any pod movable; otherwise a
 *   pod without a controller, with `safe-to-evict: "false"`, or with local storage (a hostPath
 *   volume, or an emptyDir not in memory) not named in
 *   `cluster-autoscaler.kubernetes.io/safe-to-evict-local-volumes` is not. (The rules that depend
 *   on the autoscaler's own flags — kube-system pods without a PDB, custom controllers — are the
 *   autoscaler's: namespace and budgets are in the workload.)
 */

export const SAFE_TO_EVICT = 'cluster-autoscaler.kubernetes.io/safe-to-evict';
export const SAFE_TO_EVICT_LOCAL_VOLUMES = 'cluster-autoscaler.kubernetes.io/safe-to-evict-local-volumes';
export const DEFAULT_GRACE_SECONDS = 30;
export const DEFAULT_BACKOFF_LIMIT = 6;

const INT32_MAX = 2_147_483_647;

export interface ControllerInput {
  kind: ControllerKind;
  f: Fields;
  /** The pod template's metadata and spec. */
  metadata: FieldPath;
  spec: FieldPath;
  /** The JobSpec (Job: ['spec'], CronJob: ['spec', 'jobTemplate', 'spec']); undefined for other kinds. */
  jobSpec?: FieldPath;
  name: string;
  namespace: string;
  desired: number;
  preemptionPolicy: PreemptionPolicy;
  /** A bare Pod with a controlling ownerReference (a live pod whose owner is not in the input) is replicated. */
  hasController: boolean;
  /** Job features the reader does not model, counted for the notes. */
  notModeled: Map<string, number>;
}

const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

function restartPolicy(i: ControllerInput): RestartPolicy {
  const p = [...i.spec, 'restartPolicy'];
  const stated = i.f.oneOf(p, ['Always', 'OnFailure', 'Never'] as const);
  if (i.jobSpec !== undefined) {
    if (stated === undefined || stated === 'Always') {
      throw i.f.at.error(p, 'OnFailure or Never (a Job\'s pods may not restart Always, the default the API server would give)', stated);
    }
    return stated;
  }
  if (i.kind !== 'Pod' && stated !== undefined && stated !== 'Always') throw i.f.at.error(p, `Always (the only restartPolicy a ${i.kind} accepts)`, stated);
  return stated ?? 'Always';
}

/** May the cluster autoscaler evict the pod to remove its node (see the module comment)? */
export function isMovable(i: Pick<ControllerInput, 'kind' | 'f' | 'metadata' | 'spec' | 'hasController'>): boolean {
  if (i.kind === 'DaemonSet') return true;
  const annotations = i.f.stringMap([...i.metadata, 'annotations']) ?? {};
  if (annotations[SAFE_TO_EVICT] === 'true') return true;
  if (i.kind === 'Pod' && !i.hasController) return false;
  if (annotations[SAFE_TO_EVICT] === 'false') return false;
  const safe = new Set((annotations[SAFE_TO_EVICT_LOCAL_VOLUMES] ?? '').split(',').filter((v) => v !== ''));
  const n = i.f.list([...i.spec, 'volumes']);
  for (let v = 0; v < n; v++) {
    const vp = [...i.spec, 'volumes', v];
    const name = i.f.string([...vp, 'name']) ?? '';
    const hostPath = i.f.raw([...vp, 'hostPath']) !== undefined;
    const emptyDir = i.f.raw([...vp, 'emptyDir']) !== undefined;
    const inMemory = emptyDir && i.f.string([...vp, 'emptyDir', 'medium']) === 'Memory';
    if ((hostPath || (emptyDir && !inMemory)) && !safe.has(name)) return false;
  }
  return true;
}

/** The JobController of one Workload job (see the module comment for every default). */
export function readJobController(i: ControllerInput): JobController {
  const grace = i.f.int([...i.spec, 'terminationGracePeriodSeconds'], 0, Number.MAX_SAFE_INTEGER) ?? DEFAULT_GRACE_SECONDS;
  const c: JobController = {
    kind: i.kind,
    name: i.name,
    namespace: i.namespace,
    desired: i.desired,
    restartPolicy: restartPolicy(i),
    terminationGracePeriod: secondsToMicros(grace),
    preemptionPolicy: i.preemptionPolicy,
    movable: isMovable(i),
  };
  const podDeadline = i.f.int([...i.spec, 'activeDeadlineSeconds'], 1, Number.MAX_SAFE_INTEGER);
  if (podDeadline !== undefined) c.podActiveDeadline = secondsToMicros(podDeadline);
  if (i.jobSpec !== undefined) {
    const j = i.jobSpec;
    c.backoffLimit = i.f.int([...j, 'backoffLimit'], 0, INT32_MAX) ?? DEFAULT_BACKOFF_LIMIT;
    const completions = i.f.int([...j, 'completions'], 0, INT32_MAX);
    if (completions !== undefined) c.completions = completions;
    c.parallelism = i.f.int([...j, 'parallelism'], 0, INT32_MAX) ?? 1;
    const deadline = i.f.int([...j, 'activeDeadlineSeconds'], 1, Number.MAX_SAFE_INTEGER);
    if (deadline !== undefined) c.activeDeadline = secondsToMicros(deadline);
    for (const feature of ['podFailurePolicy', 'backoffLimitPerIndex', 'successPolicy', 'podReplacementPolicy', 'ttlSecondsAfterFinished']) {
      if (i.f.raw([...j, feature]) !== undefined) bump(i.notModeled, `Job spec.${feature}`);
    }
    if (i.f.oneOf([...j, 'completionMode'], ['NonIndexed', 'Indexed'] as const) === 'Indexed') bump(i.notModeled, 'Job spec.completionMode Indexed (completions counted, indexes not)');
  }
  if (i.kind === 'StatefulSet') {
    const policy = i.f.oneOf(['spec', 'podManagementPolicy'], ['OrderedReady', 'Parallel'] as const) ?? 'OrderedReady';
    c.orderedReady = policy === 'OrderedReady';
  }
  return c;
}
