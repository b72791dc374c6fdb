import { decisionMicros, type DecisionTime } from './decision-time.js';
import { JobKind } from './architecture-jobs.js';

/** How a decision ended, for the busy-time split (Omega paper §4: useful vs wasted time). */
export const enum DecisionOutcome {
  /** Placed at least one task, with no conflict. */
  Useful = 0,
  /** The transaction conflicted (shared state) or its offer was rescinded (two-level): the whole decision is wasted. */
  Wasted = 1,
  /** No task of the job fit anywhere it could look: no transaction was made. */
  NoFit = 2,
}

/** A FIFO of job numbers (a ring that grows). */
export class JobQueue {
  private ring = new Int32Array(64);
  private head = 0;
  private n = 0;

  get length(): number {
    return this.n;
  }

  push(job: number): void {
    if (this.n === this.ring.length) {
      const next = new Int32Array(this.ring.length * 2);
      for (let i = 0; i < this.n; i++) next[i] = this.ring[(this.head + i) % this.ring.length];
      this.ring = next;
      this.head = 0;
    }
    this.ring[(this.head + this.n++) % this.ring.length] = job;
  }

  shift(): number {
    if (this.n === 0) return -1;
    const j = this.ring[this.head];
    this.head = (this.head + 1) % this.ring.length;
    this.n--;
    return j;
  }

  peek(): number {
    return this.n === 0 ? -1 : this.ring[this.head];
  }
}

/** What one scheduler did over the run. Times are µs. */
export interface SchedulerStats {
  name: string;
  jobsQueued: number;
  attempts: number;
  busy: number;
  useful: number;
  wasted: number;
  noFit: number;
  /** Transactions submitted (decisions that claimed something) and those that conflicted. */
  transactions: number;
  conflicted: number;
  /** Task claims committed and task claims that conflicted. */
  claimsCommitted: number;
  claimsConflicted: number;
}

/**
 * One scheduler: a queue of jobs, the decision time it spends per job (per job kind, for the
 * multi-path monolithic scheduler), and whether it is deciding now. Schedulers decide one job at a
 * time (the Omega simulator's model); a busy scheduler's queue grows.
 */
export class SchedulerAgent {
  readonly queue = new JobQueue();
  busy = false;
  readonly stats: SchedulerStats;
  private readonly times: readonly [DecisionTime, DecisionTime];

  constructor(name: string, batch: DecisionTime, service: DecisionTime = batch) {
    this.stats = { name, jobsQueued: 0, attempts: 0, busy: 0, useful: 0, wasted: 0, noFit: 0, transactions: 0, conflicted: 0, claimsCommitted: 0, claimsConflicted: 0 };
    this.times = [batch, service];
  }

  decisionTime(kind: JobKind): DecisionTime {
    return this.times[kind];
  }

  /** µs this scheduler spends on a job of `kind` with `unplaced` tasks left. */
  thinkMicros(kind: JobKind, unplaced: number): number {
    return decisionMicros(this.times[kind], unplaced);
  }

  /** Starts deciding at `now` (µs). */
  begin(now: number): void {
    this.busy = true;
    this.busySince = now;
  }
  /** When the current decision began (valid while busy). */
  busySince = 0;

  enqueue(job: number): void {
    this.queue.push(job);
    this.stats.jobsQueued++;
  }

  /** Books a finished decision of `inWindow` µs and marks the scheduler idle. */
  record(inWindow: number, outcome: DecisionOutcome): void {
    const s = this.stats;
    this.busy = false;
    s.attempts++;
    s.busy += inWindow;
    if (outcome === DecisionOutcome.Useful) s.useful += inWindow;
    else if (outcome === DecisionOutcome.Wasted) s.wasted += inWindow;
    else s.noFit += inWindow;
  }
}
