import type { ReplayResults } from './replay-results.js';
import type { AdmissionReport, AutoscalerReport, FailureReport, WorkloadAvailability } from './reaction-results.js';
import { BAND_NAMES } from '../model/priority-bands.js';
import { QOS_NAMES } from '../model/qos-class.js';
import { TaskStatus } from '../model/task-status.js';

/** At most this many workloads are listed in the summary (the lowest availability first); availability.csv has them all. */
export const SUMMARY_WORKLOADS = 20;

/**
 * The reactions part of a run's summary (run.json, the terminal table, the report): what was
 * modeled and, per model, its counts with names instead of enum positions. Built from
 * ReactionsResults (reports/reaction-results.ts); absent parts were not modeled.
 */
export interface ReactionsSummary {
  settings: Record<string, string | number>;
  /** Tasks that ended Failed (a Job past its limits, a pod that may not restart) or Rejected (admission). */
  failedTasks: number;
  rejectedTasks: number;
  preemption?: {
    mode: 'kube' | 'borg';
    preemptions: number;
    victims: number;
    victimsByBand: Record<string, number>;
    victimsByQos: Record<string, number>;
    lostWorkSecondsByBand: Record<string, number>;
    lostWorkSeconds: number;
    preemptorsByBand: Record<string, number>;
    pdbViolations: number;
    nodesExamined: number;
    searches: number;
    neverPolicySkipped: number;
  };
  availability?: {
    /** Time-weighted mean over every listed workload (each weighted equally). */
    meanAvailability: number | null;
    workloads: WorkloadAvailability[];
    /** How many workloads there are in all (the list is cut at SUMMARY_WORKLOADS). */
    workloadCount: number;
    /** The least available workload's mean availability (null = none listed). */
    worstAvailability: number | null;
    /** Workloads that had no ready pod at some instant while they wanted one. */
    workloadsEverDown: number;
    byKind: WorkloadAvailability[];
    jobsSucceeded: number;
    jobsFailed: number;
  };
  failures?: FailureReport;
  autoscaler?: AutoscalerReport;
  admission?: AdmissionReport;
}

const byName = (names: readonly string[], values: readonly number[]): Record<string, number> => Object.fromEntries(names.map((n, i) => [n, values[i] ?? 0]));

export function summarizeReactions(r: ReplayResults): ReactionsSummary | undefined {
  const x = r.reactions;
  if (!x) return undefined;
  let failed = 0;
  let rejected = 0;
  for (let i = 0; i < r.tasks.count; i++) {
    if (r.tasks.status[i] === TaskStatus.Failed) failed++;
    else if (r.tasks.status[i] === TaskStatus.Rejected) rejected++;
  }
  const out: ReactionsSummary = { settings: x.settings, failedTasks: failed, rejectedTasks: rejected };
  if (x.preemption) {
    const p = x.preemption;
    out.preemption = {
      mode: p.mode,
      preemptions: p.preemptions,
      victims: p.victims,
      victimsByBand: byName(BAND_NAMES, p.victimsByBand),
      victimsByQos: byName(QOS_NAMES, p.victimsByQos),
      lostWorkSecondsByBand: byName(BAND_NAMES, p.lostWorkSecondsByBand),
      lostWorkSeconds: p.lostWorkSecondsByBand.reduce((a, b) => a + b, 0),
      preemptorsByBand: byName(BAND_NAMES, p.preemptorsByBand),
      pdbViolations: p.pdbViolations,
      nodesExamined: p.nodesExamined,
      searches: p.searches,
      neverPolicySkipped: p.neverPolicySkipped,
    };
  }
  if (x.availability) {
    const a = x.availability;
    const sorted = [...a.workloads].sort((u, v) => u.meanAvailability - v.meanAvailability || u.name.localeCompare(v.name));
    const mean = a.workloads.length === 0 ? null : a.workloads.reduce((s, w) => s + w.meanAvailability, 0) / a.workloads.length;
    out.availability = {
      meanAvailability: mean,
      workloads: sorted.slice(0, SUMMARY_WORKLOADS),
      workloadCount: a.workloads.length,
      worstAvailability: sorted.length === 0 ? null : sorted[0].meanAvailability,
      workloadsEverDown: a.workloads.filter((w) => w.desired > 0 && w.minAvailability === 0).length,
      byKind: a.byKind,
      jobsSucceeded: a.jobsSucceeded,
      jobsFailed: a.jobsFailed,
    };
  }
  if (x.failures) out.failures = x.failures;
  if (x.autoscaler) out.autoscaler = x.autoscaler;
  if (x.admission) out.admission = x.admission;
  return out;
}
