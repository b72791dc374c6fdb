import { UsageError } from '../../model/errors.js';
import type { Architecture, ArchitectureFactory, ArchitectureHost } from './architecture.js';
import type { JobKind } from './architecture-jobs.js';
import type { ArchitectureSimulator } from './architecture-simulator.js';
import type { DecisionTime } from './decision-time.js';
import { DecisionOutcome, SchedulerAgent } from './scheduler-agent.js';
import { underServedKey, userLimit, within } from './capacity-scheduler.js';
import { computeFairShares, fairOrderKey, starvedAmount, type ShareClaim } from './fair-scheduler.js';
import {
  defaultCapacityConfig, readYarnQueueConfig,
  type CapacityQueue, type FairQueue, type ResourceAmount, type YarnQueueConfig,
} from './yarn-queue-config.js';
import { placeJobsInQueues, type RunQueue } from './yarn-queue-placement.js';
import { sameRequest } from './job-pass.js';

export interface QueuesOptions { batch: DecisionTime; service: DecisionTime; config?: string /* path */ }

/** The FairScheduler recomputes fair shares and checks starvation every 500 ms (yarn.scheduler.fair.update-interval-ms default). */
export const FAIR_UPDATE_INTERVAL = 500_000;
const MB = 1024 * 1024;

/** Job states. */
const IDLE = 0; // not submitted, fully placed, or given up
const LISTED = 1;
const DECIDING = 2;
const RETRY = 3;
const REJECTED = 4;

/** Why a task may not start now. */
const OK = 0;
const QUEUE_LIMIT = 1;
const USER_LIMIT = 2;


/**
 * YARN's queue architecture (Vavilapalli et al., "Apache Hadoop YARN", SoCC'13; the Omega paper,
 * Schwarzkopf et al. EuroSys'13 §3.2, puts it beside Mesos: one ResourceManager, whose scheduler
 * hands containers to applications by queue). One scheduler (a SchedulerAgent with a decision
 * time per job kind) serves jobs from leaf queues, one job at a time:
 * - **capacity** (capacity-scheduler.xml): the most under-served queue first at every level, FIFO
 *   within a leaf; a task starts only while its queue and every ancestor stay within maximum-capacity
 *   and its user within the user limit (capacity-scheduler.ts).
 * - **fair** (fair-scheduler.xml): the queue furthest below its share first (needy by min share,
 *   then usage / weight); tasks start within maxResources; every 500 ms fair shares are recomputed
 *   and a queue starved past its timeout preempts (fair-scheduler.ts): per waiting task, the node
 *   where the fewest of the youngest tasks of queues above their fair share make room; the room is
 *   held for the starved queue (cluster.setHeld, reported as locked) until its next decision, and
 *   the killed tasks' jobs go back to their queues (host.evict).
 * Jobs map to leaves by the config's queue-mappings / placement rules, else a leaf named after the
 * job kind, else `default`. Shares are dominant shares of the cell over cpu and memory.
 * Without a config: leaves batch and service at 50 % each, elastic to 100 %.
 */
export function queues(o: QueuesOptions): ArchitectureFactory {
  const config = o.config === undefined ? defaultCapacityConfig() : readYarnQueueConfig(o.config);
  return (host) => new QueuesArchitecture(host, o, config);
}

