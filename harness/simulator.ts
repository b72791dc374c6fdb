import { Cluster } from './cluster.js';
import { EventKind, EventQueue } from './event-queue.js';
import { PendingQueue, type FreedRoom, type PendingClass } from './pending-queue.js';
import { TaskStatus } from '../model/task-status.js';
import { TaskStore } from './task-store.js';
import { TimeSeries } from './time-series.js';
import { usageFactor } from './usage-model.js';
import { PolicyError, type Policy } from '../algorithms/policy.js';
import type { TaskView } from '../model/task-view.js';
import type { TaskBatch } from '../model/task-batch.js';
import type { MachineSpec } from '../model/machine.js';
import type { Workload } from '../model/workload.js';
import { UsageError } from '../model/errors.js';
import { queueLevel, type QueueOrder } from './queue-order.js';
import { explainPending, type PendingReasons } from './pending-reasons.js';
import type { EventCounts, RecordedChecks, ReplayResults } from '../reports/replay-results.js';
import { NodeDynamics, type DynamicsHost, type NodeDynamicsSetup } from './node-dynamics.js';
import { nodeAllocatable } from './kubelet/kubelet-config.js';
import { QosClass } from '../model/qos-class.js';
import { NodeTaskLists } from './node-task-lists.js';
import { fillTaskView, type MutableTaskView } from './task-view-fill.js';
import { EventLogBuilder } from './dynamics-event-log.js';
import { StopCause, type Reaction, type ReactionHost } from './reactions/reaction-host.js';
import type { ReactionsResults } from '../reports/reaction-results.js';
import { TaskTally, type TaskCounters } from '../reports/task-tally.js';
import { EVENT_RUN_ROWS, type EventRowSink } from '../reports/event-log.js';

export interface SimulatorOptions {
  seed: number;
  /**
   * Scheduling passes visit only the waiting classes that can act (pending-queue.ts sweepIndexed;
   * default true). False visits every class as before: the same decisions, slower; kept so a test
   * can compare the two.
   */
  indexedPass?: boolean;
  /** Stop at this time (µs); default: workload.horizon, else the last submit. */
  horizon?: number;
  /** Usage sample period, µs (default 300 s, the Google traces' usage window). */
  samplePeriod?: number;
  /**
   * 'policy' (default): the policy places every task. 'recorded': tasks start at the time and on
   * the machine the trace recorded (TaskBatch.recordedStart / recordedMachine), even where their
   * requests do not fit — the trace's own utilization, and a check on the model (counted).
   */
  placement?: 'policy' | 'recorded';
  /** Order of the pending queue (default 'priority'; see queue-order.ts). */
  queueOrder?: QueueOrder;
  /** Called now and then with the simulated time, for progress display. */
  onProgress?: (now: number, horizon: number, submitted: number) => void;
  /** Hourly price of a machine (reports/pricing.ts), for the cost integrals; default 0. */
  nodePrice?: (machine: MachineSpec) => number;
  /** Node dynamics (usage over time, kubelet eviction, OOM, throttling, overcommit); undefined = off. */
  dynamics?: NodeDynamicsSetup;
  /**
   * The cluster's reactions (admission, controllers, preemption, failures, autoscaling), in the
   * order their hooks run; with their settings for the results. Empty or undefined = none.
   */
  reactions?: { list: Reaction[]; settings: Record<string, string | number> };
  /**
   * 'all' (default): every task keeps its row to the end (`tasks` holds them all). 'live': a task's
   * row leaves memory once the task has ended for good and nothing refers to it any more — it is
   * handed to `onTaskRow` and tallied for the summary (reports/task-tally.ts), and its slot is
   * reused — so memory follows the tasks alive at once, not the tasks ever submitted. Decisions
   * are the same in both. With reactions on (they keep task numbers) the run keeps 'all'.
   */
  retainTasks?: 'all' | 'live';
  /**
   * Called with each task's final row, in the order tasks end for good, then the rows still alive
   * at the end, in slot order ('live' only). `slot` indexes `tasks` (the task's id is
   * `tasks.id[slot]`); `counters` are its node-dynamics counters (undefined without dynamics);
   * `pendingMessage` its FailedScheduling message when it waits at the end.
   */
  onTaskRow?: (tasks: TaskStore, slot: number, counters: TaskCounters | undefined, pendingMessage: string | null) => void;
  /**
   * 'live' only: where the dynamics log goes once it holds `runRows` rows with their tasks named
   * (a results folder's events.csv spool); the log then starts again, empty, so its memory stays
   * bounded. Without a sink the rows are counted for the summary and dropped (result
   * `dynamics.events.spilled` says how many), as task rows are without `onTaskRow`.
   */
  eventSink?: EventRowSink;
}

/**
 * What a replay leaves behind, as reports read it (ReplayResults), with the simulator's own
 * classes for the task table, the cluster and the samples.
 */
export interface SimulationResult extends ReplayResults {
  tasks: TaskStore;
  cluster: Cluster;
  series: TimeSeries;
  pending: PendingReasons;
  /** Whether finished tasks left memory ('live': `tasks` holds the rows alive at the end, `tally` the rest). */
  retainTasks: 'all' | 'live';
}

const DEFAULT_SAMPLE_PERIOD = 300e6;
/** The most task rows sized up front from Workload.expectedTasks (beyond it the store grows as it fills). */
const MAX_RESERVED_ROWS = 1 << 24;
const MAX_FREED_TRACKED = 64;

/**
 * The discrete-event loop. Simulated time is integer µs. At each instant the order is fixed:
 * machine adds, finishes, kills, machine removals (queue order), then submissions, then one
 * scheduling pass over the pending queue, then usage samples. Same seed + same inputs gives the
 * same result, bit for bit.
 *
 * Retrying pending tasks is kept cheap by an exact invariant: after a pass, every task left
 * pending fits nowhere. Capacity only grows on nodes that freed something since (or were added),
 * so a waiting equivalence class is retried only if its shape fits one of those nodes (checked
 * directly for up to 64 of them, else against their per-dimension maximum). A pass then costs
 * O(pending classes), and a search that cannot succeed is never started. A class the policy
 * declined although some node had room (a placement constraint: affinity, taints, spread) is
 * instead retried after any bind, unbind or machine change, including placements made in the same
 * instant (a few rounds), so a pod waiting for its affinity partner starts with it.
 */
