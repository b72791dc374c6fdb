import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { distributeCpu, milliCpuToShares } from '../harness/kubelet/cpu-shares.js';

function grant(demand: number[], request: number[], limit: number[], capacity: number): number[] {
  const n = demand.length;
  const out = new Float64Array(n + 1).fill(-1);
  distributeCpu(n, Float64Array.from(demand), Float64Array.from(request), Float64Array.from(limit), capacity, out);
  expect(out[n]).toBe(-1); // nothing written past count
  return [...out.subarray(0, n)];
}

describe('MilliCPUToShares', () => {
  it.each([
    [0, 2], // BestEffort: no request → MinShares
    [NaN, 2],
    [1, 2], // floor(1.024) = 1 → at least 2
    [2, 2],
    [3, 3],
    [100, 102],
    [250, 256],
    [1000, 1024],
    [1500, 1536],
    [300_000, 262_144], // MaxShares
  ])('%d millicores → %d shares', (milli, shares) => expect(milliCpuToShares(milli)).toBe(shares));
});

describe('distributeCpu', () => {
  it('CFS quota: demand above the limit is throttled even on an idle node', () => {
    expect(grant([3000, 500], [1000, 500], [2000, NaN], 8000)).toEqual([2000, 500]);
  });

  it('a limit below 10m acts as 10m (the kubelet’s minimum quota); limit 0 is no limit', () => {
    expect(grant([100, 100], [0, 0], [5, 0], 8000)).toEqual([10, 100]);
  });

  it('over capacity: shared in proportion to cpu.shares of the requests', () => {
    // shares 1024 and 3072: 4000 split 1000 / 3000
    expect(grant([4000, 4000], [1000, 3000], [NaN, NaN], 4000)).toEqual([1000, 3000]);
  });

  it('water-filling: a task wanting less than its share keeps what it wants, the rest is split again', () => {
    // three equal shares of 3000 would be 1000 each; task 0 wants 400, so 2600 is split 1300 / 1300
    expect(grant([400, 5000, 5000], [1000, 1000, 1000], [NaN, NaN, NaN], 3000)).toEqual([400, 1300, 1300]);
  });

  it('BestEffort tasks get 2 shares each against a requested task’s 1024', () => {
    const g = grant([2000, 2000], [1000, 0], [NaN, NaN], 2000);
    expect(g[0]).toBeCloseTo((2000 * 1024) / 1026, 9);
    expect(g[1]).toBeCloseTo((2000 * 2) / 1026, 9);
  });

  it('quota first, then shares: a limited task frees CPU for the others', () => {
    // task 0 capped at 500 by its limit (under its share of 1500), the others split 2500 by shares 1:4
    expect(grant([3000, 3000, 3000], [1000, 1000, 4000], [500, NaN, NaN], 3000)).toEqual([500, 500, 2000]);
  });

  it('granted ≤ demand, ≤ limit, Σ granted = min(Σ capped demand, capacity) (property)', () => {
    const task = fc.record({
      demand: fc.double({ min: 0, max: 8000, noNaN: true }),
      request: fc.oneof(fc.constant(NaN), fc.constant(0), fc.double({ min: 1, max: 4000, noNaN: true })),
      limit: fc.oneof(fc.constant(NaN), fc.double({ min: 10, max: 8000, noNaN: true })),
    });
    fc.assert(
      fc.property(fc.array(task, { maxLength: 60 }), fc.double({ min: 0, max: 64_000, noNaN: true }), (tasks, capacity) => {
        const g = grant(
          tasks.map((t) => t.demand),
          tasks.map((t) => t.request),
          tasks.map((t) => t.limit),
          capacity,
        );
        const capped = tasks.map((t) => (t.limit > 0 ? Math.min(t.demand, t.limit) : t.demand));
        const want = Math.min(capped.reduce((a, b) => a + b, 0), capacity);
        const sum = g.reduce((a, b) => a + b, 0);
        const eps = 1e-9 * Math.max(1, capacity);
        expect(Math.abs(sum - want)).toBeLessThanOrEqual(eps); // work-conserving, never above capacity
        g.forEach((x, i) => {
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThanOrEqual(capped[i] + eps);
        });
        // Max-min fairness by shares: every task held below its demand gets the same CPU per
        // share, and no task gets more per share than that level.
        const shares = tasks.map((t) => milliCpuToShares(t.request));
        const held = g.map((x, i) => x < capped[i] - eps);
        if (held.some(Boolean)) {
          const level = Math.min(...g.flatMap((x, i) => (held[i] ? [x / shares[i]] : [])));
          const tol = 1e-9 * Math.max(1, level);
          g.forEach((x, i) => {
            if (held[i]) expect(Math.abs(x / shares[i] - level)).toBeLessThanOrEqual(tol);
            else expect(x / shares[i]).toBeLessThanOrEqual(level + tol);
          });
        }
      }),
      { seed: 7, numRuns: 500 },
    );
  });
});
