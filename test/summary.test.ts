import { describe, expect, it } from 'vitest';
import { summarize, type SummaryContext } from '../reports/summary.js';
import type { SimulationResult } from '../harness/simulator.js';
import type { MachinePricer, PricedShape, PricingReport } from '../reports/pricing.js';
import { TaskStatus } from '../model/task-status.js';
import { DEFAULT_RESOURCES, type ResourceSchema } from '../model/resources.js';

/**
 * reports/summary.ts turns a simulation's integrals and samples into the report (README "What the
 * summary means"). Hand-made results, so every expected figure below is worked out by hand from
 * the stated inputs: counts, R-7 quantiles of the delays, time-weighted means, sample p95s, cost.
 */
const H = 3.6e9; // µs per hour
const S = 1e6; // µs per second

interface TaskRow { submit: number; attempts: number; start?: number; status: TaskStatus }

function simulation(o: {
  tasks?: TaskRow[];
  resources?: ResourceSchema;
  start?: number;
  horizon: number;
  upCount?: number;
  /** Per sample: [allocatable, requested, used] vectors. */
  samples?: Array<[number[], number[], number[]]>;
  requestedArea?: number[];
  allocatableArea?: number[];
  nodeArea?: number;
  busyNodeArea?: number;
  costArea?: number;
  busyCostArea?: number;
  byReason?: Map<string, number>;
  recorded?: SimulationResult['recorded'];
}): SimulationResult {
  const resources = o.resources ?? DEFAULT_RESOURCES;
  const D = resources.names.length;
  const rows = o.tasks ?? [];
  const samples = o.samples ?? [];
  const flat = (k: 0 | 1 | 2) => Float64Array.from(samples.flatMap((s) => s[k]));
  return {
    seed: 7,
    policy: 'some-policy',
    start: o.start ?? 0,
    horizon: o.horizon,
    tasks: {
      count: rows.length,
      submit: Float64Array.from(rows.map((t) => t.submit)),
      attempts: Int32Array.from(rows.map((t) => t.attempts)),
      start: Float64Array.from(rows.map((t) => t.start ?? NaN)),
      status: Uint8Array.from(rows.map((t) => t.status)),
    },
    cluster: { dims: D, resources, upCount: o.upCount ?? 2 },
    series: { length: samples.length, allocatable: flat(0), requested: flat(1), used: flat(2) },
    events: { submit: rows.length, finish: 1, kill: 1 },
    requestedArea: Float64Array.from(o.requestedArea ?? new Array(D).fill(0)),
    allocatableArea: Float64Array.from(o.allocatableArea ?? new Array(D).fill(0)),
    nodeArea: o.nodeArea ?? 0,
    busyNodeArea: o.busyNodeArea ?? 0,
    costArea: o.costArea ?? 0,
    busyCostArea: o.busyCostArea ?? 0,
    peakBusyNodes: 2,
    pendingAtEnd: 1,
    runningAtEnd: 2,
    initialNodes: 3,
    missingRequests: 4,
    missingUsage: 5,
    placementAttempts: 11,
    pending: { byReason: o.byReason ?? new Map() },
    ...(o.recorded ? { recorded: o.recorded } : {}),
  } as unknown as SimulationResult;
}

const CTX: SummaryContext = { workload: 'hand-made', instance: 'test.small', pricePerHour: 2, region: 'nowhere', priceDate: '2026-01-01' };

/** A pricer stand-in that reports the given shapes (summarize only reads its report). */
function pricedBy(shapes: Array<Partial<PricedShape>>): SummaryContext {
  const report: PricingReport = {
    rules: [],
    shapes: shapes.map((s) => ({ cores: 2, memoryGiB: 8, gpus: 0, machines: 1, rule: 'instance type', pricePerHour: 1, ...s })),
    unknownTypes: {},
    unpricedGpuMachines: 0,
    rates: { perVcpuHour: 0.01, perGiBHour: 0.001, method: 'test' },
  };
  return { ...CTX, machines: { report: () => report } as unknown as MachinePricer };
}

