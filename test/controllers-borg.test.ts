import { describe, expect, it } from 'vitest';
import { StopCause } from '../harness/reactions/reaction-host.js';
import { ReactionCause } from '../reports/reaction-results.js';
import { bandOf } from '../model/priority-bands.js';
import { hostWithControllers, S } from './controllers-fixtures.js';

/** The trace's gaps the controllers sample from (sorted, µs). */
const GAPS = Float64Array.from([0, 2 * S, 7 * S, 600 * S]);

/** A Borg job of `pods` tasks, each lost once at 10 s (preempted); returns each one's wait before it was queued again. */
function resubmissionDelays(seed: number, pods: number, gaps: Float64Array | undefined, priority = 0): number[] {
  const { host } = hostWithControllers(pods, [{ c: { kind: 'BorgJob', restartPolicy: 'Always', terminationGracePeriod: 0 }, pods, cpu: 100 }], {
    seed,
    extra: gaps ? { resubmitDelays: gaps } : {},
  });
  for (let t = 0; t < pods; t++) {
    host.tasks.priority[t] = priority;
    host.tasks.band[t] = bandOf(priority, 'google-2011');
    host.submit(t);
    host.startOn(t, t % pods);
  }
  host.advanceTo(10 * S);
  for (let t = 0; t < pods; t++) host.stopTask(t, t % 2 === 0 ? StopCause.Preempted : StopCause.EvictedByKubelet);
  host.advanceTo(10_000 * S);
  const back = new Map<number, number>();
  for (const e of host.enqueued) if (e.time > 0) back.set(e.task, e.time);
  expect(back.size).toBe(pods);
  // The Recreated rows say the same wait.
  const logged = host.log.filter((e) => e.cause === ReactionCause.Recreated);
  expect(logged).toHaveLength(pods);
  for (const e of logged) expect(e.amount * S).toBe(back.get(e.task)! - 10 * S);
  return [...Array(pods).keys()].map((t) => back.get(t)! - 10 * S);
}

describe('Borg jobs from traces', () => {
  it('a lost task goes back to the queue after a delay drawn from the trace’s EVICT→SUBMIT gaps', () => {
    const d = resubmissionDelays(7, 64, GAPS);
    for (const x of d) expect(GAPS).toContain(x);
    // Every gap is drawn now and then (64 draws of 4 equally likely values).
    expect(new Set(d).size).toBe(GAPS.length);
  });

  it('the same seed gives the same delays; another seed others', () => {
    const a = resubmissionDelays(7, 24, GAPS);
    expect(resubmissionDelays(7, 24, GAPS)).toEqual(a);
    expect(resubmissionDelays(8, 24, GAPS)).not.toEqual(a);
  });

  it('without measured gaps, at once; production tasks are resubmitted too', () => {
    expect(resubmissionDelays(1, 4, undefined)).toEqual([0, 0, 0, 0]);
    expect(resubmissionDelays(1, 4, new Float64Array(0), 10)).toEqual([0, 0, 0, 0]);
  });
});
