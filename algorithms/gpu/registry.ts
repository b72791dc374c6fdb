import { UsageError } from '../../model/errors.js';
import { experimentGpuPolicy } from './experiment-policy.js';
import type { GpuPolicyModule } from './policy.js';
import { GPU_POLICY_KINDS } from './scorer-kinds.js';

/** The GPU-sharing policies of the FGD paper's evaluation (Weng et al., ATC'23 §6.1), in its order. */
export const GPU_POLICIES: readonly GpuPolicyModule[] = GPU_POLICY_KINDS.map((k) => experimentGpuPolicy(k));

export function gpuPolicy(name: string): GpuPolicyModule {
  const p = GPU_POLICIES.find((x) => x.name === name);
  if (!p) throw new UsageError(`unknown GPU policy '${name}'; choose from: ${GPU_POLICIES.map((x) => x.name).join(', ')}`);
  return p;
}
