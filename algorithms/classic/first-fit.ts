import type { PolicyModule } from '../policy.js';

/** First fit: the lowest-numbered node where the task fits (exact, via the feasibility index). */
export const firstFit: PolicyModule = {
  name: 'first-fit',
  description: 'lowest-numbered node where the task fits (exact; packs the front of the cluster)',
  create() {
    const out = new Int32Array(1);
    return {
      name: 'first-fit',
      select(task, cluster) {
        return cluster.feasible(task.request, 0, 1, out) === 1 ? out[0] : -1;
      },
    };
  },
};