// Two nodes of 1000 millicores / 1000 bytes / no GPU for 2 h, at $2/h; 1.5 nodes busy on average.
const twoHours = () =>
  simulation({
    horizon: 2 * H,
    tasks: [
      { submit: 0, attempts: 1, start: 0, status: TaskStatus.Finished }, // delay 0
      { submit: 10 * S, attempts: 1, start: 70 * S, status: TaskStatus.Running }, // 60 s
      { submit: 20 * S, attempts: 2, start: 140 * S, status: TaskStatus.Killed }, // 120 s
      { submit: 30 * S, attempts: 0, status: TaskStatus.Pending },
      { submit: 2 * H, attempts: 1, start: 2 * H, status: TaskStatus.Running }, // at the horizon: 0 s
    ],
    allocatableArea: [2000 * 2 * H, 2000 * 2 * H, 0],
    requestedArea: [500 * 2 * H, 1000 * 2 * H, 0],
    samples: [
      [[2000, 2000, 0], [0, 1000, 0], [0, 500, 0]],
      [[2000, 2000, 0], [500, 1000, 0], [200, 500, 0]],
      [[2000, 2000, 0], [1000, 1000, 0], [400, NaN, 0]],
      [[2000, 2000, 0], [600, 1000, 0], [300, 500, 0]],
      // Every node down: fractions of nothing count as 0.
      [[0, 0, 0], [0, 0, 0], [0, 0, 0]],
    ],
    nodeArea: 2 * 2 * H,
    busyNodeArea: 1.5 * 2 * H,
    byReason: new Map([['Insufficient memory', 3], ['Too many pods', 3], ['Insufficient gpu', 3], ['Insufficient cpu', 5]]),
  });

