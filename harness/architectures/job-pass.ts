import type { ArchitectureHost } from './architecture.js';

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
  const D = jobs.dims;
  const req = jobs.request;
  let failed = -1;
  let claims = 0;
  for (let t = jobs.taskStart[job]; t < jobs.taskStart[job + 1]; t++) {
    if (host.taskNode[t] !== -1) continue;
    if (failed >= 0 && sameRequest(req, failed, t, D)) continue;
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

function sameRequest(req: Float64Array, a: number, b: number, D: number): boolean {
  for (let d = 0; d < D; d++) if (req[a * D + d] !== req[b * D + d]) return false;
  return true;
}
