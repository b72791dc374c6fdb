import { Cluster } from '../cluster.js';
import { PolicyError, type Policy } from '../../algorithms/policy.js';
import type { Workload } from '../../model/workload.js';
import type { MachineSpec } from '../../model/machine.js';
import type { MutableTaskView } from '../task-view-fill.js';
import { ArchitectureEvents } from './architecture-events.js';
import type { ArchitectureJobs } from './architecture-jobs.js';
import type { Architecture, ArchitectureFactory, ArchitectureHost } from './architecture.js';
import { DecisionOutcome, type SchedulerAgent } from './scheduler-agent.js';
import { summarizeArchitectureRun } from './summarize-architecture-run.js';
import type { ArchitectureResults } from '../../reports/architecture-results.js';

/** Omega simulator's give-up rule (MonolithicScheduler): > 100 attempts with no task placed, or > 1,000 attempts. */
export const ABANDON_AFTER_NO_PROGRESS = 100;
export const ABANDON_AFTER_ATTEMPTS = 1000;
/** A job not fully placed goes back to its scheduler's queue after 1 s (the Omega simulator's delay). */
export const RETRY_DELAY = 1e6;

const TASK_END = 0;
const TIMER = 1;
const MACHINE_EVENT = 2;

export interface ArchitectureRunOptions {
  workload: Workload;
  jobs: ArchitectureJobs;
  policy: Policy;
  architecture: ArchitectureFactory;
  seed: number;
  /** Stop here (µs); default workload.horizon, else the last submit. */
  horizon?: number;
  /** Hourly price of a machine; NaN = unpriced (counted). */
  nodePrice?: (m: MachineSpec) => number;
  /** Called now and then with the simulated time. */
  onProgress?: (now: number, horizon: number) => void;
  /** Settings to store with the results (decision times, modes). */
  settings?: Record<string, string | number | boolean>;
}

/**
 * The architecture simulator: jobs arrive, schedulers spend decision time on them (harness/
 * architectures/decision-time.ts), tasks hold their requests on a node until they end. It models
 * what the Omega paper's lightweight simulator models (Schwarzkopf et al. EuroSys'13 §4):
 * reservations, not usage; no preemption unless an architecture does it; static machines plus the
 * workload's additions. Per-task node choice is the given policy's, so any schedlab policy can sit
 * inside any architecture. Same seed and inputs give the same result.
 */
export class ArchitectureSimulator implements ArchitectureHost {
  now = 0;
  readonly horizon: number;
  readonly jobs: ArchitectureJobs;
  readonly cluster: Cluster;
  nodeSeq = new Int32Array(0);
  readonly taskNode: Int32Array;
  /** Per task, how many times it was evicted: tells a stale end event from the current run's. */
  private readonly taskRun: Int32Array;
  private readonly events = new ArchitectureEvents();
  private readonly timers: Array<((a: number, b: number) => void) | undefined> = [];
  private readonly freeTimers: number[] = [];
  private readonly policy: Policy;
  private readonly arch: Architecture;
  private readonly workload: Workload;
  private readonly view: MutableTaskView;
  private readonly req: Float64Array;
  /** Per job: attempts, tasks placed, first and last placement (µs; NaN = none), given up. */
  readonly attempts: Int32Array;
  readonly placed: Int32Array;
  readonly firstPlaced: Float64Array;
  readonly lastPlaced: Float64Array;
  readonly abandoned: Uint8Array;
  /** Time integrals (µs × unit) of requested and locked per dimension, and of allocatable. */
  readonly requestedArea: Float64Array;
  readonly lockedArea: Float64Array;
  readonly allocatableArea: Float64Array;
  private lastAdvance = 0;
  private readonly nodePrice: (m: MachineSpec) => number;
  private priceSum = 0;
  costArea = 0;
  unpricedMachines = 0;
  machinesRemoved = 0;
  /** Tasks killed by a machine removal (their jobs go back to their schedulers). */
  tasksLostToRemovals = 0;
  tasksStarted = 0;
  tasksEnded = 0;
  private readonly opts: ArchitectureRunOptions;