class QueuesArchitecture implements Architecture {
  readonly name: string;
  readonly schedulers: readonly SchedulerAgent[];
  private readonly agent: SchedulerAgent;
  private readonly host: ArchitectureHost;
  private readonly fair: boolean;
  private readonly file: string;
  private readonly ignored: readonly string[];
  private readonly D: number;
  private readonly shareDims: number[];
  private readonly total: Float64Array;
  private readonly q: RunQueue[] = [];
  private Q = 0;
  private parent!: Int32Array;
  private leaf!: Uint8Array;
  private used!: Float64Array;
  private pending!: Float64Array;
  private pendingJobs!: Int32Array;
  private lists!: number[][];
  private running!: number[][];
  private userUsed!: Array<Map<number, Float64Array>>;
  private userJobs!: Array<Map<number, number>>;
  private activeUsers!: Int32Array;
  private orderBuf!: Int32Array[];
  private keyBuf!: Float64Array[];
  /** Fair: maxResources / minResources per queue × dim in cell units (NaN percent = absolute). */
  private maxAbs!: Float64Array;
  private maxPct!: Float64Array;
  private minAbs!: Float64Array;
  private minPct!: Float64Array;
  private fairShare!: Float64Array;
  private claims!: ShareClaim[][];
  private claimOut!: Float64Array[];
  private belowMinSince!: Float64Array;
  private belowFairSince!: Float64Array;
  /** Time integrals of each queue's used share and (fair) fair share. */
  private area!: Float64Array;
  private fairArea!: Float64Array;
  private lastTouch!: Float64Array;
  private lastFairUpdate: number;
  private readonly t0: number;
  private jobsPerQueue!: Int32Array;
  private readonly jobLeaf: Int32Array;
  private readonly jobState: Uint8Array;
  private readonly cursor: Int32Array;
  private readonly startedAt: Float64Array;
  private readonly runPos: Int32Array;
  private readonly scratch: Float64Array;
  private readonly freed: Float64Array;
  private readonly freed2: Float64Array;
  /** Room reserved for starved queues after preemption: per node × dim, in all, and the reservations. */
  private heldOn = new Float64Array(0);
  private readonly heldTotal: Float64Array;
  private readonly resLeaf: number[] = [];
  private readonly resTask: number[] = [];
  private readonly resNode: number[] = [];
  private pickIdx = -1;
  private preemptive = false;
  // Figures for the results.
  private preemptions = 0;
  private userLimitDenials = 0;
  private queueLimitStops = 0;
  private rejectedJobs = 0;
  private mappingMisses = 0;
  private readonly decideFn = (job: number, micros: number) => this.decide(job, micros);
  private readonly requeueFn = (job: number) => this.requeue(job);
  private readonly tickFn = () => this.tick();

  constructor(host: ArchitectureHost, o: QueuesOptions, config: YarnQueueConfig) {
    this.host = host;
    this.fair = config.type === 'fair';
    this.file = config.file;
    this.ignored = config.ignored;
    this.agent = new SchedulerAgent('resourcemanager', o.batch, o.service);
    this.schedulers = [this.agent];
    this.name = `queues (${config.type})`;
    const jobs = host.jobs;
    const D = (this.D = jobs.dims);
    const names = host.cluster.resources.names;
    this.shareDims = ['cpu', 'memory'].map((n) => names.indexOf(n)).filter((d) => d >= 0);
    if (this.shareDims.length === 0) this.shareDims = names.map((_, d) => d);
    this.total = host.cluster.totalAllocatable;
    for (const q of config.queues) this.q.push({ ...q, children: [...q.children] } as RunQueue);
    const placed = placeJobsInQueues(this.q, config, jobs);
    this.jobLeaf = placed.jobLeaf;
    this.mappingMisses = placed.mappingMisses;
    this.allocate(config);
    this.jobState = new Uint8Array(jobs.jobCount);
    this.cursor = jobs.taskStart.slice(0, jobs.jobCount);
    this.startedAt = new Float64Array(jobs.taskCount);
    this.runPos = new Int32Array(jobs.taskCount).fill(-1);
    this.scratch = new Float64Array(D);
    this.freed = new Float64Array(D);
    this.freed2 = new Float64Array(D);
    this.heldTotal = new Float64Array(D);
    // Reserved room counts as locked in the results (the host integrates it).
    if (this.fair && 'lockedTotal' in host) (host as ArchitectureSimulator).lockedTotal = () => this.heldTotal;
    this.t0 = host.now;
    this.lastFairUpdate = host.now;
    if (this.fair) host.at(host.now + FAIR_UPDATE_INTERVAL, this.tickFn);
  }

  // ---- set-up -------------------------------------------------------------------------------

