import type { Cluster } from './cluster.js';
import type { TaskStore } from './task-store.js';
import type { TaskUsageSource, UsageTaskColumns } from './usage/task-usage-source.js';
import type { KubeletConfig } from './kubelet/kubelet-config.js';
import { EvictionManager, EvictionNeed } from './kubelet/eviction-manager.js';
import { rankMemoryVictims } from './kubelet/eviction-ranking.js';
import { OOM_SCORE_ADJ_MIN, pickOomVictim, rankOomVictims, restartBackoff, RESTART_BACKOFF_RESET } from './kubelet/oom-killer.js';
import { distributeCpu } from './kubelet/cpu-shares.js';
import { oomScoreAdj, type QosClass } from '../model/qos-class.js';
import type { OvercommitPolicy } from '../algorithms/overcommit/overcommit-policy.js';
import { DynamicsCause, type DynamicsResults } from '../reports/replay-results.js';
import { NodeTaskArrays } from './node-task-arrays.js';
import { EventLogBuilder } from './dynamics-event-log.js';
import { OvercommitNodeView } from './overcommit-node-view.js';

/** What the node dynamics ask the simulator to do (it owns binding, the queue and the clock). */
export interface DynamicsHost {
  /** The kubelet evicted a running task: stop it now; its controller recreates it after `delay` µs. */
  evict(task: number, t: number, delay: number): void;
  /** A container was OOM-killed: it stays bound and restarts at `restartAt` (CrashLoop back-off). */
  containerDown(task: number, t: number, restartAt: number): void;
  /** A node's schedulable room may have grown (pressure over, a lower overcommit hold). */
  nodeRoomChanged(node: number): void;
}

/** Everything the node dynamics need, parsed and checked (harness/node-dynamics-config.ts). */
export interface NodeDynamicsConfig {
  kubelet: KubeletConfig;
  usage: TaskUsageSource;
  overcommit?: OvercommitPolicy;
  /** What was modeled, as run.json stores it. */
  settings: Record<string, string | number>;
  /**
   * false: every evaluation looks each task's usage up again instead of reading back what an
   * earlier evaluation in the same usage step looked up (the same numbers, only slower: the
   * reference the tests compare the default with). Default true.
   */
  reuseStepUsage?: boolean;
}

/** A NodeDynamicsConfig still to be bound to the run's task table (the usage source reads it). */
export interface NodeDynamicsSetup extends Omit<NodeDynamicsConfig, 'usage'> {
  usage: (tasks: UsageTaskColumns) => Promise<TaskUsageSource>;
}

/**
 * The life of the nodes between scheduling decisions, evaluated on the kubelet's housekeeping
 * period (../shared/docs/models.md § Node pressure and eviction, § QoS; the rules themselves are in
 * harness/kubelet/). Per evaluated node, in the kubelet's order:
 * 1. usage of each task in this usage step (harness/usage/: a pure function of task and step);
 * 2. memory above a container's limit: OOM kill of that container, restarted in place after the
 *    CrashLoop back-off (10 s doubling to 5 min, reset after 10 min of clean running);
 * 3. pods' memory above the node's capacity minus the reserved (the kubepods cgroup, enforced
 *    node allocatable): the kernel OOM killer, highest badness first (oom_score_adj by QoS);
 * 4. the eviction manager: `memory.available` = capacity − reserved in use − pods' memory against
 *    the hard and soft thresholds; at most one pod evicted per synchronize, ranked as the kubelet
 *    ranks them; the MemoryPressure condition (and its NoSchedule taint for BestEffort pods);
 * 5. CPU: CFS quota at the limit, then cpu.shares in proportion to requests on a full node;
 *    throttled demand is integrated per task (CPU-seconds) until the next evaluation;
 * 6. overcommit: what the node's tasks hold (a Borg reservation, a predicted peak) and Koordinator's
 *    batch allocatable, handed to the scheduler's view of the node.
 *
 * Cheap by construction: usage is constant within a usage step, so only nodes whose tasks changed
 * (a start, a stop, a restart) or that are under watch (a grace period, a held condition) are
 * evaluated at a tick; every busy node once per usage step. System daemons are assumed to use
 * exactly kube-reserved + system-reserved.
 */