describe('summarize', () => {
  it('counts tasks submitted up to the horizon: scheduled (started at least once), finished, killed', () => {
    const s = summarize(twoHours(), CTX);
    expect(s.tasks).toEqual({
      submitted: 5,
      scheduled: 4,
      finished: 1,
      killed: 1,
      runningAtEnd: 2,
      pendingAtEnd: 1,
      missingRequest: 4,
      missingUsage: 5,
      pendingReasons: { 'Insufficient cpu': 5, 'Insufficient gpu': 3, 'Insufficient memory': 3, 'Too many pods': 3 },
    });
    // Most frequent first, then by name.
    expect(Object.keys(s.tasks.pendingReasons)).toEqual(['Insufficient cpu', 'Insufficient gpu', 'Insufficient memory', 'Too many pods']);
  });

  it('scheduling delay: mean and R-7 quantiles of start − submit over scheduled tasks', () => {
    // Delays 0, 60, 120, 0 s → sorted 0, 0, 60, 120; R-7 at p: h = 3p, linear between neighbours.
    expect(summarize(twoHours(), CTX).schedulingDelaySeconds).toEqual({ mean: 45, p50: 30, p95: expect.closeTo(111, 9), p99: expect.closeTo(118.2, 9) });
  });

  it('utilization: time-weighted mean of requested / allocatable, p95 over samples; used only where known', () => {
    const s = summarize(twoHours(), CTX);
    // No GPU allocatable: the GPU is left out.
    expect(Object.keys(s.utilization.requested)).toEqual(['cpu', 'memory']);
    expect(s.utilization.requested.cpu.mean).toBe(0.25);
    // CPU requested fractions 0, .25, .5, .3, 0 → sorted 0, 0, .25, .3, .5; h = 4 · .95 = 3.8 → .3 + .8 · .2.
    expect(s.utilization.requested.cpu.p95).toBeCloseTo(0.46, 12);
    expect(s.utilization.requested.memory).toEqual({ mean: 0.5, p95: 0.5 });
    // Used CPU: Σ used / Σ allocatable = 900 / 8000; fractions 0, .1, .2, .15, 0 → p95 .15 + .8 · .05.
    expect(s.utilization.used.cpu.mean).toBeCloseTo(900 / 8000, 12);
    expect(s.utilization.used.cpu.p95).toBeCloseTo(0.19, 12);
    // One memory usage sample unknown: used memory is unknown, not guessed.
    expect(s.utilization.used.memory).toEqual({ mean: null, p95: null });
    // Work placed: ∫ requested dt in unit-hours.
    expect(s.workPlaced).toEqual({ cpu: 1000, memory: 2000 });
  });

  it('nodes and cost: node-hours × price, scaled to a year; idle at the larger of CPU and memory utilization', () => {
    const s = summarize(twoHours(), CTX);
    expect(s.windowHours).toBe(2);
    expect(s.windowStartHours).toBe(0);
    expect(s.nodes).toEqual({ initial: 3, atEnd: 2, mean: 2, peakBusy: 2, meanBusy: 1.5 });
    expect(s.cost).toMatchObject({ instance: 'test.small', pricePerHour: 2, region: 'nowhere', priceDate: '2026-01-01', nodeHours: 4, busyNodeHours: 3 });
    // $8 over 2 h → 8 × 8760 / 2; busy $6 → 6 × 8760 / 2.
    expect(s.cost.perYear).toBe(35040);
    expect(s.cost.busyCost).toBe(6);
    expect(s.cost.busyPerYear).toBe(26280);
    // Requested: max(0.25, 0.5) = 0.5; used: CPU only (memory unknown), 0.1125.
    expect(s.cost.idlePerYearRequested).toBe(17520);
    expect(s.cost.idlePerYearUsed).toBe(31098);
    // No pricer: nothing to report about pricing rules.
    expect(s.cost.pricing).toMatchObject({ rules: [], shapes: [], unknownTypes: {}, unpricedGpuMachines: 0 });
  });

  it('passes the run through: policy, seed, workload, events, attempts; recorded checks only when given', () => {
    const s = summarize(twoHours(), CTX);
    expect([s.policy, s.seed, s.workload, s.placementAttempts]).toEqual(['some-policy', 7, 'hand-made', 11]);
    expect(s.events).toEqual({ submit: 5, finish: 1, kill: 1 });
    expect('recorded' in s).toBe(false);
    const recorded = { started: 3, overCapacity: 1, machineMissing: 0, neverStarted: 2 };
    expect(summarize(simulation({ horizon: H, recorded }), CTX).recorded).toEqual(recorded);
  });

  it('a mid-trace window: figures over the window from its start, not from time 0', () => {
    // Window 1 h .. 3 h; 3 nodes up throughout, 1 busy.
    const s = summarize(simulation({ start: 1 * H, horizon: 3 * H, nodeArea: 3 * 2 * H, busyNodeArea: 2 * H }), CTX);
    expect(s.windowStartHours).toBe(1);
    expect(s.windowHours).toBe(2);
    expect(s.nodes.mean).toBe(3);
    expect(s.nodes.meanBusy).toBe(1);
    expect(s.cost.perYear).toBe(3 * 2 * 8760);
    expect(s.cost.busyPerYear).toBe(2 * 8760);
  });

  it('an empty window: no delays, no samples, nothing to price, nodes as they are', () => {
    const s = summarize(simulation({ horizon: 0, upCount: 4, allocatableArea: [0, 0, 0] }), CTX);
    expect(s.schedulingDelaySeconds).toEqual({ mean: null, p50: null, p95: null, p99: null });
    expect(s.utilization).toEqual({ requested: {}, used: {} });
    expect(s.nodes.mean).toBe(4);
    expect(s.nodes.meanBusy).toBe(0);
    expect([s.cost.perYear, s.cost.busyPerYear, s.cost.idlePerYearRequested, s.cost.idlePerYearUsed]).toEqual([0, 0, null, null]);
    expect(s.cost.pricePerHour).toBe(2);
  });

  it('used utilization is unknown when no sample saw any allocatable (nodes up only between samples)', () => {
    const s = summarize(simulation({ horizon: H, allocatableArea: [1000 * H, 1000 * H, 0], requestedArea: [100 * H, 100 * H, 0], nodeArea: H, samples: [[[0, 0, 0], [0, 0, 0], [0, 0, 0]]] }), CTX);
    expect(s.utilization.used.cpu).toEqual({ mean: null, p95: null });
    expect(s.utilization.requested.cpu).toEqual({ mean: 0.1, p95: 0 });
  });

  it('utilization without samples: the mean from the integrals, p95 and used unknown', () => {
    const s = summarize(simulation({ horizon: H, allocatableArea: [1000 * H, 1000 * H, 0], requestedArea: [250 * H, 100 * H, 0], nodeArea: H }), CTX);
    expect(s.utilization.requested.cpu).toEqual({ mean: 0.25, p95: null });
    expect(s.utilization.used.cpu).toEqual({ mean: null, p95: null });
    expect(s.cost.idlePerYearUsed).toBeNull();
    expect(s.cost.idlePerYearRequested).toBe(roundTo(2 * 8760 * 0.75));
  });

  it('requested above allocatable (recorded placements overcommit) counts as fully used, not as negative idle', () => {
    const s = summarize(simulation({ horizon: H, allocatableArea: [1000 * H, 1000 * H, 0], requestedArea: [1200 * H, 300 * H, 0], nodeArea: H }), CTX);
    expect(s.utilization.requested.cpu.mean).toBe(1.2);
    expect(s.cost.idlePerYearRequested).toBe(0);
  });

  it('idle cost needs CPU or memory: a GPU-only cluster has none', () => {
    const gpuOnly: ResourceSchema = { names: ['gpu'], units: ['milli-gpu'] };
    const s = summarize(simulation({ resources: gpuOnly, horizon: H, allocatableArea: [1000 * H], requestedArea: [500 * H], nodeArea: H, samples: [[[1000], [500], [200]]] }), CTX);
    expect(s.utilization.requested.gpu.mean).toBe(0.5);
    expect(s.cost.idlePerYearRequested).toBeNull();
    expect(s.cost.idlePerYearUsed).toBeNull();
  });
});