export class Simulator implements DynamicsHost {
  readonly cluster: Cluster;
  readonly tasks: TaskStore;
  private readonly queue = new EventQueue(4096);
  private readonly pending: PendingQueue;
  private readonly series: TimeSeries;
  private readonly dims: number;
  private now = 0;
  private readonly horizonOpt?: number;
  private readonly samplePeriod: number;
  private readonly seed: number;
  private readonly events: EventCounts = { submit: 0, start: 0, finish: 0, kill: 0, machineAdd: 0, machineRemove: 0, sample: 0 };
  private readonly requestedArea: Float64Array;
  private readonly allocatableArea: Float64Array;
  private nodeArea = 0;
  private busyNodeArea = 0;
  /** Hourly price per node number, and its sums over nodes up and nodes busy. */
  private nodePrices = new Float64Array(0);
  private upPrice = 0;
  private busyPrice = 0;
  private costArea = 0;
  private busyCostArea = 0;
  private readonly priceOf: (machine: MachineSpec) => number;
  private peakBusy = 0;
  private placementAttempts = 0;
  /** Dense list of running tasks with each task's position, for O(1) removal. */
  private running = new Int32Array(1024);
  private runningLen = 0;
  private runningPos = new Int32Array(0);
  /**
   * Without node dynamics, what sample() reads of each running task, side by side in running-list
   * order (stride 2·dims + 2): request × usage fraction per dimension (NaN = unknown usage), the
   * limit per dimension, the usage variation and the task's id. One sequential pass instead of
   * five scattered reads into the whole task table per task and sample.
   */
  private runUse = new Float64Array(0);
  /** Tasks submitted since the last pass (their classes are always tried). */
  private freshCount = 0;
  /** Nodes that gained capacity since the last pass (the first MAX_FREED_TRACKED of them). */
  private readonly freedNodes = new Int32Array(MAX_FREED_TRACKED);
  private freedMark = new Uint8Array(0);
  private freedCount = 0;
  /** Per-dimension max free amount over freed nodes, used when too many freed to list. */
  private readonly freedMax: Float64Array;
  private anyFreed = false;
  /** Any bind, unbind or machine change since the last pass (constrained classes retry then). */
  private changedSinceLastPass = false;
  private readonly oneNode = new Int32Array(1);
  private passPlaced = 0;
  private passSawConstrained = false;
  /** The one TaskView handed to the policy, refilled per task (no allocation per decision). */
  private readonly view: MutableTaskView;
  /** Gang per task (-1 = none; TaskBatch.gang); whether any task has one; scratch for a gang's members and nodes. */
  private gangOf = new Int32Array(0);
  private anyGang = false;
  private gangMembers = new Int32Array(64);
  private gangNodes = new Int32Array(64);
  /** Kill time per task (NaN = none), when the workload gives one. */
  private killTime = new Float64Array(0);
  /** Tasks killed while pending that still sit in the queue (removed lazily by the next sweep). */
  private killedInQueue = 0;
  private readonly workload: Workload;
  private readonly policy: Policy;
  private readonly onProgress?: SimulatorOptions['onProgress'];
  private readonly recordedMode: boolean;
  private readonly queueOrder: QueueOrder;
  /** DRF: allocated amount per user (key = user number) and dimension. */
  private readonly userAllocated = new Map<number, Float64Array>();
  private recordedStart = new Float64Array(0);
  private recordedMachine = new Int32Array(0);
  private recordedPending = 0;
  private readonly recorded: RecordedChecks = { started: 0, overCapacity: 0, machineMissing: 0, neverStarted: 0 };
  /** Node dynamics, when on; their housekeeping period (µs). */
  private dyn?: NodeDynamics;
  private readonly dynCfg?: NodeDynamicsSetup;
  private readonly housekeepingPeriod: number = 0;
  /** Under an allocation ratio: Σ over up nodes of their allocatable before the ratio, and per node. */
  private physicalAllocatable?: Float64Array;
  private nodePhysical = new Float64Array(0);
  /** Evicted tasks waiting for their controller to recreate them. */
  private awaitingRequeue = 0;
  /**
   * What each task is admitted by (its overcommit charge), flat like the requests; undefined =
   * the request. Koordinator batch tasks: a 1 in `isBatch`, their batch-pool charge in `batchCharge`.
   */
  private charge?: Float64Array;
  private isBatch?: Uint8Array;
  private batchCharge?: Float64Array;
  /** The replay's end as known at the current instant (Infinity until the last submission is seen). */
  private horizonNow = Infinity;
  private readonly physicalScratch: Float64Array;
  /** The task the placement filter is for (read by the prebuilt filter closures). */
  private filterTask = 0;
  /** Reactions (harness/reactions/), and per hook the ones that have it (nothing to call on the hot path otherwise). */
  private readonly reactions: Reaction[];
  private readonly reactionSettings: Record<string, string | number> = {};
  private readonly admitHooks: Reaction[];
  private readonly unplacedHooks: Reaction[];
  private readonly startedHooks: Reaction[];
  private readonly stoppedHooks: Reaction[];
  private readonly droppedHooks: Reaction[];
  private readonly afterPassHooks: Reaction[];
  /** A reaction (the controllers) decides what follows a lost task. */
  private readonly recreationOwned: boolean;
  private readonly reacting: boolean;
  private host?: ReactionHost;
  /** Running tasks per node (reactions walk a node's tasks). */
  private lists?: NodeTaskLists;
  private reactionLog?: EventLogBuilder;
  /** Reaction timers: callback per slot, and the free slots. */
  private timers: Array<((t: number) => void) | undefined> = [];
  private freeTimers: number[] = [];
  /** Per task: 1 while in the pending queue; 1 while held out of it by a reaction (nominated, parked by admission); 1 while terminating. */
  private inQueue: Uint8Array = new Uint8Array(0);
  private heldOut: Uint8Array = new Uint8Array(0);
  private heldCount = 0;
  private terminating: Uint8Array = new Uint8Array(0);
  /** Per task: when its node went down under it (NaN = not frozen); per node: down. */
  private frozenAt = new Float64Array(0);
  private nodeDown = new Uint8Array(0);
  /** The task tryPlace is placing (a reaction may start it from inside `unplaced`). */
  private placingTask = -1;
  /**
   * retainTasks 'live': per slot, the task events in the queue that name it (a slot is reused
   * only when none is left, so a stale Finish or Kill never reaches the next task in it), whether
   * it sits in the pending queue (a task killed while waiting leaves the queue lazily), and
   * whether its row went to the tally already.
   */
  private readonly live: boolean;
  private slotEvents = new Int32Array(0);
  private slotQueued = new Uint8Array(0);
  private slotDone = new Uint8Array(0);
  private readonly tally?: TaskTally;
  private readonly onTaskRow?: SimulatorOptions['onTaskRow'];
  private readonly eventSink?: EventRowSink;
  /** Named log rows held before they go to the sink (or are only counted). */
  private readonly eventRunRows: number;
  private readonly counters: TaskCounters = { evictions: 0, oomKills: 0, throttledCpuSeconds: 0, lostWorkSeconds: 0, peakMemory: NaN };
  /** The current batch's slots (the task table's batchSlots is overwritten by the next append). */
  private batchSlots = new Int32Array(0);
  /** Dynamics log rows whose task column is already a task id, not a slot. */
  private logNamed = 0;

  constructor(workload: Workload, policy: Policy, options: SimulatorOptions) {
    this.workload = workload;
    this.policy = policy;
    this.seed = options.seed >>> 0;
    this.dims = workload.resources.names.length;
    this.cluster = new Cluster(workload.resources, workload.machines.length);
    this.tasks = new TaskStore(this.dims, workload.resources.names, workload.priorityScale);
    this.pending = new PendingQueue(this.dims);
    this.series = new TimeSeries(this.dims);
    this.horizonOpt = options.horizon ?? workload.horizon;
    this.samplePeriod = options.samplePeriod ?? DEFAULT_SAMPLE_PERIOD;
    if (!(this.samplePeriod > 0)) throw new Error('samplePeriod must be positive');
    this.requestedArea = new Float64Array(this.dims);
    this.physicalScratch = new Float64Array(this.dims);
    this.allocatableArea = new Float64Array(this.dims);
    this.freedMax = new Float64Array(this.dims).fill(-Infinity);
    this.view = { id: 0, request: new Float64Array(this.dims), priority: 0, job: 0, user: 0, missingRequest: false, constraints: undefined, duration: NaN };
    this.onProgress = options.onProgress;
    this.recordedMode = options.placement === 'recorded';
    this.queueOrder = options.queueOrder ?? 'priority';
    this.indexedPass = options.indexedPass ?? true;
    this.priceOf = options.nodePrice ?? (() => 0);
    this.reactions = options.reactions?.list ?? [];
    if (options.reactions) Object.assign(this.reactionSettings, options.reactions.settings);
    const having = (hook: keyof Reaction): Reaction[] => this.reactions.filter((r) => typeof r[hook] === 'function');
    this.admitHooks = having('admit');
    this.unplacedHooks = having('unplaced');
    this.startedHooks = having('started');
    this.stoppedHooks = having('stopped');
    this.droppedHooks = having('dropped');
    this.afterPassHooks = having('afterPass');
    this.recreationOwned = this.reactions.some((r) => r.ownsRecreation === true);
    this.reacting = this.reactions.length > 0;
    if (this.reacting) {
      if (this.recordedMode) throw new UsageError('--placement recorded replays the trace as it ran: preemption, controllers, failures, autoscaling and quotas do not apply');
      this.lists = new NodeTaskLists();
      this.reactionLog = new EventLogBuilder();
    }
    if (options.dynamics) {
      if (this.recordedMode) throw new UsageError('--placement recorded replays the trace as it ran: turn node dynamics off (--no-dynamics)');
      this.dynCfg = options.dynamics;
      this.housekeepingPeriod = options.dynamics.kubelet.housekeepingPeriod;
      if (!(this.housekeepingPeriod > 0)) throw new UsageError('--housekeeping-seconds must be a positive number of seconds');
      const oc = options.dynamics.overcommit;
      if (oc?.ratio) this.physicalAllocatable = new Float64Array(this.dims);
      if (oc?.charge || oc?.usesBatch) this.charge = new Float64Array(0);
      if (oc?.usesBatch) {
        this.isBatch = new Uint8Array(0);
        this.batchCharge = new Float64Array(0);
      }
    }
    this.live = options.retainTasks === 'live' && !this.reacting;
    this.tasks.recycle = this.live;
    // Every row stays: the expected count sizes the store once.
    if (!this.live && workload.expectedTasks !== undefined && workload.expectedTasks > 0) this.tasks.reserveRows(Math.min(workload.expectedTasks, MAX_RESERVED_ROWS));
    this.onTaskRow = options.onTaskRow;
    this.eventSink = options.eventSink;
    this.eventRunRows = options.eventSink?.runRows ?? EVENT_RUN_ROWS;
    if (this.live) this.tally = new TaskTally(this.dims, options.dynamics !== undefined);
  }

  /**
   * Allocatable as utilization is measured against: the nodes' real allocatable, not the
   * overcommitted amount the scheduler may promise (with a ratio of 2, requests can reach 200 %).
   */
  private reportedAllocatable(): Float64Array {
    return this.physicalAllocatable ?? this.cluster.totalAllocatable;
  }

  /** The admission vectors (charges, or the requests), flat `task * dims + d`. */
  private admission(): Float64Array {
    return this.charge ?? this.tasks.request;
  }

