import type { ArchitectureHost } from './architecture.js';
import type { ArchitectureJobs } from './architecture-jobs.js';

/**
 * One pass of a scheduler over a job's unplaced tasks: asks the policy for each task's node and
 * calls `claim(task, node)` for each found (the caller binds, for real or on its snapshot, so the
 * next task sees it). A task whose request equals one that already found no node in this pass is
 * skipped: within the pass room only shrinks, and a job's tasks share their constraints, so it
 * could not fit either — this keeps a retried job of thousands of tasks from asking the policy
 * thousands of times for nothing. `allowed` restricts the nodes (an offer), rejecting at most `excludesAtMost` of them. Returns the claims made.
 */
export function passOverJob(host: ArchitectureHost, job: number, claim: (task: number, node: number) => void, allowed?: (node: number) => boolean, excludesAtMost?: number): number {
  const jobs = host.jobs;
  let failed = -1;
  let claims = 0;
  for (let t = jobs.taskStart[job]; t < jobs.taskStart[job + 1]; t++) {
    if (host.taskNode[t] !== -1) continue;
    if (failed >= 0 && sameRequest(jobs, failed, t)) continue;
    const node = host.choose(t, allowed, excludesAtMost);
    if (node < 0) {
      failed = t;
      continue;
    }
    claim(t, node);
    claims++;
  }
  return claims;
}

/** Tasks `a` and `b` ask the same: equal requests and both stated or both missing (policies default a missing one). */
export function sameRequest(jobs: ArchitectureJobs, a: number, b: number): boolean {
  if (jobs.missing[a] !== jobs.missing[b]) return false;
  const D = jobs.dims;
  for (let d = 0; d < D; d++) if (jobs.request[a * D + d] !== jobs.request[b * D + d]) return false;
  return true;
}
