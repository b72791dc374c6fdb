/**
 * How many feasible nodes a scoring policy examines per decision, following kube-scheduler's
 * `numFeasibleNodesToFind` (pkg/scheduler/schedule_one.go): with fewer than 100 nodes, all of them;
 * otherwise stop after `max(100, n * p / 100)` feasible nodes, where the adaptive default is
 * `p = max(5, 50 - n / 125)`. The search resumes where the previous one stopped, so successive
 * decisions look at different parts of the cluster. Effect on decisions: a scoring policy picks the
 * best node among this sample, not among all nodes — at 12,500 nodes it sees 625 feasible ones.
 */
export const MIN_FEASIBLE_NODES_TO_FIND = 100;
export const MIN_FEASIBLE_NODES_PERCENTAGE = 5;

export function numFeasibleNodesToFind(nodeCount: number, percentage?: number): number {
  if (nodeCount < MIN_FEASIBLE_NODES_TO_FIND || percentage === 100) return nodeCount;
  let p = percentage ?? 0;
  if (p <= 0) {
    p = 50 - Math.trunc(nodeCount / 125);
    if (p < MIN_FEASIBLE_NODES_PERCENTAGE) p = MIN_FEASIBLE_NODES_PERCENTAGE;
  }
  const n = Math.trunc((nodeCount * p) / 100);
  return n < MIN_FEASIBLE_NODES_TO_FIND ? MIN_FEASIBLE_NODES_TO_FIND : n;
}
