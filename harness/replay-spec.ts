import { replay, type ReplayOutcome } from './replay.js';
import { parseQueueOrder } from './queue-order.js';
import { loadPolicy } from './load-policy.js';
import { configuredPolicy } from '../algorithms/kubernetes/policies.js';
import { openWorkload } from '../workloads/open-workload.js';
import { instanceType, loadCatalog } from '../model/instance-catalog.js';
import { MachinePricer } from '../reports/pricing.js';
import { checkOptionsApply, detectWorkloadFormat, type WorkloadOption } from '../workloads/format-registry.js';
import type { Workload } from '../model/workload.js';
import type { WorkloadSource } from '../workloads/workload-source.js';
import type { PolicyModule } from '../algorithms/policy.js';
import { UsageError } from '../model/errors.js';
import type { DynamicsSpec } from './dynamics-spec.js';
import { dynamicsSetup } from './node-dynamics-config.js';
import type { ReactionsSpec } from './reactions/reactions-spec.js';
import { reactionsSetup } from './reactions/reactions-config.js';
import { withMinReplicas, withZoneSpread, type SpreadChoice } from './experiments/zone-spread-workload.js';
import { KEPT_ALL_WITH_REACTIONS, resolveRetainTasks, type RetainTasksChoice } from './retain-tasks.js';
import type { SimulatorOptions } from './simulator.js';

/** Stands in for a policy under --placement recorded: the trace decides, so it is never asked. */
const RECORDED_POLICY: PolicyModule = {
  name: 'recorded',
  description: "the trace's own placements",
  create: () => ({ name: 'recorded', select: () => -1 }),
};

/**
 * Everything that defines a replay, as plain data: what the CLI parses, what run.json stores, and
 * what a compare worker receives. Same spec = same result.
 */
export interface ReplaySpec extends WorkloadSource {
  policy: string;
  percentageOfNodesToScore?: number;
  /** `--score-cache on|off`: scoring policies' per-shape score cache (default on; same decisions either way). */
  scoreCache?: boolean;
  /** Usage sample period, seconds. */
  sampleSeconds?: number;
  /** 'policy' (default) or 'recorded': follow the trace's own placements. */
  placement?: 'policy' | 'recorded';
  /** Pending-queue order: priority (default), fifo, sjf, drf. */
  queue?: string;
  /** Normalized traces: the real size of a 1.0 machine, e.g. 'cpu=32,mem=128GiB'. */
  machineScale?: string;
  /** Bad trace rows: 'fail' (default) or 'skip' (counted in the notes). */
  onBadRow?: 'fail' | 'skip';
  /** KubeSchedulerConfiguration or legacy Policy file for kube-framework / its schedulerNames (--scheduler-config). */
  schedulerConfig?: string;
  /**
   * The options with defaults that the user set explicitly (the CLI's --nodes, --instance, --tasks,
   * --hours); absent = none. Each must apply to the workload's format, as must --zones,
   * --machine-scale, --placement recorded and --on-bad-row skip (format-registry.ts).
   */
  explicit?: Array<'nodes' | 'instance' | 'tasks' | 'hours'>;
  /** Node dynamics (usage, QoS, eviction, OOM, throttling, overcommit); absent = off. */
  dynamics?: DynamicsSpec;
  /** The cluster's reactions (preemption, controllers, failures, autoscaling, admission); absent = their defaults. */
  reactions?: ReactionsSpec;
  /** `--min-replicas N`: every Deployment, ReplicaSet, ReplicationController and StatefulSet runs at least N replicas. */
  minReplicas?: number;
  /** `--retain-tasks`: 'all' keeps every task's row, 'live' lets finished tasks leave memory, 'auto' (default) chooses by task count (harness/retain-tasks.ts). */
  retainTasks?: RetainTasksChoice;
  /** `--spread zone`: a hard zone spread (maxSkew 1, DoNotSchedule) on every replicated workload, `zone-soft` the same with ScheduleAnyway; 'none' (default) = as written. */
  spread?: SpreadChoice;
}

/** The workload options a spec uses, for checkOptionsApply. */
export function workloadOptionsGiven(spec: ReplaySpec): WorkloadOption[] {
  const out: WorkloadOption[] = [...(spec.explicit ?? [])];
  if (spec.zones !== undefined) out.push('zones');
  if (spec.machineScale !== undefined) out.push('machine-scale');
  if (spec.placement === 'recorded') out.push('placement recorded');
  if (spec.onBadRow === 'skip') out.push('on-bad-row skip');
  return out;
}

/** The CLI option of each ReactionsSpec field, for messages. */
const REACTION_OPTION: Record<keyof ReactionsSpec, string> = {
  preemption: '--preemption',
  controllers: '--controllers',
  failures: '--failures',
  zoneOutages: '--zone-outage',
  nodeLifecycle: '--node-lifecycle',
  topology: '--topology',
  nodeGroups: '--node-groups',
  autoscaler: '--autoscaler',
  autoscalerOptions: '--autoscaler-options',
  quota: '--quota',
};

export interface SpecOutcome extends ReplayOutcome {
  workload: Workload;
}

/** Most usage samples a replay keeps (one row each in memory, ten in timeseries.csv): ~100 MB. */
export const MAX_SAMPLES = 1_000_000;

