/**
 * The CapacityScheduler's share rules (Apache Hadoop docs, "Hadoop: Capacity Scheduler", YARN 3.x;
 * Vavilapalli et al., "Apache Hadoop YARN", SoCC'13 §3.2), as pure functions over one resource
 * dimension so they can be checked by hand.
 *
 * - **Order**: the scheduler serves the most under-served queue first: lowest used capacity, i.e.
 *   used / guaranteed (absolute capacity), at every level of the hierarchy; FIFO within a leaf.
 * - **Elasticity**: a queue may take idle capacity beyond its guarantee up to its
 *   maximum-capacity (absolute, the product of the maximum capacities along its path).
 * - **User limit** of a leaf (upstream LeafQueue.computeUserLimit): with the queue's current
 *   capacity C = the larger of its guarantee and what it would use with the request,
 *   limit = min(max(C / active users, C × minimum-user-limit-percent / 100), guarantee × user-limit-factor);
 *   a task starts only if its user stays within the limit (upstream lets the last container
 *   overshoot; the strict test makes a single user's ceiling exactly guarantee × user-limit-factor).
 *   user-limit-factor -1 lifts the ceiling. Active users: users with a job waiting in the leaf.
 */

/** The amount one user of a leaf may hold in one dimension. */
export function userLimit(guaranteed: number, used: number, request: number, activeUsers: number, minimumUserLimitPercent: number, userLimitFactor: number): number {
  const current = Math.max(guaranteed, used + request);
  const share = Math.max(current / Math.max(1, activeUsers), (current * minimumUserLimitPercent) / 100);
  return userLimitFactor < 0 ? share : Math.min(share, guaranteed * userLimitFactor);
}

/** Sort key for "most under-served first": used / guaranteed share; a queue with no guarantee goes after every guaranteed one. */
export function underServedKey(usedShare: number, absCapacity: number): number {
  if (absCapacity > 0) return usedShare / absCapacity;
  return 1e12 + usedShare;
}

/** Slack for float sums of requests against limits (a fraction of the limit). */
const EPS = 1e-9;

/** Whether adding `request` to `used` keeps it within `limit` (one dimension). */
export function within(used: number, request: number, limit: number): boolean {
  return used + request <= limit * (1 + EPS) + EPS;
}