  private allocate(config: YarnQueueConfig): void {
    const Q = (this.Q = this.q.length);
    const D = this.D;
    this.parent = Int32Array.from(this.q, (x) => x.parent);
    this.leaf = Uint8Array.from(this.q, (x, i) => (x.children.length === 0 && i > 0 ? 1 : 0));
    this.used = new Float64Array(Q * D);
    this.pending = new Float64Array(Q * D);
    this.pendingJobs = new Int32Array(Q);
    this.jobsPerQueue = new Int32Array(Q);
    this.lists = this.q.map(() => []);
    this.running = this.q.map(() => []);
    this.userUsed = this.q.map(() => new Map());
    this.userJobs = this.q.map(() => new Map());
    this.activeUsers = new Int32Array(Q);
    this.orderBuf = this.q.map((x) => new Int32Array(x.children.length));
    this.keyBuf = this.q.map((x) => new Float64Array(x.children.length));
    this.area = new Float64Array(Q);
    this.fairArea = new Float64Array(Q);
    this.lastTouch = new Float64Array(Q).fill(this.host.now);
    this.fairShare = new Float64Array(Q);
    this.belowMinSince = new Float64Array(Q).fill(NaN);
    this.belowFairSince = new Float64Array(Q).fill(NaN);
    this.claims = this.q.map((x) => x.children.map(() => ({ weight: 1, min: 0, max: 1, demand: 0 })));
    this.claimOut = this.q.map((x) => new Float64Array(x.children.length));
    this.maxAbs = new Float64Array(Q * D).fill(Infinity);
    this.maxPct = new Float64Array(Q).fill(NaN);
    this.minAbs = new Float64Array(Q * D);
    this.minPct = new Float64Array(Q).fill(NaN);
    if (config.type !== 'fair') return;
    for (let i = 0; i < Q; i++) {
      const fq = this.q[i] as FairQueue;
      if (fq.maxResources) this.toCell(fq.maxResources, this.maxAbs, this.maxPct, i, Infinity);
      if (fq.minResources) this.toCell(fq.minResources, this.minAbs, this.minPct, i, 0);
      if (fq.fairSharePreemptionTimeout < Infinity || fq.minSharePreemptionTimeout < Infinity) this.preemptive = true;
    }
  }

  /** A fair-scheduler amount in the cell's units: mb → bytes (MiB), vcores → millicores; dimensions it leaves out get `absent`. */
  private toCell(a: ResourceAmount, abs: Float64Array, pct: Float64Array, i: number, absent: number): void {
    const r = this.host.cluster.resources;
    if (a.percent !== undefined) {
      pct[i] = a.percent / 100;
      return;
    }
    const put = (name: string, unit: string, value: number | undefined, scale: number, what: string) => {
      const d = r.names.indexOf(name);
      if (value === undefined || d < 0) return;
      if (r.units[d] !== unit) throw new UsageError(`${this.file} (${this.q[i].path}): ${what} needs the workload's ${name} in ${unit}, it is in ${r.units[d]}`);
      abs[i * this.D + d] = value * scale;
    };
    for (let d = 0; d < this.D; d++) abs[i * this.D + d] = absent;
    put('memory', 'bytes', a.mb, MB, 'mb');
    put('cpu', 'millicores', a.vcores, 1000, 'vcores');
  }

  // ---- shares and limits --------------------------------------------------------------------

  private dominant(v: Float64Array, off: number): number {
    let s = 0;
    for (const d of this.shareDims) if (this.total[d] > 0) s = Math.max(s, v[off + d] / this.total[d]);
    return s;
  }

  private share(q: number): number {
    return this.dominant(this.used, q * this.D);
  }

  private demandShare(q: number): number {
    let s = 0;
    for (const d of this.shareDims) if (this.total[d] > 0) s = Math.max(s, (this.used[q * this.D + d] + this.pending[q * this.D + d]) / this.total[d]);
    return s;
  }

  private minShare(q: number): number {
    if (!Number.isNaN(this.minPct[q])) return this.minPct[q];
    return this.dominant(this.minAbs, q * this.D);
  }

  private maxShare(q: number): number {
    if (!Number.isNaN(this.maxPct[q])) return this.maxPct[q];
    let s = 1;
    for (const d of this.shareDims) if (this.total[d] > 0) s = Math.min(s, this.maxAbs[q * this.D + d] / this.total[d]);
    return s;
  }

  /** The most queue `q` may hold in dimension d: maximum-capacity (capacity) or maxResources (fair). */
  private limit(q: number, d: number): number {
    if (!this.fair) return (this.q[q] as CapacityQueue).absMaxCapacity * this.total[d];
    return Number.isNaN(this.maxPct[q]) ? this.maxAbs[q * this.D + d] : this.maxPct[q] * this.total[d];
  }

  private userVec(leaf: number, user: number): Float64Array {
    let v = this.userUsed[leaf].get(user);
    if (v === undefined) {
      v = new Float64Array(this.D);
      this.userUsed[leaf].set(user, v);
    }
    return v;
  }

