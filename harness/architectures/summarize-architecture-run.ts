import { quantileOfSorted } from '../../reports/quantile.js';
import type { Architecture } from './architecture.js';
import { JOB_KIND_NAMES, type JobKindName } from './architecture-jobs.js';
import type { ArchitectureJobs } from './architecture-jobs.js';
import type { Workload } from '../../model/workload.js';
import type { ArchitectureResults, JobKindResults, SchedulerResults, WaitFigures } from '../../reports/architecture-results.js';

/** What a finished run leaves for its summary (the ArchitectureSimulator's fields). */
export interface ArchitectureRunRecord {
  readonly jobs: ArchitectureJobs;
  readonly horizon: number;
  readonly cluster: { readonly nodeCount: number };
  readonly attempts: Int32Array;
  readonly placed: Int32Array;
  readonly firstPlaced: Float64Array;
  readonly lastPlaced: Float64Array;
  readonly abandoned: Uint8Array;
  readonly requestedArea: Float64Array;
  readonly lockedArea: Float64Array;
  readonly allocatableArea: Float64Array;
  readonly costArea: number;
  readonly unpricedMachines: number;
  readonly machinesRemoved: number;
  readonly tasksLostToRemovals: number;
}

/** The run's setting, as stored with the results. */
export interface ArchitectureRunContext {
  workload: Pick<Workload, 'name' | 'resources' | 'start'>;
  policy: { name: string };
  seed: number;
  settings?: Record<string, string | number | boolean>;
}

function waits(values: number[]): WaitFigures {
  if (values.length === 0) return { jobs: 0, mean: NaN, p50: NaN, p90: NaN };
  const s = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of s) sum += v;
  return { jobs: s.length, mean: sum / s.length, p50: quantileOfSorted(s, 0.5), p90: quantileOfSorted(s, 0.9) };
}

export function summarizeArchitectureRun(sim: ArchitectureRunRecord, arch: Architecture, submittedJobs: number, o: ArchitectureRunContext): ArchitectureResults {
  const jobs = sim.jobs;
  const window = sim.horizon - (o.workload.start ?? 0);
  const kinds: Array<JobKindName | 'all'> = [...JOB_KIND_NAMES, 'all'];
  const jobsOut = {} as Record<JobKindName | 'all', JobKindResults>;
  for (const k of kinds) {
    const first: number[] = [];
    const full: number[] = [];
    const tries: number[] = [];
    const r: JobKindResults = { submitted: 0, fullyPlaced: 0, abandoned: 0, waitingAtEnd: 0, tasksSubmitted: 0, tasksPlaced: 0, waitFirst: waits([]), waitFull: waits([]), attemptsMean: NaN, attemptsP90: NaN };
    for (let j = 0; j < submittedJobs; j++) {
      if (k !== 'all' && JOB_KIND_NAMES[jobs.kind[j]] !== k) continue;
      r.submitted++;
      const n = jobs.taskStart[j + 1] - jobs.taskStart[j];
      r.tasksSubmitted += n;
      r.tasksPlaced += sim.placed[j];
      if (sim.placed[j] > 0) first.push((sim.firstPlaced[j] - jobs.submit[j]) / 1e6);
      if (sim.placed[j] === n) {
        r.fullyPlaced++;
        full.push((sim.lastPlaced[j] - jobs.submit[j]) / 1e6);
      } else if (sim.abandoned[j]) r.abandoned++;
      else r.waitingAtEnd++;
      if (sim.attempts[j] > 0) tries.push(sim.attempts[j]);
    }
    r.waitFirst = waits(first);
    r.waitFull = waits(full);
    const t = waits(tries);
    r.attemptsMean = t.mean;
    r.attemptsP90 = t.p90;
    jobsOut[k] = r;
  }
  const schedulers = arch.schedulers.map((a): SchedulerResults => {
    const s = a.stats;
    // A decision still running when the window closes counts up to the close, as no-fit time cannot be told yet.
    const running = a.busy ? sim.horizon - a.busySince : 0;
    const busy = (s.busy + running) / 1e6;
    const { busy: _b, useful, wasted, noFit, ...rest } = s;
    return {
      ...rest,
      busySeconds: busy,
      usefulSeconds: useful / 1e6,
      wastedSeconds: wasted / 1e6,
      noFitSeconds: noFit / 1e6,
      busyness: window > 0 ? busy / (window / 1e6) : 0,
      busynessOmega: window > 0 ? (useful + wasted) / window : 0,
      conflictFraction: s.transactions > 0 ? s.conflicted / s.transactions : 0,
    };
  });
  const names = o.workload.resources.names;
  const allocation: Record<string, number> = {};
  const locked: Record<string, number> = {};
  names.forEach((n, d) => {
    const a = sim.allocatableArea[d];
    allocation[n] = a > 0 ? sim.requestedArea[d] / a : 0;
    locked[n] = a > 0 ? sim.lockedArea[d] / a : 0;
  });
  const machineDollars = sim.costArea / 3.6e9;
  const cpu = names.indexOf('cpu');
  const notes: string[] = [];
  if (sim.machinesRemoved > 0) notes.push(`${sim.machinesRemoved} machine removals: ${sim.tasksLostToRemovals} running tasks were killed and their jobs handed back to their schedulers (a task placed again runs its full duration)`);
  if (jobs.missingRequests > 0) notes.push(`${jobs.missingRequests} tasks had a missing request in some dimension: placed as 0 there`);
  if (sim.unpricedMachines > 0) notes.push(`${sim.unpricedMachines} machines could not be priced: left out of the cost`);
  return {
    architecture: arch.name,
    policy: o.policy.name,
    seed: o.seed,
    workload: o.workload.name,
    settings: o.settings ?? {},
    windowSeconds: window / 1e6,
    nodes: sim.cluster.nodeCount,
    schedulers,
    jobs: jobsOut,
    allocation,
    locked,
    // Idle dollars: the machine cost times the CPU share not requested (memory when there is no CPU dimension).
    cost: { machineDollars, unpricedMachines: sim.unpricedMachines, idleDollars: machineDollars * (1 - (allocation[names[cpu >= 0 ? cpu : 0]] ?? 0)) },
    notes,
    extra: arch.extraResults?.() ?? {},
  };
}
