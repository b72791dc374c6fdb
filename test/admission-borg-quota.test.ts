import { describe, expect, it } from 'vitest';
import { FakeReactionHost } from './helpers/fake-reaction-host.js';
import { AdmissionReaction } from '../harness/admission/admission-reaction.js';
import { BorgQuotaLedger, type BorgQuotaEntry } from '../harness/admission/borg-quota.js';
import { StopCause } from '../harness/reactions/reaction-host.js';
import { TaskStatus } from '../model/task-status.js';
import type { AdmissionReport, ReactionsResults } from '../reports/reaction-results.js';
import { GiB, quotaWorkload, type QuotaPod } from './fixtures/quota-workload.js';

// Borg quota (Verma et al. EuroSys'15 §2.5): per user and priority band, checked at submission;
// a task over quota is rejected, never queued. Google 2011 numbering: 0–1 free, 2–8 mid, 9–11
// production. Figures below are worked out by hand.

const PROD = 9;
const MID = 4;
const FREE = 0;
const NaNs = [NaN, NaN, NaN, NaN];
/** A quota entry: cpu in millicores, memory in bytes (the workload's units). */
const entry = (user: string, band: BorgQuotaEntry['band'], cpu: number, memory = NaN): BorgQuotaEntry => ({ user, band, limit: [cpu, memory, NaN, NaN] });
const task = (user: string, priority: number, cpu: number, extra: Partial<QuotaPod> = {}): QuotaPod => ({ user, priority, cpu, mem: GiB, kind: 'BorgJob', ...extra });

function setup(pods: QuotaPod[], entries: BorgQuotaEntry[]) {
  const { workload, batch } = quotaWorkload(pods, { priorityScale: 'google-2011' });
  const reaction = new AdmissionReaction(workload, undefined, new BorgQuotaLedger(entries, workload), 'test');
  const host = new FakeReactionHost(workload, [batch]);
  host.use(reaction);
  const report = (): AdmissionReport => {
    const out = { settings: {}, events: {} } as unknown as ReactionsResults;
    reaction.finish(0, out);
    return out.admission!;
  };
  return { host, report };
}