  /** Whether `task` of `user` may start in `leaf` now (ignoring where it fits). */
  private blocked(leaf: number, user: number, task: number): number {
    const D = this.D;
    const req = this.host.jobs.request;
    for (let q = leaf; q >= 0; q = this.parent[q]) {
      for (let d = 0; d < D; d++) {
        const r = req[task * D + d];
        if (r > 0 && !within(this.used[q * D + d], r, this.limit(q, d))) return QUEUE_LIMIT;
      }
    }
    if (this.fair) return OK;
    const cq = this.q[leaf] as CapacityQueue;
    const mine = this.userVec(leaf, user);
    for (let d = 0; d < D; d++) {
      const r = req[task * D + d];
      if (!(r > 0) || !(this.total[d] > 0)) continue;
      const lim = userLimit(cq.absCapacity * this.total[d], this.used[leaf * D + d], r, this.activeUsers[leaf], cq.minimumUserLimitPercent, cq.userLimitFactor);
      if (!within(mine[d], r, lim)) return USER_LIMIT;
    }
    return OK;
  }

  /** Adds the share-time area of `q` up to now (call before its usage changes). */
  private touch(q: number): void {
    const now = this.host.now;
    this.area[q] += this.share(q) * (now - this.lastTouch[q]);
    this.lastTouch[q] = now;
  }

  /** Adds `sign` × the request of `task` to arr over leaf and its ancestors. */
  private addChain(arr: Float64Array, leaf: number, task: number, sign: number): void {
    const D = this.D;
    const req = this.host.jobs.request;
    for (let q = leaf; q >= 0; q = this.parent[q]) for (let d = 0; d < D; d++) arr[q * D + d] += sign * req[task * D + d];
  }

  private addPendingJob(job: number, sign: number): void {
    const jobs = this.host.jobs;
    const leaf = this.jobLeaf[job];
    for (let t = jobs.taskStart[job]; t < jobs.taskStart[job + 1]; t++) if (this.host.taskNode[t] === -1) this.addChain(this.pending, leaf, t, sign);
  }

  private setActive(job: number, delta: number): void {
    const leaf = this.jobLeaf[job];
    const user = this.host.jobs.user[job];
    const m = this.userJobs[leaf];
    const before = m.get(user) ?? 0;
    m.set(user, before + delta);
    if (before === 0 && delta > 0) this.activeUsers[leaf]++;
    else if (before + delta === 0) this.activeUsers[leaf]--;
  }

  // ---- job flow -----------------------------------------------------------------------------

  /**
   * Puts `job` at the back of its leaf's list: FIFO by arrival in the queue. A job retried after a
   * decision that left tasks unplaced re-enters at the back, as in the Omega simulator, so a job
   * that does not fit does not hold up its queue (YARN likewise moves on to the next application).
   */
  private list(job: number): void {
    const leaf = this.jobLeaf[job];
    this.lists[leaf].push(job);
    for (let q = leaf; q >= 0; q = this.parent[q]) this.pendingJobs[q]++;
    this.jobState[job] = LISTED;
    this.agent.stats.jobsQueued++;
  }

  submit(job: number): void {
    const leaf = this.jobLeaf[job];
    if (leaf < 0) {
      this.jobState[job] = REJECTED;
      this.rejectedJobs++;
      return;
    }
    this.jobsPerQueue[leaf]++;
    this.addPendingJob(job, 1);
    this.setActive(job, 1);
    this.list(job);
    this.tryStart();
  }

  private requeue(job: number): void {
    if (this.jobState[job] !== RETRY) return;
    this.list(job);
    this.tryStart();
  }

  /** The first job of `leaf`'s list that may start a task now (pickIdx), skipping jobs held by their user's limit; FIFO stops at a queue limit. */
  private eligible(leaf: number): boolean {
    const l = this.lists[leaf];
    const jobs = this.host.jobs;
    const taskNode = this.host.taskNode;
    for (let i = 0; i < l.length; i++) {
      const job = l[i];
      let t = this.cursor[job];
      const end = jobs.taskStart[job + 1];
      while (t < end && taskNode[t] !== -1) t++;
      this.cursor[job] = t;
      if (t === end) continue;
      const b = this.blocked(leaf, jobs.user[job], t);
      if (b === OK) {
        this.pickIdx = i;
        return true;
      }
      if (b === QUEUE_LIMIT) return false;
    }
    return false;
  }

  private orderKey(q: number): number {
    if (!this.fair) return underServedKey(this.share(q), (this.q[q] as CapacityQueue).absCapacity);
    return fairOrderKey(this.share(q), this.minShare(q), this.demandShare(q), (this.q[q] as FairQueue).weight);
  }

