/**
 * The overcommit experiment's machines (its no-overcommit baseline, as Bashir et al., EuroSys'21,
 * replay tasks on machines filled by limits): the tasks in the given order, each placed first-fit
 * onto the first machine whose Σ limits stays within `capacity` (a relative 1e-12 of slack for
 * rounding), a new machine opened when none fits. Tasks without a positive limit (they never use
 * the resource) are left out. Returns each machine's task ids, in placement order. Shared by the
 * experiment (harness/experiments/overcommit-machines.ts) and the learned predictor's training
 * machines (predictors/learned-samples.ts), so both see machines built the same way.
 */
export function firstFitByLimit(order: ArrayLike<number>, limit: ArrayLike<number>, capacity: number): Int32Array[] {
  const used: number[] = [];
  const members: number[][] = [];
  for (let i = 0; i < order.length; i++) {
    const t = order[i];
    const L = limit[t];
    if (!(L > 0)) continue;
    let m = 0;
    while (m < used.length && used[m] + L > capacity * (1 + 1e-12)) m++;
    if (m === used.length) {
      used.push(0);
      members.push([]);
    }
    used[m] += L;
    members[m].push(t);
  }
  return members.map((ts) => Int32Array.from(ts));
}
