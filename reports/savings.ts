import type { RunSummary } from './summary.js';
import { HOURS_PER_YEAR, roundCents } from './cost.js';

/**
 * Savings of a policy against a baseline, in dollars per year, defined so that a policy cannot
 * "save" by leaving work undone:
 *
 *   cost per unit of work  e = busy-node cost / CPU work placed (millicore-hours)
 *   savings per year       = (e_baseline - e_policy) × work_policy × 8760 / window hours
 *
 * where the busy-node cost is Σ over busy nodes of node-hours × that node's hourly price
 * (reports/pricing.ts); with one price for every node it is busy node-hours × price, so the
 * savings are the busy node-hours saved, priced and annualized.
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
  const eb = busyCostOf(baseline) / wb;
  const ep = busyCostOf(policy) / wp;
  if (!(policy.windowHours > 0)) return 0;
  return roundCents(((eb - ep) * wp * HOURS_PER_YEAR) / policy.windowHours);
}

/** Dollars the busy nodes cost over the window (busy node-hours × price when only those are given). */
function busyCostOf(s: RunSummary): number {
  return s.cost.busyCost ?? s.cost.busyNodeHours * s.cost.pricePerHour;
}

function workOf(s: RunSummary): number {
  return s.workPlaced.cpu ?? Object.values(s.workPlaced)[0] ?? 0;
}
