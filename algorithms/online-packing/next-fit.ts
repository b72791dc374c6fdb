import type { PolicyModule } from '../policy.js';

/**
 * Next fit (Johnson 1973), online over a cluster: keep a current node; place the task there if it
 * fits, otherwise move on to the next node (in node order, wrapping around) where it fits, which
 * becomes the current node. Classical next fit closes the bins it leaves and never returns; a
 * cluster's nodes free capacity as tasks finish, so here the search wraps around and a node left
 * behind is reached again on the next lap. O(1) while the current node fits; moving on is one
 * feasibility-index search (never a scan). When no node fits the task stays pending and the
 * pointer does not move. Exact: no sampling.
 */
export const nextFit: PolicyModule = {
  name: 'next-fit',
  description: 'current node while the task fits there, else the next node (wrapping) where it fits',
  create() {
    const out = new Int32Array(1);
    let current = -1;
    return {
      name: 'next-fit',
      select(task, cluster) {
        if (current >= 0 && cluster.fits(current, task.request)) return current;
        const start = current < 0 || current + 1 >= cluster.nodeCount ? 0 : current + 1;
        if (cluster.feasible(task.request, start, 1, out) === 0) return -1;
        current = out[0];
        return current;
      },
    };
  },
};
