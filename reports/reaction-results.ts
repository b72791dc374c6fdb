import type { DynamicsEventLog } from './event-log.js';

/**
 * What the cluster's reactions left behind (harness/reactions/): preemption, workload controllers
 * and availability, failures and the node lifecycle controller, autoscaling, admission. Each part
 * is present when its model was on.
 */
export interface ReactionsResults {
  /** What was modeled, for run.json and the report (one line each). */
  settings: Record<string, string | number>;
  preemption?: PreemptionReport;
  availability?: AvailabilityReport;
  failures?: FailureReport;
  autoscaler?: AutoscalerReport;
  admission?: AdmissionReport;
  /** One row per reaction event (events.csv, merged with the node dynamics' by time). */
  events: DynamicsEventLog;
}

/** events.csv `cause` of reaction events, after the node dynamics' causes (reports/replay-results.ts DynamicsCause). */
export const enum ReactionCause {
  /** A victim chosen by preemption (row at the victim's stop; amount = its lost work, s). */
  Preempted = 7,
  /** A node failed (failure model, zone outage). */
  NodeFailed = 8,
  NodeRecovered = 9,
  /** The node lifecycle controller marked a node NotReady (after the grace period). */
  NodeNotReady = 10,
  /** Taint-based eviction of a pod from a NotReady node (after tolerationSeconds). */
  TaintEviction = 11,
  /** The autoscaler asked for a node (amount = provisioning delay, s) / the node was removed. */
  ScaleUp = 12,
  ScaleDown = 13,
  /** A pod drained off a node being removed. */
  Drained = 14,
  /** Admission refused a pod (quota). */
  AdmissionRejected = 15,
  /** A Job failed (backoffLimit or activeDeadlineSeconds). */
  JobFailed = 16,
  /** A controller recreated a lost pod (amount = the delay, s). */
  Recreated = 17,
}

export const REACTION_CAUSE_NAMES: Readonly<Record<number, string>> = {
  7: 'preemption',
  8: 'node-failed',
  9: 'node-recovered',
  10: 'node-not-ready',
  11: 'taint-eviction',
  12: 'scale-up',
  13: 'scale-down',
  14: 'drained',
  15: 'admission-rejected',
  16: 'job-failed',
  17: 'recreated',
};

export interface PreemptionReport {
  mode: 'kube' | 'borg';
  /** Preemptions (a preemptor nominated with its victims) and victims. */
  preemptions: number;
  victims: number;
  /** Victims per Borg band (model/priority-bands.ts order) and per QoS class (model/qos-class.ts order). */
  victimsByBand: number[];
  victimsByQos: number[];
  /** Seconds of work the victims lost, per band. */
  lostWorkSecondsByBand: number[];
  /** Preemptors per band. */
  preemptorsByBand: number[];
  /** Victim choices that violated a PodDisruptionBudget (allowed as a last resort, as upstream). */
  pdbViolations: number;
  /** Search effort: nodes examined as candidates (their pods walked), and the searches. */
  nodesExamined: number;
  searches: number;
  /** Borg: candidates judged without a dry run (from their per-level sums or task lists). */
  candidatesFromSums?: number;
  /** Searches that found no candidate. */
  noCandidate?: number;
  /** Pods that could not preempt because of preemptionPolicy: Never. */
  neverPolicySkipped: number;
}

export interface WorkloadAvailability {
  /** The controller's `namespace/name` (or job name) and kind. */
  name: string;
  kind: string;
  desired: number;
  /** Time-weighted mean over the window of min(ready, desired) / desired. */
  meanAvailability: number;
  /** Lowest ready / desired seen (at any instant). */
  minAvailability: number;
  /** Seconds with ready < desired. */
  degradedSeconds: number;
  /** Pods lost (any cause) and recreated. */
  lost: number;
  recreated: number;
}

export interface AvailabilityReport {
  /** One row per controller (Borg jobs: only when few; else the `byKind` rows). */
  workloads: WorkloadAvailability[];
  /** Aggregates per controller kind (time-weighted over its workloads). */
  byKind: WorkloadAvailability[];
  /** Samples of ready replicas per listed workload: time (µs) × workloads, for availability.csv. */
  sampleTimes: Float64Array;
  /** ready[sample * workloads.length + w]. */
  ready: Int32Array;
  /**
   * Desired replicas in effect at each sample, same layout as `ready`: pods the workload wants
   * then (a finished Job, or a Borg job whose tasks have not arrived, wants fewer than `desired`).
   */
  desiredNow: Int32Array;
  /** Per kind (the `byKind` rows, in order) at each sample: Σ min(ready, desired) and Σ desired in effect, [sample * byKind.length + k]. */
  kindReady: Int32Array;
  kindDesired: Int32Array;
  /** The sample grid (60 s; coarser when a long run would keep too many samples). */
  samplePeriodSeconds: number;
  /** Jobs: succeeded, failed (backoffLimit / deadline). */
  jobsSucceeded: number;
  jobsFailed: number;
}

export interface FailureReport {
  nodeFailures: number;
  nodeRecoveries: number;
  zoneOutages: number;
  /** Pods evicted by the node lifecycle controller (taint-based eviction). */
  taintEvictions: number;
  /** Seconds of work lost to failed nodes. */
  lostWorkSeconds: number;
  /** ∫ nodes down dt, node-hours. */
  downNodeHours: number;
  /** Zone states seen (Normal, PartialDisruption, FullDisruption): seconds in each, per zone. */
  zoneSeconds: Record<string, { normal: number; partial: number; full: number }>;
}

export interface NodeGroupUsage {
  group: string;
  instanceType: string;
  zone?: string;
  nodeHours: number;
  cost: number;
  peakNodes: number;
  added: number;
  removed: number;
}

export interface AutoscalerReport {
  mode: 'cluster-autoscaler' | 'karpenter';
  scaleUps: number;
  nodesAdded: number;
  nodesRemoved: number;
  /** Consolidation replacements (Karpenter). */
  replacements: number;
  groups: NodeGroupUsage[];
  /** Pods that no group's template could fit (never helped by scaling up). */
  unhelpable: number;
}

export interface AdmissionReport {
  /** Rejections by reason, e.g. 'exceeded quota: team-a/compute, requested: requests.cpu'. */
  rejectedByReason: Record<string, number>;
  /** Pods refused at least once, and those still waiting for quota at the end. */
  podsRejected: number;
  waitingAtEnd: number;
  /** Pods rejected for good (Borg quota; a bare Pod over a ResourceQuota): status Rejected. */
  rejectedForGood: number;
  /** Waiting pods admitted later, when their namespace's usage dropped. */
  readmitted: number;
  /** The first full message of each reason, in upstream's words (`exceeded quota: compute, requested: requests.cpu=500m, used: ...`). */
  messages: Record<string, string>;
}
