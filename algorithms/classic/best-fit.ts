import type { PolicyModule } from '../policy.js';
import { scoredPolicy } from '../scored-policy.js';
import { leftoverFraction } from './leftover.js';

/**
 * Best fit: the node left with the least free capacity (sum of per-dimension fractions).
 * Cacheable (scored-policy.ts ScorerTraits): the score reads only the request and the node's free
 * and allocatable amounts.
 */
export const bestFit: PolicyModule = {
  name: 'best-fit',
  description: 'node left with the least free capacity after placement (sum of fractions; sampled like kube)',
  create(options) {
    return scoredPolicy('best-fit', options, (node, task, cluster) => -leftoverFraction(node, task.request, cluster), undefined, { cacheable: true });
  },
};
