import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { GiB } from '../model/units.js';
import { rankDiskVictims, rankMemoryVictims } from '../harness/kubelet/eviction-ranking.js';
import { heapSort } from '../harness/kubelet/heap-sort.js';

interface Pod {
  usage: number;
  request: number;
  priority: number;
}

function rank(pods: Pod[]): number[] {
  const out = new Int32Array(pods.length + 2).fill(-9);
  rankMemoryVictims(
    pods.length,
    Float64Array.from(pods, (p) => p.usage),
    Float64Array.from(pods, (p) => p.request),
    Int32Array.from(pods, (p) => p.priority),
    out,
  );
  expect([...out.subarray(pods.length)]).toEqual([-9, -9]); // nothing written past count
  return [...out.subarray(0, pods.length)];
}

describe('eviction ranking (rankMemoryPressure)', () => {
  it('usage above request first, even at a higher priority', () => {
    const pods = [
      { usage: 1 * GiB, request: 2 * GiB, priority: 0 }, // within request, low priority
      { usage: 3 * GiB, request: 2 * GiB, priority: 1000 }, // over request, high priority
    ];
    expect(rank(pods)).toEqual([1, 0]);
  });

  it('among pods over request, lower priority first, even when using less above request', () => {
    const pods = [
      { usage: 10 * GiB, request: 1 * GiB, priority: 100 },
      { usage: 2 * GiB, request: 1 * GiB, priority: 10 },
    ];
    expect(rank(pods)).toEqual([1, 0]);
  });

  it('at equal priority, the larger usage above request first', () => {
    const pods = [
      { usage: 2 * GiB, request: 1 * GiB, priority: 0 }, // +1 GiB
      { usage: 5 * GiB, request: 1 * GiB, priority: 0 }, // +4 GiB
      { usage: 3 * GiB, request: 0, priority: 0 }, // BestEffort: +3 GiB
    ];
    expect(rank(pods)).toEqual([1, 2, 0]);
  });

  it('Guaranteed and Burstable-within-request go last, ordered by priority then usage − request', () => {
    const pods = [
      { usage: 4 * GiB, request: 4 * GiB, priority: 0 }, // Guaranteed at its request: not above
      { usage: 1 * GiB, request: 0, priority: 0 }, // BestEffort: above (request 0)
      { usage: 1 * GiB, request: 3 * GiB, priority: 0 }, // Burstable within: −2 GiB
      { usage: 2 * GiB, request: 1 * GiB, priority: 5 }, // Burstable above
      { usage: 0.5 * GiB, request: 1 * GiB, priority: -1 }, // within, lowest priority
    ];
    // above request: 1 (prio 0), 3 (prio 5); within: 4 (prio −1), then prio 0: 0 (0) before 2 (−2 GiB)
    expect(rank(pods)).toEqual([1, 3, 4, 0, 2]);
  });

  it('a pod without usage stats (NaN) first; a missing request (NaN) counts as 0; ties by position', () => {
    const pods = [
      { usage: GiB, request: NaN, priority: 0 },
      { usage: NaN, request: GiB, priority: 1000 },
      { usage: GiB, request: 0, priority: 0 },
    ];
    expect(rank(pods)).toEqual([1, 0, 2]);
  });

  it('disk pressure ranks the same way on disk usage', () => {
    expect(rankDiskVictims).toBe(rankMemoryVictims);
  });

  it('agrees with a comparator sort built from the rule (property)', () => {
    const pod = fc.record({
      usage: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constant(NaN)),
      request: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constant(NaN)),
      priority: fc.integer({ min: -3, max: 3 }),
    });
    fc.assert(
      fc.property(fc.array(pod, { maxLength: 40 }), (pods) => {
        const want = pods
          .map((p, i) => ({ ...p, i, req: Number.isNaN(p.request) ? 0 : p.request }))
          .sort((a, b) => {
            const na = Number.isNaN(a.usage) ? 1 : 0;
            const nb = Number.isNaN(b.usage) ? 1 : 0;
            if (na || nb) return nb - na || a.i - b.i;
            const oa = a.usage > a.req ? 1 : 0;
            const ob = b.usage > b.req ? 1 : 0;
            return ob - oa || a.priority - b.priority || b.usage - b.req - (a.usage - a.req) || a.i - b.i;
          })
          .map((p) => p.i);
        expect(rank(pods)).toEqual(want);
      }),
      { seed: 10, numRuns: 400 },
    );
  });
});

describe('heapSort', () => {
  it('sorts positions by any strict order (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 5 })), (xs) => {
        const a = Int32Array.from(xs, (_, i) => i);
        heapSort(a, xs.length, (p, q) => xs[p] < xs[q] || (xs[p] === xs[q] && p < q));
        const want = xs.map((_, i) => i).sort((p, q) => xs[p] - xs[q] || p - q);
        expect([...a]).toEqual(want);
      }),
      { seed: 3, numRuns: 300 },
    );
  });
});
