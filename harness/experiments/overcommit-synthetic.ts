import type { OvercommitDataSet } from './overcommit-data.js';
import { cpuRows, rowPeaks } from './overcommit-data.js';
import { generateSyntheticUsage } from '../../workloads/usage/synthetic-usage.js';

/** Synthetic series per run: as many as the GCD library has files (803), so the two compare. */
export const SYNTHETIC_TASKS = 803;

/**
 * The synthetic usage process calibrated on the GCD library (workloads/usage/synthetic-usage.ts,
 * profile 'gcd'), seeded by the run's seed: one-day CPU series treated as the GCD set is — limit
 * = the series' own peak, machine capacity 1 (the library's unit).
 */
export function syntheticDataSet(seed: number): OvercommitDataSet {
  const set = generateSyntheticUsage({ profile: 'gcd', seed, resources: { names: ['cpu'], units: ['fraction'] }, count: SYNTHETIC_TASKS });
  const { steps, usage } = cpuRows(set);
  return {
    name: 'synthetic',
    note: `${set.count} synthetic series (profile gcd, seed ${seed}); limit = the series' own peak, machine = 1`,
    steps,
    stepLength: set.step,
    taskCount: set.count,
    usage,
    limit: rowPeaks(usage, set.count, steps),
    capacity: 1,
  };
}
