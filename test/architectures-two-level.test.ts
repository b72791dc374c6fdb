import { describe, expect, it } from 'vitest';
import { tinyWorkload, type TinyTask } from './helpers/tiny-workload.js';
import { runArchitecture, seconds } from './helpers/architecture-run.js';
import { twoLevel } from '../harness/architectures/two-level.js';
import { dominantShare, drfAllocate, drfOrder } from '../harness/architectures/dominant-resource-fairness.js';
import { parseFrameworkWeights } from '../harness/architectures/framework-weights.js';
import { runArchitectureSpec } from '../harness/architectures/architecture-spec.js';
import { UsageError } from '../model/errors.js';

const S = 1e6;
const GiB = 2 ** 30;
/** Priority 9 is Borg's production band on the Google 2011 scale: a service job. */
const service = (t: Partial<TinyTask>): TinyTask => ({ submit: 0, duration: 1000 * S, cpu: 1000, mem: GiB, priority: 9, job: 1, ...t });
const batch = (t: Partial<TinyTask>): TinyTask => ({ submit: 0, duration: 1000 * S, cpu: 1000, mem: GiB, priority: 0, job: 0, ...t });
const sched = (r: { schedulers: Array<{ name: string }> }, name: string) => r.schedulers.find((s) => s.name === name) as (typeof r.schedulers)[number] & Record<string, number>;

describe('dominant resource fairness (pure)', () => {
  it("reproduces the DRF paper's example: 9 CPU / 18 GB, A <1,4>, B <3,1> → A 3 tasks, B 2", () => {
    expect(Array.from(drfAllocate([9, 18], [1, 4, 3, 1]))).toEqual([3, 2]);
    // At that allocation both dominant shares are 2/3 (A: memory 12/18, B: CPU 6/9).
    const alloc = [3, 12, 6, 2];
    expect(dominantShare(alloc, 0, [9, 18])).toBeCloseTo(2 / 3, 12);
    expect(dominantShare(alloc, 2, [9, 18])).toBeCloseTo(2 / 3, 12);
  });

  it('orders by lowest dominant share, ties by user order; weights change the order', () => {
    // A holds <1 CPU, 4 GB> (share 4/18), B <3 CPU, 1 GB> (share 3/9).
    const alloc = [1, 4, 3, 1];
    const total = [9, 18];
    const plain = [dominantShare(alloc, 0, total), dominantShare(alloc, 2, total)];
    expect(Array.from(drfOrder(plain, new Int32Array(2)))).toEqual([0, 1]);
    const weighted = [dominantShare(alloc, 0, total, 1), dominantShare(alloc, 2, total, 2)];
    expect(weighted[1]).toBeCloseTo(1 / 6, 12);
    expect(Array.from(drfOrder(weighted, new Int32Array(2)))).toEqual([1, 0]);
    expect(Array.from(drfOrder([0.5, 0.5, 0.1], new Int32Array(3)))).toEqual([2, 0, 1]);
    // Weighted progressive filling: A of weight 3 is served until its share is 3× B's: 4 tasks, B 1.
    expect(Array.from(drfAllocate([9, 18], [1, 4, 3, 1], [3, 1]))).toEqual([4, 1]);
  });
});

describe('framework weights', () => {
  it('parses names and weights; unnamed frameworks keep weight 1', () => {
    expect(Array.from(parseFrameworkWeights('batch=1,service=2'))).toEqual([1, 2]);
    expect(Array.from(parseFrameworkWeights(' service = 0.5 '))).toEqual([1, 0.5]);
    expect(Array.from(parseFrameworkWeights(undefined))).toEqual([1, 1]);
  });

  it('rejects weight 0, negative, non-numbers, unknown names and repeats with a usage error naming the entry', () => {
    const cases: Array<[string, RegExp]> = [
      ['batch=0', /--framework-weights: entry 'batch=0': expected a weight > 0/],
      ['service=-1', /entry 'service=-1'/],
      ['batch=fast', /entry 'batch=fast'.*'fast'/],
      ['batch=', /entry 'batch='/],
      ['mapreduce=1', /unknown framework 'mapreduce'/],
      ['batch=1,batch=2', /given twice/],
      ['batch', /expected name=weight/],
    ];
    for (const [text, msg] of cases) {
      expect(() => parseFrameworkWeights(text)).toThrow(UsageError);
      expect(() => parseFrameworkWeights(text)).toThrow(msg);
    }
    expect(() => twoLevel({ batch: seconds(1), service: seconds(1), weights: 'service=0' })).toThrow(UsageError);
    expect(() => twoLevel({ batch: seconds(1), service: seconds(1), offerTimeout: 0 })).toThrow(/--offer-timeout/);
    expect(() => twoLevel({ batch: seconds(1), service: seconds(1), refuseSeconds: -1 })).toThrow(/--refuse-seconds/);
  });
});

