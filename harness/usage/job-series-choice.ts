import { hash3 } from '../../model/hash.js';

/** Salt of the per-job series choice, so it is not correlated with other hashes of the seed. */
const CHOICE_SALT = 0x75736167; // 'usag'

/**
 * The library or synthetic series a job's tasks follow: a seeded hash of (seed, job) modulo the
 * series count (model/hash.ts). Per job, not per task, so a job's tasks share one usage shape
 * (the GCD series are per-job profiles); independent of arrival order and of the policy.
 */
export function seriesForJob(seed: number, job: number, count: number): number {
  return hash3(seed, job, CHOICE_SALT) % count;
}