  constructor(o: ArchitectureRunOptions) {
    this.opts = o;
    this.workload = o.workload;
    this.jobs = o.jobs;
    this.policy = o.policy;
    const D = o.jobs.dims;
    this.cluster = new Cluster(o.workload.resources, o.workload.machines.length);
    this.nodePrice = o.nodePrice ?? (() => 0);
    for (const m of o.workload.machines) this.addMachine(m);
    const lastSubmit = o.jobs.jobCount > 0 ? o.jobs.submit[o.jobs.jobCount - 1] : 0;
    this.horizon = o.horizon ?? o.workload.horizon ?? lastSubmit;
    for (const e of o.workload.machineEvents) {
      if (e.time > this.horizon) continue;
      this.timers.push(e.kind === 'remove' ? () => this.removeMachine(e.machine.id) : () => this.addMachine(e.machine));
      this.events.push(e.time, MACHINE_EVENT, this.timers.length - 1);
    }
    this.taskNode = new Int32Array(o.jobs.taskCount).fill(-1);
    this.taskRun = new Int32Array(o.jobs.taskCount);
    this.taskNext = new Int32Array(o.jobs.taskCount);
    this.taskPrev = new Int32Array(o.jobs.taskCount);
    const J = o.jobs.jobCount;
    this.attempts = new Int32Array(J);
    this.placed = new Int32Array(J);
    this.firstPlaced = new Float64Array(J).fill(NaN);
    this.lastPlaced = new Float64Array(J).fill(NaN);
    this.abandoned = new Uint8Array(J);
    this.requestedArea = new Float64Array(D);
    this.lockedArea = new Float64Array(D);
    this.allocatableArea = new Float64Array(D);
    this.req = new Float64Array(D);
    this.view = { id: 0, request: new Float64Array(D), priority: 0, job: 0, user: -1, missingRequest: false, constraints: undefined, duration: NaN };
    this.lastAdvance = o.workload.start ?? 0;
    this.now = this.lastAdvance;
    this.arch = o.architecture(this);
  }

  /**
   * A machine leaves: its tasks are killed and their jobs handed back to the architecture (as the
   * Omega simulator does not model, and Borg does: tasks of a failed machine are rescheduled,
   * Verma et al. EuroSys'15 §3.5); its price stops.
   */
  private removeMachine(id: string): void {
    const node = this.cluster.nodeById(id);
    if (node === undefined || !this.cluster.up[node]) return;
    const jobs: number[] = [];
    for (let t = this.nodeHead[node]; t !== -1; ) {
      const next = this.taskNext[t];
      const job = this.jobOfTask(t);
      // A job with tasks still unplaced is in its scheduler's hands already (queued, deciding or
      // waiting to retry): only a job that was fully placed is handed back.
      const wasFull = this.unplaced(job) === 0;
      this.evict(t);
      this.arch.taskEvicted?.(t, node);
      this.tasksLostToRemovals++;
      if (wasFull) jobs.push(job);
      t = next;
    }
    this.arch.nodeRemoved?.(node);
    this.cluster.removeNode(node);
    this.machinesRemoved++;
    const p = this.nodePrices[node];
    if (!Number.isNaN(p)) this.priceSum -= p;
    for (const j of jobs) {
      if (this.arch.resubmit) this.arch.resubmit(j);
      else this.arch.submit(j);
    }
  }

  private addMachine(m: MachineSpec): void {
    const node = this.cluster.addNode(m);
    if (this.nodeSeq.length <= node) {
      const s = new Int32Array(Math.max(node + 1, this.nodeSeq.length * 2, 16));
      s.set(this.nodeSeq);
      this.nodeSeq = s;
    }
    if (this.nodeHead.length <= node) {
      const h = new Int32Array(Math.max(node + 1, this.nodeHead.length * 2, 16)).fill(-1);
      h.set(this.nodeHead);
      this.nodeHead = h;
      const p = new Float64Array(h.length);
      p.set(this.nodePrices);
      this.nodePrices = p;
    }
    const p = this.nodePrice(m);
    this.nodePrices[node] = p;
    if (Number.isNaN(p)) this.unpricedMachines++;
    else this.priceSum += p;
  }

  unplaced(job: number): number {
    return this.jobs.taskStart[job + 1] - this.jobs.taskStart[job] - this.placed[job];
  }

