import type { PolicyModule } from '../policy.js';
import { nextFit } from './next-fit.js';
import {
  bestFitCpu, bestFitL2, bestFitMax, bestFitMemory, bestFitScarcity,
  worstFitCpu, worstFitL2, worstFitMax, worstFitMemory, worstFitScarcity,
} from './fit-by-measure.js';
import { dotProduct } from './dot-product.js';
import { l2Norm } from './l2-norm.js';
import { borgHybrid } from './borg-hybrid.js';
import { powerOfTwoBestFit, powerOfTwoChoices } from './power-of-k.js';

/**
 * The online bin-packing policies (issue 4), in the order `schedlab policies` lists them after the
 * core ones. `best-fit` / `worst-fit` (algorithms/) are the sum members of the measure family, and
 * `first-fit` / `random` complete the classical set. Factories for other variants, usable from a
 * policy file: fitByMeasure, powerOfKChoices, borgHybridPolicy.
 */
export const ONLINE_PACKING_POLICIES: readonly PolicyModule[] = [
  nextFit,
  bestFitMax,
  bestFitL2,
  bestFitCpu,
  bestFitMemory,
  bestFitScarcity,
  worstFitMax,
  worstFitL2,
  worstFitCpu,
  worstFitMemory,
  worstFitScarcity,
  l2Norm,
  dotProduct,
  borgHybrid,
  powerOfTwoChoices,
  powerOfTwoBestFit,
];

export { fitByMeasure } from './fit-by-measure.js';
export { powerOfKChoices } from './power-of-k.js';
export { borgHybridPolicy } from './borg-hybrid.js';
