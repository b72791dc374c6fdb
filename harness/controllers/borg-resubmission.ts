import type { Rng } from '../../model/rng.js';

/**
 * How long a lost task of a Borg job waits before it is back in the queue. Borg puts preempted
 * tasks back in the pending queue (Verma et al., EuroSys'15 §3.2) and reschedules evicted tasks
 * (§4; ../shared/docs/models.md § Borg), and a trace records how long that took: the gap between
 * a task's EVICT row and its next SUBMIT
 * (../shared/docs/trace-formats.md, Google 2011 task_events). The delay is drawn from those
 * gaps (Workload.resubmitDelays, sorted), each measured gap equally likely: the trace's own
 * empirical distribution, from a seeded stream. Without measured gaps the task is back at once.
 */
export class BorgResubmission {
  private readonly delays: Float64Array;

  constructor(delays: Float64Array | undefined, private readonly rng: Rng) {
    this.delays = delays ?? new Float64Array(0);
  }

  /** Number of measured gaps sampled from (0 = resubmit at once). */
  get gaps(): number {
    return this.delays.length;
  }

  /** The next delay, µs. */
  next(): number {
    const n = this.delays.length;
    if (n === 0) return 0;
    return this.delays[this.rng.int(n)];
  }
}
