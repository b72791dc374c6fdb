import { UsageError } from '../../model/errors.js';
import { fgdScorer } from './fgd-scorer.js';
import type { ReplayTargetOptions } from './replay-target.js';
import { bestFitScorer, dotProductScorer, gpuClusteringScorer, gpuPackingScorer, randomScorer, type GpuScorer, type ScorerContext } from './scorers.js';

/** The six policies of the FGD paper's evaluation (Weng et al., ATC'23 §6.1), in its order. */
export const GPU_POLICY_KINDS = ['random', 'dot-product', 'gpu-clustering', 'gpu-packing', 'best-fit', 'fgd'] as const;
export type GpuPolicyKind = (typeof GPU_POLICY_KINDS)[number];

const SCORERS: Record<GpuPolicyKind, (ctx: ScorerContext, target: ReplayTargetOptions | undefined) => GpuScorer> = {
  random: randomScorer,
  'best-fit': bestFitScorer,
  'dot-product': dotProductScorer,
  'gpu-packing': gpuPackingScorer,
  'gpu-clustering': gpuClusteringScorer,
  fgd: (ctx, target) => fgdScorer(ctx, target),
};

export function isGpuPolicyKind(kind: string): kind is GpuPolicyKind {
  return Object.hasOwn(SCORERS, kind);
}

/** The scorer of one policy on one device model (`target`: FGD's target workload, ignored by the others). */
export function createGpuScorer(kind: GpuPolicyKind, ctx: ScorerContext, target?: ReplayTargetOptions): GpuScorer {
  if (!isGpuPolicyKind(kind)) throw new UsageError(`unknown GPU policy '${kind}'; choose from: ${GPU_POLICY_KINDS.join(', ')}`);
  return SCORERS[kind](ctx, target);
}
