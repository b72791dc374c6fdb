import { describe, expect, it } from 'vitest';
import { costPerYear, formatDollars, formatPrice, idleCost, annualizedCost, roundCents } from '../reports/cost.js';
import { instanceType, loadCatalog } from '../model/instance-catalog.js';
import { replay } from '../harness/replay.js';
import { firstFit } from '../algorithms/classic/first-fit.js';
import { PRICING, tinyWorkload } from './helpers/tiny-workload.js';

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

// README "What the summary means": idle cost = cost × (1 − utilization), utilization the larger of
// CPU and memory (a node is idle only in the share where neither resource is in use). One node of
// 1000 millicores and 1000 bytes at $1/h (cost $8,760 a year), one task running the whole hour with
// a flat usage of half its request (no usage variation), so every fraction below is exact.
describe('idle cost in the replay summary uses the larger of CPU and memory utilization', () => {
  const HOUR = 3.6e9;
  const run = async (cpu: number, mem: number) => {
    const w = tinyWorkload([[1000, 1000]], [{ submit: 0, duration: NaN, cpu, mem, usage: 0.5 }], { horizon: HOUR });
    return (await replay({ workload: w, policy: firstFit, seed: 1, pricing: PRICING })).summary;
  };

  it('CPU-heavy: requested CPU 0.8 / memory 0.2, used 0.4 / 0.1 → idle $1,752 requested, $5,256 used', async () => {
    const s = await run(800, 200);
    expect(s.cost.perYear).toBe(8760);
    expect(s.utilization.requested.cpu.mean).toBeCloseTo(0.8, 12);
    expect(s.utilization.requested.memory.mean).toBeCloseTo(0.2, 12);
    expect(s.cost.idlePerYearRequested).toBe(1752); // 8760 × (1 − 0.8); the smaller (0.2) would give 7008
    expect(s.cost.idlePerYearUsed).toBe(5256); // 8760 × (1 − 0.4); the smaller (0.1) would give 7884
  });

  it('memory-heavy: requested CPU 0.2 / memory 0.6, used 0.1 / 0.3 → idle $3,504 requested, $6,132 used', async () => {
    const s = await run(200, 600);
    expect(s.cost.idlePerYearRequested).toBe(3504); // 8760 × (1 − 0.6); CPU alone (0.2) would give 7008
    expect(s.cost.idlePerYearUsed).toBe(6132); // 8760 × (1 − 0.3); CPU alone (0.1) would give 7884
  });
});

describe('cost maths at the edges', () => {
  it('idle cost: utilization 0 leaves all of it idle, 1 none; outside [0, 1] or NaN is an error', () => {
    expect(idleCost(1234.56, 0)).toBe(1234.56);
    expect(idleCost(1234.56, 1)).toBe(0);
    for (const u of [-0.01, 1.01, Number.NaN]) expect(() => idleCost(100, u)).toThrow(`utilization must be in [0, 1], got ${u}`);
  });

  it('annualizing an empty or negative window gives 0, not Infinity', () => {
    expect(annualizedCost(1, 10, 0)).toBe(0);
    expect(annualizedCost(1, 10, -1)).toBe(0);
    // Half a year of one node: half a node-year.
    expect(annualizedCost(2, 4380, 4380)).toBe(2 * 8760);
  });

  it('rounds to whole cents', () => {
    expect(roundCents(0.1 + 0.2)).toBe(0.3);
    expect(roundCents(2.675)).toBe(2.68);
  });

  it('formats dollars with a sign, thousands separators and two decimals; prices with up to four', () => {
    expect(formatDollars(0)).toBe('$0.00');
    expect(formatDollars(-1234.5)).toBe('-$1,234.50');
    expect(formatDollars(1234567.891)).toBe('$1,234,567.89');
    expect(formatPrice(0.384)).toBe('$0.384');
    expect(formatPrice(1)).toBe('$1.00');
    expect(formatPrice(0.12345)).toBe('$0.1235');
  });
});
