import type { PolicyModule } from '../policy.js';
import { scoredPolicy } from '../scored-policy.js';

/**
 * Dot-product alignment, Tetris's packing score (Grandl, Ananthanarayanan, Kandula, Rao & Akella,
 * "Multi-resource packing for cluster schedulers", SIGCOMM'14, §3.2): the feasible node maximizing
 *     Σ_h (request_h / allocatable_h) · (free_h / allocatable_h)
 * — the task's demand vector against the node's free vector (before placement), both normalized by
 * the node's capacity. It favours nodes with much room in exactly the dimensions the task needs
 * (CPU-heavy tasks to CPU-rich nodes), which reduces fragmentation across dimensions; on its own it
 * also favours emptier nodes, which Tetris offsets with other terms (remaining work, fairness) not
 * modeled here. Dimensions a node does not have are skipped; a task requesting nothing scores 0
 * everywhere (a random feasible node).
 *
 * Sampling: scores kube-scheduler's adaptive sample of feasible nodes (scored-policy.ts) — the best
 * aligned node of the sample on large clusters, exact with `--nodes-to-score 100`.
 *
 * Cacheable (scored-policy.ts ScorerTraits): the score reads only the request and the node's free
 * and allocatable amounts.
 */
export const dotProduct: PolicyModule = {
  name: 'dot-product',
  description: "Tetris alignment: max dot product of normalized demand and normalized free vector (Grandl et al. '14)",
  create(options) {
    return scoredPolicy(
      'dot-product',
      options,
      (node, task, cluster) => {
        const D = cluster.dims;
        const o = node * D;
        let s = 0;
        for (let d = 0; d < D; d++) {
          const a = cluster.allocatable[o + d];
          if (a > 0) s += (task.request[d] / a) * (cluster.free[o + d] / a);
        }
        return s;
      },
      undefined,
      { cacheable: true },
    );
  },
};