  /** Descends from `q` to the leaf to serve: children in the scheduler's order, first with an eligible job. */
  private pick(q: number): number {
    if (this.pendingJobs[q] === 0) return -1;
    if (this.leaf[q]) return this.eligible(q) ? q : -1;
    const kids = this.q[q].children;
    const order = this.orderBuf[q];
    const keys = this.keyBuf[q];
    for (let i = 0; i < kids.length; i++) {
      const c = kids[i];
      const k = this.orderKey(c);
      let j = i;
      while (j > 0 && keys[j - 1] > k) {
        keys[j] = keys[j - 1];
        order[j] = order[j - 1];
        j--;
      }
      keys[j] = k;
      order[j] = c;
    }
    for (let i = 0; i < kids.length; i++) {
      const r = this.pick(order[i]);
      if (r >= 0) return r;
    }
    return -1;
  }

  private tryStart(): void {
    const agent = this.agent;
    if (agent.busy) return;
    const leaf = this.pick(0);
    if (leaf < 0) return;
    const job = this.lists[leaf].splice(this.pickIdx, 1)[0];
    for (let q = leaf; q >= 0; q = this.parent[q]) this.pendingJobs[q]--;
    this.jobState[job] = DECIDING;
    const micros = agent.thinkMicros(this.host.jobs.kind[job] as JobKind, this.host.unplaced(job));
    agent.begin(this.host.now);
    this.host.at(this.host.now + micros, this.decideFn, job, micros);
  }

  private decide(job: number, micros: number): void {
    const host = this.host;
    const jobs = host.jobs;
    const leaf = this.jobLeaf[job];
    const user = jobs.user[job];
    this.unreserve(leaf);
    let placed = 0;
    let failed = -1;
    const end = jobs.taskStart[job + 1];
    while (this.cursor[job] < end && host.taskNode[this.cursor[job]] !== -1) this.cursor[job]++;
    for (let t = this.cursor[job]; t < end; t++) {
      if (host.taskNode[t] !== -1) continue;
      // The cell only fills while a decision runs: a task asking what a failed one asked fails too.
      if (failed >= 0 && sameRequest(this.host.jobs, failed, t)) continue;
      const b = this.blocked(leaf, user, t);
      if (b === USER_LIMIT) {
        this.userLimitDenials++;
        break;
      }
      if (b === QUEUE_LIMIT) {
        this.queueLimitStops++;
        break;
      }
      const node = host.choose(t);
      if (node < 0) {
        failed = t;
        continue;
      }
      host.start(t, node);
      this.started(t, leaf, user);
      placed++;
    }
    if (placed > 0) {
      this.agent.stats.transactions++;
      this.agent.stats.claimsCommitted += placed;
    }
    this.jobState[job] = RETRY;
    host.finishAttempt(this.agent, job, micros, placed > 0 ? DecisionOutcome.Useful : DecisionOutcome.NoFit, this.requeueFn);
    const abandoned = (host as Partial<ArchitectureSimulator>).abandoned;
    if (host.unplaced(job) === 0) this.close(job, false);
    else if (abandoned !== undefined && abandoned[job] === 1) this.close(job, true);
    this.tryStart();
  }

  /** A job leaves the queue: fully placed, or given up (its unplaced demand withdrawn). */
  private close(job: number, givenUp: boolean): void {
    if (givenUp) this.addPendingJob(job, -1);
    this.setActive(job, -1);
    this.jobState[job] = IDLE;
  }

  private started(task: number, leaf: number, user: number): void {
    for (let q = leaf; q >= 0; q = this.parent[q]) this.touch(q);
    this.addChain(this.used, leaf, task, 1);
    this.addChain(this.pending, leaf, task, -1);
    const mine = this.userVec(leaf, user);
    const req = this.host.jobs.request;
    for (let d = 0; d < this.D; d++) mine[d] += req[task * this.D + d];
    this.startedAt[task] = this.host.now;
    this.runPos[task] = this.running[leaf].length;
    this.running[leaf].push(task);
  }

  private released(task: number, leaf: number, user: number): void {
    for (let q = leaf; q >= 0; q = this.parent[q]) this.touch(q);
    this.addChain(this.used, leaf, task, -1);
    const mine = this.userVec(leaf, user);
    const req = this.host.jobs.request;
    for (let d = 0; d < this.D; d++) mine[d] -= req[task * this.D + d];
    this.runPos[task] = -1;
  }

  taskEnded(task: number): void {
    const job = this.host.jobs.taskJob[task];
    this.released(task, this.jobLeaf[job], this.host.jobs.user[job]);
    this.tryStart();
  }

  // ---- fair shares and preemption -----------------------------------------------------------