  private taskRequest(task: number): Float64Array {
    const D = this.jobs.dims;
    for (let d = 0; d < D; d++) this.req[d] = this.jobs.request[task * D + d];
    return this.req;
  }

  /** The request of `task` (a shared scratch array, valid until the next call). */
  requestOf(task: number): Float64Array {
    return this.taskRequest(task);
  }

  choose(task: number, allowed?: (node: number) => boolean, excludesAtMost?: number): number {
    const jobs = this.jobs;
    const D = jobs.dims;
    const v = this.view;
    const job = this.jobOfTask(task);
    for (let d = 0; d < D; d++) v.request[d] = jobs.request[task * D + d];
    v.id = task;
    v.priority = jobs.priority[job];
    v.job = jobs.workloadJob[job];
    v.user = jobs.user[job];
    v.constraints = this.workload.jobConstraints?.[v.job];
    v.duration = jobs.duration[task];
    v.missingRequest = jobs.missing[task] === 1;
    const c = this.cluster;
    if (allowed !== undefined) {
      c.filter = allowed;
      c.filterExcludesAtMost = Math.min(c.nodeCount, excludesAtMost ?? c.nodeCount);
    }
    let node: number;
    try {
      node = this.policy.select(v, c);
    } finally {
      c.filter = undefined;
      c.filterExcludesAtMost = 0;
    }
    if (node >= 0 && (!c.fits(node, v.request) || (allowed !== undefined && !allowed(node)))) {
      throw new PolicyError(`policy '${this.policy.name}' chose node ${node} for task ${task}, where it does not fit or may not go`);
    }
    return node;
  }

  /** The job of a task. */
  jobOfTask(task: number): number {
    return this.jobs.taskJob[task];
  }

  start(task: number, node: number): void {
    const req = this.taskRequest(task);
    const job = this.jobOfTask(task);
    this.cluster.bind(node, req);
    this.nodeSeq[node]++;
    this.taskNode[task] = node;
    this.link(task, node);
    this.tasksStarted++;
    this.policy.onBind?.(this.viewOf(task, req), node, this.cluster);
    if (this.placed[job]++ === 0) this.firstPlaced[job] = this.now;
    this.lastPlaced[job] = this.now;
    const dur = this.jobs.duration[task];
    if (Number.isFinite(dur) && this.now + dur <= this.horizon) this.events.push(this.now + dur, TASK_END, task, this.taskRun[task]);
  }

  tentativeBind(task: number, node: number): void {
    const req = this.taskRequest(task);
    this.cluster.bind(node, req);
    this.policy.onBind?.(this.viewOf(task, req), node, this.cluster);
  }

  tentativeUnbind(task: number, node: number): void {
    const req = this.taskRequest(task);
    this.cluster.unbind(node, req);
    this.policy.onUnbind?.(this.viewOf(task, req), node, this.cluster);
  }

  /** The shared task view filled for the policy's bind hooks. */
  private viewOf(task: number, req: Float64Array): MutableTaskView {
    const v = this.view;
    v.id = task;
    v.job = this.jobs.workloadJob[this.jobOfTask(task)];
    for (let d = 0; d < this.jobs.dims; d++) v.request[d] = req[d];
    return v;
  }

  evict(task: number): void {
    const node = this.taskNode[task];
    if (node < 0) throw new Error(`evict: task ${task} is not running`);
    const job = this.jobOfTask(task);
    this.releaseTask(task, node);
    // Its pending end event belongs to this run of the task: a later run has a new number.
    this.taskRun[task]++;
    this.taskNode[task] = -1;
    this.placed[job]--;
    this.tasksEvicted++;
  }
  tasksEvicted = 0;

  finishAttempt(agent: SchedulerAgent, job: number, micros: number, outcome: DecisionOutcome, requeue: (job: number) => void): void {
    agent.record(micros, outcome);
    this.attempts[job]++;
    if (this.unplaced(job) === 0) return;
    const a = this.attempts[job];
    if ((a > ABANDON_AFTER_NO_PROGRESS && this.placed[job] === 0) || a > ABANDON_AFTER_ATTEMPTS) {
      this.abandoned[job] = 1;
      return;
    }
    this.at(this.now + RETRY_DELAY, requeue, job);
  }