  async run(): Promise<SimulationResult> {
    const w = this.workload;
    // A trace slice starts at its first event (Workload.start); time integrals start there too.
    const start = w.start ?? 0;
    this.now = start;
    if (this.dynCfg) this.dyn = new NodeDynamics({ ...this.dynCfg, usage: await this.dynCfg.usage(this.tasks) }, this.cluster, this.tasks, this, start);
    for (const m of w.machines) this.addMachine(m);
    const initialNodes = this.cluster.upCount;
    if (this.reacting) {
      this.host = this.makeHost();
      for (const r of this.reactions) r.start?.(this.host, start);
    }
    if (this.dyn) this.queue.push(start, EventKind.Housekeeping, 0);
    for (let i = 0; i < w.machineEvents.length; i++) {
      const e = w.machineEvents[i];
      this.queue.push(e.time, e.kind === 'add' ? EventKind.MachineAdd : EventKind.MachineRemove, i);
    }

    const batches = w.taskBatches()[Symbol.asyncIterator]();
    let batch: TaskBatch | undefined;
    let bi = 0;
    let batchFirst = 0;
    let lastSubmit = -Infinity;
    const nextBatch = async (): Promise<void> => {
      // Yield to the event loop between batches so Ctrl-C and progress output are handled.
      await new Promise((resolve) => setImmediate(resolve));
      for (;;) {
        const r = await batches.next();
        if (r.done) {
          batch = undefined;
          return;
        }
        if (r.value.count === 0) continue;
        batch = r.value;
        bi = 0;
        // Rows about to be reused: the dynamics log names their tasks first.
        if (this.live && this.dyn && this.dyn.events.length > this.logNamed) this.nameLoggedTasks();
        batchFirst = this.tasks.append(batch);
        this.growPerTask(this.tasks.count);
        if (this.live) {
          this.takeBatchSlots(batch);
          return;
        }
        if (this.dyn) this.prepareDynamics(batchFirst, this.tasks.count);
        if (batch.killTime) this.killTime.set(batch.killTime.subarray(0, batch.count), batchFirst);
        else this.killTime.fill(NaN, batchFirst, batchFirst + batch.count);
        if (batch.gang) {
          this.gangOf.set(batch.gang.subarray(0, batch.count), batchFirst);
          this.anyGang = true;
        }
        if (this.recordedMode) {
          if (!batch.recordedStart || !batch.recordedMachine || !w.machineIds) {
            throw new UsageError(`--placement recorded: workload ${w.name} carries no recorded placements (only traces with machine assignments do)`);
          }
          this.recordedStart.set(batch.recordedStart.subarray(0, batch.count), batchFirst);
          this.recordedMachine.set(batch.recordedMachine.subarray(0, batch.count), batchFirst);
        }
        return;
      }
    };
    await nextBatch();

    let horizon = this.horizonOpt ?? Infinity;
    let nextSample = start;
    let progressTick = 0;

    for (;;) {
      const submitTime = batch ? batch.submitTime[bi] : Infinity;
      const t = Math.min(this.queue.peekTime(), submitTime, nextSample);
      if (t === Infinity) break;
      if (t > horizon) break;
      if (t < this.now) throw new Error(`time went backwards: event at ${t} µs after ${this.now} µs`);
      this.advance(t);
      this.horizonNow = horizon;

      while (this.queue.peekTime() === t) this.handleEvent(t);

      while (batch && batch.submitTime[bi] === t) {
        const id = batchFirst + bi;
        if (t < lastSubmit) throw new Error(`task ${id}: submit time ${t} µs is before the previous one`);
        lastSubmit = t;
        this.submit(this.live ? this.batchSlots[bi] : id);
        if (++bi === batch.count) await nextBatch();
      }

      if (this.pending.size > 0 && (this.freshCount > 0 || this.anyFreed || this.changedSinceLastPass)) {
        // A placement can satisfy a waiting task's constraint (pod affinity): retry those at once,
        // a few rounds at most.
        for (let round = 0; round < 4; round++) {
          this.schedulingPass(t);
          if (!(this.passPlaced > 0 && this.passSawConstrained)) break;
        }
      }
      this.freshCount = 0;
      this.resetFreed();
      for (let i = 0; i < this.afterPassHooks.length; i++) this.afterPassHooks[i].afterPass!(t);

      if (t === nextSample) {
        this.sample(t);
        nextSample = t + this.samplePeriod;
      }
      if (this.onProgress && (++progressTick & 0xffff) === 0) this.onProgress(t, horizon, this.events.submit);
      if (!batch && this.horizonOpt === undefined) horizon = Math.max(lastSubmit, start);
    }
    if (horizon === Infinity) horizon = Math.max(lastSubmit, this.now, start);
    this.advance(horizon);
    if (batches.return) await batches.return();
    // Only now, and only for the tasks left waiting: never on the scheduling path.
    const pending = explainPending(this.tasks, this.cluster, this.policy, horizon, (task) => this.fillView(task), this.recordedMode);
    const dynamics = this.dyn ? this.dyn.finish(horizon, this.live ? 0 : this.tasks.count) : undefined;
    if (this.live) this.flushLiveRows(horizon, pending);

    return {
      seed: this.seed,
      policy: this.policy.name,
      start,
      horizon,
      tasks: this.tasks,
      cluster: this.cluster,
      series: this.series,
      events: { ...this.events },
      requestedArea: this.requestedArea,
      allocatableArea: this.allocatableArea,
      nodeArea: this.nodeArea,
      busyNodeArea: this.busyNodeArea,
      costArea: this.costArea,
      busyCostArea: this.busyCostArea,
      peakBusyNodes: this.peakBusy,
      pendingAtEnd: this.pendingCount(),
      runningAtEnd: this.runningLen,
      initialNodes,
      missingRequests: this.tasks.missingRequests,
      missingUsage: this.tasks.missingUsage,
      placementAttempts: this.placementAttempts,
      recorded: this.recordedMode ? { ...this.recorded, neverStarted: this.recordedPending } : undefined,
      pending,
      dynamics,
      reactions: this.reacting ? this.finishReactions(horizon) : undefined,
      tally: this.tally,
      retainTasks: this.live ? 'live' : 'all',
    };
  }

  // ---- retainTasks 'live': rows leave memory as tasks end for good.

  /** The new batch's slots (reused or new): every per-task array of the simulator and the dynamics set afresh. */
  private takeBatchSlots(batch: TaskBatch): void {
    const tasks = this.tasks;
    if (this.batchSlots.length < batch.count) this.batchSlots = new Int32Array(tasks.batchSlots.length);
    this.batchSlots.set(tasks.batchSlots.subarray(0, batch.count));
    for (let i = 0; i < batch.count; i++) {
      const slot = this.batchSlots[i];
      this.slotEvents[slot] = 0;
      this.slotQueued[slot] = 0;
      this.slotDone[slot] = 0;
      this.killTime[slot] = batch.killTime ? batch.killTime[i] : NaN;
      this.gangOf[slot] = batch.gang ? batch.gang[i] : -1;
      if (this.recordedMode) {
        if (!batch.recordedStart || !batch.recordedMachine || !this.workload.machineIds) {
          throw new UsageError(`--placement recorded: workload ${this.workload.name} carries no recorded placements (only traces with machine assignments do)`);
        }
        this.recordedStart[slot] = batch.recordedStart[i];
        this.recordedMachine[slot] = batch.recordedMachine[i];
      }
      if (this.dyn) {
        this.dyn.resetTask(slot);
        this.prepareDynamics(slot, slot + 1);
      }
    }
    if (batch.gang) this.anyGang = true;
  }

  /**
   * The dynamics log names tasks by slot as it records; before a slot is reused, its events get
   * the task's id, job, index and class (kept per event, so events.csv and the breakdown by class
   * need no row of the task), and are counted for the summary. A log that has grown to a run's
   * worth of named rows goes to the event sink and starts again (SimulatorOptions.eventSink).
   */
  private nameLoggedTasks(): void {
    const log = this.dyn!.events;
    const tasks = this.tasks;
    const info = this.tally!.eventTasks;
    const counts = this.tally!.eventCounts;
    info.reserve(log.length);
    for (let e = this.logNamed; e < log.length; e++) {
      const s = log.task[e];
      if (s < 0) {
        counts.addNode(log.cause[e]);
        continue;
      }
      log.task[e] = tasks.id[s];
      info.job[e] = tasks.job[s];
      info.taskIndex[e] = tasks.taskIndex[s];
      info.qos[e] = tasks.qos[s];
      info.band[e] = tasks.band[s];
      counts.addTask(log.cause[e], info.qos[e], info.band[e]);
    }
    this.logNamed = log.length;
    if (log.length >= this.eventRunRows) {
      this.eventSink?.add(log, info);
      log.spill();
      this.logNamed = 0;
    }
  }

  /** A task event naming `slot` (Finish, Kill, Restart, Requeue, RecordedStart). */
  private pushTaskEvent(time: number, kind: EventKind, slot: number): void {
    this.queue.push(time, kind, slot);
    if (this.live) this.slotEvents[slot]++;
  }

  /** The task in `slot` ended for good: its row goes to the tally and the sink; the slot is freed when nothing names it. */
  private settle(slot: number): void {
    if (!this.live) return;
    this.emitRow(slot, null);
    this.slotDone[slot] = 1;
    this.releaseIfFree(slot);
  }

  private releaseIfFree(slot: number): void {
    if (this.slotDone[slot] === 1 && this.slotEvents[slot] === 0 && this.slotQueued[slot] === 0) {
      this.slotDone[slot] = 2;
      this.tasks.release(slot);
    }
  }

  private emitRow(slot: number, message: string | null): void {
    const tasks = this.tasks;
    let c: TaskCounters | undefined;
    if (this.dyn) {
      c = this.counters;
      this.dyn.taskCounters(slot, c);
    }
    this.tally!.addRow(tasks, slot, c);
    if (this.onTaskRow) this.onTaskRow(tasks, slot, c, message);
  }

