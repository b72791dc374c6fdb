/**
 * Dominant Resource Fairness (Ghodsi et al., "Dominant Resource Fairness: Fair Allocation of
 * Multiple Resource Types", NSDI'11). A user's **dominant share** is the largest, over resources,
 * of its allocation divided by the cell's total of that resource (§4); DRF serves next the user
 * with the lowest dominant share. **Weighted DRF** (§5, "weighted users" with one weight per user
 * for every resource) divides the dominant share by the user's weight, so a user of weight 2 is
 * served until its share is twice another's.
 *
 * Pure functions over flat arrays (user × dims), reusable by any architecture that offers or
 * queues by DRF.
 */

/** max_d alloc[offset + d] / total[d] over resources the cell has (total > 0), divided by `weight`. */
export function dominantShare(alloc: ArrayLike<number>, offset: number, total: ArrayLike<number>, weight = 1): number {
  let s = 0;
  for (let d = 0; d < total.length; d++) {
    const t = total[d];
    if (t > 0) {
      const v = alloc[offset + d] / t;
      if (v > s) s = v;
    }
  }
  return s / weight;
}

/**
 * Writes into `out` the users 0 … shares.length-1 from lowest to highest share; ties keep user
 * order (DRF leaves ties open; a fixed order keeps runs reproducible). Insertion sort: the user
 * counts here are small, and it allocates nothing.
 */
export function drfOrder(shares: ArrayLike<number>, out: Int32Array): Int32Array {
  const n = shares.length;
  for (let i = 0; i < n; i++) {
    let j = i;
    while (j > 0 && shares[out[j - 1]] > shares[i]) {
      out[j] = out[j - 1];
      j--;
    }
    out[j] = i;
  }
  return out;
}

/**
 * The DRF paper's progressive filling (§4, Algorithm 1): repeatedly launch one task of the user
 * with the lowest (weighted) dominant share whose next task still fits the remaining capacity;
 * stop when no user's task fits (Algorithm 1 stops at the first misfit; skipping a saturated user
 * and serving the others is what a Mesos allocator does with the rest). `demand` is user × dims (one task's request per user); returns the
 * number of tasks per user. E.g. 9 CPU / 18 GB with A = <1 CPU, 4 GB> and B = <3 CPU, 1 GB> gives
 * A 3 tasks and B 2 (§4.1).
 */
export function drfAllocate(capacity: ArrayLike<number>, demand: ArrayLike<number>, weights?: ArrayLike<number>): Int32Array {
  const D = capacity.length;
  const U = demand.length / D;
  const used = new Float64Array(D);
  const alloc = new Float64Array(U * D);
  const tasks = new Int32Array(U);
  const shares = new Float64Array(U);
  const order = new Int32Array(U);
  const blocked = new Uint8Array(U);
  for (;;) {
    for (let u = 0; u < U; u++) shares[u] = dominantShare(alloc, u * D, capacity, weights ? weights[u] : 1);
    drfOrder(shares, order);
    let launched = false;
    for (let k = 0; k < U && !launched; k++) {
      const u = order[k];
      if (blocked[u]) continue;
      let fits = true;
      for (let d = 0; d < D; d++) if (used[d] + demand[u * D + d] > capacity[d]) fits = false;
      // A user whose next task no longer fits is saturated: DRF moves on to the next user.
      if (!fits) {
        blocked[u] = 1;
        continue;
      }
      for (let d = 0; d < D; d++) {
        used[d] += demand[u * D + d];
        alloc[u * D + d] += demand[u * D + d];
      }
      tasks[u]++;
      launched = true;
    }
    if (!launched) return tasks;
  }
}
