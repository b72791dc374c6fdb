import { quantileOfSorted } from './quantile.js';
import type { EventCounts, RecordedChecks, ReplayResults } from './replay-results.js';
import { US_PER_HOUR } from '../model/units.js';
import { HOURS_PER_YEAR, idleCost, roundCents } from './cost.js';
import type { MachinePricer, PricingReport } from './pricing.js';
import { summarizeDynamics, type DynamicsSummary } from './dynamics-summary.js';
import { summarizeReactions, type ReactionsSummary } from './reactions-summary.js';
import { packingMetrics, type PackingMetrics } from './packing-metrics.js';
import type { TaskTally } from './task-tally.js';
import { tallyRows } from './tally-rows.js';

export interface Stat {
  mean: number | null;
  p95: number | null;
}

export interface RunSummary {
  policy: string;
  workload: string;
  seed: number;
  windowHours: number;
  /** Start of the replayed window, hours of trace time (0 unless the trace is a mid-trace slice). */
  windowStartHours: number;
  nodes: { initial: number; atEnd: number; mean: number; peakBusy: number; meanBusy: number };
  tasks: {
    submitted: number;
    scheduled: number;
    finished: number;
    runningAtEnd: number;
    pendingAtEnd: number;
    killed: number;
    missingRequest: number;
    missingUsage: number;
    /**
     * Why the tasks pending at the end wait: each kube-scheduler reason (a node-level FailedScheduling
     * reason such as "Insufficient cpu") → the pending tasks it applies to on at least one node;
     * most frequent first. Per-task messages are in tasks.csv (harness/pending-reasons.ts).
     */
    pendingReasons: Record<string, number>;
  };
  schedulingDelaySeconds: { mean: number | null; p50: number | null; p95: number | null; p99: number | null };
  /** Per resource (only those the cluster has): fraction of allocatable, time-weighted. */
  utilization: { requested: Record<string, Stat>; used: Record<string, Stat> };
  /** Requested work placed: Σ request × time run, per resource, in resource-unit·hours. */
  workPlaced: Record<string, number>;
  cost: {
    /** The catalog instance every machine is priced as, or 'mixed' (see `pricing`). */
    instance: string;
    /** Mean hourly price per machine-hour (the price itself when every machine has one). */
    pricePerHour: number;
    region: string;
    priceDate: string;
    nodeHours: number;
    busyNodeHours: number;
    perYear: number;
    /** perYear × (1 - utilization), utilization = the larger of CPU and memory (see README). */
    idlePerYearRequested: number | null;
    idlePerYearUsed: number | null;
    /** Cost per year of only the nodes that ran something: what a packer could keep. */
    busyPerYear: number;
    /** Cost of the busy nodes over the window, dollars (each machine at its own price). */
    busyCost: number;
    /** Which rule priced how many machines, and the shapes (reports/pricing.ts). */
    pricing: PricingReport;
  };
  events: EventCounts;
  placementAttempts: number;
  /** `--placement recorded`: how the trace's own placements fit the model. */
  recorded?: RecordedChecks;
  /** Node dynamics: evictions by cause × QoS × band, OOM kills, throttling, lost work, violation rate, per-class table; absent = not modeled. */
  dynamics?: DynamicsSummary;
  /** The cluster's reactions (preemption, controllers and availability, failures, autoscaling, admission); absent = none modeled. */
  reactions?: ReactionsSummary;
  /** Verma et al.'s packing metrics at the end of the replay: stranded, fragmented, inflation headroom (reports/packing-metrics.ts). */
  packing?: PackingMetrics;
}

export interface SummaryContext {
  workload: string;
  /** Used when `machines` is absent: every machine is one `instance` at `pricePerHour`. */
  instance: string;
  pricePerHour: number;
  region: string;
  priceDate: string;
  /** The pricer the replay priced each machine with (its report goes into the summary). */
  machines?: MachinePricer;
}

