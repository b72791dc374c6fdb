import { describe, expect, it } from 'vitest';
import { tinyWorkload, type TinyTask } from './helpers/tiny-workload.js';
import { runArchitecture, seconds } from './helpers/architecture-run.js';
import { sharedState } from '../harness/architectures/shared-state.js';

const S = 1e6;
const GiB = 2 ** 30;
/** Priority 9 is Borg's production band on the Google 2011 scale: a service job. */
const service = (t: Partial<TinyTask>): TinyTask => ({ submit: 0, duration: 1000 * S, cpu: 1000, mem: GiB, priority: 9, job: 1, ...t });
const batch = (t: Partial<TinyTask>): TinyTask => ({ submit: 0, duration: 1000 * S, cpu: 1000, mem: GiB, priority: 0, job: 0, ...t });

// Both schedulers snapshot the cell at t = 0; batch (1 s) commits first, service (2 s) second.
const racing = (nodeCpu: number) => tinyWorkload([[nodeCpu, 16 * GiB]], [batch({}), service({})], { horizon: 100 * S });

describe('shared-state (Omega) conflicts', () => {
  it('coarse detection conflicts on any change to a claimed machine; fine only when the claim no longer fits', async () => {
    const opts = { batch: seconds(1), service: seconds(2) };
    const coarse = await runArchitecture(racing(4000), sharedState({ ...opts, conflict: 'coarse' }));
    const fine = await runArchitecture(racing(4000), sharedState({ ...opts, conflict: 'fine' }));
    const svc = (r: typeof coarse.results) => r.schedulers.find((s) => s.name === 'service')!;
    expect(svc(fine.results).conflicted).toBe(0);
    expect(svc(fine.results).conflictFraction).toBe(0);
    expect(fine.results.jobs.service.waitFirst.mean).toBe(2);
    // Coarse: the batch commit bumped the machine's sequence number; the service transaction is
    // wasted (2 s), the job retries 1 s later and commits after another 2 s.
    expect(svc(coarse.results).transactions).toBe(2);
    expect(svc(coarse.results).conflicted).toBe(1);
    expect(svc(coarse.results).conflictFraction).toBe(0.5);
    expect(svc(coarse.results).wastedSeconds).toBe(2);
    expect(coarse.results.jobs.service.waitFirst.mean).toBe(5);
    expect(coarse.results.extra.coarseOnlyConflictedClaims).toBe(1);
    expect(fine.results.extra.coarseOnlyConflictedClaims).toBe(0);
  });

  it('fine detection still conflicts when the machine filled up meanwhile', async () => {
    const r = (await runArchitecture(racing(1000), sharedState({ batch: seconds(1), service: seconds(2), conflict: 'fine' }))).results;
    const svc = r.schedulers.find((s) => s.name === 'service')!;
    expect(svc.conflicted).toBe(1);
    expect(svc.wastedSeconds).toBe(2);
    expect(r.jobs.service.tasksPlaced).toBe(0);
    expect(r.jobs.batch.tasksPlaced).toBe(1);
    // After the conflict nothing fits: the retries are no-fit attempts, never transactions.
    expect(svc.transactions).toBe(1);
    expect(svc.noFitSeconds).toBeGreaterThan(0);
  });

  it('incremental commits keep the claims that did not conflict; gang (all-or-nothing) voids the transaction', async () => {
    // Two 1-CPU machines; the service job wants both, the batch job takes one of them first.
    const w = () => tinyWorkload([[1000, 16 * GiB], [1000, 16 * GiB]], [batch({}), service({}), service({})], { horizon: 100 * S });
    const opts = { batch: seconds(1), service: seconds(2), conflict: 'fine' as const };
    const inc = (await runArchitecture(w(), sharedState({ ...opts, commit: 'incremental' }))).results;
    const gang = (await runArchitecture(w(), sharedState({ ...opts, commit: 'gang' }))).results;
    const svc = (r: typeof inc) => r.schedulers.find((s) => s.name === 'service')!;
    expect(svc(inc).claimsCommitted).toBe(1);
    expect(svc(inc).claimsConflicted).toBe(1);
    expect(inc.jobs.service.tasksPlaced).toBe(1);
    expect(svc(gang).claimsCommitted).toBe(0);
    expect(svc(gang).claimsConflicted).toBeGreaterThanOrEqual(2);
    expect(gang.jobs.service.tasksPlaced).toBe(0);
    // Both count the transaction as conflicted and its time as wasted.
    expect(svc(inc).conflicted).toBeGreaterThanOrEqual(1);
    expect(svc(gang).wastedSeconds).toBeGreaterThanOrEqual(2);
  });

  it('parallel batch schedulers split the batch jobs and the busyness between them', async () => {
    const tasks = Array.from({ length: 8 }, (_, i) => batch({ job: i % 3, submit: i * S / 10 }));
    // Each job here is one task; jobs are told apart by submit time.
    const w = () => tinyWorkload([[64000, 256 * GiB]], tasks, { horizon: 100 * S });
    const one = (await runArchitecture(w(), sharedState({ batch: seconds(4), service: seconds(1) }))).results;
    const two = (await runArchitecture(w(), sharedState({ batch: seconds(4), service: seconds(1), batchSchedulers: 2 }))).results;
    const batchBusy = (r: typeof one) => r.schedulers.filter((s) => s.name.startsWith('batch')).map((s) => s.busySeconds);
    expect(batchBusy(one)).toEqual([32]);
    expect(batchBusy(two)).toEqual([16, 16]);
    // Queueing behind one slow scheduler is halved by two.
    expect(two.jobs.batch.waitFirst.mean).toBeLessThan(one.jobs.batch.waitFirst.mean * 0.6);
    expect(two.jobs.batch.fullyPlaced).toBe(8);
  });
});
