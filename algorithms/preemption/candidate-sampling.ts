/**
 * How many candidate nodes a preemption search collects before it stops: kube-scheduler's
 * DefaultPreemption `calculateNumCandidates` (pkg/scheduler/framework/plugins/defaultpreemption),
 * numCandidates = max(⌊nodes · minCandidateNodesPercentage / 100⌋, minCandidateNodesAbsolute),
 * capped at the number of nodes, with the DefaultPreemptionArgs defaults 10 % and 100
 * (pkg/scheduler/apis/config/v1/defaults.go). The search starts at a random node offset and stops
 * once that many candidates are found (and at least one violates no PodDisruptionBudget), so
 * on a large cluster it dry-runs about a tenth of the nodes, not all of them.
 */
export const MIN_CANDIDATE_NODES_PERCENTAGE = 10;
export const MIN_CANDIDATE_NODES_ABSOLUTE = 100;

export function numCandidatesToFind(
  potentialNodes: number,
  percentage: number = MIN_CANDIDATE_NODES_PERCENTAGE,
  absolute: number = MIN_CANDIDATE_NODES_ABSOLUTE,
): number {
  let n = Math.floor((potentialNodes * percentage) / 100);
  if (n < absolute) n = absolute;
  if (n > potentialNodes) n = potentialNodes;
  return n;
}

/**
 * DryRunPreemption's stopping rule: stop once some candidate violates no budget and the
 * candidates found (violating or not) reach numCandidates.
 */
export function enoughCandidates(nonViolating: number, violating: number, numCandidates: number): boolean {
  return nonViolating > 0 && nonViolating + violating >= numCandidates;
}
