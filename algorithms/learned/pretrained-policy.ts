import type { PolicyModule } from '../policy.js';
import { learnedPolicy } from './learned-policy.js';
import { pretrainedModelDir, readModelDir } from './model-file.js';

let shipped: PolicyModule | undefined;

/** The learned policy with the model shipped in the package, read on first use (not at every start of the CLI). */
function shippedPolicy(): PolicyModule {
  shipped ??= learnedPolicy(readModelDir(pretrainedModelDir(), '--policy learned'));
  return shipped;
}

/**
 * `learned`: the learned placement policy (learned-policy.ts) with the pretrained model in
 * algorithms/learned/pretrained/ (trained by `schedlab train placement`, README "Learned
 * placement"). Registered beside the heuristics (algorithms/registry.ts), so it is listed, swept
 * and property-tested like them; `learned:DIR` loads another model (harness/load-policy.ts).
 */
export const pretrainedLearned: PolicyModule = {
  name: 'learned',
  description: 'learned scorer network (the shipped pretrained model; learned:DIR for another) ranking the sampled feasible nodes',
  create(options) {
    return shippedPolicy().create(options);
  },
};
