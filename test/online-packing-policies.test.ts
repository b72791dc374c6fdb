import { describe, expect, it } from 'vitest';
import { Cluster } from '../harness/cluster.js';
import { DEFAULT_RESOURCES } from '../model/resources.js';
import { GiB } from '../model/units.js';
import { Rng } from '../model/rng.js';
import type { ClusterView } from '../model/cluster-view.js';
import type { PolicyModule } from '../algorithms/policy.js';
import type { TaskView } from '../model/task-view.js';
import { bestFit } from '../algorithms/classic/best-fit.js';
import { worstFit } from '../algorithms/classic/worst-fit.js';
import { firstFit } from '../algorithms/classic/first-fit.js';
import { builtinPolicy, BUILTIN_POLICIES } from '../algorithms/registry.js';
import { nextFit } from '../algorithms/online-packing/next-fit.js';
import {
  bestFitCpu, bestFitL2, bestFitMax, bestFitMemory, bestFitScarcity, fitByMeasure,
  worstFitCpu, worstFitL2, worstFitMax, worstFitMemory, worstFitScarcity,
} from '../algorithms/online-packing/fit-by-measure.js';
import { l2Norm } from '../algorithms/online-packing/l2-norm.js';
import { dotProduct } from '../algorithms/online-packing/dot-product.js';
import { borgHybrid, borgHybridPolicy } from '../algorithms/online-packing/borg-hybrid.js';
import { strandedFraction } from '../algorithms/online-packing/stranded.js';
import { PROBES, powerOfKChoices, powerOfTwoChoices } from '../algorithms/online-packing/power-of-k.js';
import { ScarcityWeights } from '../algorithms/online-packing/scarcity-weights.js';
import { ONLINE_PACKING_POLICIES } from '../algorithms/online-packing/index.js';
import { UsageError } from '../model/errors.js';

function task(cpu: number, mem: number): TaskView {
  return {
    id: 0, request: new Float64Array([cpu, mem, 0]), priority: 0, job: 0, user: -1,
    missingRequest: false, constraints: undefined, duration: Number.NaN,
  };
}

/** Nodes of 4000 mc / 8 GiB (no GPU) with (cpu mc, memory GiB) already requested. */
function cluster(used: Array<[number, number]>): Cluster {
  const c = new Cluster(DEFAULT_RESOURCES);
  used.forEach(([cpu, mem], i) => {
    c.addNode({ id: `n${i}`, capacity: [4000, 8 * GiB, 0] });
    if (cpu > 0 || mem > 0) c.bind(i, new Float64Array([cpu, mem * GiB, 0]));
  });
  return c;
}

const pick = (p: PolicyModule, t: TaskView, c: ClusterView, seed = 1): number => p.create({ rng: new Rng(seed) }).select(t, c);

describe('best fit / worst fit under each size measure', () => {
  // Task (1000 mc, 1 GiB). Residual after placement r = (cpu, mem) fractions of 4000 mc / 8 GiB:
  //   node  used (mc, GiB)   r            sum      max       l2 = Σ r²
  //   n0    (2000, 1)        (.25, .75)   1.0      .75       .625
  //   n1    (1000, 4)        (.5, .375)   .875     .5        .390625   <- min l2
  //   n2    (2500, 0)        (.125,.875)  1.0      .875      .78125    <- min cpu; max of max, l2, mem
  //   n3    (0, 5)           (.75, .25)   1.0      .75       .625      <- min mem; max cpu
  //   n4    (500, 3)         (.625, .5)   1.125    .625      .640625   <- max sum
  //   n5    (1800, 2.5)      (.3, .5625)  .8625    .5625     .40640625 <- min sum
  //   n6    (1125, 3.25)     (.46875²)    .9375    .46875    .439453   <- min max
  //   n7    (3500, 0)        infeasible (500 mc free)
  //   n8    (0, 7.5)         infeasible (0.5 GiB free)
  const c = cluster([[2000, 1], [1000, 4], [2500, 0], [0, 5], [500, 3], [1800, 2.5], [1125, 3.25], [3500, 0], [0, 7.5]]);
  const t = task(1000, GiB);
  const cases: Array<[PolicyModule, number]> = [
    [bestFit, 5], [bestFitMax, 6], [bestFitL2, 1], [l2Norm, 1], [bestFitCpu, 2], [bestFitMemory, 3],
    [worstFit, 4], [worstFitMax, 2], [worstFitL2, 2], [worstFitCpu, 3], [worstFitMemory, 2],
  ];
  for (const [p, expected] of cases) {
    it(`${p.name} picks n${expected}`, () => {
      expect(pick(p, t, c)).toBe(expected);
    });
  }

  it('a factory measure naming a missing resource is a usage error', () => {
    const p = fitByMeasure({ direction: 'best', measure: { kind: 'dim', resource: 'disk' } });
    expect(() => pick(p, t, c)).toThrow(UsageError);
  });
});

