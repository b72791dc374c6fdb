import type { DynamicsEventLog, DynamicsResults, ReplayResults } from '../../reports/replay-results.js';
import { DynamicsCause } from '../../reports/replay-results.js';
import { DEFAULT_RESOURCES, type ResourceSchema } from '../../model/resources.js';
import { TaskStatus } from '../../model/task-status.js';
import { QosClass } from '../../model/qos-class.js';
import { PriorityBand } from '../../model/priority-bands.js';

const S = 1e6; // µs per second
const H = 3600 * S;

/** One hand-written task of a replay's results. */
export interface HandTask {
  job: number;
  index: number;
  priority: number;
  qos: QosClass;
  band: PriorityBand;
  submit: number;
  start: number;
  end: number;
  node: number;
  status: TaskStatus;
  attempts: number;
  request: number[];
  limit: number[];
  missing?: boolean;
  /** Dynamics counters. */
  evictions?: number;
  oomKills?: number;
  throttled?: number;
  lost?: number;
  peak?: number;
  /** Index into the pending messages, -1 = none. */
  pendingMessage?: number;
}

export interface HandEvent {
  time: number;
  node: number;
  task: number;
  cause: DynamicsCause;
  memory: number;
  amount: number;
  duration: number;
}

/** Builds a columnar event log from rows. */
export function eventLog(rows: readonly HandEvent[]): DynamicsEventLog {
  return {
    length: rows.length,
    time: Float64Array.from(rows.map((e) => e.time)),
    node: Int32Array.from(rows.map((e) => e.node)),
    task: Int32Array.from(rows.map((e) => e.task)),
    cause: Uint8Array.from(rows.map((e) => e.cause)),
    memory: Float64Array.from(rows.map((e) => e.memory)),
    amount: Float64Array.from(rows.map((e) => e.amount)),
    duration: Float64Array.from(rows.map((e) => e.duration)),
  };
}

/** A complete ReplayResults from hand-written tasks (and dynamics, when given): no simulator involved. */
export function handResults(o: {
  tasks: readonly HandTask[];
  horizon: number;
  resources?: ResourceSchema;
  ids?: string[];
  messages?: string[];
  dynamics?: { events: readonly HandEvent[]; settings?: Record<string, string | number>; nodeIntervals?: number; violatedIntervals?: number; ticks?: number; evaluations?: number };
}): ReplayResults {
  const resources = o.resources ?? DEFAULT_RESOURCES;
  const D = resources.names.length;
  const t = o.tasks;
  const col = <A extends Float64Array | Int32Array | Uint8Array | Uint16Array>(C: { from(x: number[]): A }, f: (x: HandTask) => number): A => C.from(t.map(f));
  const dyn: DynamicsResults | undefined = o.dynamics && {
    settings: o.dynamics.settings ?? {},
    evictions: col(Uint16Array, (x) => x.evictions ?? 0),
    oomKills: col(Uint16Array, (x) => x.oomKills ?? 0),
    throttledCpuSeconds: col(Float64Array, (x) => x.throttled ?? 0),
    lostWorkSeconds: col(Float64Array, (x) => x.lost ?? 0),
    peakMemory: col(Float64Array, (x) => x.peak ?? NaN),
    events: eventLog(o.dynamics.events),
    nodeEvaluations: o.dynamics.evaluations ?? 0,
    housekeepingTicks: o.dynamics.ticks ?? 0,
    nodeIntervals: o.dynamics.nodeIntervals ?? 0,
    violatedIntervals: o.dynamics.violatedIntervals ?? 0,
  };
  // As the simulator counts it: queued, or evicted and awaiting its recreation.
  const pendingAtEnd = t.filter((x) => (x.status === TaskStatus.Pending || x.status === TaskStatus.Evicted) && x.submit <= o.horizon).length;
  return {
    seed: 3,
    policy: 'hand-made',
    start: 0,
    horizon: o.horizon,
    tasks: {
      count: t.length,
      submit: col(Float64Array, (x) => x.submit),
      start: col(Float64Array, (x) => x.start),
      end: col(Float64Array, (x) => x.end),
      request: Float64Array.from(t.flatMap((x) => x.request)),
      missing: col(Uint8Array, (x) => (x.missing ? 1 : 0)),
      priority: col(Int32Array, (x) => x.priority),
      job: col(Int32Array, (x) => x.job),
      taskIndex: col(Int32Array, (x) => x.index),
      node: col(Int32Array, (x) => x.node),
      status: col(Uint8Array, (x) => x.status),
      attempts: col(Uint16Array, (x) => x.attempts),
      qos: col(Uint8Array, (x) => x.qos),
      band: col(Uint8Array, (x) => x.band),
      limit: Float64Array.from(t.flatMap((x) => x.limit)),
    },
    cluster: { dims: D, resources, ids: o.ids ?? ['node-a', 'node-b'], upCount: (o.ids ?? ['node-a', 'node-b']).length },
    series: {
      length: 0,
      time: new Float64Array(0),
      requested: new Float64Array(0),
      used: new Float64Array(0),
      allocatable: new Float64Array(0),
      nodesUp: new Int32Array(0),
      nodesBusy: new Int32Array(0),
      running: new Int32Array(0),
      pending: new Int32Array(0),
    },
    events: { submit: t.length, start: 0, finish: 0, kill: 0, machineAdd: 0, machineRemove: 0, sample: 0 },
    requestedArea: new Float64Array(D),
    allocatableArea: new Float64Array(D).fill(H),
    nodeArea: 2 * o.horizon,
    busyNodeArea: o.horizon,
    costArea: 0,
    busyCostArea: 0,
    peakBusyNodes: 2,
    pendingAtEnd,
    runningAtEnd: t.filter((x) => x.status === TaskStatus.Running).length,
    initialNodes: 2,
    missingRequests: t.filter((x) => x.missing).length,
    missingUsage: 0,
    placementAttempts: 0,
    pending: {
      messageOf: col(Int32Array, (x) => x.pendingMessage ?? -1),
      messages: o.messages ?? [],
      byReason: new Map(),
    },
    ...(dyn ? { dynamics: dyn } : {}),
  };
}