  private updateFairShares(q: number): void {
    const kids = this.q[q].children;
    if (kids.length === 0) return;
    const claims = this.claims[q];
    for (let i = 0; i < kids.length; i++) {
      const c = kids[i];
      const cl = claims[i];
      cl.weight = (this.q[c] as FairQueue).weight;
      cl.min = this.minShare(c);
      cl.max = this.maxShare(c);
      cl.demand = this.demandShare(c);
    }
    const out = this.claimOut[q];
    computeFairShares(this.fairShare[q], claims, out);
    for (let i = 0; i < kids.length; i++) {
      this.fairShare[kids[i]] = out[i];
      this.updateFairShares(kids[i]);
    }
  }

  private tick(): void {
    const now = this.host.now;
    const dt = now - this.lastFairUpdate;
    for (let q = 0; q < this.Q; q++) this.fairArea[q] += this.fairShare[q] * dt;
    this.lastFairUpdate = now;
    this.fairShare[0] = 1;
    this.updateFairShares(0);
    if (this.preemptive) {
      let any = false;
      for (let l = 0; l < this.Q; l++) if (this.leaf[l] && this.checkStarved(l)) any = true;
      if (any) this.tryStart();
    }
    this.host.at(now + FAIR_UPDATE_INTERVAL, this.tickFn);
  }

  /** Tracks how long leaf `l` has been below its min and fair shares; preempts for it once a timeout has run out. */
  private checkStarved(l: number): boolean {
    const now = this.host.now;
    let wants = false;
    // Sums of requests added and taken away leave float dust: less than a millicore or a byte is none.
    for (let d = 0; d < this.D; d++) if (this.pending[l * this.D + d] > 1e-6) wants = true;
    if (!wants) {
      this.unreserve(l);
      this.belowMinSince[l] = NaN;
      this.belowFairSince[l] = NaN;
      return false;
    }
    const fq = this.q[l] as FairQueue;
    const usage = this.share(l);
    const minS = this.minShare(l);
    const demand = this.demandShare(l);
    const fs = this.fairShare[l];
    if (usage < Math.min(minS, demand)) {
      if (Number.isNaN(this.belowMinSince[l])) this.belowMinSince[l] = now;
    } else this.belowMinSince[l] = NaN;
    if (usage < fq.fairSharePreemptionThreshold * fs) {
      if (Number.isNaN(this.belowFairSince[l])) this.belowFairSince[l] = now;
    } else this.belowFairSince[l] = NaN;
    const amount = starvedAmount(usage, minS, demand, fs, now - this.belowMinSince[l], now - this.belowFairSince[l], fq.minSharePreemptionTimeout * 1e6, fq.fairSharePreemptionTimeout * 1e6);
    if (!(amount > 1e-12)) return false;
    // A queue that preempted waits out its timeout again before the next round.
    if (!Number.isNaN(this.belowMinSince[l])) this.belowMinSince[l] = now;
    if (!Number.isNaN(this.belowFairSince[l])) this.belowFairSince[l] = now;
    return this.preemptFor(l, amount);
  }

  /** Drops `v`'s running-list entries of tasks no longer running there (ended, evicted, re-placed). */
  private compactRunning(v: number): void {
    const r = this.running[v];
    let k = 0;
    for (let i = 0; i < r.length; i++) {
      const t = r[i];
      if (this.host.taskNode[t] >= 0 && this.runPos[t] === i) {
        this.runPos[t] = k;
        r[k++] = t;
      }
    }
    r.length = k;
  }

