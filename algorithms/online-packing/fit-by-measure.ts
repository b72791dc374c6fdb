import type { PolicyModule } from '../policy.js';
import { scoredPolicy } from '../scored-policy.js';
import { NodeMeasure, measureDescription, measureLabel, type NodeMeasureSpec } from './node-measure.js';

/**
 * Best fit and worst fit under a chosen size measure (node-measure.ts): best fit takes the feasible
 * node whose normalized leftover after placement has the smallest measure (the tightest fit, leaving
 * big holes elsewhere for big tasks); worst fit the largest (spreads load, leaves headroom
 * everywhere). Johnson's (1973) rules, with the vector measures of Panigrahy et al. (2011) and
 * Mommessin et al. (2025).
 *
 * Sampling: like `best-fit`, these score kube-scheduler's adaptive sample of feasible nodes
 * (scored-policy.ts, nodes-to-score.ts) found through the feasibility index — every feasible node
 * below 100 nodes, 420 of them at 1,000 nodes, 625 at 12,500, 5,000 at 100,000 — resuming where the
 * previous search stopped. On large clusters they therefore pick the best node *of that sample*, not
 * of the cluster; `--nodes-to-score 100` makes them exact. Ties: uniformly at random.
 *
 * Cacheable (scored-policy.ts ScorerTraits) for every measure but scarcity: sum, max, l2 and dim
 * read only the request and the node's free and allocatable amounts (`prepare` only binds the
 * schema once). Scarcity weights each dimension by the cluster-wide requested / allocatable ratio,
 * which every bind anywhere changes, so its scores are recomputed per decision.
 */
export interface FitByMeasureOptions {
  direction: 'best' | 'worst';
  measure: NodeMeasureSpec;
  /** Default `${direction}-fit-${label}`, e.g. 'best-fit-l2'. */
  name?: string;
  description?: string;
}

export function fitByMeasure(o: FitByMeasureOptions): PolicyModule {
  const name = o.name ?? `${o.direction}-fit-${measureLabel(o.measure)}`;
  const sign = o.direction === 'best' ? -1 : 1;
  return {
    name,
    description:
      o.description ??
      `node ${o.direction === 'best' ? 'minimizing' : 'maximizing'} the ${measureDescription(o.measure)} after placement (sampled like kube)`,
    create(options) {
      const measure = new NodeMeasure(o.measure, name);
      const policy = scoredPolicy(name, options, (node, task, cluster) => sign * measure.of(node, task, cluster), (_task, cluster) => measure.prepare(cluster), {
        cacheable: o.measure.kind !== 'scarcity',
      });
      return {
        ...policy,
        onBind: (task, node, cluster) => measure.onBind(task, node, cluster),
        onUnbind: (task, node, cluster) => measure.onUnbind(task, node, cluster),
      };
    },
  };
}

export const bestFitMax = fitByMeasure({ direction: 'best', measure: { kind: 'max' } });
export const bestFitL2 = fitByMeasure({ direction: 'best', measure: { kind: 'l2' } });
export const bestFitCpu = fitByMeasure({ direction: 'best', measure: { kind: 'dim', resource: 'cpu' } });
export const bestFitMemory = fitByMeasure({ direction: 'best', measure: { kind: 'dim', resource: 'memory' } });
export const bestFitScarcity = fitByMeasure({ direction: 'best', measure: { kind: 'scarcity' } });
export const worstFitMax = fitByMeasure({ direction: 'worst', measure: { kind: 'max' } });
export const worstFitL2 = fitByMeasure({ direction: 'worst', measure: { kind: 'l2' } });
export const worstFitCpu = fitByMeasure({ direction: 'worst', measure: { kind: 'dim', resource: 'cpu' } });
export const worstFitMemory = fitByMeasure({ direction: 'worst', measure: { kind: 'dim', resource: 'memory' } });
export const worstFitScarcity = fitByMeasure({ direction: 'worst', measure: { kind: 'scarcity' } });
