import { describe, expect, it } from 'vitest';
import { costPerYear, formatDollars, idleCost, annualizedCost } from '../reports/cost.js';
import { instanceType, loadCatalog } from '../reports/instance-catalog.js';

describe('cost maths (../shared/docs/models.md)', () => {
  const m5 = instanceType(loadCatalog(), 'm5.2xlarge');

  it('prices an m5.2xlarge as the catalog says', () => {
    expect(m5).toMatchObject({ vcpu: 8, memoryGiB: 32, pricePerHour: 0.384 });
  });

  it('1 node $3,363.84, 10 nodes $33,638.40, 100 nodes $336,384.00 a year; $168,192.00 idle at 50%', () => {
    expect(formatDollars(costPerYear(m5.pricePerHour, 1))).toBe('$3,363.84');
    expect(formatDollars(costPerYear(m5.pricePerHour, 10))).toBe('$33,638.40');
    const hundred = costPerYear(m5.pricePerHour, 100);
    expect(formatDollars(hundred)).toBe('$336,384.00');
    expect(formatDollars(idleCost(hundred, 0.5))).toBe('$168,192.00');
  });

  it('annualizes a window: 24 node-hours over a 24-hour window is one node-year', () => {
    expect(annualizedCost(0.384, 24, 24)).toBe(3363.84);
    expect(() => idleCost(100, 1.5)).toThrow(/utilization/);
  });

  it('names the valid choices for an unknown instance type', () => {
    expect(() => instanceType(loadCatalog(), 'm9.huge')).toThrow(/unknown instance type 'm9.huge'; valid choices: m5.large, m5.xlarge, m5.2xlarge/);
  });
});