export class NodeDynamics {
  /**
   * The tasks on each node, with their records: `stride` numbers each, HOT at the Hot offsets,
   * then (when the usage source offers it) the task's usage lookup state, copied at the start.
   */
  private readonly lists: NodeTaskArrays;
  private readonly stride: number;
  /** The usage source's record size when its lookup state is copied into the blocks, else 0. */
  private readonly usageRecord: number;
  /** Both CPU and memory looked up in one pass over the copied records (usagePairFromRecords). */
  private readonly pairUsage: boolean;
  /** NodeDynamicsConfig.reuseStepUsage. */
  private readonly reuseStepUsage: boolean;
  readonly events = new EventLogBuilder();
  private readonly em: EvictionManager;
  private readonly usage: TaskUsageSource;
  get usageSource(): TaskUsageSource {
    return this.usage;
  }
  private readonly oc?: OvercommitPolicy;
  private readonly dims: number;
  private readonly cpu: number;
  private tasksSize = 0;
  private readonly mem: number;
  private readonly start: number;
  private readonly step: number;
  /** Memory and CPU the system daemons are assumed to use (kube-reserved + system-reserved). */
  private readonly systemUse: Float64Array;
  private lastStep = -1;
  /** Where the prefetch of the next node's block puts what it read (never used otherwise). */
  private sink = 0;
  // Per node.
  private dirty: Int32Array = new Int32Array(64);
  private dirtySpare: Int32Array = new Int32Array(64);
  private dirtyCount = 0;
  private dirtyMark: Uint8Array = new Uint8Array(0);
  /** Nodes with at least one task, one bit each (the new-step pass visits only these). */
  private busyBits: Uint32Array = new Uint32Array(0);
  private lastEval: Float64Array = new Float64Array(0);
  private intervalStep: Int32Array = new Int32Array(0);
  private violatedStep: Int32Array = new Int32Array(0);
  private nodeMem: Float64Array = new Float64Array(0);
  private nodeCpu: Float64Array = new Float64Array(0);
  /** 1 = the node reports MemoryPressure (BestEffort pods are not placed there). */
  pressured: Uint8Array = new Uint8Array(0);
  pressuredCount = 0;
  /** Koordinator: batch allocatable per node and dimension, and the batch charges bound there. */
  batchAllocatable: Float64Array = new Float64Array(0);
  batchCharged: Float64Array = new Float64Array(0);
  // Per task. What every evaluation reads and writes sits in the running task's record, next to
  // those of the node's other tasks (lists.records: request and limit copied at the start, they
  // never change while it runs); these columns hold what outlives a run or is rarely touched.
  /** Largest memory use over the task's runs so far (NaN = none); a running task's record holds the current one. */
  private peakMem: Float64Array = new Float64Array(0);
  private evictions: Uint16Array = new Uint16Array(0);
  private oomKills: Uint16Array = new Uint16Array(0);
  private restarts: Uint16Array = new Uint16Array(0);
  private throttled: Float64Array = new Float64Array(0);
  private lostWork: Float64Array = new Float64Array(0);
  // Scratch per evaluation (positions on the node).
  private ids: Int32Array = new Int32Array(64);
  private cpuDemand: Float64Array = new Float64Array(64);
  private memUse: Float64Array = new Float64Array(64);
  private cpuReq: Float64Array = new Float64Array(64);
  private cpuLim: Float64Array = new Float64Array(64);
  private memReq: Float64Array = new Float64Array(64);
  private memLim: Float64Array = new Float64Array(64);
  private down: Uint8Array = new Uint8Array(64);
  private prio: Int32Array = new Int32Array(64);
  private adj: Float64Array = new Float64Array(64);
  private granted: Float64Array = new Float64Array(64);
  private order: Int32Array = new Int32Array(64);
  /** Positions whose usage in this step is still to be looked up. */
  private need: Int32Array = new Int32Array(64);
  private readonly held: Float64Array;
  private readonly view?: OvercommitNodeView;
  // Totals.
  totalMem = 0;
  totalCpu = 0;
  private nodeEvaluations = 0;
  private ticks = 0;
  private nodeIntervals = 0;
  private violatedIntervals = 0;
  private unknownUsage = 0;

  constructor(
    private readonly cfg: NodeDynamicsConfig,
    private readonly cluster: Cluster,
    private readonly tasks: TaskStore,
    private readonly host: DynamicsHost,
    start: number,
  ) {
    this.em = new EvictionManager(cfg.kubelet);
    this.usage = cfg.usage;
    this.oc = cfg.overcommit;
    this.dims = cluster.dims;
    this.cpu = cluster.resources.names.indexOf('cpu');
    this.mem = cluster.resources.names.indexOf('memory');
    this.start = start;
    this.step = cfg.usage.step;
    const u = cfg.usage;
    this.usageRecord = u.recordSize !== undefined && u.recordSize > 0 && u.copyRecord && u.usageFromRecords ? u.recordSize : 0;
    this.stride = HOT + this.usageRecord;
    this.reuseStepUsage = cfg.reuseStepUsage !== false;
    this.pairUsage = this.usageRecord > 0 && u.usagePairFromRecords !== undefined && this.cpu >= 0 && this.mem >= 0;
    this.lists = new NodeTaskArrays(this.stride);
    this.systemUse = new Float64Array(this.dims);
    for (let d = 0; d < this.dims; d++) this.systemUse[d] = cfg.kubelet.kubeReserved[d] + cfg.kubelet.systemReserved[d];
    this.held = new Float64Array(this.dims);
    if (this.oc?.committed || this.oc?.batchAllocatable) {
      this.view = new OvercommitNodeView(tasks, cfg.usage, start, (task) => tasks.start[task]);
    }
  }

