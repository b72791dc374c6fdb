/**
 * An example placement policy: "most-free-cpu" — among a sample of feasible nodes, take the one
 * with the most free CPU, and break ties by the lowest node number.
 *
 *   npx schedlab replay --policy ./examples/my-policy.ts
 *
 * A policy file exports (as default, or as `policy`) an object with a name, a one-line
 * description, and create(options), which returns { name, select(task, cluster) }. select returns
 * a node number where the task fits, or -1 to leave it pending. Types come from
 * algorithms/policy.ts; TypeScript files are loaded directly, no build step needed.
 */
import type { ClusterView, PolicyModule, PolicyOptions, TaskView } from '../algorithms/policy.js';

const SAMPLE = 200;

const mostFreeCpu: PolicyModule = {
  name: 'most-free-cpu',
  description: 'feasible node with the most free CPU (example policy)',
  create(_options: PolicyOptions) {
    const candidates = new Int32Array(SAMPLE);
    const cpu = 0; // dimension 0 is CPU in schedlab's default resources (cpu, memory, gpu)
    return {
      name: 'most-free-cpu',
      select(task: TaskView, cluster: ClusterView): number {
        // feasible() uses the cluster's index: it never visits nodes where the task cannot fit.
        const found = cluster.feasible(task.request, 0, SAMPLE, candidates);
        let best = -1;
        let bestFree = -Infinity;
        for (let i = 0; i < found; i++) {
          const node = candidates[i];
          const free = cluster.free[node * cluster.dims + cpu];
          if (free > bestFree) {
            bestFree = free;
            best = node;
          }
        }
        return best;
      },
    };
  },
};

export default mostFreeCpu;
