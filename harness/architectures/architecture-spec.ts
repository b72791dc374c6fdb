import { Rng } from '../../model/rng.js';
import { UsageError } from '../../model/errors.js';
import { MachinePricer } from '../../reports/pricing.js';
import { openSpec, type ReplaySpec } from '../replay-spec.js';
import type { Workload } from '../../model/workload.js';
import type { PolicyModule } from '../../algorithms/policy.js';
import type { ArchitectureFactory } from './architecture.js';
import { readArchitectureJobs, type ArchitectureJobs } from './architecture-jobs.js';
import { ArchitectureSimulator } from './architecture-simulator.js';
import type { ArchitectureResults } from '../../reports/architecture-results.js';
import { decisionTimeFromSeconds } from './decision-time.js';
import { monolithic } from './monolithic.js';
import { sharedState, type CommitMode, type ConflictDetection } from './shared-state.js';
import { twoLevel } from './two-level.js';
import { queues } from './queues.js';

export const ARCHITECTURES = ['monolithic', 'two-level', 'shared-state', 'queues'] as const;
export type ArchitectureName = (typeof ARCHITECTURES)[number];

/**
 * An architecture run's settings, as plain data (what the CLI parses and the results store).
 * Decision times in seconds; the service path's default to the batch path's.
 */
export interface ArchitectureSpec {
  architecture: ArchitectureName;
  tJob: number;
  tTask: number;
  serviceTJob?: number;
  serviceTTask?: number;
  /** shared-state: parallel batch schedulers (default 1). */
  schedulers?: number;
  conflict?: ConflictDetection;
  commit?: CommitMode;
  /** two-level: seconds a framework may hold an offer before the master rescinds it (default none). */
  offerTimeout?: number;
  /** two-level: seconds a declined node is filtered from the decliner's offers (Mesos refuse_seconds, default 5). */
  refuseSeconds?: number;
  /** two-level: DRF weights, e.g. 'batch=1,service=2' (default 1 each). */
  frameworkWeights?: string;
  /** queues: a YARN capacity-scheduler.xml or fair-scheduler.xml (default: one queue per job kind, equal shares). */
  queueConfig?: string;
}

export function parseArchitectureName(s: string): ArchitectureName {
  if ((ARCHITECTURES as readonly string[]).includes(s)) return s as ArchitectureName;
  throw new UsageError(`--architecture: unknown architecture '${s}'; expected one of ${ARCHITECTURES.join(', ')}`);
}

/** The architecture `a` names, made for the run (every value checked: a bad one is a one-line usage error). */
export function architectureFactory(a: ArchitectureSpec): ArchitectureFactory {
  const batch = decisionTimeFromSeconds(a.tJob, a.tTask, '--t-job/--t-task:');
  const service = decisionTimeFromSeconds(a.serviceTJob ?? a.tJob, a.serviceTTask ?? a.tTask, '--service-t-job/--service-t-task:');
  switch (parseArchitectureName(a.architecture)) {
    case 'monolithic':
      return monolithic(batch, service);
    case 'shared-state': {
      const n = a.schedulers ?? 1;
      if (!Number.isInteger(n) || n < 1) throw new UsageError(`--schedulers: expected a whole number ≥ 1, got ${n}`);
      return sharedState({ batch, service, batchSchedulers: n, conflict: a.conflict, commit: a.commit });
    }
    case 'two-level':
      return twoLevel({ batch, service, offerTimeout: a.offerTimeout, refuseSeconds: a.refuseSeconds, weights: a.frameworkWeights });
    case 'queues':
      return queues({ batch, service, config: a.queueConfig });
  }
}

export interface ArchitectureOutcome {
  results: ArchitectureResults;
  workload: Workload;
  wallSeconds: number;
}

/** The spec's settings as stored with the results. */
function settingsOf(a: ArchitectureSpec): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(a)) if (v !== undefined) out[k] = v as string | number | boolean;
  return out;
}

/** A workload read once for several architecture runs (an experiment's sweep): its jobs are read-only. */
export interface PreparedArchitectureWorkload {
  spec: ReplaySpec;
  workload: Workload;
  jobs: ArchitectureJobs;
  policy: PolicyModule;
  instance: string;
  pricer: MachinePricer;
}

export async function prepareArchitectureWorkload(spec: ReplaySpec): Promise<PreparedArchitectureWorkload> {
  if (spec.placement === 'recorded') throw new UsageError('--architecture: --placement recorded replays the trace as it ran; there is no scheduler to model');
  const { catalog, instance, policy, workload } = await openSpec(spec);
  const jobs = await readArchitectureJobs(workload);
  return { spec, workload, jobs, policy, instance: instance.name, pricer: new MachinePricer(catalog, workload.resources) };
}

/** One run of a prepared workload under `arch`, each task's node chosen by the spec's policy (a fresh instance). */
export function runPreparedArchitecture(p: PreparedArchitectureWorkload, arch: ArchitectureSpec, onProgress?: (now: number, horizon: number) => void): ArchitectureOutcome {
  const factory = architectureFactory(arch);
  const policy = p.policy.create({ rng: new Rng(p.spec.seed).fork(1), percentageOfNodesToScore: p.spec.percentageOfNodesToScore, scoreCache: p.spec.scoreCache });
  const t0 = performance.now();
  const sim = new ArchitectureSimulator({
    workload: p.workload,
    jobs: p.jobs,
    policy,
    architecture: factory,
    seed: p.spec.seed,
    nodePrice: (m) => p.pricer.price(m).pricePerHour,
    onProgress,
    settings: { ...settingsOf(arch), instance: p.instance },
  });
  const results = sim.run();
  return { results, workload: p.workload, wallSeconds: (performance.now() - t0) / 1000 };
}

/** One architecture run: the spec's workload under `arch`. */
export async function runArchitectureSpec(spec: ReplaySpec, arch: ArchitectureSpec, onProgress?: (now: number, horizon: number) => void): Promise<ArchitectureOutcome> {
  architectureFactory(arch); // settings checked before the workload is read
  return runPreparedArchitecture(await prepareArchitectureWorkload(spec), arch, onProgress);
}