  at(time: number, fire: (a: number, b: number) => void, a = 0, b = 0): void {
    if (time > this.horizon) return;
    const slot = this.freeTimers.length > 0 ? this.freeTimers.pop()! : this.timers.length;
    this.timers[slot] = fire;
    this.events.push(Math.max(time, this.now), TIMER, slot, a);
    if (this.timerB.length <= slot) {
      const g = new Float64Array(Math.max(slot + 1, this.timerB.length * 2, 64));
      g.set(this.timerB);
      this.timerB = g;
    }
    this.timerB[slot] = b;
  }
  private timerB = new Float64Array(0);

  lockedChanged(): void {
    this.advance(this.now);
  }

  /** Integrates requested, locked and allocatable amounts and cost up to `t`. */
  private advance(t: number): void {
    const dt = t - this.lastAdvance;
    if (dt <= 0) return;
    const c = this.cluster;
    const D = this.jobs.dims;
    for (let d = 0; d < D; d++) {
      this.requestedArea[d] += c.totalRequested[d] * dt;
      this.allocatableArea[d] += c.totalAllocatable[d] * dt;
    }
    if (this.lockedTotal !== undefined) {
      const locked = this.lockedTotal();
      for (let d = 0; d < D; d++) this.lockedArea[d] += locked[d] * dt;
    }
    this.costArea += this.priceSum * dt;
    this.lastAdvance = t;
  }
  /** Set by an architecture that locks resources: the amount locked now, per dimension. */
  lockedTotal?: () => Float64Array;

  private endTask(task: number): void {
    const node = this.taskNode[task];
    this.releaseTask(task, node);
    this.taskNode[task] = -2;
    this.tasksEnded++;
    this.arch.taskEnded?.(task, node);
  }

  /** Per node, its running tasks as a doubly linked list (head per node, next/prev per task; -1 = none). */
  private nodeHead = new Int32Array(0);
  private readonly taskNext: Int32Array;
  private readonly taskPrev: Int32Array;
  private nodePrices = new Float64Array(0);

  private link(task: number, node: number): void {
    const h = this.nodeHead[node];
    this.taskNext[task] = h;
    this.taskPrev[task] = -1;
    if (h !== -1) this.taskPrev[h] = task;
    this.nodeHead[node] = task;
  }

  private unlink(task: number, node: number): void {
    const p = this.taskPrev[task];
    const n = this.taskNext[task];
    if (p !== -1) this.taskNext[p] = n;
    else this.nodeHead[node] = n;
    if (n !== -1) this.taskPrev[n] = p;
  }

  /** Frees `task`'s room on `node` and tells the policy. */
  private releaseTask(task: number, node: number): void {
    this.unlink(task, node);
    const req = this.taskRequest(task);
    this.cluster.unbind(node, req);
    this.policy.onUnbind?.(this.viewOf(task, req), node, this.cluster);
  }

  run(): ArchitectureResults {
    const jobs = this.jobs;
    const ev = this.events;
    let next = 0;
    let lastProgress = 0;
    for (;;) {
      const ts = next < jobs.jobCount ? jobs.submit[next] : Infinity;
      const te = ev.peekTime();
      const t = Math.min(ts, te);
      if (!(t <= this.horizon)) break;
      this.advance(t);
      this.now = t;
      if (te <= ts) {
        ev.pop();
        if (ev.popKind === TASK_END) {
          if (ev.popB === this.taskRun[ev.popA]) this.endTask(ev.popA);
        }
        else {
          const slot = ev.popA;
          const fire = this.timers[slot]!;
          this.timers[slot] = undefined;
          if (ev.popKind === TIMER) {
            this.freeTimers.push(slot);
            fire(ev.popB, this.timerB[slot]);
          } else fire(0, 0);
        }
      } else {
        this.arch.submit(next++);
      }
      if (this.opts.onProgress && t - lastProgress > this.horizon / 100) {
        lastProgress = t;
        this.opts.onProgress(t, this.horizon);
      }
    }
    this.advance(this.horizon);
    this.now = this.horizon;
    return summarizeArchitectureRun(this, this.arch, next, this.opts);
  }
}