describe('Borg quota', () => {
  it('rejects at submission the task that would take its user × band past the quota (for good, not queued)', () => {
    // alice, production: 4 cores. 3 + 1 fit exactly; the third task (1 core) does not.
    const { host, report } = setup([task('alice', PROD, 3000), task('alice', PROD, 1000), task('alice', 10, 1000)], [entry('alice', 'production', 4000)]);
    expect([host.submit(0), host.submit(1), host.submit(2)]).toEqual([true, true, false]);
    expect(host.ended).toEqual([{ task: 2, status: 'rejected', time: 0 }]);
    expect(host.tasks.status[2]).toBe(TaskStatus.Rejected);
    const r = report();
    expect(r.rejectedByReason).toEqual({ 'borg quota exceeded: alice/production: cpu': 1 });
    expect(r.messages['borg quota exceeded: alice/production: cpu']).toBe('borg quota exceeded: user alice, band production: requested cpu=1, allocated cpu=4, quota cpu=4');
    expect(r.rejectedForGood).toBe(1);
    expect(r.waitingAtEnd).toBe(0);
  });

  it('bounds only the dimensions the quota names; memory over its quota is refused too', () => {
    const { host, report } = setup([task('alice', PROD, 1000, { mem: 3 * GiB }), task('alice', PROD, 100, { mem: 2 * GiB })], [entry('alice', 'production', NaN, 4 * GiB)]);
    expect([host.submit(0), host.submit(1)]).toEqual([true, false]);
    expect(Object.values(report().messages)).toEqual(['borg quota exceeded: user alice, band production: requested memory=2Gi, allocated memory=3Gi, quota memory=4Gi']);
  });

  it('bands not listed are unlimited', () => {
    const { host } = setup([task('alice', MID, 50_000), task('alice', FREE, 50_000), task('alice', PROD, 2000)], [entry('alice', 'production', 1000)]);
    expect([host.submit(0), host.submit(1), host.submit(2)]).toEqual([true, true, false]);
  });

  it('default bounds the unlisted bands, each on its own, but not the free band (infinite quota at priority zero)', () => {
    const { host } = setup(
      [task('alice', MID, 1000), task('alice', MID, 1000), task('alice', PROD, 1000), task('alice', FREE, 9000), task('alice', PROD, 5000)],
      [entry('alice', 'default', 1000), entry('alice', 'production', 6000)],
    );
    // mid: 1 core then over; production has its own entry (6 cores: 1 + 5 fit); free is unbounded.
    expect([host.submit(0), host.submit(1), host.submit(2), host.submit(3), host.submit(4)]).toEqual([true, false, true, true, true]);
  });

  it('a free-band entry does bound the free band', () => {
    const { host } = setup([task('alice', FREE, 1000), task('alice', 1, 1000)], [entry('alice', 'free', 1500)]);
    expect([host.submit(0), host.submit(1)]).toEqual([true, false]);
  });

  it("'*' gives every user their own quota; a user's own entry comes first", () => {
    const { host } = setup(
      [task('alice', PROD, 2000), task('alice', PROD, 1000), task('bob', PROD, 2000), task('carol', PROD, 5000), task('carol', PROD, 1000)],
      [entry('*', 'production', 2000), entry('carol', 'production', 6000)],
    );
    expect([host.submit(0), host.submit(1), host.submit(2), host.submit(3), host.submit(4)]).toEqual([true, false, true, true, true]);
  });

  it('precedence: the user’s default before the band of *', () => {
    const { host } = setup([task('alice', MID, 2000), task('bob', MID, 2000)], [entry('alice', 'default', 1000), entry('*', 'mid', 3000)]);
    expect([host.submit(0), host.submit(1)]).toEqual([false, true]);
  });

  it('a task with no user matches only *', () => {
    const { host, report } = setup([task('', PROD, 2000, { noUser: true }), task('', PROD, 2000, { noUser: true })], [entry('alice', 'production', 100), entry('*', 'production', 3000)]);
    expect([host.submit(0), host.submit(1)]).toEqual([true, false]);
    expect(Object.values(report().messages)[0]).toMatch(/^borg quota exceeded: user \(no user\), band production/);
  });

  it('a task that ended gives its share back; an evicted one keeps it and is not checked again when resubmitted', () => {
    const { host } = setup(
      [task('alice', PROD, 2000), task('alice', PROD, 2000), task('alice', PROD, 2000), task('alice', PROD, 2000), task('alice', PROD, 4000), task('alice', PROD, 3000)],
      [entry('alice', 'production', 4000)],
    );
    host.submit(0);
    host.submit(1);
    host.startOn(0, 0);
    host.startOn(1, 0);
    host.stopTask(0, StopCause.Finished);
    expect(host.submit(2)).toBe(true);
    // Task 1 is preempted: its job is still admitted, so its share stays allocated…
    host.stopTask(1, StopCause.Preempted);
    expect(host.tasks.status[1]).toBe(TaskStatus.Evicted);
    expect(host.submit(3)).toBe(false);
    // …and its resubmission is admitted without a new check.
    expect(host.recreate(1)).toBe(true);
    // Killed by its source, or finished: the shares come back (2 cores, then all 4).
    host.startOn(2, 0);
    host.stopTask(2, StopCause.Killed);
    expect(host.submit(5)).toBe(false);
    host.startOn(1, 0);
    host.stopTask(1, StopCause.Finished);
    expect(host.submit(4)).toBe(true);
  });

  it('a pending task that ends without running returns its share', () => {
    const { host } = setup([task('alice', PROD, 3000), task('alice', PROD, 3000)], [entry('alice', 'production', 4000)]);
    host.submit(0);
    host.endForGood(0, 'failed');
    expect(host.submit(1)).toBe(true);
  });

  it('rejections of different users under one * entry share one reason', () => {
    const { host, report } = setup([task('alice', PROD, 3000), task('bob', PROD, 3000)], [entry('*', 'production', 2000)]);
    host.submit(0);
    host.submit(1);
    const r = report();
    expect(r.rejectedByReason).toEqual({ 'borg quota exceeded: */production: cpu': 2 });
    expect(r.podsRejected).toBe(2);
  });

  it('the ledger refuses an entry given twice', () => {
    const { workload } = quotaWorkload([task('alice', PROD, 1)], { priorityScale: 'google-2011' });
    expect(() => new BorgQuotaLedger([entry('alice', 'mid', 1), { user: 'alice', band: 'mid', limit: NaNs }], workload)).toThrow(/alice\/mid is given twice/);
  });
});
