import type { PolicyModule } from './policy.js';
import { scoredPolicy } from './scored-policy.js';
import { balancedAllocation, leastAllocated, scoringDims } from './kube-scoring.js';

/**
 * kube-scheduler's default resource scoring: filter by fit (requests), score with
 * NodeResourcesFit/LeastAllocated (weight 1) + NodeResourcesBalancedAllocation (weight 1), highest
 * wins, ties at random, over kube's adaptive sample of feasible nodes (percentageOfNodesToScore).
 * Label-, taint- and affinity-based plugins have nothing to act on in a workload without them.
 */
export const kubeDefault: PolicyModule = {
  name: 'kube-default',
  description: 'kube-scheduler defaults: LeastAllocated + BalancedAllocation (weights 1, 1), random ties, adaptive node sampling',
  create(options) {
    let dims: { cpu: number; mem: number } | undefined;
    return scoredPolicy('kube-default', options, (node, task, cluster) => {
      dims ??= scoringDims(cluster);
      return leastAllocated(node, task, cluster, dims) + balancedAllocation(node, task, cluster, dims);
    });
  },
};