  /** The usage step at time t. */
  stepAt(t: number): number {
    return Math.floor((t - this.start) / this.step);
  }

  ensureNodes(n: number): void {
    this.lists.ensureNodes(n);
    if (n <= this.lastEval.length) return;
    const size = Math.max(n, this.lastEval.length * 2, 64);
    const D = this.dims;
    this.dirtyMark = growU8(this.dirtyMark, size);
    const bits = new Uint32Array(Math.ceil(size / 32));
    bits.set(this.busyBits);
    this.busyBits = bits;
    this.lastEval = growF(this.lastEval, size);
    this.intervalStep = growI(this.intervalStep, size, -1);
    this.violatedStep = growI(this.violatedStep, size, -1);
    this.nodeMem = growF(this.nodeMem, size);
    this.nodeCpu = growF(this.nodeCpu, size);
    this.pressured = growU8(this.pressured, size);
    this.batchAllocatable = growF(this.batchAllocatable, size * D);
    this.batchCharged = growF(this.batchCharged, size * D);
  }

  ensureTasks(n: number): void {
    if (n <= this.tasksSize) return;
    const size = Math.max(n, this.tasksSize * 2, 1024);
    this.tasksSize = size;
    this.lists.ensureTasks(size);
    this.peakMem = growF(this.peakMem, size, NaN);
    this.evictions = growU16(this.evictions, size);
    this.oomKills = growU16(this.oomKills, size);
    this.restarts = growU16(this.restarts, size);
    this.throttled = growF(this.throttled, size);
    this.lostWork = growF(this.lostWork, size);
  }

  /**
   * Forgets everything the dynamics hold for task slot `task`, as for a slot never used: for a
   * task table that reuses the slot of a task that has left (every per-task array of the
   * dynamics is reset here). The slot must not be on a node.
   */
  resetTask(task: number): void {
    if (task >= this.tasksSize) return;
    if (this.lists.slot(task) >= 0) throw new Error(`resetTask: task slot ${task} is still on a node`);
    this.peakMem[task] = NaN;
    this.evictions[task] = 0;
    this.oomKills[task] = 0;
    this.restarts[task] = 0;
    this.throttled[task] = 0;
    this.lostWork[task] = 0;
  }

  /** Task slot `task`'s counters as its tasks.csv row carries them (read before resetTask reuses the slot). */
  taskCounters(task: number, out: { evictions: number; oomKills: number; throttledCpuSeconds: number; lostWorkSeconds: number; peakMemory: number }): void {
    const known = task < this.tasksSize;
    out.evictions = known ? this.evictions[task] : 0;
    out.oomKills = known ? this.oomKills[task] : 0;
    out.throttledCpuSeconds = known ? this.throttled[task] : 0;
    out.lostWorkSeconds = known ? this.lostWork[task] : 0;
    const slot = known ? this.lists.slot(task) : -1;
    out.peakMemory = slot >= 0 ? this.lists.records[slot * this.stride + Hot.PeakMem] : known ? this.peakMem[task] : NaN;
  }

  /** The scheduler's filter while placing a BestEffort task: not on a node under MemoryPressure. */
  readonly notPressured = (node: number): boolean => this.pressured[node] === 0;

  /** Delay before an evicted task's controller recreates it: the same back-off as restarts. */
  requeueDelay(task: number): number {
    return restartBackoff(Math.max(0, this.evictions[task] - 1));
  }