  /** At the end: the rows of the tasks still alive (running, waiting, evicted), in slot order. */
  private flushLiveRows(horizon: number, pending: PendingReasons): void {
    const tasks = this.tasks;
    if (this.dyn && this.dyn.events.length > this.logNamed) this.nameLoggedTasks();
    const { messageOf, messages } = pending;
    for (let slot = 0; slot < tasks.count; slot++) {
      if (this.slotDone[slot] !== 0 || tasks.submit[slot] > horizon) continue;
      this.emitRow(slot, slot < messageOf.length && messageOf[slot] >= 0 ? messages[messageOf[slot]] : null);
      this.slotDone[slot] = 1;
    }
  }

  /** New tasks under node dynamics: their usage series, and their overcommit charges. */
  private prepareDynamics(from: number, to: number): void {
    this.dyn!.usageSource.assign(from, to);
    const oc = this.dynCfg!.overcommit;
    if (!this.charge) return;
    const D = this.dims;
    const tasks = this.tasks;
    const out = new Float64Array(D);
    for (let task = from; task < to; task++) {
      const o = task * D;
      if (this.isBatch && this.dyn!.usesBatch(task)) {
        // Koordinator batch pods request batch resources instead: nothing of the regular pool;
        // their batch request is the request, or where that is zero (BestEffort) the usage scale.
        this.isBatch[task] = 1;
        for (let d = 0; d < D; d++) {
          const r = tasks.request[o + d];
          const sc = tasks.usageScale[o + d];
          this.batchCharge![o + d] = r > 0 ? r : sc === sc ? Math.ceil(sc) : 0;
          this.charge[o + d] = 0;
        }
        continue;
      }
      if (oc?.charge) {
        oc.charge({ id: task, request: tasks.request.subarray(o, o + D), limit: tasks.limit.subarray(o, o + D), priority: tasks.priority[task], band: tasks.band[task], qos: tasks.qos[task] }, out);
        for (let d = 0; d < D; d++) this.charge[o + d] = Math.ceil(out[d]);
      } else for (let d = 0; d < D; d++) this.charge[o + d] = tasks.request[o + d];
    }
  }


  // ---- Reactions (harness/reactions/reaction-host.ts): the host's side, used only when reactions are on.

  private makeHost(): ReactionHost {
    const sim = this;
    return {
      cluster: this.cluster,
      tasks: this.tasks,
      workload: this.workload,
      seed: this.seed,
      now: () => sim.now,
      at: (t, fn) => sim.setTimer(t, fn),
      firstOn: (node) => sim.lists!.first(node),
      nextOn: (task) => sim.lists!.after(task),
      countOn: (node) => sim.lists!.size(node),
      admissionVectors: () => sim.admission(),
      stopTask: (task, cause) => {
        if (sim.tasks.status[task] !== TaskStatus.Running) throw new Error(`stopTask: task ${task} is not running`);
        sim.stopWith(task, cause);
      },
      terminate: (task, cause, grace, then) => sim.terminateTask(task, cause, grace, then),
      isTerminating: (task) => sim.terminating[task] === 1,
      enqueue: (task) => {
        if (sim.inQueue[task]) return;
        sim.leaveWaiting(task);
        sim.enqueue(task);
      },
      recreate: (task) => {
        if (sim.inQueue[task]) return true;
        sim.leaveWaiting(task);
        sim.tasks.status[task] = TaskStatus.Pending;
        return sim.readmit(task);
      },
      endForGood: (task, status) => sim.endForGood(task, status),
      startOn: (task, node) => sim.startOutOfQueue(task, node),
      addNode: (spec) => sim.addNodeWithDaemons(spec),
      removeNode: (node, cause) => sim.removeNodeWith(node, cause),
      setNodeReady: (node, ready) => {
        sim.cluster.setSchedulable(node, ready);
        if (ready) sim.nodeRoomChanged(node);
      },
      isNodeReady: (node) => sim.cluster.up[node] === 1 && sim.cluster.cordoned[node] === 0,
      setNodeDown: (node, down) => sim.setNodeDown(node, down),
      isNodeDown: (node) => sim.nodeDown[node] === 1,
      forEachPending: (fn) => {
        for (const task of sim.pending.toArray()) if (sim.inQueue[task] && sim.tasks.status[task] === TaskStatus.Pending) fn(task);
      },
      logEvent: (cause, node, task, amount, duration) => sim.reactionLog!.push(sim.now, node, task, cause as number, NaN, amount, duration),
    };
  }

  private setTimer(t: number, fn: (t: number) => void): void {
    if (!(t >= this.now)) throw new Error(`a reaction's timer at ${t} µs is before now (${this.now} µs)`);
    const id = this.freeTimers.length > 0 ? this.freeTimers.pop()! : this.timers.length;
    this.timers[id] = fn;
    this.queue.push(t, EventKind.Timer, id);
  }

  /** Offers a task no node took to the reactions (preemption): true = one took it out of the queue. */
  private offerUnplaced(task: number): boolean {
    for (let i = 0; i < this.unplacedHooks.length; i++) {
      if (this.unplacedHooks[i].unplaced!(task, this.passTime) !== true) continue;
      // Nominated and waiting (or started already, from inside the call).
      if (this.tasks.status[task] === TaskStatus.Pending && !this.heldOut[task]) {
        this.heldOut[task] = 1;
        this.heldCount++;
      }
      return true;
    }
    return false;
  }

  /** Admission: every reaction's admit; a refused task is held out of the queue (it still waits). */
  private admitted(task: number): boolean {
    for (let i = 0; i < this.admitHooks.length; i++) {
      if (this.admitHooks[i].admit!(task, this.now)) continue;
      if (this.tasks.status[task] === TaskStatus.Pending && !this.heldOut[task]) {
        this.tasks.node[task] = -1;
        this.heldOut[task] = 1;
        this.heldCount++;
      }
      return false;
    }
    return true;
  }

  private readmit(task: number): boolean {
    if (this.admitHooks.length > 0 && !this.admitted(task)) return false;
    this.enqueue(task);
    return true;
  }

  /** A task that is not running leaves whatever wait it was in (its controller's, or a reaction's hold). */
  private leaveWaiting(task: number): void {
    const st = this.tasks.status[task];
    if (st === TaskStatus.Running) throw new Error(`task ${task} is running`);
    if (st === TaskStatus.Evicted) this.awaitingRequeue--;
    if (this.heldOut[task]) {
      this.heldOut[task] = 0;
      this.heldCount--;
    }
  }

  private endForGood(task: number, status: 'failed' | 'rejected'): void {
    const tasks = this.tasks;
    const st = tasks.status[task];
    if (st === TaskStatus.Running) throw new Error(`endForGood: task ${task} is running (stop it first)`);
    if (st === TaskStatus.Pending) this.leavePending(task);
    else if (st === TaskStatus.Evicted) this.awaitingRequeue--;
    else if (this.heldOut[task]) {
      this.heldOut[task] = 0;
      this.heldCount--;
    }
    tasks.status[task] = status === 'failed' ? TaskStatus.Failed : TaskStatus.Rejected;
    tasks.end[task] = this.now;
    this.notifyDropped(task, this.now);
  }

  private startOutOfQueue(task: number, node: number): void {
    if (this.inQueue[task] && task !== this.placingTask) throw new Error(`startOn: task ${task} is in the pending queue (only a task a reaction holds can be started this way)`);
    const D = this.dims;
    if (!this.cluster.fits(node, this.admission().subarray(task * D, task * D + D))) throw new PolicyError(`a reaction started task ${task} on node ${node}, where it does not fit`);
    this.leaveWaiting(task);
    this.startTask(task, node, this.now);
  }

  /**
   * Stops a running task for `cause`: releases it, sets its status, counts its lost work and tells
   * the reactions. Without a controller reaction, an evicted task is requeued as before (after
   * the kubelet's delay, or at once).
   */
  private stopWith(task: number, cause: StopCause, kubeletDelay = 0): void {
    const tasks = this.tasks;
    const t = this.now;
    const node = tasks.node[task];
    const frozen = this.frozenAt[task];
    const ranUntil = frozen === frozen ? frozen : t;
    const s0 = tasks.start[task];
    const lost = cause === StopCause.Finished || !(ranUntil > s0) ? 0 : (ranUntil - s0) / 1e6;
    // The kubelet counts its own evictions' lost work; a kill by the source is not lost work.
    if (this.dyn && lost > 0 && cause !== StopCause.EvictedByKubelet && cause !== StopCause.Killed) this.dyn.addLostWork(task, lost);
    this.stopRunning(task);
    this.frozenAt[task] = NaN;
    this.terminating[task] = 0;
    const status = statusAfter(cause);
    tasks.status[task] = status;
    tasks.end[task] = t;
    if (status === TaskStatus.Evicted) this.awaitingRequeue++;
    for (let i = 0; i < this.stoppedHooks.length; i++) this.stoppedHooks[i].stopped!(task, node, t, cause, lost);
    if (status === TaskStatus.Evicted && !this.recreationOwned && tasks.status[task] === TaskStatus.Evicted) {
      if (cause === StopCause.EvictedByKubelet) this.queue.push(t + kubeletDelay, EventKind.Requeue, task);
      else {
        this.awaitingRequeue--;
        this.readmit(task);
      }
    }
  }

