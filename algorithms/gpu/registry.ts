import { UsageError } from '../../harness/usage-error.js';
import { bestFitGpuPolicy } from './best-fit.js';
import { dotProductGpuPolicy } from './dot-product.js';
import { fgdPolicy } from './fgd.js';
import { gpuClusteringPolicy } from './gpu-clustering.js';
import { gpuPackingPolicy } from './gpu-packing.js';
import type { GpuPolicyModule } from './policy.js';
import { randomGpuPolicy } from './random.js';

/** The GPU-sharing policies of the FGD paper's evaluation (Weng et al., ATC'23 §6.1), in its order. */
export const GPU_POLICIES: readonly GpuPolicyModule[] = [
  randomGpuPolicy,
  dotProductGpuPolicy,
  gpuClusteringPolicy,
  gpuPackingPolicy,
  bestFitGpuPolicy,
  fgdPolicy,
];

export function gpuPolicy(name: string): GpuPolicyModule {
  const p = GPU_POLICIES.find((x) => x.name === name);
  if (!p) throw new UsageError(`unknown GPU policy '${name}'; choose from: ${GPU_POLICIES.map((x) => x.name).join(', ')}`);
  return p;
}