/**
 * The run every dynamics report test reads: two nodes, one hour, tasks of each QoS class, one
 * submitted after the horizon. Node a goes under memory pressure at 600 s: the BestEffort task 2
 * is evicted, task 1 (Burstable) is evicted on node b at 900 s, task 2 is OOM-killed by the node
 * at 1200 s (and at the end awaits its recreation), pressure clears at 1500 s, and task 0
 * (Guaranteed) is throttled over 1300–1600 s, logged last.
 */
export function handRun(withDynamics = true): ReplayResults {
  const N = NaN;
  return handResults({
    horizon: 1 * H,
    messages: ['0/2 nodes are available: 2 Insufficient memory.'],
    tasks: [
      { job: 0, index: 0, priority: 10, qos: QosClass.Guaranteed, band: PriorityBand.Production, submit: 0, start: 0, end: N, node: 0, status: TaskStatus.Running, attempts: 1,
        request: [1000, 2e9, 0], limit: [1000, 2e9, N], throttled: 12.5, peak: 1.5e9 },
      { job: 0, index: 1, priority: 5, qos: QosClass.Burstable, band: PriorityBand.Mid, submit: 10 * S, start: 1000 * S, end: N, node: 1, status: TaskStatus.Running, attempts: 2,
        request: [500, 1e9, 0], limit: [2000, 4e9, N], evictions: 1, lost: 300, peak: 3e9 },
      { job: 1, index: 0, priority: 0, qos: QosClass.BestEffort, band: PriorityBand.Free, submit: 20 * S, start: 400 * S, end: 1200 * S, node: 0, status: TaskStatus.Evicted, attempts: 2,
        request: [0, 0, 0], limit: [N, N, N], missing: true, evictions: 1, oomKills: 1, lost: 180, peak: 5e8, pendingMessage: 0 },
      { job: 1, index: 1, priority: 0, qos: QosClass.BestEffort, band: PriorityBand.Free, submit: 30.5 * S, start: N, end: N, node: -1, status: TaskStatus.Pending, attempts: 0,
        request: [250, 1e8, 0], limit: [N, N, N], pendingMessage: 0 },
      // After the horizon: in no report.
      { job: 1, index: 2, priority: 0, qos: QosClass.BestEffort, band: PriorityBand.Free, submit: 2 * H, start: N, end: N, node: -1, status: TaskStatus.Pending, attempts: 0,
        request: [250, 1e8, 0], limit: [N, N, N], evictions: 7, oomKills: 7, throttled: 7, lost: 7 },
    ],
    ...(withDynamics
      ? {
          dynamics: {
            settings: { usage: 'library', housekeepingSeconds: 10, overcommit: 'cpu=1,memory=1.5' },
            nodeIntervals: 20,
            violatedIntervals: 3,
            ticks: 360,
            evaluations: 410,
            events: [
              { time: 600 * S, node: 0, task: -1, cause: DynamicsCause.PressureOn, memory: 52428800, amount: N, duration: N },
              { time: 610 * S, node: 0, task: 2, cause: DynamicsCause.EvictionMemoryPressure, memory: 5e8, amount: 120, duration: N },
              { time: 900 * S, node: 1, task: 1, cause: DynamicsCause.EvictionMemoryPressure, memory: 3e9, amount: 300, duration: N },
              { time: 1200 * S, node: 0, task: 2, cause: DynamicsCause.OomNode, memory: 4e8, amount: 60, duration: N },
              { time: 1500 * S, node: 0, task: -1, cause: DynamicsCause.PressureOff, memory: 2e8, amount: N, duration: N },
              // Logged when the interval ends (1600 s), stamped with its start.
              { time: 1300 * S, node: 0, task: 0, cause: DynamicsCause.Throttling, memory: N, amount: 12.5, duration: 300 },
            ],
          },
        }
      : {}),
  });
}

/** Everything a replay's dynamics report, as plain data for toEqual (typed arrays to arrays; NaN equals NaN there). */
export function plainDynamics(d: DynamicsResults) {
  const ev = d.events;
  const cols = ['time', 'node', 'task', 'cause', 'memory', 'amount', 'duration'] as const;
  const events = Object.fromEntries(cols.map((c) => [c, Array.from((ev as unknown as Record<string, ArrayLike<number>>)[c]).slice(0, ev.length)]));
  return {
    events,
    evictions: Array.from(d.evictions),
    oomKills: Array.from(d.oomKills),
    throttled: Array.from(d.throttledCpuSeconds),
    lostWork: Array.from(d.lostWorkSeconds),
    peakMemory: Array.from(d.peakMemory),
    nodeEvaluations: d.nodeEvaluations,
    ticks: d.housekeepingTicks,
    nodeIntervals: d.nodeIntervals,
    violatedIntervals: d.violatedIntervals,
  };
}
