import { describe, expect, it } from 'vitest';
import { savingsPerYear } from '../reports/savings.js';
import type { RunSummary } from '../reports/summary.js';

/** Only the fields savings reads. */
function run(busyNodeHours: number, cpuWork: number, windowHours = 24, pricePerHour = 0.384): RunSummary {
  return { windowHours, workPlaced: { cpu: cpuWork }, cost: { busyNodeHours, pricePerHour } } as unknown as RunSummary;
}

describe('savings against a baseline', () => {
  it('equal work: the busy node-hours saved, priced and scaled to a year', () => {
    // 24 fewer busy node-hours in a 24 h window = one node all year = $3,363.84.
    expect(savingsPerYear(run(100, 5e6), run(76, 5e6))).toBe(3363.84);
    expect(savingsPerYear(run(100, 5e6), run(100, 5e6))).toBe(0);
    expect(savingsPerYear(run(76, 5e6), run(100, 5e6))).toBe(-3363.84);
  });

  it('a policy that leaves work undone does not look cheaper for it', () => {
    // Half the work in half the node-hours: the same cost per unit of work → no savings.
    expect(savingsPerYear(run(100, 5e6), run(50, 2.5e6))).toBe(0);
    // Half the work in 60% of the node-hours: worse per unit of work → negative.
    expect(savingsPerYear(run(100, 5e6), run(60, 2.5e6))).toBeLessThan(0);
  });
});
