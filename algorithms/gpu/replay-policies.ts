import type { PolicyModule } from '../policy.js';
import { gpuReplayPolicy } from './replay-policy.js';

/**
 * The six GPU-sharing policies of the FGD paper's evaluation (Weng et al., ATC'23 §6.1) as replay
 * policies, with the experiment's defaults (see replay-policy.ts): gpu-random, gpu-best-fit,
 * gpu-dot-product, gpu-packing, gpu-clustering, gpu-fgd.
 */
export const GPU_REPLAY_POLICIES: readonly PolicyModule[] = [
  gpuReplayPolicy('random'),
  gpuReplayPolicy('best-fit'),
  gpuReplayPolicy('dot-product'),
  gpuReplayPolicy('gpu-packing'),
  gpuReplayPolicy('gpu-clustering'),
  gpuReplayPolicy('fgd'),
];
