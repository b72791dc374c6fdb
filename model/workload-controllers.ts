/**
 * What keeps a workload's pods alive over time: the controller behind each Workload job
 * (Workload.controllers, index = TaskBatch.job). Readers fill it from what the source says
 * (Kubernetes objects; Borg jobs in traces); the harness's controllers (harness/controllers/) act
 * on it when a pod is lost. Times are µs. Sources: Kubernetes workload controllers
 * (kubernetes.io/docs/concepts/workloads/controllers/), Borg (Verma et al., EuroSys'15).
 */

export type ControllerKind =
  | 'Pod'
  | 'Deployment'
  | 'ReplicaSet'
  | 'ReplicationController'
  | 'StatefulSet'
  | 'Job'
  | 'DaemonSet'
  | 'CronJob'
  /** A job of a Borg trace: its tasks are resubmitted after eviction (the trace's EVICT → SUBMIT). */
  | 'BorgJob';

/** A pod's spec.restartPolicy: Always (the default; the only one for long-running controllers), OnFailure, Never. */
export type RestartPolicy = 'Always' | 'OnFailure' | 'Never';

export interface JobController {
  kind: ControllerKind;
  /** `namespace/name` of the owning object (for a CronJob's Jobs: the CronJob's, with the run's time). */
  name: string;
  namespace: string;
  /**
   * Pods the controller wants running at once: spec.replicas; a Job's parallel slots; 1 for a
   * DaemonSet's per-node job and for a bare Pod; the job's task count for a Borg job.
   */
  desired: number;
  restartPolicy: RestartPolicy;
  /** Job: failed pods tolerated before the Job is marked failed (spec.backoffLimit, default 6). */
  backoffLimit?: number;
  /** Job: spec.completions (undefined = a work queue). */
  completions?: number;
  /** Job: spec.parallelism (default 1). */
  parallelism?: number;
  /** Job: spec.activeDeadlineSeconds in µs, counted from the Job's start; past it the Job fails and its pods are killed. */
  activeDeadline?: number;
  /** StatefulSet with podManagementPolicy OrderedReady (the default): pod i starts only after pods 0..i-1 run. */
  orderedReady?: boolean;
  /** The pod template's own spec.activeDeadlineSeconds, µs (a Terminating pod for ResourceQuota scopes); undefined = none. */
  podActiveDeadline?: number;
  /** spec.terminationGracePeriodSeconds of the pod template, µs (default 30 s). */
  terminationGracePeriod: number;
  /** The pod's preemptionPolicy (from its PriorityClass or spec; default PreemptLowerPriority). */
  preemptionPolicy: 'PreemptLowerPriority' | 'Never';
  /**
   * May the cluster autoscaler move this pod to remove its node? False for a bare Pod (no
   * controller recreates it), pods with local storage (emptyDir/hostPath), and the annotation
   * `cluster-autoscaler.kubernetes.io/safe-to-evict: "false"`; DaemonSet pods are not moved (they
   * are not counted on a node being removed). Default true.
   */
  movable?: boolean;
}

/** An intstr: `5` or `"50%"`. */
export interface IntOrPercent {
  value: number;
  percent: boolean;
}

/**
 * A PodDisruptionBudget (policy/v1), resolved to the Workload jobs whose pod template labels its
 * selector matches in its namespace. Exactly one of minAvailable / maxUnavailable is set.
 * disruptionsAllowed = currentHealthy − desiredHealthy, where desiredHealthy = minAvailable
 * (a percentage of the expected pods, rounded up) or expected − maxUnavailable (percentage rounded
 * up); expected = Σ desired of the selected jobs' controllers (upstream disruption controller).
 */
export interface DisruptionBudget {
  /** `namespace/name`. */
  name: string;
  namespace: string;
  /** Workload job numbers it selects (empty = selects nothing: counted and warned, as the API accepts it). */
  jobs: number[];
  minAvailable?: IntOrPercent;
  maxUnavailable?: IntOrPercent;
}

/**
 * A ResourceQuota (v1) of one namespace, in the workload's ResourceSchema units per dimension
 * (NaN = not limited). `requests` bounds Σ requests of the namespace's non-terminal pods
 * (`requests.cpu` or plain `cpu`, `requests.memory`, ...), `limits` Σ limits (`limits.cpu`, ...),
 * `pods` their count. Scopes: BestEffort / NotBestEffort, PriorityClass (scopeSelector In/NotIn).
 */
export interface ResourceQuotaSpec {
  name: string;
  namespace: string;
  requests: number[];
  limits: number[];
  pods: number;
  scopes?: Array<'BestEffort' | 'NotBestEffort' | 'Terminating' | 'NotTerminating'>;
  /** scopeSelector on PriorityClass: the quota applies to pods whose class is (In) or is not (NotIn) in `values`. */
  priorityClasses?: { operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values: string[] };
}