  /**
   * Frees room for `starved`'s waiting tasks, node by node (as upstream's FSPreemptionThread does
   * for a starved application's request): for each waiting task, the node where the fewest of the
   * youngest tasks of queues above their fair share (never taking one below it) make it fit; those
   * are killed and the room is reserved for `starved` until its next decision. Stops once
   * `amount` of share is reserved or no node can be freed.
   */
  private preemptFor(starved: number, amount: number): boolean {
    const D = this.D;
    const host = this.host;
    const req = host.jobs.request;
    const free = host.cluster.free;
    // Victims per node, youngest first; what each victim queue would hold after the kills so far.
    const byNode = new Map<number, number[]>();
    const after = Float64Array.from(this.used);
    for (let v = 0; v < this.Q; v++) {
      if (!this.leaf[v] || v === starved || !(this.share(v) > this.fairShare[v])) continue;
      this.compactRunning(v);
      for (const t of this.running[v]) {
        const n = host.taskNode[t];
        let l = byNode.get(n);
        if (l === undefined) byNode.set(n, (l = []));
        l.push(t);
      }
    }
    if (byNode.size === 0) return false;
    const nodes = [...byNode.keys()].sort((a, b) => a - b);
    for (const l of byNode.values()) l.sort((a, b) => this.startedAt[b] - this.startedAt[a] || b - a);
    const need = this.scratch;
    this.freed.fill(0);
    let evicted = 0;
    const jobs = host.jobs;
    const waiting: number[] = [...this.lists[starved]];
    for (let j = 0; j < jobs.jobCount; j++) if (this.jobState[j] === RETRY && this.jobLeaf[j] === starved) waiting.push(j);
    outer: for (const job of waiting) {
      for (let t = this.cursor[job]; t < jobs.taskStart[job + 1]; t++) {
        if (host.taskNode[t] !== -1) continue;
        if (this.dominant(this.freed, 0) >= amount) break outer;
        // Room the queue's own limits would not let it use is not worth a kill.
        if (this.blocked(starved, jobs.user[job], t) !== OK) break;
        // The node needing the fewest kills for t.
        let bestNode = -1;
        let bestKills = Infinity;
        for (const n of nodes) {
          if (!host.cluster.up[n]) continue;
          const victims = byNode.get(n)!;
          for (let d = 0; d < D; d++) need[d] = req[t * D + d] - free[n * D + d];
          let kills = 0;
          let fits = need.every((x) => x <= 0);
          for (let i = 0; i < victims.length && !fits && kills < bestKills; i++) {
            const v = victims[i];
            if (host.taskNode[v] !== n || !this.mayTake(v, after)) continue;
            kills++;
            for (let d = 0; d < D; d++) need[d] -= req[v * D + d];
            fits = need.every((x) => x <= 0);
          }
          if (fits && kills < bestKills) {
            bestNode = n;
            bestKills = kills;
            if (kills === 0) break;
          }
        }
        if (bestNode < 0) break outer;
        if (bestKills === 0) {
          // Room is there already (the scheduler has not got to the task yet): nothing to kill.
          for (let d = 0; d < D; d++) this.freed[d] += req[t * D + d];
          continue;
        }
        const victims = byNode.get(bestNode)!;
        for (let d = 0; d < D; d++) need[d] = req[t * D + d] - free[bestNode * D + d];
        for (let i = 0; i < victims.length && !need.every((x) => x <= 0); i++) {
          const v = victims[i];
          if (host.taskNode[v] !== bestNode || !this.mayTake(v, after)) continue;
          const vl = this.jobLeaf[this.host.jobs.taskJob[v]];
          for (let d = 0; d < D; d++) {
            need[d] -= req[v * D + d];
            for (let q = vl; q >= 0; q = this.parent[q]) after[q * D + d] -= req[v * D + d];
          }
          host.evict(v);
          this.evicted(v);
          this.preemptions++;
          evicted++;
        }
        this.reserve(starved, t, bestNode);
        for (let d = 0; d < D; d++) this.freed[d] += req[t * D + d];
      }
    }
    // Its jobs waiting out a retry delay are listed again now, so it is served before the victims retry.
    if (evicted > 0) for (let j = 0; j < jobs.jobCount; j++) if (this.jobState[j] === RETRY && this.jobLeaf[j] === starved) this.list(j);
    return evicted > 0;
  }

  /** Whether killing `v` leaves its queue at or above its fair share (`after`: usage with the kills so far). */
  private mayTake(v: number, after: Float64Array): boolean {
    const vl = this.jobLeaf[this.host.jobs.taskJob[v]];
    const D = this.D;
    for (let d = 0; d < D; d++) this.freed2[d] = after[vl * D + d] - this.host.jobs.request[v * D + d];
    return this.dominant(this.freed2, 0) >= this.fairShare[vl] - 1e-12;
  }

  /** Holds `task`'s request on `node` for `leaf` (room its preemption freed). */
  private reserve(leaf: number, task: number, node: number): void {
    const D = this.D;
    this.host.lockedChanged();
    if (this.heldOn.length < (node + 1) * D) {
      const g = new Float64Array(Math.max((node + 1) * D, this.heldOn.length * 2));
      g.set(this.heldOn);
      this.heldOn = g;
    }
    for (let d = 0; d < D; d++) {
      this.heldOn[node * D + d] += this.host.jobs.request[task * D + d];
      this.heldTotal[d] += this.host.jobs.request[task * D + d];
    }
    this.host.cluster.setHeld(node, this.heldOn.subarray(node * D, node * D + D));
    this.resLeaf.push(leaf);
    this.resTask.push(task);
    this.resNode.push(node);
  }

