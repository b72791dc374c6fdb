import type { RunSummary } from './summary.js';
import { annualizedCost } from './cost.js';

/**
 * Savings of a policy against a baseline, in dollars per year, defined so that a policy cannot
 * "save" by leaving work undone:
 *
 *   cost per unit of work  e = busy node-hours / CPU work placed (millicore-hours)
 *   savings per year       = (e_baseline - e_policy) × work_policy × price × 8760 / window hours
 *
 * Busy node-hours count only nodes running at least one task: the nodes a tighter packing lets an
 * operator switch off or give back. With equal work this is simply the difference in busy
 * node-hours priced and annualized; a policy that places less work is charged at its own rate for
 * the work it did. Positive = cheaper than the baseline.
 */
export function savingsPerYear(baseline: RunSummary, policy: RunSummary): number {
  const wb = workOf(baseline);
  const wp = workOf(policy);
  if (!(wb > 0) || !(wp > 0)) return 0;
  const eb = baseline.cost.busyNodeHours / wb;
  const ep = policy.cost.busyNodeHours / wp;
  return annualizedCost(policy.cost.pricePerHour, (eb - ep) * wp, policy.windowHours);
}

function workOf(s: RunSummary): number {
  return s.workPlaced.cpu ?? Object.values(s.workPlaced)[0] ?? 0;
}