  private terminateTask(task: number, cause: StopCause, grace: number, then?: (t: number) => void): boolean {
    if (this.terminating[task] || this.tasks.status[task] !== TaskStatus.Running) return false;
    if (!(grace >= 0)) throw new Error(`terminate: grace period ${grace} µs`);
    this.terminating[task] = 1;
    const attempt = this.tasks.attempts[task];
    const stop = (t: number): void => {
      // Still the same attempt, still terminating (not stopped and restarted meanwhile).
      if (this.terminating[task] && this.tasks.status[task] === TaskStatus.Running && this.tasks.attempts[task] === attempt) this.stopWith(task, cause);
      if (then) then(t);
    };
    if (grace === 0) stop(this.now);
    else this.setTimer(this.now + grace, stop);
    return true;
  }

  /** A task on a node that went down: no progress, no usage, its finish goes stale. */
  private freeze(task: number, t: number): void {
    this.frozenAt[task] = t;
    if (this.dyn) this.dyn.onStop(task, this.tasks.node[task], t);
  }

  /** Its node is back: the container starts over (the work before the crash is lost). */
  private unfreeze(task: number): void {
    const tasks = this.tasks;
    const t = this.now;
    const lost = this.frozenAt[task] > tasks.start[task] ? (this.frozenAt[task] - tasks.start[task]) / 1e6 : 0;
    if (this.dyn && lost > 0) this.dyn.addLostWork(task, lost);
    this.frozenAt[task] = NaN;
    tasks.start[task] = t;
    tasks.attempts[task]++;
    const dur = tasks.duration[task];
    if (dur === dur) this.queue.push(t + dur, EventKind.Finish, task);
    if (this.dyn) this.dyn.onStart(task, tasks.node[task], t);
  }

  private setNodeDown(node: number, down: boolean): void {
    if (!this.cluster.up[node] || (this.nodeDown[node] === 1) === down) return;
    this.nodeDown[node] = down ? 1 : 0;
    const t = this.now;
    for (let task = this.lists!.first(node); task >= 0; task = this.lists!.after(task)) {
      const frozen = this.frozenAt[task] === this.frozenAt[task];
      if (down && !frozen) this.freeze(task, t);
      else if (!down && frozen) this.unfreeze(task);
    }
    for (const r of this.reactions) r.nodeDown?.(node, t, down);
  }

  private removeNodeWith(node: number, cause: StopCause): void {
    if (!this.cluster.up[node]) return;
    // Collected first: a reaction told of one stop may stop others on the node.
    const on: number[] = [];
    for (let task = this.lists!.first(node); task >= 0; task = this.lists!.after(task)) on.push(task);
    for (const task of on) {
      if (this.tasks.status[task] !== TaskStatus.Running || this.tasks.node[task] !== node) continue;
      this.events.kill++;
      this.stopWith(task, cause);
    }
    this.nodeDown[node] = 0;
    this.dropNode(node);
    for (const r of this.reactions) r.nodeRemoved?.(node, this.now);
  }

  /** Adds a node; a node never seen before gets its DaemonSet pods (Workload.daemonPodsFor). */
  private addNodeWithDaemons(spec: MachineSpec): number {
    const isNew = this.cluster.nodeById(spec.id) === undefined;
    const node = this.addMachine(spec);
    const make = this.workload.daemonPodsFor;
    if (isNew && make) {
      const b = make(spec, this.now);
      if (b && b.count > 0) this.injectBatch(b);
    }
    return node;
  }

  /** Tasks created during the run (DaemonSet pods of a new node): appended and submitted now. */
  private injectBatch(b: TaskBatch): void {
    const first = this.tasks.append(b);
    this.growPerTask(this.tasks.count);
    if (this.dyn) this.prepareDynamics(first, this.tasks.count);
    if (b.killTime) this.killTime.set(b.killTime.subarray(0, b.count), first);
    else this.killTime.fill(NaN, first, first + b.count);
    for (let i = 0; i < b.count; i++) this.submit(first + i);
  }

  private finishReactions(horizon: number): ReactionsResults {
    const out: ReactionsResults = { settings: { ...this.reactionSettings }, events: this.reactionLog! };
    for (const r of this.reactions) r.finish?.(horizon, out);
    return out;
  }

  // DynamicsHost: what the node dynamics ask of the simulator.
  evict(task: number, t: number, delay: number): void {
    // The kubelet counted the work lost; the controllers (when on) decide what follows.
    if (this.reacting) return this.stopWith(task, StopCause.EvictedByKubelet, delay);
    this.stopRunning(task);
    this.tasks.status[task] = TaskStatus.Evicted;
    this.tasks.end[task] = t;
    this.awaitingRequeue++;
    this.pushTaskEvent(t + delay, EventKind.Requeue, task);
  }

  containerDown(task: number, _t: number, restartAt: number): void {
    // The attempt restarts at restartAt; its pending Finish event goes stale (start moved).
    this.tasks.start[task] = restartAt;
    this.pushTaskEvent(restartAt, EventKind.Restart, task);
  }

  nodeRoomChanged(node: number): void {
    this.changedSinceLastPass = true;
    this.noteFreed(node);
  }

  private restartContainer(task: number, t: number): void {
    const tasks = this.tasks;
    if (tasks.status[task] !== TaskStatus.Running || tasks.start[task] !== t) return; // stale
    tasks.attempts[task]++;
    const dur = tasks.duration[task];
    if (dur === dur) this.pushTaskEvent(t + dur, EventKind.Finish, task);
    this.dyn!.onRestart(task, tasks.node[task], t);
  }

  private requeue(task: number): void {
    if (this.tasks.status[task] !== TaskStatus.Evicted) return;
    this.awaitingRequeue--;
    if (this.reacting) this.readmit(task);
    else this.enqueue(task);
  }

  /** Kubelet allocatable (capacity − reserved − hard threshold) times the allocation ratio. */
  private schedulableSpec(spec: MachineSpec): MachineSpec {
    const cfg = this.dynCfg!;
    const D = this.dims;
    const cap = Float64Array.from(spec.capacity);
    const kube = new Float64Array(D);
    nodeAllocatable(cap, 0, cfg.kubelet, this.workload.resources.names, kube, 0);
    const given = spec.allocatable ?? spec.capacity;
    const alloc: number[] = [];
    this.physicalScratch.fill(0);
    for (let d = 0; d < D; d++) {
      let a = Math.max(0, Math.min(kube[d], given[d]));
      this.physicalScratch[d] = Math.floor(a);
      const r = cfg.overcommit?.ratio ? cfg.overcommit.ratio(d) : 1;
      a = Math.floor(a * r);
      alloc.push(a);
    }
    return { ...spec, allocatable: alloc };
  }

  /**
   * The placement filter for a task, set on the cluster while the policy decides: BestEffort pods
   * avoid nodes under MemoryPressure (their NoSchedule taint); Koordinator batch pods need room in
   * the node's batch pool.
   */
  private setFilter(task: number): void {
    const dyn = this.dyn;
    if (!dyn) return;
    const batch = this.isBatch !== undefined && this.isBatch[task] === 1;
    const be = dyn.pressuredCount > 0 && this.tasks.qos[task] === QosClass.BestEffort;
    if (!batch && !be) return;
    this.filterTask = task;
    this.cluster.filter = batch ? (be ? this.batchAndPressureFilter : this.batchFilter) : dyn.notPressured;
    this.cluster.filterExcludesAtMost = batch ? this.cluster.nodeCount : dyn.pressuredCount;
  }

  private readonly batchFilter = (node: number): boolean => this.dyn!.batchFits(node, this.batchCharge!, this.filterTask * this.dims);
  private readonly batchAndPressureFilter = (node: number): boolean => this.dyn!.notPressured(node) && this.batchFilter(node);

  private pendingCount(): number {
    return this.recordedMode ? this.recordedPending : this.pending.size - this.killedInQueue + this.awaitingRequeue + this.heldCount;
  }

  /** Integrates time-weighted quantities up to t. */
  private advance(t: number): void {
    const dt = t - this.now;
    if (dt <= 0) return;
    const c = this.cluster;
    for (let d = 0; d < this.dims; d++) {
      this.requestedArea[d] += c.totalRequested[d] * dt;
      this.allocatableArea[d] += this.reportedAllocatable()[d] * dt;
    }
    this.nodeArea += c.upCount * dt;
    this.busyNodeArea += c.busyCount * dt;
    this.costArea += this.upPrice * dt;
    this.busyCostArea += this.busyPrice * dt;
    this.now = t;
  }

  private handleEvent(t: number): void {
    const kind = this.queue.peekKind();
    const id = this.queue.peekId();
    this.queue.pop();
    if (this.live && kind !== EventKind.MachineAdd && kind !== EventKind.MachineRemove && kind !== EventKind.Timer && kind !== EventKind.Housekeeping) {
      this.handleTaskEvent(kind, id, t);
      this.slotEvents[id]--;
      this.releaseIfFree(id);
      return;
    }
    this.handleTaskEvent(kind, id, t);
  }