  onStart(task: number, node: number, t: number): void {
    const r = this.lists.add(node, task) * this.stride;
    this.busyBits[node >>> 5] |= 1 << (node & 31);
    const h = this.lists.records;
    const tasks = this.tasks;
    const D = this.dims;
    const cpu = this.cpu;
    const mem = this.mem;
    h[r + Hot.ThrottleRate] = 0;
    h[r + Hot.DownUntil] = 0;
    h[r + Hot.PeakMem] = this.peakMem[task];
    h[r + Hot.ThrottleOpen] = NaN;
    h[r + Hot.ThrottleAtOpen] = 0;
    h[r + Hot.LastRestart] = t;
    h[r + Hot.UsageStep] = NaN;
    h[r + Hot.CpuRequest] = cpu >= 0 ? tasks.request[task * D + cpu] : 0;
    h[r + Hot.CpuLimit] = cpu >= 0 ? tasks.limit[task * D + cpu] : NaN;
    h[r + Hot.MemRequest] = mem >= 0 ? tasks.request[task * D + mem] : 0;
    h[r + Hot.MemLimit] = mem >= 0 ? tasks.limit[task * D + mem] : NaN;
    h[r + Hot.OomAdj] = oomScoreAdj(tasks.qos[task] as QosClass, h[r + Hot.MemRequest], mem >= 0 ? this.cluster.capacity[node * D + mem] : Infinity);
    if (this.usageRecord > 0) this.usage.copyRecord!(task, h, r + HOT);
    this.markDirty(node);
  }

  /** A restarted container (after its OOM back-off) runs again. */
  onRestart(task: number, node: number, t: number): void {
    const slot = this.lists.slot(task);
    if (slot >= 0) {
      this.lists.records[slot * this.stride + Hot.DownUntil] = 0;
      this.lists.records[slot * this.stride + Hot.LastRestart] = t;
    } // else stopped (its node went down): nothing runs, and a start sets both
    this.markDirty(node);
  }

  onStop(task: number, node: number, t: number): void {
    const r = this.lists.slot(task) * this.stride;
    this.closeThrottle(task, node, t, true, r);
    this.peakMem[task] = this.lists.records[r + Hot.PeakMem];
    this.lists.remove(node, task);
    if (this.lists.size(node) === 0) this.busyBits[node >>> 5] &= ~(1 << (node & 31));
    this.markDirty(node);
  }

  /** Work a task lost outside the node dynamics (its machine left), for the lost-work totals. */
  addLostWork(task: number, seconds: number): void {
    if (seconds > 0) this.lostWork[task] += seconds;
  }

  nodeRemoved(node: number): void {
    this.em.reset(node);
    if (this.pressured[node]) {
      this.pressured[node] = 0;
      this.pressuredCount--;
    }
    this.totalMem -= this.nodeMem[node];
    this.totalCpu -= this.nodeCpu[node];
    this.nodeMem[node] = 0;
    this.nodeCpu[node] = 0;
  }

  /** Koordinator: does the task run on batch resources? */
  usesBatch(task: number): boolean {
    return this.oc?.usesBatch !== undefined && this.oc.usesBatch(this.view!.task(task));
  }

  private markDirty(node: number): void {
    if (this.dirtyMark[node]) return;
    this.dirtyMark[node] = 1;
    if (this.dirtyCount === this.dirty.length) this.dirty = growI(this.dirty, this.dirty.length * 2, 0);
    this.dirty[this.dirtyCount++] = node;
  }

  /** One housekeeping tick at time t. */
  housekeeping(t: number): void {
    this.ticks++;
    const k = this.stepAt(t);
    if (k !== this.lastStep) {
      // A new usage step: every busy node's usage changed.
      this.lastStep = k;
      // In node order, as a scan of all nodes would (bit i of word w = node 32w + i).
      const up = this.cluster.up;
      const bits = this.busyBits;
      for (let w = 0; w < bits.length; w++) {
        let b = bits[w];
        while (b !== 0) {
          const low = b & -b;
          const n = w * 32 + (31 - Math.clz32(low));
          b ^= low;
          if (up[n]) this.markDirty(n);
        }
      }
    }
    if (this.dirtyCount === 0) return;
    // Evaluate a snapshot: nodes dirtied during the evaluation (an eviction) wait for the next
    // tick. The two dirty lists swap roles, so a tick allocates nothing.
    const todo = this.dirty;
    const m = this.dirtyCount;
    for (let i = 0; i < m; i++) this.dirtyMark[todo[i]] = 0;
    this.dirty = this.dirtySpare;
    this.dirtySpare = todo;
    this.dirtyCount = 0;
    for (let i = 0; i < m; i++) {
      const node = todo[i];
      if (i + 1 < m) this.sink += this.lists.touch(todo[i + 1]);
      if (!this.cluster.up[node]) continue;
      this.evaluate(node, t, k);
      if (this.em.needsAttention(node)) this.markDirty(node);
    }
  }

