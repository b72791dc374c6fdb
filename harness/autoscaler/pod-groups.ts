/**
 * Pending pods grouped into equivalence groups: pods of one job (one controller, one pod
 * template: the same constraints) with the same request vector. The cluster autoscaler's
 * estimator works on such groups (kubernetes/autoscaler cluster-autoscaler/estimator,
 * PodEquivalenceGroup: pods with the same owner and an equal spec), so a scale-up for 10,000
 * replicas costs about as much as for one shape.
 */
export interface PodGroup {
  job: number;
  /** The shared request, one value per dimension (the admission vector: what a node must have free). */
  request: Float64Array;
  /** Member tasks, in the order they were first seen unplaced. */
  tasks: number[];
}

/** Groups `pending` by (job, request); groups come in the order of their first member. */
export function groupPods(pending: ArrayLike<number>, jobOf: ArrayLike<number>, vectors: Float64Array, dims: number, keep: (task: number) => boolean = () => true): PodGroup[] {
  const out: PodGroup[] = [];
  const byKey = new Map<string, PodGroup>();
  for (let i = 0; i < pending.length; i++) {
    const task = pending[i];
    if (!keep(task)) continue;
    const o = task * dims;
    let key = String(jobOf[task]);
    for (let d = 0; d < dims; d++) key += `,${vectors[o + d]}`;
    let g = byKey.get(key);
    if (!g) {
      g = { job: jobOf[task], request: vectors.slice(o, o + dims), tasks: [] };
      byKey.set(key, g);
      out.push(g);
    }
    g.tasks.push(task);
  }
  return out;
}