describe('scarcity weights', () => {
  // Task (1000 mc, 1 GiB). a: used (2800, 3) -> r = (.05, .5), sum .55; b: used (600, 5) -> r = (.6, .25), sum .85.
  // Fillers f1, f2: (0, 8) use all memory (infeasible). Totals: cpu 3400/16000 = .2125, mem 24/32 = .75.
  // Weighted: a = .2125·.05 + .75·.5 = .385625; b = .2125·.6 + .75·.25 = .315 -> scarcity best fit picks b,
  // unit-weight best fit picks a; worst fit mirrors both.
  const used: Array<[number, number]> = [[2800, 3], [600, 5], [0, 8], [0, 8]];
  const t = task(1000, GiB);

  it('change the best-fit and worst-fit decisions versus unit weights', () => {
    const c = cluster(used);
    expect(pick(bestFit, t, c)).toBe(0);
    expect(pick(bestFitScarcity, t, c)).toBe(1);
    expect(pick(worstFit, t, c)).toBe(1);
    expect(pick(worstFitScarcity, t, c)).toBe(0);
  });

  it('are requested / allocatable per dimension, unit when nothing is requested', () => {
    const c = cluster(used);
    const w = new ScarcityWeights(3).update(c);
    expect(Array.from(w)).toEqual([0.2125, 0.75, 0]);
    expect(Array.from(new ScarcityWeights(3).update(cluster([[0, 0]])))).toEqual([1, 1, 0]);
  });

  it('a view without cluster totals gets the same weights from one scan plus the bind hooks', () => {
    const c = cluster(used);
    const view = bareView(c);
    const fallback = new ScarcityWeights(3);
    expect(Array.from(fallback.update(view))).toEqual([0.2125, 0.75, 0]);
    // Bind through the cluster and tell the hook: no rescan (node counts unchanged), still exact.
    const t2 = task(2000, 0);
    c.bind(1, t2.request);
    fallback.onBind(t2, 1, view);
    expect(Array.from(fallback.update(view))).toEqual([5400 / 16000, 0.75, 0]);
    expect(Array.from(new ScarcityWeights(3).update(c))).toEqual([5400 / 16000, 0.75, 0]);
    // A node added: rescan.
    c.addNode({ id: 'new', capacity: [4000, 8 * GiB, 0] });
    expect(Array.from(fallback.update(view))).toEqual([5400 / 20000, 24 / 40, 0]);
  });
});

/** A ClusterView that hides the Cluster's running totals (any third-party view). */
function bareView(c: Cluster): ClusterView {
  return {
    get dims() { return c.dims; },
    get resources() { return c.resources; },
    get nodeCount() { return c.nodeCount; },
    get upCount() { return c.upCount; },
    get capacity() { return c.capacity; },
    get allocatable() { return c.allocatable; },
    get requested() { return c.requested; },
    get free() { return c.free; },
    get up() { return c.up; },
    get runningCount() { return c.runningCount; },
    get ids() { return c.ids; },
    get instanceTypes() { return c.instanceTypes; },
    get labels() { return c.labels; },
    get specs() { return c.specs; },
    fits: (n, r) => c.fits(n, r),
    feasible: (r, s, l, o) => c.feasible(r, s, l, o),
    lastStop: () => c.lastStop(),
  };
}

describe('next-fit', () => {
  it('stays on its node while tasks fit, moves forward (never back), wraps around', () => {
    const c = cluster([[0, 0], [0, 0], [0, 0], [0, 0]]);
    const p = nextFit.create({ rng: new Rng(1) });
    const small = task(1500, 0);
    const place = (): number => {
      const n = p.select(small, c);
      if (n >= 0) c.bind(n, small.request);
      return n;
    };
    expect(place()).toBe(0); // n0: 1500 used
    expect(place()).toBe(0); // n0: 3000 used, 1000 free
    expect(place()).toBe(1); // n0 too full: next node
    expect(place()).toBe(1);
    c.unbind(0, small.request); // n0 back to 2500 free — first fit would go back there
    expect(firstFit.create({ rng: new Rng(1) }).select(small, c)).toBe(0);
    expect(place()).toBe(2); // next fit moves forward from n1 instead
    expect(p.select(task(5000, 0), c)).toBe(-1); // fits nowhere: pending, pointer stays on n2
    expect(place()).toBe(2);
    expect(place()).toBe(3);
    expect(place()).toBe(3);
    expect(place()).toBe(0); // n3 full: wraps around to n0 (2500 free)
  });
});

describe('dot-product (Tetris alignment)', () => {
  it('sends a CPU-heavy task to the CPU-rich node rather than the emptiest one', () => {
    // Task (2000 mc, 0.5 GiB): normalized demand (.5, .0625).
    //   s: free (3000, 1 GiB) -> (.75, .125): .5·.75 + .0625·.125 = .3828125
    //   u: free (2000, 8 GiB) -> (.5, 1):      .5·.5  + .0625·1   = .3125
    // dot-product picks s; worst fit (sum of leftovers: s .3125, u .9375) picks the emptier u.
    const c = cluster([[1000, 7], [2000, 0]]);
    const t = task(2000, 0.5 * GiB);
    expect(pick(dotProduct, t, c)).toBe(0);
    expect(pick(worstFit, t, c)).toBe(1);
  });
});