  private growScratch(n: number): void {
    if (n <= this.ids.length) return;
    const s = Math.max(n, this.ids.length * 2);
    this.ids = new Int32Array(s);
    this.cpuDemand = new Float64Array(s);
    this.memUse = new Float64Array(s);
    this.cpuReq = new Float64Array(s);
    this.cpuLim = new Float64Array(s);
    this.memReq = new Float64Array(s);
    this.memLim = new Float64Array(s);
    this.down = new Uint8Array(s);
    this.prio = new Int32Array(s);
    this.adj = new Float64Array(s);
    this.granted = new Float64Array(s);
    this.order = new Int32Array(s);
    this.need = new Int32Array(s);
  }

  private evaluate(node: number, t: number, k: number): void {
    this.nodeEvaluations++;
    const D = this.dims;
    const cpu = this.cpu;
    const mem = this.mem;
    const tasks = this.tasks;
    const cluster = this.cluster;
    const usage = this.usage;
    const o = node * D;
    const n = this.lists.size(node);
    this.growScratch(n);
    const ids = this.ids;
    const h = this.lists.records;
    const newest = this.lists.newest(node);
    const cpuDemand = this.cpuDemand;
    const memUse = this.memUse;
    // Throttled demand accrued since the last evaluation, at the rates then in force.
    const dt = (t - this.lastEval[node]) / 1e6;
    this.lastEval[node] = t;

    const capMem = mem >= 0 ? cluster.capacity[o + mem] : Infinity;
    const capCpu = cpu >= 0 ? cluster.capacity[o + cpu] - this.systemUse[cpu] : Infinity;
    const podMemCap = mem >= 0 ? capMem - this.systemUse[mem] : Infinity;
    let memSum = 0;
    let demandSum = 0;
    // The node's tasks by position, then three passes over them. Each pass is a tight loop whose
    // loads do not depend on each other, so the cache misses on the tasks' records overlap
    // instead of queueing one behind the other (the cost of an evaluation is those misses):
    // 1. gather the request, limit and state from each task's record, accrue throttling; an up
    //    task's usage in this step is read back from its record when it was looked up already;
    // 2. the usage of the others (a pure function of task and step): when no task on the node has
    //    this step's yet (the node's first evaluation in the step), one batch over all positions,
    //    else one lookup per position that lacks it; then kept in the records;
    // 3. per task, in position order: peak memory, OOM kill of a container over its limit, sums.
    this.lists.fill(node, ids);
    const S = this.stride;
    const memLim = this.memLim;
    const down = this.down;
    const need = this.need;
    let needed = 0;
    let cached = 0;
    for (let p = 0; p < n; p++) {
      const task = ids[p];
      const r = (newest - p) * S;
      const rate = h[r + Hot.ThrottleRate];
      if (dt > 0 && rate > 0) this.throttled[task] += (rate / 1000) * dt;
      this.cpuReq[p] = h[r + Hot.CpuRequest];
      this.cpuLim[p] = h[r + Hot.CpuLimit];
      this.memReq[p] = h[r + Hot.MemRequest];
      memLim[p] = h[r + Hot.MemLimit];
      if (h[r + Hot.DownUntil] > t) {
        down[p] = 1;
        continue;
      }
      down[p] = 0;
      if (h[r + Hot.UsageStep] === k && this.reuseStepUsage) {
        cpuDemand[p] = h[r + Hot.CpuUse];
        memUse[p] = h[r + Hot.MemUse];
        cached++;
      } else need[needed++] = p;
    }
    if (needed > 0) {
      const first = newest * S + HOT;
      if (cached > 0) {
        for (let i = 0; i < needed; i++) {
          const p = need[i];
          if (this.pairUsage) usage.usagePairFromRecords!(h, first - p * S, S, 1, k, cpu, mem, cpuDemand, memUse, p);
          else {
            if (cpu >= 0) cpuDemand[p] = usage.usage(ids[p], cpu, k);
            if (mem >= 0) memUse[p] = usage.usage(ids[p], mem, k);
          }
        }
      } else if (this.pairUsage) {
        usage.usagePairFromRecords!(h, first, S, n, k, cpu, mem, cpuDemand, memUse, 0);
      } else if (this.usageRecord > 0) {
        if (cpu >= 0) usage.usageFromRecords!(h, first, S, n, cpu, k, cpuDemand);
        if (mem >= 0) usage.usageFromRecords!(h, first, S, n, mem, k, memUse);
      } else if (usage.usageBatch) {
        if (cpu >= 0) usage.usageBatch(ids, n, cpu, k, cpuDemand);
        if (mem >= 0) usage.usageBatch(ids, n, mem, k, memUse);
      } else {
        for (let p = 0; p < n; p++) {
          if (cpu >= 0) cpuDemand[p] = usage.usage(ids[p], cpu, k);
          if (mem >= 0) memUse[p] = usage.usage(ids[p], mem, k);
        }
      }
      // Kept as looked up (a missing dimension's slot holds whatever: never read, see pass 3).
      for (let i = 0; i < needed; i++) {
        const p = need[i];
        const r = (newest - p) * S;
        h[r + Hot.UsageStep] = k;
        h[r + Hot.CpuUse] = cpuDemand[p];
        h[r + Hot.MemUse] = memUse[p];
      }
    }
    for (let p = 0; p < n; p++) {
      const task = ids[p];
      if (down[p] === 1) {
        cpuDemand[p] = 0;
        memUse[p] = 0;
        continue;
      }
      let c = cpu >= 0 ? cpuDemand[p] : 0;
      let m = mem >= 0 ? memUse[p] : 0;
      if (!(c >= 0) || !(m >= 0)) {
        this.unknownUsage++;
        if (!(c >= 0)) c = 0;
        if (!(m >= 0)) m = 0;
      }
      cpuDemand[p] = c;
      memUse[p] = m;
      const r = (newest - p) * S;
      if (!(m <= h[r + Hot.PeakMem])) h[r + Hot.PeakMem] = m;
      // Memory is not compressible: above the container's limit the kernel kills it (cgroup OOM).
      const lim = memLim[p];
      if (lim === lim && m > lim) {
        this.oomKill(task, node, t, DynamicsCause.OomLimit, m, r);
        cpuDemand[p] = 0;
        memUse[p] = 0;
        continue;
      }
      memSum += m;
      demandSum += c;
    }

    // What the machine was asked for in this step, before the kernel frees anything (violations).
    const memAsked = memSum;
    const cpuAsked = demandSum;

    // The pods' cgroup is full: the kernel OOM killer picks by badness until the rest fits. The
    // first victim is pickOomVictim's; when more must die, all are ranked once (badness does not
    // change between kills), not rescanned per kill.
    if (memSum > podMemCap) {
      for (let p = 0; p < n; p++) this.adj[p] = this.memUse[p] > 0 ? h[(newest - p) * S + Hot.OomAdj] : OOM_SCORE_ADJ_MIN;
      const first = pickOomVictim(n, this.memUse, this.adj, capMem);
      let m = 0;
      if (first >= 0) {
        this.order[m++] = first;
        if (memSum - this.memUse[first] > podMemCap) m = rankOomVictims(n, this.memUse, this.adj, capMem, this.granted, this.order);
      }
      for (let j = 0; j < m && memSum > podMemCap; j++) {
        const v = this.order[j];
        this.oomKill(ids[v], node, t, DynamicsCause.OomNode, this.memUse[v], (newest - v) * S);
        memSum -= this.memUse[v];
        demandSum -= this.cpuDemand[v];
        this.memUse[v] = 0;
        this.cpuDemand[v] = 0;
      }
    }

    // Machine-intervals and violations (usage above capacity in this usage step).
    if (n > 0 && this.intervalStep[node] !== k) {
      this.intervalStep[node] = k;
      this.nodeIntervals++;
    }
    if (n > 0 && this.violatedStep[node] !== k && (cpuAsked > capCpu || memAsked > podMemCap)) {
      this.violatedStep[node] = k;
      this.violatedIntervals++;
    }

    // The eviction manager, once per housekeeping for this node.
    let evicted = false;
    if (mem >= 0) {
      const available = capMem - this.systemUse[mem] - memSum;
      const was = this.pressured[node];
      const need = this.em.synchronize(node, t, available, capMem);
      const now = this.em.memoryPressure(node) ? 1 : 0;
      if (now !== was) {
        this.pressured[node] = now;
        this.pressuredCount += now ? 1 : -1;
        this.events.push(t, node, -1, now ? DynamicsCause.PressureOn : DynamicsCause.PressureOff, available, 0, 0);
        if (!now) this.host.nodeRoomChanged(node);
      }
      if (need === EvictionNeed.Memory && n > 0) {
        for (let q = 0; q < n; q++) this.prio[q] = tasks.priority[ids[q]];
        rankMemoryVictims(n, this.memUse, this.memReq, this.prio, this.order);
        const v = this.order[0];
        const task = ids[v];
        this.evictions[task]++;
        const lost = this.lostSince(task, t);
        this.events.push(t, node, task, DynamicsCause.EvictionMemoryPressure, this.memUse[v], lost, 0);
        memSum -= this.memUse[v];
        this.memUse[v] = 0;
        this.cpuDemand[v] = 0;
        this.closeThrottle(task, node, t, true, (newest - v) * S);
        evicted = true;
        this.host.evict(task, t, this.requeueDelay(task));
      }
    }

    // CPU: quota at the limit, then shares on a full node.
    let cpuSum = 0;
    if (cpu >= 0 && n > 0) {
      distributeCpu(n, this.cpuDemand, this.cpuReq, this.cpuLim, capCpu, this.granted);
      for (let p = 0; p < n; p++) {
        const task = ids[p];
        if (evicted && tasks.node[task] !== node) continue; // evicted just now
        const g = this.granted[p];
        cpuSum += g;
        const rate = this.cpuDemand[p] - g;
        // After an eviction the records moved (the stop closed the gap): look the slot up.
        const r = evicted ? this.lists.slot(task) * S : (newest - p) * S;
        // Stopped just now (its throttling closed at the eviction; the call would change nothing).
        if (r < 0) continue;
        this.setThrottle(task, node, t, rate > 1e-6 ? rate : 0, r);
      }
    }

    this.totalMem += memSum - this.nodeMem[node];
    this.nodeMem[node] = memSum;
    this.totalCpu += cpuSum - this.nodeCpu[node];
    this.nodeCpu[node] = cpuSum;

    if (this.view) this.overcommitHold(node, t, k);
  }