describe('two-level (Mesos) offers', () => {
  it('an offer held by a slow framework locks its resources from the other', async () => {
    // Service (10 s per job) gets the whole cell at t = 0; the batch job arrives at 1 s.
    const w = tinyWorkload([[4000, 16 * GiB], [4000, 16 * GiB]], [service({}), batch({ submit: 1 * S })], { horizon: 100 * S });
    const { results, sim } = await runArchitecture(w, twoLevel({ batch: seconds(0.1), service: seconds(10) }));
    // Service answers at 10 s; only then is the rest of the cell offered to batch (decides 0.1 s).
    expect(results.jobs.service.waitFirst.mean).toBe(10);
    expect(sim.firstPlaced[1]).toBeGreaterThanOrEqual(10 * S);
    expect(results.jobs.batch.waitFirst.mean).toBeCloseTo(9.1, 9);
    // Locked: all 8 CPUs for 10 s, then the 7 declined CPUs for batch's 0.1 s, over a 100 s window.
    expect(sim.lockedArea[0]).toBeGreaterThan(0);
    expect(results.locked.cpu).toBeCloseTo((8000 * 10 + 7000 * 0.1) / (8000 * 100), 9);
    expect(results.extra.offers).toBe(2);
    expect(results.extra.meanOfferHoldSeconds).toBeCloseTo(5.05, 9);
  });

  it('the next offer goes to the framework with the lowest weighted dominant share', async () => {
    // Batch holds 4 of 8 CPUs, service 1; a 10 s filler takes the rest. When it ends, one 3-CPU
    // job of each framework waits and only one fits.
    const tasks = [
      batch({ cpu: 2000 }),
      batch({ cpu: 2000 }),
      service({ submit: 0.5 * S }),
      batch({ submit: 1 * S, cpu: 3000, duration: 10 * S, job: 2 }),
      batch({ submit: 2 * S, cpu: 3000 }),
      service({ submit: 3 * S, cpu: 3000 }),
    ];
    const w = () => tinyWorkload([[4000, 64 * GiB], [4000, 64 * GiB]], tasks, { horizon: 100 * S });
    // No refusal filters here: they would delay the filler (refusal filters have their own test).
    const opts = { batch: seconds(0.1), service: seconds(0.1), refuseSeconds: 0 };
    const plain = await runArchitecture(w(), twoLevel(opts));
    // Filler placed at 1.1 s, ends at 11.1 s. Service's share 1/8 < batch's 4/8: service goes first.
    // (Jobs here: 0 = the two 2-CPU tasks, 1 = service, 2 = filler, 3 = batch waiting, 4 = service waiting.)
    expect(plain.sim.firstPlaced[4]).toBeCloseTo(11.2 * S, 0);
    expect(plain.sim.placed[3]).toBe(0);
    const weighted = await runArchitecture(w(), twoLevel({ ...opts, weights: 'batch=10' }));
    // Batch's weighted share 0.05 < service's 0.125: batch goes first.
    expect(weighted.sim.firstPlaced[3]).toBeCloseTo(11.2 * S, 0);
    expect(weighted.sim.placed[4]).toBe(0);
    expect((weighted.results.extra.frameworkWeights as Record<string, number>).batch).toBe(10);
    const mean = plain.results.extra.dominantShareMean as Record<string, number>;
    expect(mean.batch).toBeGreaterThan(mean.service);
  });

  it('declined nodes are filtered from the decliner for refuse_seconds', async () => {
    // Batch takes node 0 whole at t = 0 (answer at 1 s) and declines the rest: node 1, and node 0's
    // spare memory. Its next job (1.5 s) waits for the filters to lapse at 6 s unless refuse_seconds is 0.
    const tasks = [batch({ cpu: 4000 }), batch({ submit: 1.5 * S, cpu: 4000, job: 2 })];
    const w = () => tinyWorkload([[4000, 16 * GiB], [4000, 16 * GiB]], tasks, { horizon: 100 * S });
    const filtered = await runArchitecture(w(), twoLevel({ batch: seconds(1), service: seconds(1) }));
    // Two filters at 1 s, two more when the second job's answer declines the spare memory at 7 s.
    expect(filtered.results.extra.declineFilters).toBe(4);
    expect(filtered.results.extra.nodesFilteredFromOffers).toBe(2);
    expect(filtered.sim.firstPlaced[1]).toBe(7 * S);
    const unfiltered = await runArchitecture(w(), twoLevel({ batch: seconds(1), service: seconds(1), refuseSeconds: 0 }));
    expect(unfiltered.results.extra.declineFilters).toBe(0);
    expect(unfiltered.sim.firstPlaced[1]).toBe(2.5 * S);
    // The filter binds only the decliner: a service job at 1.5 s is offered node 1 at once.
    const other = await runArchitecture(tinyWorkload([[4000, 16 * GiB], [4000, 16 * GiB]], [batch({ cpu: 4000 }), service({ submit: 1.5 * S })], { horizon: 100 * S }), twoLevel({ batch: seconds(1), service: seconds(1) }));
    expect(other.sim.firstPlaced[1]).toBe(2.5 * S);
  });

  it('a refusal filter lapses early once the node has more free than was declined (Mesos refused-resources filter)', async () => {
    // Batch places 4 CPUs on node 0 and a 2 s task of 2 CPUs on node 1, declining node 1's other 2
    // CPUs at 1 s. Its 3-CPU job at 1.5 s fits nowhere until the short task ends at 3 s; node 1 then
    // has 4 CPUs free, more than the 2 declined, so it is offered at once (placed at 4 s, not 7 s).
    const tasks = [batch({ cpu: 4000 }), batch({ cpu: 2000, duration: 2 * S }), batch({ submit: 1.5 * S, cpu: 3000, job: 2 })];
    const w = tinyWorkload([[4000, 16 * GiB], [4000, 16 * GiB]], tasks, { horizon: 100 * S });
    const { results, sim } = await runArchitecture(w, twoLevel({ batch: seconds(1), service: seconds(1) }));
    expect(sim.firstPlaced[0]).toBe(1 * S);
    expect(results.extra.nodesFilteredFromOffers).toBeGreaterThanOrEqual(1);
    expect(sim.firstPlaced[1]).toBe(4 * S);
  });

  it('the master rescinds an offer held past the timeout: the decision is wasted, the other framework gets the resources', async () => {
    const w = tinyWorkload([[4000, 16 * GiB]], [service({}), batch({ submit: 1 * S })], { horizon: 30 * S });
    const { results, sim } = await runArchitecture(w, twoLevel({ batch: seconds(0.1), service: seconds(10), offerTimeout: 2 }));
    // Rescinded at 2 s; batch is offered the cell then and places at 2.1 s.
    expect(sim.firstPlaced[1]).toBeCloseTo(2.1 * S, 0);
    expect(results.extra.offersRescinded).toBeGreaterThanOrEqual(1);
    const svc = sched(results, 'service');
    // Service's 10 s decision at t = 0 is wasted; it retries at 11 s (rescinded again at 13 s, answers at 21 s).
    expect(svc.wastedSeconds).toBe(20);
    expect(svc.usefulSeconds).toBe(0);
    expect(results.jobs.service.tasksPlaced).toBe(0);
    // Without a timeout the service job places at 10 s.
    const patient = await runArchitecture(tinyWorkload([[4000, 16 * GiB]], [service({}), batch({ submit: 1 * S })], { horizon: 30 * S }), twoLevel({ batch: seconds(0.1), service: seconds(10) }));
    expect(patient.results.extra.offersRescinded).toBe(0);
    expect(patient.sim.firstPlaced[0]).toBe(10 * S);
  });
});