describe('borg-hybrid', () => {
  // Task (1000 mc, 1 GiB). A: used (2950, 3) -> r = (.0125, .5): CPU exhausted (< .02), .5 memory stranded.
  // B: used (1800, 4.5) -> r = (.3, .3125): nothing exhausted. GPU is absent on both (neither exhausted nor stranded).
  // Best fit: A .5125 < B .6125 -> A. Hybrid: A .5125 + .5 = 1.0125 > B .6125 -> B.
  const used: Array<[number, number]> = [[2950, 3], [1800, 4.5]];
  const t = task(1000, GiB);

  it('the stranding penalty changes the decision versus pure best fit', () => {
    const c = cluster(used);
    expect(pick(bestFit, t, c)).toBe(0);
    expect(pick(borgHybrid, t, c)).toBe(1);
    expect(pick(borgHybridPolicy({ strandingWeight: 0 }), t, c)).toBe(0);
  });

  it('stranded room is the room beside an exhausted dimension, ignoring absent dimensions', () => {
    const alloc = new Float64Array([4000, 8 * GiB, 0]);
    expect(strandedFraction(new Float64Array([0.0125, 0.5, 0]), alloc, 0)).toBe(0.5);
    expect(strandedFraction(new Float64Array([0.3, 0.3125, 0]), alloc, 0)).toBe(0);
    expect(strandedFraction(new Float64Array([0.01, 0.01, 0]), alloc, 0)).toBe(0);
    expect(strandedFraction(new Float64Array([0.3, 0.01, 0]), alloc, 0, 0.5)).toBe(0);
    expect(() => borgHybridPolicy({ exhaustedFraction: 2 })).toThrow(UsageError);
  });
});

describe('power-of-k-choices', () => {
  // n0 empty, n2 loaded (3000 mc), the rest cannot take the task: feasible {n0, n2}.
  const used: Array<[number, number]> = [[0, 0], [3900, 0], [3000, 0], [3900, 0], [3900, 0], [3900, 0]];
  const t = task(500, 0);
  const draws = (p: PolicyModule, seed: number, n = 400): number[] => {
    const c = cluster(used);
    const policy = p.create({ rng: new Rng(seed) });
    return Array.from({ length: n }, () => policy.select(t, c));
  };

  it('is reproducible from its seed and only returns feasible nodes', () => {
    const a = draws(powerOfTwoChoices, 7);
    expect(draws(powerOfTwoChoices, 7)).toEqual(a);
    expect(draws(powerOfTwoChoices, 8)).not.toEqual(a);
    expect(new Set(a)).toEqual(new Set([0, 2]));
  });

  it('picks the less loaded of k draws: P(emptier) = 1 − (1 − p)^k, p the chance one draw hits it', () => {
    // One draw (power-of-k.ts): up to PROBES uniform node numbers until one fits — uniform over the
    // two feasible nodes — else (all PROBES miss: q = (4/6)^PROBES) the first feasible node at or
    // after a uniformly random start: n0 from starts 0, 3, 4, 5, n2 from 1, 2. So p = (1 − q)/2 + q·4/6.
    // The loaded n2 wins only if all k draws hit it. Bounds: 4 binomial standard deviations over N
    // decisions (a correct sampler fails about 6e-5 of the time).
    const N = 2000;
    const q = (4 / 6) ** PROBES;
    const p = (1 - q) / 2 + (q * 4) / 6;
    for (const k of [1, 2, 4]) {
      const expected = 1 - (1 - p) ** k;
      const share = draws(powerOfKChoices({ k }), 3, N).filter((n) => n === 0).length / N;
      expect(Math.abs(share - expected), `k = ${k}: ${share} vs ${expected.toFixed(4)}`).toBeLessThan(4 * Math.sqrt((expected * (1 - expected)) / N));
    }
    expect(powerOfKChoices({ k: 3 }).name).toBe('power-of-3-choices');
    expect(() => powerOfKChoices({ k: 0 })).toThrow(UsageError);
  });
});

describe('registry', () => {
  it('keeps the core policies first and lists every online packing policy once, kebab-case, one-line', () => {
    expect(BUILTIN_POLICIES.slice(0, 5).map((p) => p.name)).toEqual(['first-fit', 'best-fit', 'worst-fit', 'random', 'kube-default']);
    const names = BUILTIN_POLICIES.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const p of ONLINE_PACKING_POLICIES) {
      expect(builtinPolicy(p.name)).toBe(p);
      expect(p.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(p.description).not.toMatch(/\n/);
      expect(p.description.length).toBeGreaterThan(10);
    }
  });
});