  /** Overcommit: hand the scheduler what the node's tasks hold and the batch pool's size. */
  private overcommitHold(node: number, t: number, k: number): void {
    const oc = this.oc!;
    const view = this.view!;
    const cluster = this.cluster;
    const D = this.dims;
    const o = node * D;
    this.growScratch(this.lists.size(node));
    const n = this.lists.fill(node, this.ids);
    view.fill(this.ids, n, t, k, cluster.capacity, cluster.allocatable, o);
    let roomGrew = false;
    if (oc.committed && oc.committed(view, this.held)) {
      // Held beyond the charges: committed − Σ charges (negative when the tasks hold less).
      for (let d = 0; d < D; d++) this.held[d] -= cluster.requested[o + d];
      roomGrew = cluster.setHeld(node, this.held) || roomGrew;
    }
    if (oc.batchAllocatable) {
      oc.batchAllocatable(view, this.held);
      for (let d = 0; d < D; d++) {
        if (this.held[d] > this.batchAllocatable[o + d]) roomGrew = true;
        this.batchAllocatable[o + d] = this.held[d];
      }
    }
    if (roomGrew) this.host.nodeRoomChanged(node);
  }

  /** Koordinator: does a batch task's charge fit the node's batch pool? */
  batchFits(node: number, charge: Float64Array, offset: number): boolean {
    const D = this.dims;
    for (let d = 0; d < D; d++) if (charge[offset + d] > this.batchAllocatable[node * D + d] - this.batchCharged[node * D + d]) return false;
    return true;
  }

