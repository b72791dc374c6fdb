import { allocationRatios } from './allocation-ratios.js';
import { borgReservations } from './borg-reservations.js';
import { koordinatorBatch } from './koordinator-batch.js';
import type { OvercommitModule } from './overcommit-policy.js';
import { peakAdmission } from './peak-admission.js';
import { PEAK_PREDICTORS } from './predictors/predictor-registry.js';

/** The built-in overcommit modules by command-line name (`--overcommit <name>[:settings]`). */
export const OVERCOMMIT_MODULES: readonly OvercommitModule[] = [allocationRatios, borgReservations, koordinatorBatch, peakAdmission];

/** Every built-in `--overcommit` form with a one-line description, for help listings. */
export const OVERCOMMIT_BUILTINS: ReadonlyArray<{ spec: string; description: string }> = [
  { spec: 'none', description: 'no overcommit: requests up to allocatable (the default)' },
  { spec: 'cpu=2,memory=1.2', description: allocationRatios.description },
  { spec: 'borg', description: borgReservations.description },
  { spec: 'koordinator', description: koordinatorBatch.description },
  ...PEAK_PREDICTORS.map((p) => ({ spec: `peak:${p.name}`, description: `peak-prediction admission, predictor: ${p.description}` })),
  { spec: './my-overcommit.ts', description: 'a module exporting an OvercommitModule (default export or `overcommit`)' },
];

export function overcommitModule(name: string): OvercommitModule | undefined {
  return OVERCOMMIT_MODULES.find((m) => m.name === name);
}