  /** Gives `leaf`'s reserved room back to the cell (its decision is about to use it). */
  private unreserve(leaf: number): void {
    if (this.resLeaf.length === 0) return;
    const D = this.D;
    const req = this.host.jobs.request;
    let k = 0;
    let changed = false;
    for (let i = 0; i < this.resLeaf.length; i++) {
      if (this.resLeaf[i] !== leaf) {
        this.resLeaf[k] = this.resLeaf[i];
        this.resTask[k] = this.resTask[i];
        this.resNode[k++] = this.resNode[i];
        continue;
      }
      if (!changed) this.host.lockedChanged();
      changed = true;
      const n = this.resNode[i];
      const t = this.resTask[i];
      for (let d = 0; d < D; d++) {
        this.heldOn[n * D + d] -= req[t * D + d];
        this.heldTotal[d] -= req[t * D + d];
      }
      this.host.cluster.setHeld(n, this.heldOn.subarray(n * D, n * D + D));
    }
    this.resLeaf.length = this.resTask.length = this.resNode.length = k;
  }

  /** A machine removal killed `task`: as a preempted task, its job waits in its queue again. */
  taskEvicted(task: number): void {
    this.evicted(task);
  }

  /** evicted() listed the job again already: nothing more to do. */
  resubmit(): void {}

  /** Room reserved on a leaving machine is gone with it (it comes back, if ever, empty). */
  nodeRemoved(node: number): void {
    const D = this.D;
    let k = 0;
    for (let i = 0; i < this.resLeaf.length; i++) {
      if (this.resNode[i] !== node) {
        this.resLeaf[k] = this.resLeaf[i];
        this.resTask[k] = this.resTask[i];
        this.resNode[k++] = this.resNode[i];
        continue;
      }
      this.host.lockedChanged();
      const t = this.resTask[i];
      for (let d = 0; d < D; d++) {
        this.heldOn[node * D + d] -= this.host.jobs.request[t * D + d];
        this.heldTotal[d] -= this.host.jobs.request[t * D + d];
      }
      this.host.cluster.setHeld(node, this.heldOn.subarray(node * D, node * D + D));
    }
    this.resLeaf.length = this.resTask.length = this.resNode.length = k;
    // The killed tasks' jobs are listed again: the scheduler decides them after its decision time.
    this.tryStart();
  }

  /** A task taken off its node: its room is released and its job waits in its queue again. */
  private evicted(task: number): void {
    const job = this.host.jobs.taskJob[task];
    const leaf = this.jobLeaf[job];
    this.released(task, leaf, this.host.jobs.user[job]);
    if (task < this.cursor[job]) this.cursor[job] = task;
    const s = this.jobState[job];
    if (s === LISTED || s === DECIDING || s === RETRY) this.addChain(this.pending, leaf, task, 1);
    else {
      this.addPendingJob(job, 1);
      this.setActive(job, 1);
      this.list(job);
    }
  }

  // ---- results ------------------------------------------------------------------------------

  extraResults(): Record<string, unknown> {
    const now = this.host.now;
    const window = Math.max(1, now - this.t0);
    if (this.fair) {
      for (let q = 0; q < this.Q; q++) this.fairArea[q] += this.fairShare[q] * (now - this.lastFairUpdate);
      this.lastFairUpdate = now;
    }
    const perQueue: Record<string, unknown> = {};
    for (let q = 0; q < this.Q; q++) {
      this.touch(q);
      const x = this.q[q];
      perQueue[x.path] = {
        leaf: this.leaf[q] === 1,
        jobs: this.jobsPerQueue[q],
        meanUsedShare: this.area[q] / window,
        ...(this.fair
          ? { meanFairShare: this.fairArea[q] / window, weight: (x as FairQueue).weight, created: x.created === true }
          : { guaranteedShare: (x as CapacityQueue).absCapacity, maxShare: (x as CapacityQueue).absMaxCapacity }),
      };
    }
    return {
      scheduler: this.fair ? 'fair' : 'capacity',
      config: this.file,
      queues: perQueue,
      preemptions: this.preemptions,
      userLimitDenials: this.userLimitDenials,
      queueLimitStops: this.queueLimitStops,
      rejectedJobs: this.rejectedJobs,
      mappingMisses: this.mappingMisses,
      ignoredConfig: this.ignored,
    };
  }
}