  batchBind(node: number, charge: Float64Array, offset: number, sign: 1 | -1): void {
    const D = this.dims;
    for (let d = 0; d < D; d++) this.batchCharged[node * D + d] += sign * charge[offset + d];
  }

  private lostSince(task: number, t: number): number {
    const s = this.tasks.start[task];
    const lost = s === s && t > s ? (t - s) / 1e6 : 0;
    this.lostWork[task] += lost;
    return lost;
  }

  /** OOM-kills the container of `task`, whose record is at lists.records[r..). */
  private oomKill(task: number, node: number, t: number, cause: DynamicsCause, memory: number, r: number): void {
    this.oomKills[task]++;
    // The back-off resets once a container has run BACKOFF_RESET without a crash.
    if (t - this.lists.records[r + Hot.LastRestart] >= RESTART_BACKOFF_RESET) this.restarts[task] = 0;
    const restartAt = t + restartBackoff(this.restarts[task]);
    if (this.restarts[task] < 65535) this.restarts[task]++;
    const lost = this.lostSince(task, t);
    this.events.push(t, node, task, cause, memory, lost, 0);
    this.closeThrottle(task, node, t, false, r);
    this.lists.records[r + Hot.DownUntil] = restartAt;
    this.host.containerDown(task, t, restartAt);
  }

  /** Sets a task's throttle rate (millicores of unmet demand), opening or closing its interval; its record is at lists.records[r..). */
  private setThrottle(task: number, node: number, t: number, rate: number, r: number): void {
    const h = this.lists.records;
    if (rate > 0 && h[r + Hot.ThrottleOpen] !== h[r + Hot.ThrottleOpen]) {
      h[r + Hot.ThrottleOpen] = t;
      h[r + Hot.ThrottleAtOpen] = this.throttled[task];
    } else if (rate === 0) this.closeThrottle(task, node, t, false, r);
    h[r + Hot.ThrottleRate] = rate;
  }

