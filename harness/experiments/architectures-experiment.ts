import { UsageError } from '../../model/errors.js';
import type { ReplaySpec } from '../replay-spec.js';
import { prepareArchitectureWorkload, runPreparedArchitecture, type ArchitectureSpec } from '../architectures/architecture-spec.js';
import type { ArchitectureResults } from '../../reports/architecture-results.js';

/**
 * The Omega paper's architecture comparison (Schwarzkopf et al., EuroSys'13 §4, Figures 5–8), on
 * one workload: the decision time of the service path is swept while batch decisions keep the
 * paper's default (t_job 0.1 s, t_task 5 ms), for
 * - monolithic single-path (every job takes the swept time, Figure 5a),
 * - monolithic multi-path (batch fast path, service slow path, one scheduler; Figure 5b),
 * - two-level (Mesos: batch and service frameworks under DRF offers; Figure 7),
 * - shared-state (Omega: a batch and a service scheduler over shared state; Figure 8),
 * - queues (YARN: one resource manager serving queues; the paper puts YARN with the two-level family).
 * The paper's directions: the monolithic scheduler saturates first as t_job grows; Mesos' service
 * framework abandons jobs once a slow framework holds offers; Omega's conflict fraction stays low.
 */
export const ARCHITECTURE_VARIANTS = ['monolithic-single', 'monolithic-multi', 'two-level', 'shared-state', 'queues'] as const;
export type ArchitectureVariant = (typeof ARCHITECTURE_VARIANTS)[number];

/** The swept service t_job values, seconds: the paper's Figures 5–8 span 0.001–100 s on a log axis. */
export const DEFAULT_T_JOBS = [0.01, 0.1, 0.3, 1, 3, 10, 30, 100];
/** Batch decisions keep the paper's defaults. */
export const BATCH_T_JOB = 0.1;
export const T_TASK = 0.005;

export interface ArchitecturesExperimentOptions {
  spec: ReplaySpec;
  tJobs?: number[];
  variants?: ArchitectureVariant[];
  /** shared-state: parallel batch schedulers (default 1). */
  schedulers?: number;
  onRun?: (variant: ArchitectureVariant, tJob: number, wallSeconds: number) => void;
}

/** One point: a variant at one service t_job. */
export interface ArchitecturePoint {
  variant: ArchitectureVariant;
  serviceTJob: number;
  /** Busyness of the scheduler deciding service jobs (the only one, for monolithic) and of the batch scheduler(s), mean. */
  serviceBusyness: number;
  batchBusyness: number;
  /** Conflict fraction of the service scheduler's transactions (shared-state; 0 elsewhere). */
  serviceConflictFraction: number;
  /** Service jobs not fully placed (abandoned, or still waiting at the end), over service jobs submitted. */
  serviceUnscheduled: number;
  serviceAbandoned: number;
  batchUnscheduled: number;
  /** Mean wait to the first placed task, seconds. */
  serviceWaitFirst: number;
  batchWaitFirst: number;
  /** Share of CPU locked in offers (two-level), time mean. */
  lockedCpu: number;
  wallSeconds: number;
  results: ArchitectureResults;
}

export interface ArchitecturesExperimentResult {
  workload: string;
  policy: string;
  seed: number;
  nodes: number;
  jobs: { batch: number; service: number };
  tJobs: number[];
  points: ArchitecturePoint[];
  wallSeconds: number;
  notes: string[];
}

function specOf(v: ArchitectureVariant, x: number, schedulers: number | undefined): ArchitectureSpec {
  const base = { tJob: BATCH_T_JOB, tTask: T_TASK, serviceTJob: x, serviceTTask: T_TASK };
  switch (v) {
    case 'monolithic-single':
      return { architecture: 'monolithic', tJob: x, tTask: T_TASK };
    case 'monolithic-multi':
      return { architecture: 'monolithic', ...base };
    case 'shared-state':
      return { architecture: 'shared-state', ...base, schedulers };
    default:
      return { architecture: v, ...base };
  }
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);
const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length);

function pointOf(variant: ArchitectureVariant, x: number, r: ArchitectureResults, wallSeconds: number): ArchitecturePoint {
  const svc = r.schedulers.find((s) => s.name === 'service') ?? r.schedulers.find((s) => s.name.startsWith('service')) ?? r.schedulers[0];
  const batch = r.schedulers.filter((s) => s.name.startsWith('batch'));
  const js = r.jobs.service;
  const jb = r.jobs.batch;
  return {
    variant,
    serviceTJob: x,
    serviceBusyness: svc.busyness,
    batchBusyness: batch.length > 0 ? mean(batch.map((s) => s.busyness)) : svc.busyness,
    serviceConflictFraction: svc.conflictFraction,
    serviceUnscheduled: ratio(js.submitted - js.fullyPlaced, js.submitted),
    serviceAbandoned: ratio(js.abandoned, js.submitted),
    batchUnscheduled: ratio(jb.submitted - jb.fullyPlaced, jb.submitted),
    serviceWaitFirst: js.waitFirst.mean,
    batchWaitFirst: jb.waitFirst.mean,
    lockedCpu: r.locked.cpu ?? 0,
    wallSeconds,
    results: r,
  };
}

export async function runArchitecturesExperiment(o: ArchitecturesExperimentOptions): Promise<ArchitecturesExperimentResult> {
  const tJobs = o.tJobs ?? DEFAULT_T_JOBS;
  if (tJobs.length === 0) throw new UsageError('--t-jobs: give at least one decision time');
  for (const x of tJobs) if (!Number.isFinite(x) || x < 0) throw new UsageError(`--t-jobs: expected seconds ≥ 0, got ${x}`);
  const variants = o.variants ?? [...ARCHITECTURE_VARIANTS];
  const t0 = performance.now();
  const prepared = await prepareArchitectureWorkload(o.spec);
  const points: ArchitecturePoint[] = [];
  for (const v of variants) {
    for (const x of tJobs) {
      const out = runPreparedArchitecture(prepared, specOf(v, x, o.schedulers));
      points.push(pointOf(v, x, out.results, out.wallSeconds));
      o.onRun?.(v, x, out.wallSeconds);
    }
  }
  const r0 = points[0]?.results;
  return {
    workload: prepared.workload.name,
    policy: prepared.policy.name,
    seed: o.spec.seed,
    nodes: r0?.nodes ?? prepared.workload.machines.length,
    jobs: { batch: r0?.jobs.batch.submitted ?? 0, service: r0?.jobs.service.submitted ?? 0 },
    tJobs,
    points,
    wallSeconds: (performance.now() - t0) / 1000,
    notes: [...prepared.workload.notes, ...(r0?.notes ?? [])],
  };
}
