import type { PolicyModule } from './policy.js';
import { firstFit } from './first-fit.js';
import { bestFit } from './best-fit.js';
import { worstFit } from './worst-fit.js';
import { randomPolicy } from './random.js';
import { kubeDefault } from './kube-default.js';

/** Built-in online placement policies, by command-line name. */
export const BUILTIN_POLICIES: readonly PolicyModule[] = [firstFit, bestFit, worstFit, randomPolicy, kubeDefault];

export function builtinPolicy(name: string): PolicyModule | undefined {
  return BUILTIN_POLICIES.find((p) => p.name === name);
}
