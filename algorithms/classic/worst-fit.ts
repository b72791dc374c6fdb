import type { PolicyModule } from '../policy.js';
import { scoredPolicy } from '../scored-policy.js';
import { leftoverFraction } from './leftover.js';

/**
 * Worst fit: the node left with the most free capacity — spreads load.
 * Cacheable (scored-policy.ts ScorerTraits): the score reads only the request and the node's free
 * and allocatable amounts.
 */
export const worstFit: PolicyModule = {
  name: 'worst-fit',
  description: 'node left with the most free capacity after placement (spreads load; sampled like kube)',
  create(options) {
    return scoredPolicy('worst-fit', options, (node, task, cluster) => leftoverFraction(node, task.request, cluster), undefined, { cacheable: true });
  },
};