describe('two-level end to end', () => {
  const spec = { workload: 'synthetic', seed: 1, nodes: 50, tasks: 5000, hours: 6, instance: 'm5.2xlarge', policy: 'best-fit' };
  it('places jobs on the synthetic default; a slow service framework waits and abandons more', async () => {
    const fast = (await runArchitectureSpec(spec, { architecture: 'two-level', tJob: 0.1, tTask: 0.005 })).results;
    const slow = (await runArchitectureSpec(spec, { architecture: 'two-level', tJob: 0.1, tTask: 0.005, serviceTJob: 10 })).results;
    expect(fast.architecture).toBe('two-level');
    expect(fast.jobs.all.fullyPlaced).toBeGreaterThan(0.9 * fast.jobs.all.submitted);
    for (const s of fast.schedulers) {
      expect(s.busyness).toBeGreaterThan(0);
      expect(s.busyness).toBeLessThan(1);
    }
    expect(fast.extra.offers as number).toBeGreaterThan(100);
    expect(fast.locked.cpu).toBeGreaterThan(0);
    const svcSlow = slow.jobs.service;
    const svcFast = fast.jobs.service;
    expect(svcSlow.abandoned + svcSlow.waitingAtEnd).toBeGreaterThanOrEqual(svcFast.abandoned + svcFast.waitingAtEnd);
    expect(svcSlow.waitFirst.mean).toBeGreaterThan(svcFast.waitFirst.mean);
    // The slow framework's held offers make batch wait too (Omega paper Figure 7's direction).
    expect(slow.jobs.batch.waitFirst.mean).toBeGreaterThan(fast.jobs.batch.waitFirst.mean);
    expect(slow.extra.meanOfferHoldSeconds as number).toBeGreaterThan(fast.extra.meanOfferHoldSeconds as number);
  }, 60_000);
});
