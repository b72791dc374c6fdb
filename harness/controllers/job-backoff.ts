import { US_PER_SECOND } from '../../model/units.js';

/** The Job controller's first pod-failure back-off (DefaultJobPodFailureBackOff, 10 s). */
export const JOB_BACKOFF_INITIAL = 10 * US_PER_SECOND;
/**
 * Its cap: six minutes, as the Job documentation states it ("exponential back-off delay (10s, 20s,
 * 40s ...) capped at six minutes", kubernetes.io/docs/concepts/workloads/controllers/job/
 * #pod-backoff-failure-policy). Current controller code caps at 10 min
 * (MaxJobPodFailureBackOff in pkg/controller/job/job_controller.go); the documented value is used.
 */
export const JOB_BACKOFF_MAX = 360 * US_PER_SECOND;

/**
 * Delay (µs) before the Job controller creates the pod that replaces a failed one:
 * `min(10 s · 2^(n−1), 6 min)` where n = the Job's pod failures since its last success (≥ 1; a
 * success resets the count, upstream backoffRecord.failuresAfterLastSuccess), 0 when n = 0.
 * Doubling as upstream getRemainingTimeForFailuresCount (pkg/controller/job/backoff_utils.go).
 */
export function jobPodBackoff(failuresSinceSuccess: number): number {
  if (!(failuresSinceSuccess >= 1)) return 0;
  let d = JOB_BACKOFF_INITIAL;
  for (let i = 1; i < failuresSinceSuccess; i++) {
    d *= 2;
    if (d >= JOB_BACKOFF_MAX) return JOB_BACKOFF_MAX;
  }
  return d;
}