  private handleTaskEvent(kind: EventKind, id: number, t: number): void {
    switch (kind) {
      case EventKind.Finish:
        if (this.finish(id, t, TaskStatus.Finished)) this.events.finish++;
        break;
      case EventKind.Kill:
        if (this.kill(id, t)) this.events.kill++;
        break;
      case EventKind.MachineAdd:
        if (this.reacting) this.addNodeWithDaemons(this.workload.machineEvents[id].machine);
        else this.addMachine(this.workload.machineEvents[id].machine);
        break;
      case EventKind.MachineRemove:
        this.removeMachine(this.workload.machineEvents[id].machine.id, t);
        break;
      case EventKind.RecordedStart:
        this.recordedStartTask(id, t);
        break;
      case EventKind.Restart:
        this.restartContainer(id, t);
        break;
      case EventKind.Requeue:
        this.requeue(id);
        break;
      case EventKind.Timer: {
        const fn = this.timers[id]!;
        this.timers[id] = undefined;
        this.freeTimers.push(id);
        fn(t);
        break;
      }
      case EventKind.Housekeeping:
        // Not at the replay's end: a usage step starting there would last no time at all.
        if (t < this.horizonNow) this.dyn!.housekeeping(t);
        // A run's worth of rows logged since the last batch: named and handed on now, not at the
        // next batch (slots are reused only then, so until then they still hold their tasks).
        if (this.live && this.dyn!.events.length - this.logNamed >= this.eventRunRows) this.nameLoggedTasks();
        this.queue.push(t + this.housekeepingPeriod, EventKind.Housekeeping, 0);
        break;
      default:
        throw new Error(`unknown event kind ${kind}`);
    }
  }

  private addMachine(given: Workload['machines'][number]): number {
    const spec = this.dyn ? this.schedulableSpec(given) : given;
    const node = this.cluster.addNode(spec);
    if (this.dyn) this.dyn.ensureNodes(node + 1);
    if (this.physicalAllocatable) {
      const D = this.dims;
      if (this.nodePhysical.length < (node + 1) * D) {
        const g = new Float64Array(Math.max((node + 1) * D, this.nodePhysical.length * 2));
        g.set(this.nodePhysical);
        this.nodePhysical = g;
      }
      for (let d = 0; d < D; d++) {
        this.nodePhysical[node * D + d] = this.physicalScratch[d];
        this.physicalAllocatable[d] += this.physicalScratch[d];
      }
    }
    if (node >= this.nodePrices.length) {
      const grown = new Float64Array(Math.max(node + 1, this.nodePrices.length * 2, 64));
      grown.set(this.nodePrices);
      this.nodePrices = grown;
    }
    this.nodePrices[node] = this.priceOf(spec);
    this.upPrice += this.nodePrices[node];
    this.events.machineAdd++;
    this.changedSinceLastPass = true;
    this.noteFreed(node);
    if (this.reacting) {
      this.lists!.ensureNodes(node + 1);
      if (this.nodeDown.length <= node) {
        const g = new Uint8Array(Math.max(node + 1, this.nodeDown.length * 2, 64));
        g.set(this.nodeDown);
        this.nodeDown = g;
      }
      this.nodeDown[node] = 0;
      if (this.host) for (const r of this.reactions) r.nodeAdded?.(node, this.now);
    }
    return node;
  }

  /** A machine leaves: its tasks are killed and go back to the pending queue (work is lost). */
  private removeMachine(id: string, t: number): void {
    const node = this.cluster.nodeById(id);
    if (node === undefined || !this.cluster.up[node]) return;
    if (this.reacting) return this.removeNodeWith(node, StopCause.MachineRemoved);
    for (let i = this.runningLen - 1; i >= 0; i--) {
      const task = this.running[i];
      if (this.tasks.node[task] !== node) continue;
      if (this.dyn) this.dyn.addLostWork(task, (t - this.tasks.start[task]) / 1e6);
      this.stopRunning(task);
      this.tasks.status[task] = TaskStatus.Killed;
      this.tasks.end[task] = t;
      this.events.kill++;
      // With recorded placement the trace resubmits the task itself (as a new task): this one ends.
      if (!this.recordedMode) this.enqueue(task);
      else this.settle(task);
    }
    this.dropNode(node);
  }

  /** Takes an emptied node out of the cluster and the cost integrals. */
  private dropNode(node: number): void {
    this.cluster.removeNode(node);
    if (this.dyn) this.dyn.nodeRemoved(node);
    if (this.physicalAllocatable) for (let d = 0; d < this.dims; d++) this.physicalAllocatable[d] -= this.nodePhysical[node * this.dims + d];
    this.upPrice -= this.nodePrices[node];
    this.events.machineRemove++;
    this.changedSinceLastPass = true;
  }

  private submit(task: number): void {
    this.events.submit++;
    if (this.live) this.tally!.addSubmitted(this.tasks.request, task * this.dims, this.tasks.missing[task] === 1);
    if (this.recordedMode) {
      this.tasks.status[task] = TaskStatus.Pending;
      this.recordedPending++;
      const rs = this.recordedStart[task];
      if (rs === rs) this.pushTaskEvent(Math.max(rs, this.now), EventKind.RecordedStart, task);
    } else if (this.admitHooks.length === 0 || this.admitted(task)) {
      this.enqueue(task);
    }
    const k = this.killTime[task];
    // Killed at (or before) its arrival: it leaves the queue before this instant's pass can start it.
    if (k === k) {
      if (k <= this.now) {
        if (this.kill(task, this.now)) this.events.kill++;
      } else this.pushTaskEvent(k, EventKind.Kill, task);
    }
  }

  /** `--placement recorded`: start the task on its recorded machine, fit or not (counted). */
  private recordedStartTask(task: number, t: number): void {
    if (this.tasks.status[task] !== TaskStatus.Pending) return;
    const m = this.recordedMachine[task];
    const node = m >= 0 ? this.cluster.nodeById(this.workload.machineIds![m]) : undefined;
    if (node === undefined || !this.cluster.up[node]) {
      this.recorded.machineMissing++;
      return;
    }
    const D = this.dims;
    if (!this.cluster.fits(node, this.tasks.request.subarray(task * D, task * D + D))) this.recorded.overCapacity++;
    this.recorded.started++;
    this.recordedPending--;
    this.startTask(task, node, t);
  }

  private enqueue(task: number): void {
    this.tasks.status[task] = TaskStatus.Pending;
    this.tasks.node[task] = -1;
    this.freshCount++;
    if (this.live) this.slotQueued[task] = 1;
    if (this.reacting) {
      if (this.heldOut[task]) {
        this.heldOut[task] = 0;
        this.heldCount--;
      }
      this.inQueue[task] = 1;
    }
    const t = this.tasks;
    this.pending.add(task, queueLevel(this.queueOrder, t.priority[task], t.duration[task], t.user[task]), t.job[task], this.admission());
  }

  private schedulingPass(t: number): void {
    this.passTime = t;
    this.passAnyChange = this.changedSinceLastPass;
    this.changedSinceLastPass = false;
    this.passPlaced = 0;
    this.passSawConstrained = false;
    if (this.queueOrder === 'drf') this.pending.sweepFair(this.userShare, this.worthRetrying, this.tryPlace);
    else if (this.indexedPass) this.pending.sweepIndexed(this.freedRoom, this.worthRetrying, this.tryPlace);
    else this.pending.sweep(this.worthRetrying, this.tryPlace);
  }

  /** Counts noteFreed() calls: a pass that sees it move knows its candidate list is out of date. */
  private freedEpoch = 0;
  private readonly indexedPass: boolean;
  /** The room freed since the last pass, as the indexed pass asks for it (see mayFitFreed). */
  private readonly freedRoom: FreedRoom = {
    // Every freed node, up or not: mayFitFreed skips the down ones itself, and a superset only costs a visit.
    count: () => (!this.anyFreed ? 0 : this.freedCount > MAX_FREED_TRACKED ? 1 : this.freedCount),
    array: () => (this.freedCount > MAX_FREED_TRACKED ? this.freedMax : this.cluster.free),
    offset: (i) => (this.freedCount > MAX_FREED_TRACKED ? 0 : this.freedNodes[i] * this.dims),
    epoch: () => this.freedEpoch,
  };

  // The pass's callbacks, made once (not per pass: passes run at every event time).
  private passTime = 0;
  private passAnyChange = false;
  private readonly userShare = (user: number): number => this.dominantShare(user);

  /** Is a waiting class worth another try in this pass? */
  private readonly worthRetrying = (cls: PendingClass): boolean => {
    if (!cls.constrained) return this.mayFitFreed(cls.shape);
    this.passSawConstrained = true;
    return this.passAnyChange;
  };

  /** tryPlaceTask, keeping track of which tasks are in the queue when reactions are on. */
  private readonly tryPlace = (task: number, cls: PendingClass): boolean => {
    if (!this.reacting) return this.tryPlaceTask(task, cls);
    this.placingTask = task;
    const left = this.tryPlaceTask(task, cls);
    this.placingTask = -1;
    if (left) this.inQueue[task] = 0;
    return left;
  };

