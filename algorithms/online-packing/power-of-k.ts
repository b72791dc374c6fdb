import type { ClusterView } from '../../model/cluster-view.js';
import type { PolicyModule } from '../policy.js';
import type { TaskView } from '../../model/task-view.js';
import { UsageError } from '../../model/errors.js';
import { NodeMeasure, measureLabel, type NodeMeasureSpec } from './node-measure.js';

/**
 * Power of k choices (Mitzenmacher, "The power of two choices in randomized load balancing",
 * IEEE TPDS 2001; Azar, Broder, Karlin & Upfal, STOC'94): draw k feasible nodes independently and
 * uniformly at random (with replacement, as in the analysis), keep the best of them by a size
 * measure — by default the least loaded (largest sum of leftover fractions after placement, i.e.
 * worst fit among the k). Two random choices instead of one cut the maximum load from
 * Θ(log n / log log n) to Θ(log log n) in the balls-into-bins model, at O(k) cost per decision
 * whatever the cluster size.
 *
 * How a feasible node is drawn without scanning: up to PROBES uniformly random node numbers are
 * checked with `fits` (exactly uniform over feasible nodes when one is accepted — rejection
 * sampling); if all miss (few feasible nodes), the feasibility index returns the first feasible node
 * at or after a uniformly random position (circularly). That fallback is biased towards feasible
 * nodes that follow long runs of infeasible ones; it only matters on a nearly full cluster. If no
 * node fits, -1.
 */
export const PROBES = 8;

export interface PowerOfKOptions {
  /** Choices per decision, an integer >= 1 (default 2). */
  k?: number;
  /** Size measure of the leftover after placement (default sum). */
  measure?: NodeMeasureSpec;
  /** 'worst' = least loaded (default), 'best' = tightest fit among the k. */
  direction?: 'best' | 'worst';
  name?: string;
  description?: string;
}

export function powerOfKChoices(o: PowerOfKOptions = {}): PolicyModule {
  const k = o.k ?? 2;
  const direction = o.direction ?? 'worst';
  const spec = o.measure ?? { kind: 'sum' };
  const name = o.name ?? `power-of-${k}-${direction === 'worst' ? 'choices' : 'best-fit'}${spec.kind === 'sum' ? '' : `-${measureLabel(spec)}`}`;
  if (!Number.isInteger(k) || k < 1) throw new UsageError(`${name}: k must be an integer >= 1, got ${k}`);
  const sign = direction === 'best' ? -1 : 1;
  return {
    name,
    description:
      o.description ??
      `${direction === 'worst' ? 'least loaded' : 'tightest fit'} of ${k} uniformly random feasible nodes (${measureLabel(spec)} of leftover fractions; Mitzenmacher '01)`,
    create(options) {
      const rng = options.rng;
      const measure = new NodeMeasure(spec, name);
      const out = new Int32Array(1);

      /** One feasible node drawn (nearly) uniformly at random, or -1 if none fits. */
      const draw = (task: TaskView, cluster: ClusterView): number => {
        const n = cluster.nodeCount;
        if (n === 0) return -1;
        for (let p = 0; p < PROBES; p++) {
          const node = rng.int(n);
          if (cluster.fits(node, task.request)) return node;
        }
        return cluster.feasible(task.request, rng.int(n), 1, out) === 1 ? out[0] : -1;
      };

      return {
        name,
        select(task, cluster) {
          let best = -1;
          let bestScore = -Infinity;
          for (let i = 0; i < k; i++) {
            const node = draw(task, cluster);
            if (node < 0) return -1; // nothing fits anywhere
            if (i === 0) measure.prepare(cluster);
            const s = sign * measure.of(node, task, cluster);
            if (s > bestScore) {
              bestScore = s;
              best = node;
            }
          }
          return best;
        },
        onBind: (task, node, cluster) => measure.onBind(task, node, cluster),
        onUnbind: (task, node, cluster) => measure.onUnbind(task, node, cluster),
      };
    },
  };
}

export const powerOfTwoChoices = powerOfKChoices({ k: 2 });
export const powerOfTwoBestFit = powerOfKChoices({ k: 2, direction: 'best' });
