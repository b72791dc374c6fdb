import type { ClusterView } from '../../model/cluster-view.js';
import type { PolicyModule } from '../policy.js';
import type { TaskView } from '../../model/task-view.js';
import { scoredPolicy } from '../scored-policy.js';
import { DEFAULT_MEMORY_REQUEST, DEFAULT_MILLI_CPU_REQUEST } from '../kubernetes/default-requests.js';
import { MAX_NODE_SCORE, balancedAllocation, leastAllocated, scoringDims } from './kube-scoring.js';
import { NonZeroRequested } from '../kubernetes/non-zero-requested.js';

/**
 * kube-scheduler's default resource scoring: filter by fit (requests), score with
 * NodeResourcesFit/LeastAllocated (weight 1) + NodeResourcesBalancedAllocation (weight 1), highest
 * wins, ties at random, over kube's adaptive sample of feasible nodes (percentageOfNodesToScore).
 * Label-, taint- and affinity-based plugins have nothing to act on in a workload without them.
 * Running pods without requests count kube's 100 m / 200 MiB in LeastAllocated (NonZeroRequested,
 * kept from onBind / onUnbind); a pod requesting neither CPU nor memory gets no BalancedAllocation
 * score (kube's PreScore Skip for best-effort pods).
 *
 * The hot loop below is leastAllocated + balancedAllocation (kube-scoring.ts) fused for CPU and
 * memory, with the per-task amounts hoisted; test/policies.test.ts checks both give one score.
 *
 * Cacheable (scored-policy.ts ScorerTraits): the score reads the pod's request and missing-request
 * flag, the node's allocatable and requested amounts, and the node's NonZeroRequested defaults,
 * which change only in onBind / onUnbind of a pod on that very node (right after the cluster's
 * bind or unbind of it, which logs the node); `prepare` reads only the pod and the schema. Nothing
 * cluster-wide: `nonZero.pods` only skips adding zeros.
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
    let bestEffort = false;
    const nonZero = new NonZeroRequested();
    const prepare = (task: TaskView, cluster: ClusterView): void => {
      if (D === 0) ({ cpu, mem } = scoringDims(cluster));
      D = cluster.dims;
      reqCpu = cpu >= 0 ? task.request[cpu] : 0;
      reqMem = mem >= 0 ? task.request[mem] : 0;
      scoreCpu = reqCpu === 0 && task.missingRequest ? DEFAULT_MILLI_CPU_REQUEST : reqCpu;
      scoreMem = reqMem === 0 && task.missingRequest ? DEFAULT_MEMORY_REQUEST : reqMem;
      bestEffort = reqCpu === 0 && reqMem === 0;
    };
    const policy = scoredPolicy(
      'kube-default',
      options,
      (node, task, cluster) => {
        if (cpu < 0 || mem < 0) return leastAllocated(node, task, cluster, { cpu, mem }, nonZero) + balancedAllocation(node, task, cluster, { cpu, mem });
        const oc = node * D + cpu;
        const om = node * D + mem;
        const capC = cluster.allocatable[oc];
        const capM = cluster.allocatable[om];
        const usedC = cluster.requested[oc];
        const usedM = cluster.requested[om];
        // LeastAllocated, per resource then the integer mean; non-zero requests of running pods.
        let rc = usedC + scoreCpu;
        let rm = usedM + scoreMem;
        if (nonZero.pods > 0) {
          rc += nonZero.get(node, 0);
          rm += nonZero.get(node, 1);
        }
        const n = (capC > 0 ? 1 : 0) + (capM > 0 ? 1 : 0);
        const la =
          n === 0
            ? 0
            : Math.trunc(
                ((capC === 0 || rc > capC ? 0 : Math.trunc(((capC - rc) * MAX_NODE_SCORE) / capC)) +
                  (capM === 0 || rm > capM ? 0 : Math.trunc(((capM - rm) * MAX_NODE_SCORE) / capM))) /
                  n,
              );
        if (bestEffort) return la;
        // BalancedAllocation on the fractions after placement, capped at 1 (one fraction: std 0).
        if (n < 2) return la + MAX_NODE_SCORE;
        let fc = (usedC + reqCpu) / capC;
        let fm = (usedM + reqMem) / capM;
        if (fc > 1) fc = 1;
        if (fm > 1) fm = 1;
        const std = Math.abs(fc - fm) / 2;
        return la + Math.trunc((1 - std) * MAX_NODE_SCORE);
      },
      prepare,
      { cacheable: true },
    );
    return {
      ...policy,
      onBind: (task: TaskView, node: number, cluster: ClusterView) => nonZero.bind(task, node, cluster),
      onUnbind: (task: TaskView, node: number, cluster: ClusterView) => nonZero.unbind(task, node, cluster),
    };
  },
};
