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

describe('savings: what is priced and when there is nothing to compare', () => {
  it('uses the busy-node cost when the summary has it (each machine at its own price)', () => {
    // Same busy node-hours, but the policy's busy machines cost $24 less over the 24 h window.
    const priced = (busyCost: number) => ({ ...run(100, 5e6), cost: { busyNodeHours: 100, pricePerHour: 0.384, busyCost } }) as unknown as RunSummary;
    expect(savingsPerYear(priced(100), priced(76))).toBe(8760);
  });

  it('is 0 when either run placed no work or the window is empty', () => {
    expect(savingsPerYear(run(100, 0), run(76, 5e6))).toBe(0);
    expect(savingsPerYear(run(100, 5e6), run(76, 0))).toBe(0);
    expect(savingsPerYear(run(100, 5e6), run(76, 5e6, 0))).toBe(0);
  });

  it('measures work by CPU, else by the first resource the summary has', () => {
    const byMemory = (busy: number, work: number) => ({ ...run(busy, 0), workPlaced: { memory: work, gpu: 1 } }) as unknown as RunSummary;
    expect(savingsPerYear(byMemory(100, 5e6), byMemory(76, 5e6))).toBe(3363.84);
    const none = (busy: number) => ({ ...run(busy, 0), workPlaced: {} }) as unknown as RunSummary;
    expect(savingsPerYear(none(100), none(76))).toBe(0);
  });
});
