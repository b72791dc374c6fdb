import { Rng } from '../model/rng.js';
import { Simulator, type SimulationResult, type SimulatorOptions } from './simulator.js';
import type { QueueOrder } from './queue-order.js';
import type { Policy, PolicyModule } from '../algorithms/policy.js';
import type { Workload } from '../model/workload.js';
import { summarize, type RunSummary, type SummaryContext } from '../reports/summary.js';
import { MachinePricer } from '../reports/pricing.js';
import type { NodeDynamicsSetup } from './node-dynamics.js';

export interface ReplayOptions {
  workload: Workload;
  policy: PolicyModule;
  seed: number;
  /**
   * Pricing of the nodes, for the cost lines of the summary: `machines` prices each machine by the
   * rules of reports/pricing.ts; without it every machine costs `pricePerHour` (as `instance`).
   */
  pricing: Omit<SummaryContext, 'workload'>;
  /** Stop time in µs (default: the workload's horizon). */
  horizon?: number;
  /** Usage sample period in µs (default 300 s). */
  samplePeriod?: number;
  /** Pending-queue order: priority (default), fifo, sjf, drf. */
  queueOrder?: QueueOrder;
  /** 'policy' (default) or 'recorded' (follow the trace's own placements). */
  placement?: 'policy' | 'recorded';
  /** kube-scheduler's percentageOfNodesToScore for sampling policies (default: adaptive). */
  percentageOfNodesToScore?: number;
  /** Scoring policies' per-shape score cache (PolicyOptions.scoreCache): default on; same decisions either way. */
  scoreCache?: boolean;
  /** The indexed scheduling pass (SimulatorOptions.indexedPass): default on; same decisions either way. */
  indexedPass?: boolean;
  onProgress?: (now: number, horizon: number, submitted: number) => void;
  /** Node dynamics (harness/node-dynamics-config.ts dynamicsSetup); undefined = off. */
  dynamics?: NodeDynamicsSetup;
  /** The cluster's reactions, made for the run's policy (harness/reactions/reactions-config.ts); undefined = none. */
  reactions?: (policy: Policy) => SimulatorOptions['reactions'];
  /** 'all' (default) keeps every task's row; 'live' lets finished tasks leave memory (SimulatorOptions.retainTasks). */
  retainTasks?: 'all' | 'live';
  /** Each task's row as it ends for good ('live'; SimulatorOptions.onTaskRow). */
  onTaskRow?: SimulatorOptions['onTaskRow'];
  /** Where the dynamics log goes a run at a time ('live'; SimulatorOptions.eventSink). */
  eventSink?: SimulatorOptions['eventSink'];
}

export interface ReplayOutcome {
  summary: RunSummary;
  result: SimulationResult;
  wallSeconds: number;
}

/** One replay: the workload under one policy, from one seed. What `schedlab replay` runs. */
export async function replay(o: ReplayOptions): Promise<ReplayOutcome> {
  const rng = new Rng(o.seed);
  const policy = o.policy.create({ rng: rng.fork(1), percentageOfNodesToScore: o.percentageOfNodesToScore, scoreCache: o.scoreCache });
  const pricer = o.pricing.machines ?? MachinePricer.uniform(o.pricing.instance, o.pricing.pricePerHour, o.workload.resources);
  const sim = new Simulator(o.workload, policy, {
    seed: o.seed,
    indexedPass: o.indexedPass,
    nodePrice: (m) => pricer.price(m).pricePerHour,
    horizon: o.horizon,
    samplePeriod: o.samplePeriod,
    placement: o.placement,
    queueOrder: o.queueOrder,
    onProgress: o.onProgress,
    dynamics: o.dynamics,
    reactions: o.reactions?.(policy),
    retainTasks: o.retainTasks,
    onTaskRow: o.onTaskRow,
    eventSink: o.eventSink,
  });
  const t0 = performance.now();
  const result = await sim.run();
  const wallSeconds = (performance.now() - t0) / 1000;
  const summary = summarize(result, { ...o.pricing, machines: pricer, workload: o.workload.name });
  return { summary, result, wallSeconds };
}