  /** Asks the policy for a node for `task` and starts it there; false leaves it (and its class) waiting. */
  private tryPlaceTask(task: number, cls: PendingClass): boolean {
    const tasks = this.tasks;
    const cluster = this.cluster;
    if (tasks.status[task] !== TaskStatus.Pending) {
      // Started with its gang earlier in this pass: leaves the queue now.
      if (tasks.status[task] === TaskStatus.Running) return true;
      // Killed while waiting: leaves the queue now.
      this.killedInQueue--;
      if (this.live) this.leftQueue(task);
      return true;
    }
    if (this.anyGang && this.gangOf[task] >= 0) return this.placeGang(task, cls);
    const view = this.fillView(task);
    const req = view.request;
    if (!cluster.index.mayFit(req)) {
      cls.constrained = false;
      return this.unplacedHooks.length > 0 && this.offerUnplaced(task);
    }
    this.placementAttempts++;
    this.setFilter(task);
    const node = this.policy.select(view, cluster);
    const fits = node >= 0 && cluster.fits(node, req);
    cluster.filter = undefined;
    if (node < 0) {
      // Declined although some node has room: a constraint, retried after any cluster change.
      cls.constrained = cluster.anyRoom(req, this.oneNode);
      return this.unplacedHooks.length > 0 && this.offerUnplaced(task);
    }
    cls.constrained = false;
    if (!fits) {
      const D = this.dims;
      throw new PolicyError(
        `policy '${this.policy.name}' chose node ${node} for task ${task}, where it does not fit ` +
          `(request ${Array.from(req).join('/')} vs free ${Array.from(cluster.free.subarray(node * D, node * D + D)).join('/')}); ` +
          `a policy must return a feasible node or -1`,
      );
    }
    this.passPlaced++;
    this.startTask(task, node, this.passTime);
    return true;
  }

  /**
   * A gang (TaskBatch.gang) all-or-nothing: its pending members are the tasks of the gang at the
   * head of `cls` (they are enqueued together). The policy places them one after another on a
   * trial basis (each bound so the next sees the capacity taken); if one finds no node every trial
   * bind is undone and the gang waits, else they are undone and the members start on the chosen
   * nodes in the same order (the same state, so the same fits). The other members then leave the
   * queue as the sweep reaches them (started). A trial costs the policy's search per member, and a
   * gang too large for the cluster's free total is refused before any search.
   */
  private placeGang(task: number, cls: PendingClass): boolean {
    const tasks = this.tasks;
    const cluster = this.cluster;
    const D = this.dims;
    const g = this.gangOf[task];
    let k = 0;
    for (let j = cls.head; j < cls.head + cls.len; j++) {
      const m = cls.items[j];
      if (this.gangOf[m] !== g) break;
      if (tasks.status[m] !== TaskStatus.Pending) continue;
      if (k === this.gangMembers.length) {
        const bigger = new Int32Array(k * 2);
        bigger.set(this.gangMembers);
        this.gangMembers = bigger;
        this.gangNodes = new Int32Array(k * 2);
      }
      this.gangMembers[k++] = m;
    }
    // The members share one request: all of them must fit in what the cluster has free.
    for (let d = 0; d < D; d++) {
      if (k * this.admission()[task * D + d] > cluster.totalAllocatable[d] - cluster.totalRequested[d]) {
        cls.constrained = false;
        return false;
      }
    }
    let placed = 0;
    let declinedWithRoom = false;
    for (; placed < k; placed++) {
      const m = this.gangMembers[placed];
      const view = this.fillView(m);
      if (!cluster.index.mayFit(view.request)) break;
      this.placementAttempts++;
      this.setFilter(m);
      const node = this.policy.select(view, cluster);
      const fits = node >= 0 && cluster.fits(node, view.request);
      cluster.filter = undefined;
      if (node < 0) {
        declinedWithRoom = cluster.anyRoom(view.request, this.oneNode);
        break;
      }
      if (!fits) {
        throw new PolicyError(`policy '${this.policy.name}' chose node ${node} for task ${m} (gang ${g}), where it does not fit; a policy must return a feasible node or -1`);
      }
      cluster.bind(node, this.admission().subarray(m * D, m * D + D));
      this.gangNodes[placed] = node;
    }
    for (let i = placed - 1; i >= 0; i--) {
      const m = this.gangMembers[i];
      cluster.unbind(this.gangNodes[i], this.admission().subarray(m * D, m * D + D));
    }
    if (placed < k) {
      cls.constrained = declinedWithRoom;
      return false;
    }
    cls.constrained = false;
    for (let i = 0; i < k; i++) this.startTask(this.gangMembers[i], this.gangNodes[i], this.passTime);
    this.passPlaced += k;
    return true;
  }

  /** DRF's dominant share of a user: max over resources of allocated / cluster allocatable. */
  private dominantShare(user: number): number {
    const a = this.userAllocated.get(user);
    if (!a) return 0;
    const total = this.cluster.totalAllocatable;
    let m = 0;
    for (let d = 0; d < this.dims; d++) if (total[d] > 0 && a[d] / total[d] > m) m = a[d] / total[d];
    return m;
  }

  private addUserAllocation(task: number, sign: 1 | -1): void {
    const u = this.tasks.user[task];
    let a = this.userAllocated.get(u);
    if (!a) {
      a = new Float64Array(this.dims);
      this.userAllocated.set(u, a);
    }
    const o = task * this.dims;
    for (let d = 0; d < this.dims; d++) a[d] += sign * this.tasks.request[o + d];
  }

  private fillView(task: number): TaskView {
    // The policy sees what the task is admitted by: its request, or its overcommit charge.
    return fillTaskView(this.view, this.tasks, this.admission(), this.workload.jobConstraints, task);
  }

  /**
   * Could a task of this shape, which fit nowhere at the last pass, fit now? Only nodes that
   * gained capacity since can take it: check them directly when few, else their per-dimension max.
   */
  private mayFitFreed(req: Float64Array): boolean {
    if (!this.anyFreed) return false;
    const D = this.dims;
    const o = 0;
    if (this.freedCount <= MAX_FREED_TRACKED) {
      const free = this.cluster.free;
      for (let i = 0; i < this.freedCount; i++) {
        const n = this.freedNodes[i];
        if (!this.cluster.up[n]) continue;
        let fits = true;
        for (let d = 0; d < D; d++) {
          if (req[o + d] > free[n * D + d]) {
            fits = false;
            break;
          }
        }
        if (fits) return true;
      }
      return false;
    }
    for (let d = 0; d < D; d++) if (req[o + d] > this.freedMax[d]) return false;
    return true;
  }

  private startTask(task: number, node: number, t: number): void {
    const tasks = this.tasks;
    const D = this.dims;
    this.cluster.bind(node, this.admission().subarray(task * D, task * D + D));
    if (this.isBatch && this.isBatch[task]) this.dyn!.batchBind(node, this.batchCharge!, task * D, 1);
    if (this.cluster.runningCount[node] === 1) this.busyPrice += this.nodePrices[node];
    if (this.cluster.busyCount > this.peakBusy) this.peakBusy = this.cluster.busyCount;
    tasks.node[task] = node;
    tasks.start[task] = t;
    tasks.end[task] = NaN;
    tasks.status[task] = TaskStatus.Running;
    tasks.attempts[task]++;
    this.events.start++;
    if (this.runningLen === this.running.length) {
      const bigger = new Int32Array(this.running.length * 2);
      bigger.set(this.running);
      this.running = bigger;
    }
    this.runningPos[task] = this.runningLen;
    if (!this.dyn) this.writeRunUse(this.runningLen, task);
    this.running[this.runningLen++] = task;
    // Started from the queue: it leaves the queue now.
    if (this.live) this.slotQueued[task] = 0;
    const dur = tasks.duration[task];
    if (dur === dur) this.pushTaskEvent(t + dur, EventKind.Finish, task);
    if (this.dyn) this.dyn.onStart(task, node, t);
    if (this.policy.onBind) this.policy.onBind(this.fillView(task), node, this.cluster);
    if (this.queueOrder === 'drf') this.addUserAllocation(task, 1);
    this.changedSinceLastPass = true;
    if (this.reacting) {
      this.lists!.add(node, task);
      this.terminating[task] = 0;
      // Placed on a node that has crashed but is not yet NotReady: it makes no progress there.
      if (this.nodeDown[node]) this.freeze(task, t);
      for (let i = 0; i < this.startedHooks.length; i++) this.startedHooks[i].started!(task, node, t);
    }
  }

  /** The source killed the task: a pending one leaves the queue, a running one stops. */
  private kill(task: number, t: number): boolean {
    const status = this.tasks.status[task];
    if (status === TaskStatus.Running) return this.finish(task, t, TaskStatus.Killed);
    if (status === TaskStatus.Evicted) {
      // Killed while its controller was recreating it: it never comes back.
      this.awaitingRequeue--;
      this.tasks.status[task] = TaskStatus.Killed;
      this.tasks.end[task] = t;
      this.notifyDropped(task, t);
      this.settle(task);
      return true;
    }
    if (status !== TaskStatus.Pending) return false;
    this.tasks.status[task] = TaskStatus.Killed;
    this.tasks.end[task] = t;
    if (this.recordedMode) this.recordedPending--;
    else this.leavePending(task);
    this.notifyDropped(task, t);
    this.settle(task);
    return true;
  }

  /** A task killed while waiting has left the pending queue ('live': its slot may be reused). */
  private leftQueue(slot: number): void {
    this.slotQueued[slot] = 0;
    this.releaseIfFree(slot);
  }

  /** A pending task ends without running: out of the queue (lazily) or out of a reaction's hold. */
  private leavePending(task: number): void {
    if (!this.reacting || this.inQueue[task]) this.killedInQueue++;
    else if (this.heldOut[task]) {
      this.heldOut[task] = 0;
      this.heldCount--;
    }
  }

