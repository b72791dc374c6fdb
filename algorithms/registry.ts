import type { PolicyModule } from './policy.js';
import { firstFit } from './classic/first-fit.js';
import { bestFit } from './classic/best-fit.js';
import { worstFit } from './classic/worst-fit.js';
import { randomPolicy } from './classic/random.js';
import { kubeDefault } from './classic/kube-default.js';
import { kubeBinpack, kubeFramework } from './kubernetes/policies.js';
import { ONLINE_PACKING_POLICIES } from './online-packing/index.js';
import { GPU_REPLAY_POLICIES } from './gpu/replay-policies.js';
import { pretrainedLearned } from './learned/pretrained-policy.js';

/** Built-in online placement policies, by command-line name. */
export const BUILTIN_POLICIES: readonly PolicyModule[] = [
  // The classic policies and kube-scheduler's default scoring: algorithms/classic/.
  firstFit, bestFit, worstFit, randomPolicy, kubeDefault,
  // kube-scheduler framework profiles (issue 4): algorithms/kubernetes/.
  kubeBinpack, kubeFramework,
  // Online bin-packing policies (issue 4): algorithms/online-packing/.
  ...ONLINE_PACKING_POLICIES,
  // The learned scorer with the shipped model (issue 14): algorithms/learned/.
  pretrainedLearned,
  // GPU-sharing policies with device-level GPU state (FGD paper's six): algorithms/gpu/replay-policy.ts.
  ...GPU_REPLAY_POLICIES,
];

export function builtinPolicy(name: string): PolicyModule | undefined {
  return BUILTIN_POLICIES.find((p) => p.name === name);
}
