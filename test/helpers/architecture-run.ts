import { Rng } from '../../model/rng.js';
import type { Workload } from '../../model/workload.js';
import { loadPolicy } from '../../harness/load-policy.js';
import { readArchitectureJobs } from '../../harness/architectures/architecture-jobs.js';
import { ArchitectureSimulator } from '../../harness/architectures/architecture-simulator.js';
import type { ArchitectureFactory } from '../../harness/architectures/architecture.js';
import type { ArchitectureResults } from '../../reports/architecture-results.js';
import type { DecisionTime } from '../../harness/architectures/decision-time.js';

/** A decision time in seconds (per job, per task). */
export const seconds = (perJob: number, perTask = 0): DecisionTime => ({ perJob: perJob * 1e6, perTask: perTask * 1e6 });

/** Runs `workload` under `architecture` with a built-in policy; returns the results and the simulator (for per-job figures). */
export async function runArchitecture(workload: Workload, architecture: ArchitectureFactory, policy = 'best-fit', seed = 1): Promise<{ results: ArchitectureResults; sim: ArchitectureSimulator }> {
  const module = await loadPolicy(policy);
  const sim = new ArchitectureSimulator({ workload, jobs: await readArchitectureJobs(workload), policy: module.create({ rng: new Rng(seed).fork(1) }), architecture, seed });
  return { results: sim.run(), sim };
}
