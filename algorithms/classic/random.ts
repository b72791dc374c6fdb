import type { PolicyModule } from '../policy.js';
import { numFeasibleNodesToFind } from '../nodes-to-score.js';

/**
 * Random: a node drawn uniformly from a sample of feasible nodes found from a random start
 * (all feasible nodes under 100 nodes; kube's sample size above, so not exactly uniform over the
 * whole cluster on large ones).
 */
export const randomPolicy: PolicyModule = {
  name: 'random',
  description: 'uniformly random feasible node (from a kube-sized sample on large clusters)',
  create(options) {
    const rng = options.rng;
    let out = new Int32Array(0);
    return {
      name: 'random',
      select(task, cluster) {
        const want = numFeasibleNodesToFind(cluster.upCount, options.percentageOfNodesToScore);
        if (out.length < want) out = new Int32Array(want);
        const start = cluster.nodeCount > 0 ? rng.int(cluster.nodeCount) : 0;
        const found = cluster.feasible(task.request, start, want, out);
        return found === 0 ? -1 : out[rng.int(found)];
      },
    };
  },
};