  private notifyDropped(task: number, t: number): void {
    for (let i = 0; i < this.droppedHooks.length; i++) this.droppedHooks[i].dropped!(task, t);
  }

  /** Ends a running task; returns false for a stale event (the task was killed or restarted). */
  private finish(task: number, t: number, status: TaskStatus): boolean {
    if (this.tasks.status[task] !== TaskStatus.Running) return false;
    if (status === TaskStatus.Finished && this.tasks.start[task] + this.tasks.duration[task] !== t) return false;
    if (this.reacting) {
      // A task on a crashed node makes no progress: its finish never comes.
      if (status === TaskStatus.Finished && this.frozenAt[task] === this.frozenAt[task]) return false;
      this.stopWith(task, status === TaskStatus.Finished ? StopCause.Finished : StopCause.Killed);
      return true;
    }
    this.stopRunning(task);
    this.tasks.status[task] = status;
    this.tasks.end[task] = t;
    this.settle(task);
    return true;
  }

  private stopRunning(task: number): void {
    const D = this.dims;
    const node = this.tasks.node[task];
    this.cluster.unbind(node, this.admission().subarray(task * D, task * D + D));
    if (this.isBatch && this.isBatch[task]) this.dyn!.batchBind(node, this.batchCharge!, task * D, -1);
    if (this.reacting) {
      this.lists!.remove(node, task);
      // A frozen task's dynamics already stopped when its node went down.
      if (this.dyn && this.frozenAt[task] !== this.frozenAt[task]) this.dyn.onStop(task, node, this.now);
    } else if (this.dyn) this.dyn.onStop(task, node, this.now);
    if (this.cluster.runningCount[node] === 0) this.busyPrice -= this.nodePrices[node];
    if (this.policy.onUnbind) this.policy.onUnbind(this.fillView(task), node, this.cluster);
    if (this.queueOrder === 'drf') this.addUserAllocation(task, -1);
    this.changedSinceLastPass = true;
    this.noteFreed(node);
    const pos = this.runningPos[task];
    const last = this.running[--this.runningLen];
    this.running[pos] = last;
    this.runningPos[last] = pos;
    if (!this.dyn) {
      const S = 2 * this.dims + 2;
      const r = this.runUse;
      const from = this.runningLen * S;
      const to = pos * S;
      for (let j = 0; j < S; j++) r[to + j] = r[from + j];
    }
  }

  /** The running task's sample record (see runUse) at running-list position `pos`. */
  private writeRunUse(pos: number, task: number): void {
    const D = this.dims;
    const S = 2 * D + 2;
    if ((pos + 1) * S > this.runUse.length) {
      const bigger = new Float64Array(Math.max(1024 * S, this.runUse.length * 2));
      bigger.set(this.runUse);
      this.runUse = bigger;
    }
    const tasks = this.tasks;
    const o = task * D;
    const r = this.runUse;
    const b = pos * S;
    for (let d = 0; d < D; d++) {
      r[b + d] = tasks.request[o + d] * tasks.usageFraction[o + d];
      r[b + D + d] = tasks.limit[o + d];
    }
    r[b + 2 * D] = tasks.usageVariation[task];
    r[b + 2 * D + 1] = tasks.id[task];
  }

  private noteFreed(node: number): void {
    if (!this.cluster.up[node]) return;
    this.freedEpoch++;
    this.anyFreed = true;
    const D = this.dims;
    const free = this.cluster.free;
    for (let d = 0; d < D; d++) if (free[node * D + d] > this.freedMax[d]) this.freedMax[d] = free[node * D + d];
    if (this.freedMark.length <= node) {
      const m = new Uint8Array(Math.max(node + 1, this.freedMark.length * 2));
      m.set(this.freedMark);
      this.freedMark = m;
    }
    if (this.freedMark[node]) return;
    this.freedMark[node] = 1;
    if (this.freedCount < MAX_FREED_TRACKED) this.freedNodes[this.freedCount] = node;
    this.freedCount++;
  }

  /** Called after the pass: the freed nodes' max free is computed lazily only when many freed. */
  private resetFreed(): void {
    if (!this.anyFreed) return;
    const n = Math.min(this.freedCount, MAX_FREED_TRACKED);
    for (let i = 0; i < n; i++) this.freedMark[this.freedNodes[i]] = 0;
    if (this.freedCount > MAX_FREED_TRACKED) this.freedMark.fill(0);
    this.freedMax.fill(-Infinity);
    this.freedCount = 0;
    this.anyFreed = false;
  }

  /** Records requested and used amounts; used is unknown (NaN) while a task without usage runs. */
  private sample(t: number): void {
    if (this.dyn) return this.sampleDynamics();
    const D = this.dims;
    const used = this.series.scratch;
    used.fill(0);
    const k = this.series.length;
    let unknown = false;
    const r = this.runUse;
    const S = 2 * D + 2;
    for (let i = 0; i < this.runningLen; i++) {
      if (this.reacting && this.frozenAt[this.running[i]] === this.frozenAt[this.running[i]]) continue;
      const b = i * S;
      // request × fraction is NaN exactly when the fraction is (requests are whole numbers).
      if (r[b] !== r[b]) {
        unknown = true;
        continue;
      }
      const f = usageFactor(this.seed, r[b + 2 * D + 1], k, r[b + 2 * D]);
      for (let d = 0; d < D; d++) {
        let u = r[b + d] * f;
        const lim = r[b + D + d];
        if (u > lim) u = lim;
        used[d] += u;
      }
    }
    if (unknown) used.fill(NaN);
    const c = this.cluster;
    this.series.push(t, c.totalRequested, used, c.totalAllocatable, c.upCount, c.busyCount, this.runningLen, this.pendingCount());
    this.events.sample++;
  }

  /**
   * Under node dynamics, used = what the housekeeping measured: memory in use and CPU granted
   * (after throttling); dimensions the dynamics do not model (GPU) are unknown (NaN).
   */
  private sampleDynamics(): void {
    const used = this.series.scratch;
    used.fill(NaN);
    const names = this.workload.resources.names;
    const cpu = names.indexOf('cpu');
    const mem = names.indexOf('memory');
    if (cpu >= 0) used[cpu] = this.dyn!.totalCpu;
    if (mem >= 0) used[mem] = this.dyn!.totalMem;
    const c = this.cluster;
    this.series.push(this.now, c.totalRequested, used, this.reportedAllocatable(), c.upCount, c.busyCount, this.runningLen, this.pendingCount());
    this.events.sample++;
  }

  private growPerTask(n: number): void {
    if (this.dyn) this.dyn.ensureTasks(n);
    if (this.charge && n * this.dims > this.charge.length) {
      const size = Math.max(n, (this.charge.length / this.dims) * 2, 1024) * this.dims;
      const grow = (a: Float64Array): Float64Array => {
        const b = new Float64Array(size);
        b.set(a);
        return b;
      };
      this.charge = grow(this.charge);
      if (this.batchCharge) this.batchCharge = grow(this.batchCharge);
      if (this.isBatch) {
        const b = new Uint8Array(size / this.dims);
        b.set(this.isBatch);
        this.isBatch = b;
      }
    }
    if (this.reacting && n > this.inQueue.length) {
      const size = Math.max(n, this.inQueue.length * 2, 1024);
      const u8 = (a: Uint8Array): Uint8Array<ArrayBuffer> => {
        const b = new Uint8Array(size);
        b.set(a);
        return b;
      };
      this.inQueue = u8(this.inQueue);
      this.heldOut = u8(this.heldOut);
      this.terminating = u8(this.terminating);
      const f = new Float64Array(size).fill(NaN);
      f.set(this.frozenAt);
      this.frozenAt = f;
      this.lists!.ensureTasks(size);
    }
    if (this.live && n > this.slotEvents.length) {
      const size = Math.max(n, this.slotEvents.length * 2, 1024);
      const ev = new Int32Array(size);
      ev.set(this.slotEvents);
      this.slotEvents = ev;
      const q = new Uint8Array(size);
      q.set(this.slotQueued);
      this.slotQueued = q;
      const dn = new Uint8Array(size);
      dn.set(this.slotDone);
      this.slotDone = dn;
    }
    if (n <= this.runningPos.length) return;
    const size = Math.max(n, this.runningPos.length * 2);
    const rp = new Int32Array(size);
    rp.set(this.runningPos);
    this.runningPos = rp;
    const kt = new Float64Array(size);
    kt.set(this.killTime);
    this.killTime = kt;
    const g = new Int32Array(size).fill(-1);
    g.set(this.gangOf);
    this.gangOf = g;
    if (this.recordedMode) {
      const rs = new Float64Array(size);
      rs.set(this.recordedStart);
      this.recordedStart = rs;
      const rm = new Int32Array(size);
      rm.set(this.recordedMachine);
      this.recordedMachine = rm;
    }
  }
}

/** The status a running task is left in when it stops for `cause`. */
function statusAfter(cause: StopCause): TaskStatus {
  switch (cause) {
    case StopCause.Finished:
      return TaskStatus.Finished;
    case StopCause.Killed:
      return TaskStatus.Killed;
    case StopCause.JobFailed:
    case StopCause.OomKilled:
      return TaskStatus.Failed;
    default:
      return TaskStatus.Evicted;
  }
}