/** Turns a simulation's raw integrals and samples into the report's figures. */
export function summarize(r: ReplayResults, ctx: SummaryContext): RunSummary {
  const D = r.cluster.dims;
  const names = r.cluster.resources.names;
  const tally = r.tally ?? tallyRows(r);
  const { scheduled, finished, killed } = tally;
  const d = tally.sortedDelays();
  const nd = d.length;
  let delaySum = 0;
  for (let i = 0; i < nd; i++) delaySum += d[i];

  const requested: Record<string, Stat> = {};
  const used: Record<string, Stat> = {};
  const workPlaced: Record<string, number> = {};
  const s = r.series;
  for (let k = 0; k < D; k++) {
    if (!(r.allocatableArea[k] > 0)) continue;
    const name = names[k];
    workPlaced[name] = r.requestedArea[k] / US_PER_HOUR;
    const reqFrac = new Float64Array(s.length);
    const usedFrac = new Float64Array(s.length);
    let usedSum = 0;
    let allocSum = 0;
    let usedKnown = s.length > 0;
    for (let j = 0; j < s.length; j++) {
      const a = s.allocatable[j * D + k];
      reqFrac[j] = a > 0 ? s.requested[j * D + k] / a : 0;
      const u = s.used[j * D + k];
      if (u !== u) usedKnown = false;
      usedFrac[j] = a > 0 ? u / a : 0;
      usedSum += u;
      allocSum += a;
    }
    requested[name] = {
      mean: r.requestedArea[k] / r.allocatableArea[k],
      p95: s.length > 0 ? quantileOfSorted(reqFrac.sort(), 0.95) : null,
    };
    used[name] = usedKnown && allocSum > 0
      ? { mean: usedSum / allocSum, p95: quantileOfSorted(usedFrac.sort(), 0.95) }
      : { mean: null, p95: null };
  }

  // The replayed window: from its start (a mid-trace slice starts at its first event) to the horizon.
  const window = r.horizon - (r.start ?? 0);
  const windowHours = window / US_PER_HOUR;
  const meanNodes = window > 0 ? r.nodeArea / window : r.cluster.upCount;
  // Each machine at its own hourly price (reports/pricing.ts): cost = ∫ Σ price dt over the window.
  const pricing = ctx.machines?.report() ?? { rules: [], shapes: [], unknownTypes: {}, unpricedGpuMachines: 0, rates: { perVcpuHour: NaN, perGiBHour: NaN, method: '' } };
  const nodeHours = r.nodeArea / US_PER_HOUR;
  const costInWindow = ctx.machines !== undefined ? r.costArea / US_PER_HOUR : ctx.pricePerHour * nodeHours;
  const busyCost = ctx.machines !== undefined ? r.busyCostArea / US_PER_HOUR : ctx.pricePerHour * (r.busyNodeArea / US_PER_HOUR);
  const perYear = windowHours > 0 ? roundCents((costInWindow * HOURS_PER_YEAR) / windowHours) : 0;
  const onePrice = pricing.shapes.length > 0 && pricing.shapes.every((x) => x.pricePerHour === pricing.shapes[0].pricePerHour);
  const oneInstance = pricing.shapes.length > 0 && pricing.shapes.every((x) => x.instance !== undefined && x.instance === pricing.shapes[0].instance);
  const utilForCost = (stats: Record<string, Stat>): number | null => {
    const xs = ['cpu', 'memory'].map((n) => stats[n]?.mean).filter((x): x is number => x !== null && x !== undefined);
    return xs.length === 0 ? null : Math.min(1, Math.max(...xs));
  };
  const ur = utilForCost(requested);
  const uu = utilForCost(used);
  return {
    policy: r.policy,
    workload: ctx.workload,
    seed: r.seed,
    windowHours,
    windowStartHours: (r.start ?? 0) / US_PER_HOUR,
    nodes: {
      initial: r.initialNodes,
      atEnd: r.cluster.upCount,
      mean: meanNodes,
      peakBusy: r.peakBusyNodes,
      meanBusy: window > 0 ? r.busyNodeArea / window : 0,
    },
    tasks: {
      submitted: r.events.submit,
      scheduled,
      finished,
      runningAtEnd: r.runningAtEnd,
      pendingAtEnd: r.pendingAtEnd,
      killed,
      missingRequest: r.missingRequests,
      missingUsage: r.missingUsage,
      pendingReasons: Object.fromEntries([...r.pending.byReason.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))),
    },
    schedulingDelaySeconds: {
      mean: nd > 0 ? delaySum / nd : null,
      p50: nd > 0 ? quantileOfSorted(d, 0.5) : null,
      p95: nd > 0 ? quantileOfSorted(d, 0.95) : null,
      p99: nd > 0 ? quantileOfSorted(d, 0.99) : null,
    },
    utilization: { requested, used },
    workPlaced,
    cost: {
      instance: pricing.shapes.length === 0 ? ctx.instance : oneInstance ? pricing.shapes[0].instance! : 'mixed',
      pricePerHour: pricing.shapes.length === 0 ? ctx.pricePerHour : onePrice ? pricing.shapes[0].pricePerHour : nodeHours > 0 ? costInWindow / nodeHours : 0,
      region: ctx.region,
      priceDate: ctx.priceDate,
      nodeHours,
      busyNodeHours: r.busyNodeArea / US_PER_HOUR,
      perYear,
      idlePerYearRequested: ur === null ? null : idleCost(perYear, ur),
      idlePerYearUsed: uu === null ? null : idleCost(perYear, uu),
      busyPerYear: windowHours > 0 ? roundCents((busyCost * HOURS_PER_YEAR) / windowHours) : 0,
      busyCost,
      pricing,
    },
    events: r.events,
    placementAttempts: r.placementAttempts,
    ...(r.recorded ? { recorded: r.recorded } : {}),
    ...(r.dynamics ? { dynamics: summarizeDynamics(r, tally) } : {}),
    ...(r.reactions ? { reactions: summarizeReactions(r) } : {}),
    ...packingOf(r, tally),
  };
}

/** The packing metrics when the results carry the per-node state (every simulator run does). */
function packingOf(r: ReplayResults, tally: TaskTally): { packing?: PackingMetrics } {
  const c = r.cluster;
  if (c.nodeCount === undefined || !c.up || !c.allocatable || !c.requested || !r.tasks.request) return {};
  // The tally's sample is the one packingMetrics would draw from every submitted task's request.
  const sample = tally.packingSample();
  return {
    packing: packingMetrics({
      dims: c.dims,
      names: c.resources.names,
      nodeCount: c.nodeCount,
      up: c.up,
      allocatable: c.allocatable,
      requested: c.requested,
      taskCount: sample.count,
      taskRequest: sample.request,
    }),
  };
}
