import type { ClusterView, PolicyModule, TaskView } from './policy.js';
import { scoredPolicy } from './scored-policy.js';
import { DEFAULT_MEMORY_REQUEST, DEFAULT_MILLI_CPU_REQUEST, MAX_NODE_SCORE, balancedAllocation, leastAllocated, scoringDims } from './kube-scoring.js';

/**
 * kube-scheduler's default resource scoring: filter by fit (requests), score with
 * NodeResourcesFit/LeastAllocated (weight 1) + NodeResourcesBalancedAllocation (weight 1), highest
 * wins, ties at random, over kube's adaptive sample of feasible nodes (percentageOfNodesToScore).
 * Label-, taint- and affinity-based plugins have nothing to act on in a workload without them.
 *
 * The hot loop below is leastAllocated + balancedAllocation (kube-scoring.ts) fused for CPU and
 * memory, with the per-task amounts hoisted; test/policies.test.ts checks both give one score.
 */
export const kubeDefault: PolicyModule = {
  name: 'kube-default',
  description: 'kube-scheduler defaults: LeastAllocated + BalancedAllocation (weights 1, 1), random ties, adaptive node sampling',
  create(options) {
    let cpu = -1;
    let mem = -1;
    let D = 0;
    let scoreCpu = 0;
    let scoreMem = 0;
    let reqCpu = 0;
    let reqMem = 0;
    const prepare = (task: TaskView, cluster: ClusterView): void => {
      if (D === 0) ({ cpu, mem } = scoringDims(cluster));
      D = cluster.dims;
      reqCpu = cpu >= 0 ? task.request[cpu] : 0;
      reqMem = mem >= 0 ? task.request[mem] : 0;
      scoreCpu = reqCpu === 0 && task.missingRequest ? DEFAULT_MILLI_CPU_REQUEST : reqCpu;
      scoreMem = reqMem === 0 && task.missingRequest ? DEFAULT_MEMORY_REQUEST : reqMem;
    };
    return scoredPolicy(
      'kube-default',
      options,
      (node, task, cluster) => {
        if (cpu < 0 || mem < 0) return leastAllocated(node, task, cluster, { cpu, mem }) + balancedAllocation(node, task, cluster, { cpu, mem });
        const oc = node * D + cpu;
        const om = node * D + mem;
        const capC = cluster.allocatable[oc];
        const capM = cluster.allocatable[om];
        const usedC = cluster.requested[oc];
        const usedM = cluster.requested[om];
        // LeastAllocated, per resource then the integer mean.
        const rc = usedC + scoreCpu;
        const rm = usedM + scoreMem;
        const la =
          Math.trunc(
            ((capC === 0 || rc > capC ? 0 : Math.trunc(((capC - rc) * MAX_NODE_SCORE) / capC)) +
              (capM === 0 || rm > capM ? 0 : Math.trunc(((capM - rm) * MAX_NODE_SCORE) / capM))) /
              2,
          );
        // BalancedAllocation on the fractions after placement, capped at 1.
        let fc = capC === 0 ? 0 : (usedC + reqCpu) / capC;
        let fm = capM === 0 ? 0 : (usedM + reqMem) / capM;
        if (fc > 1) fc = 1;
        if (fm > 1) fm = 1;
        const std = Math.abs(fc - fm) / 2;
        return la + Math.trunc((1 - std) * MAX_NODE_SCORE);
      },
      prepare,
    );
  },
};