  /**
   * Ends a throttling interval (one events.csv row); `accrue` first adds what accrued since the
   * node's last evaluation. The task's record is at lists.records[r..) (passed in: the caller
   * knows it from the position, a lookup of slot(task) would be a cache miss per task).
   */
  private closeThrottle(task: number, node: number, t: number, accrue: boolean, r: number): void {
    const h = this.lists.records;
    const rate = h[r + Hot.ThrottleRate];
    if (accrue && rate > 0) {
      const dt = (t - this.lastEval[node]) / 1e6;
      if (dt > 0) this.throttled[task] += (rate / 1000) * dt;
    }
    h[r + Hot.ThrottleRate] = 0;
    const open = h[r + Hot.ThrottleOpen];
    if (open !== open) return;
    h[r + Hot.ThrottleOpen] = NaN;
    const amount = this.throttled[task] - h[r + Hot.ThrottleAtOpen];
    if (t > open && amount > 0) this.events.push(open, node, task, DynamicsCause.Throttling, NaN, amount, (t - open) / 1e6);
  }

  /** Closes what is still open at the end of the replay and returns the results. */
  finish(t: number, taskCount: number): DynamicsResults {
    const c = this.cluster;
    for (let node = 0; node < c.nodeCount; node++) {
      this.growScratch(this.lists.size(node));
      const n = this.lists.fill(node, this.ids);
      for (let p = 0; p < n; p++) {
        const task = this.ids[p];
        const r = this.lists.slot(task) * this.stride;
        this.closeThrottle(task, node, t, true, r);
        this.peakMem[task] = this.lists.records[r + Hot.PeakMem];
      }
    }
    const settings: Record<string, string | number> = { ...this.cfg.settings };
    if (this.unknownUsage > 0) settings.unknownUsageEvaluations = this.unknownUsage;
    return {
      settings,
      evictions: this.evictions.slice(0, taskCount),
      oomKills: this.oomKills.slice(0, taskCount),
      throttledCpuSeconds: this.throttled.slice(0, taskCount),
      lostWorkSeconds: this.lostWork.slice(0, taskCount),
      peakMemory: this.peakMem.slice(0, taskCount),
      events: this.events,
      nodeEvaluations: this.nodeEvaluations,
      housekeepingTicks: this.ticks,
      nodeIntervals: this.nodeIntervals,
      violatedIntervals: this.violatedIntervals,
    };
  }
}

/** A running task's record in NodeDynamics.lists: HOT numbers at these offsets (then the usage source's record, if any). */
const enum Hot {
  /** Millicores of unmet CPU demand since the last evaluation (0 = not throttled). */
  ThrottleRate = 0,
  /** The container is down (OOM-killed, in its back-off) until this time, µs. */
  DownUntil = 1,
  /** Largest memory use seen, over all its runs (NaN = none yet). */
  PeakMem = 2,
  /** Start of the open throttling interval, µs (NaN = none open). */
  ThrottleOpen = 3,
  /** Request and limit, copied at the start (limit NaN = none). */
  CpuRequest = 4,
  CpuLimit = 5,
  MemRequest = 6,
  MemLimit = 7,
  /** When the container last (re)started, µs (the CrashLoop back-off resets after 10 min clean). */
  LastRestart = 8,
  /** Throttled CPU-seconds of the task when its open interval began. */
  ThrottleAtOpen = 9,
  /**
   * The usage step whose usage CpuUse and MemUse hold (NaN = none yet): usage is a pure function
   * of task and step, so a node evaluated again within a step (a start, stop or restart there)
   * reads it back instead of looking it up again.
   */
  UsageStep = 10,
  CpuUse = 11,
  MemUse = 12,
  /** oom_score_adj (model/qos-class.ts: fixed by QoS, request and the node's capacity, which do not change while it runs). */
  OomAdj = 13,
}
const HOT = 14;

function growF(a: Float64Array, n: number, fill = 0): Float64Array {
  const b = new Float64Array(n);
  if (fill !== 0) b.fill(fill);
  b.set(a);
  return b;
}
function growI(a: Int32Array, n: number, fill: number): Int32Array {
  const b = new Int32Array(n);
  if (fill !== 0) b.fill(fill);
  b.set(a);
  return b;
}
function growU8(a: Uint8Array, n: number): Uint8Array {
  const b = new Uint8Array(n);
  b.set(a);
  return b;
}
function growU16(a: Uint16Array, n: number): Uint16Array {
  const b = new Uint16Array(n);
  b.set(a);
  return b;
}
