import { hash3 } from '../model/hash.js';

/**
 * A task's usage at a sample: request × mean usage fraction × a multiplicative factor
 * `max(0, 1 + cv · z)`, where z is a standard normal drawn from a hash of (seed, task, sample).
 * Hashing instead of a shared stream makes a task's usage independent of what else runs, so two
 * policies see the same usage for the same task at the same time.
 */
export function usageFactor(seed: number, task: number, sample: number, cv: number): number {
  if (cv === 0 || cv !== cv) return 1; // unknown variation: flat at the mean
  const u1 = (hash3(seed, task, sample * 2) + 0.5) / 4294967296;
  const u2 = (hash3(seed, task, sample * 2 + 1) + 0.5) / 4294967296;
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  const f = 1 + cv * z;
  return f > 0 ? f : 0;
}
