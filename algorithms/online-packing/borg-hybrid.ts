import type { PolicyModule } from '../policy.js';
import { scoredPolicy } from '../scored-policy.js';
import { UsageError } from '../../model/errors.js';
import { normalizedResidual } from './normalized-residual.js';
import { DEFAULT_EXHAUSTED_FRACTION, strandedFraction } from './stranded.js';

/**
 * Borg's hybrid scorer (Verma et al., EuroSys'15, §3.2): Borg moved from worst fit and best fit to
 * "a hybrid one that tries to reduce the amount of stranded resources", reported as 3–5 % better
 * packing efficiency than best fit. Borg's exact formula is not public; ours is best fit plus a
 * stranding penalty, on the normalized residual after placement r:
 *     score = −( Σ_h r_h  +  λ · stranded(r) )       (highest wins)
 * with stranded(r) from stranded.ts (free room left beside an exhausted dimension, τ = 0.02) and
 * λ = 1 by default: a node that would keep 0.5 of its memory while its CPU is exhausted pays for
 * that memory twice, so a slightly looser node that stays usable in every dimension wins.
 *
 * Sampling: scores kube-scheduler's adaptive sample of feasible nodes (scored-policy.ts), as
 * best-fit does; exact with `--nodes-to-score 100`.
 *
 * Cacheable (scored-policy.ts ScorerTraits): the score reads only the request and the node's free
 * and allocatable amounts (`prepare` only sizes a scratch vector).
 */
export interface BorgHybridOptions {
  /** Exhaustion threshold τ, fraction of allocatable (default 0.02). */
  exhaustedFraction?: number;
  /** Penalty weight λ on stranded room (default 1; 0 = plain best fit by sum). */
  strandingWeight?: number;
  name?: string;
}

export function borgHybridPolicy(o: BorgHybridOptions = {}): PolicyModule {
  const tau = o.exhaustedFraction ?? DEFAULT_EXHAUSTED_FRACTION;
  const lambda = o.strandingWeight ?? 1;
  const name = o.name ?? 'borg-hybrid';
  if (!(tau >= 0 && tau <= 1)) throw new UsageError(`${name}: exhaustedFraction must be in [0, 1], got ${tau}`);
  if (!(lambda >= 0) || !Number.isFinite(lambda)) throw new UsageError(`${name}: strandingWeight must be a finite number >= 0, got ${lambda}`);
  return {
    name,
    description: `best fit (sum of leftover fractions) + ${lambda} × resources stranded beside an exhausted one (< ${tau} left) (Borg '15; sampled like kube)`,
    create(options) {
      let residual: Float64Array = new Float64Array(0);
      return scoredPolicy(
        name,
        options,
        (node, task, cluster) => {
          normalizedResidual(node, task.request, cluster, residual);
          let sum = 0;
          for (let d = 0; d < residual.length; d++) sum += residual[d];
          return -(sum + lambda * strandedFraction(residual, cluster.allocatable, node * cluster.dims, tau));
        },
        (_task, cluster) => {
          if (residual.length !== cluster.dims) residual = new Float64Array(cluster.dims);
        },
        { cacheable: true },
      );
    },
  };
}

export const borgHybrid = borgHybridPolicy();