describe('summarize with each machine at its own price', () => {
  // 2 h window, 4 node-hours costing $10 in all ($2.50 per node-hour), the busy ones $6.
  const run = () => simulation({ horizon: 2 * H, nodeArea: 4 * H, busyNodeArea: 2 * H, costArea: 10 * H, busyCostArea: 6 * H });

  it('cost integrates the machines\' own prices', () => {
    const s = summarize(run(), pricedBy([{ instance: 'a', pricePerHour: 2 }, { instance: 'b', pricePerHour: 3 }]));
    expect(s.cost.perYear).toBe(10 * 8760 / 2);
    expect(s.cost.busyCost).toBe(6);
    expect(s.cost.busyPerYear).toBe(6 * 8760 / 2);
  });

  it('one instance type: named, at its price', () => {
    const s = summarize(run(), pricedBy([{ instance: 'm5.large', pricePerHour: 0.096, machines: 3 }, { instance: 'm5.large', pricePerHour: 0.096 }]));
    expect([s.cost.instance, s.cost.pricePerHour]).toEqual(['m5.large', 0.096]);
  });

  it('several instance types at one price: "mixed", at that price', () => {
    const s = summarize(run(), pricedBy([{ instance: 'a', pricePerHour: 0.5 }, { instance: 'b', pricePerHour: 0.5 }]));
    expect([s.cost.instance, s.cost.pricePerHour]).toEqual(['mixed', 0.5]);
  });

  it('different prices: the mean price per node-hour', () => {
    const s = summarize(run(), pricedBy([{ instance: 'a', pricePerHour: 2 }, { instance: 'a', pricePerHour: 3 }]));
    expect([s.cost.instance, s.cost.pricePerHour]).toEqual(['a', 2.5]);
    const none = summarize(simulation({ horizon: 2 * H }), pricedBy([{ instance: 'a', pricePerHour: 2 }, { instance: 'b', pricePerHour: 3 }]));
    expect(none.cost.pricePerHour).toBe(0);
  });

  it('a machine priced by its resources (no instance) makes the fleet "mixed"', () => {
    const s = summarize(run(), pricedBy([{ instance: undefined, rule: 'per vCPU-hour and GiB-hour', pricePerHour: 0.2 }]));
    expect(s.cost.instance).toBe('mixed');
    expect(s.cost.pricing.shapes).toHaveLength(1);
  });
});

function roundTo(x: number): number {
  return Math.round(x * 100) / 100;
}