/** A window and sample period that would need more samples than MAX_SAMPLES is a mistake, reported before the run. */
function checkSampleCount(horizonMicros: number | undefined, sampleSeconds: number): void {
  if (horizonMicros === undefined) return;
  const samples = horizonMicros / (sampleSeconds * 1e6);
  if (samples > MAX_SAMPLES) {
    throw new UsageError(
      `--sample-seconds: ${sampleSeconds} s over the ${(horizonMicros / 3.6e9).toLocaleString('en-US', { maximumFractionDigits: 2 })} h window is ${Math.round(samples).toLocaleString('en-US')} samples; at most ${MAX_SAMPLES.toLocaleString('en-US')} (raise --sample-seconds or shorten the window)`,
    );
  }
}

/** The policy, catalog and workload a spec names, opened and checked: what every run of a spec starts from. */
export interface OpenedSpec {
  catalog: ReturnType<typeof loadCatalog>;
  instance: ReturnType<typeof instanceType>;
  policy: PolicyModule;
  workload: Workload;
}

/**
 * Opens what `spec` names: the catalog and instance, the policy (a --scheduler-config profile, a
 * built-in or a file), the workload (every option given must apply to its format), and the
 * what-ifs on its controllers.
 */
export async function openSpec(spec: ReplaySpec): Promise<OpenedSpec> {
  const catalog = loadCatalog(spec.catalog);
  const inst = instanceType(catalog, spec.instance);
  const picked = spec.schedulerConfig !== undefined && spec.placement !== 'recorded' ? configuredPolicy(spec.policy, spec.schedulerConfig) : undefined;
  const configured = picked?.module;
  const policy = spec.placement === 'recorded' ? RECORDED_POLICY : (configured ?? (await loadPolicy(spec.policy)));
  // Every option given must apply to this workload's format (a one-line usage error naming it, else).
  const format = spec.workload === 'synthetic' ? 'synthetic' : (await detectWorkloadFormat(spec.workload, spec.format)).format;
  checkOptionsApply(format, workloadOptionsGiven(spec));
  const workload = await openWorkload({ ...spec, format: spec.workload === 'synthetic' ? spec.format : format, instance: inst, region: catalog.region });
  if (configured) workload.notes.push(...picked!.notes.map((n) => `scheduler config: ${n}`));
  // What-ifs on the workload's controllers (harness/experiments/zone-spread-workload.ts), before anything is set up for it.
  if (spec.minReplicas !== undefined) withMinReplicas(workload, spec.minReplicas);
  if (spec.spread === 'zone') withZoneSpread(workload, 'DoNotSchedule');
  else if (spec.spread === 'zone-soft') withZoneSpread(workload, 'ScheduleAnyway');
  return { catalog, instance: inst, policy, workload };
}

export async function runSpec(
  spec: ReplaySpec,
  onProgress?: (now: number, horizon: number, submitted: number) => void,
  /**
   * Where a replay whose finished tasks leave memory sends what leaves: each task's row as it ends
   * and the dynamics log a run at a time (a results folder's spools, reports/results-spool.ts).
   */
  sinks: Pick<SimulatorOptions, 'onTaskRow' | 'eventSink'> = {},
): Promise<SpecOutcome> {
  const { catalog, instance: inst, policy, workload } = await openSpec(spec);
  checkSampleCount(workload.horizon, spec.sampleSeconds ?? 300);
  // The trace's own placements are replayed as recorded: the node dynamics stay off (said in the notes).
  if (spec.placement === 'recorded' && spec.dynamics?.enabled) workload.notes.push('node dynamics: off under --placement recorded (the trace decides where and when tasks run)');
  const dynamics = spec.placement === 'recorded' ? undefined : await dynamicsSetup(spec.dynamics, workload, spec.seed);
  // Under recorded placement the trace decides: nothing reacts, and asking for a reaction is a mistake.
  if (spec.placement === 'recorded') {
    const asked = Object.keys(spec.reactions ?? {}).filter((k) => k !== 'preemption' || spec.reactions!.preemption !== 'none');
    if (asked.length > 0) throw new UsageError(`--placement recorded replays the trace as it ran: ${asked.map((k) => REACTION_OPTION[k as keyof ReactionsSpec]).join(', ')} do${asked.length === 1 ? 'es' : ''} not apply`);
  }
  const reactions = spec.placement === 'recorded' ? undefined : reactionsSetup(spec.reactions ?? {}, workload, catalog, spec.seed);
  const retain = resolveRetainTasks(spec.retainTasks, workload);
  if (retain.note) workload.notes.push(retain.note);
  const outcome = await replay({
    retainTasks: retain.retainTasks,
    onTaskRow: sinks.onTaskRow,
    eventSink: sinks.eventSink,
    dynamics,
    reactions,
    workload,
    policy,
    seed: spec.seed,
    // Each machine priced by its instance type, else by its shape (reports/pricing.ts).
    pricing: { instance: inst.name, pricePerHour: inst.pricePerHour, region: catalog.region, priceDate: catalog.priceDate, machines: new MachinePricer(catalog, workload.resources) },
    percentageOfNodesToScore: spec.percentageOfNodesToScore,
    scoreCache: spec.scoreCache,
    samplePeriod: spec.sampleSeconds !== undefined ? spec.sampleSeconds * 1e6 : undefined,
    placement: spec.placement,
    queueOrder: spec.queue === undefined ? undefined : parseQueueOrder(spec.queue),
    onProgress,
  });
  if (retain.retainTasks === 'live' && outcome.result.retainTasks === 'all') workload.notes.push(KEPT_ALL_WITH_REACTIONS);
  return { ...outcome, workload };
}
