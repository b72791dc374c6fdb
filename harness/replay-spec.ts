import { replay, type ReplayOutcome } from './replay.js';
import { parseQueueOrder } from './queue-order.js';
import { loadPolicy } from './load-policy.js';
import { configuredPolicy } from '../algorithms/kubernetes/policies.js';
import { openWorkload } from '../workloads/open-workload.js';
import { instanceType, loadCatalog } from '../reports/instance-catalog.js';
import { MachinePricer } from '../reports/pricing.js';
import type { Workload } from '../workloads/workload.js';
import type { WorkloadSource } from '../workloads/workload-source.js';
import type { PolicyModule } from '../algorithms/policy.js';
import { UsageError } from './usage-error.js';

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
}

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

export async function runSpec(spec: ReplaySpec, onProgress?: (now: number, horizon: number, submitted: number) => void): Promise<SpecOutcome> {
  const catalog = loadCatalog(spec.catalog);
  const inst = instanceType(catalog, spec.instance);
  const picked = spec.schedulerConfig !== undefined && spec.placement !== 'recorded' ? configuredPolicy(spec.policy, spec.schedulerConfig) : undefined;
  const configured = picked?.module;
  const policy = spec.placement === 'recorded' ? RECORDED_POLICY : (configured ?? (await loadPolicy(spec.policy)));
  const workload = await openWorkload({ ...spec, instance: inst, region: catalog.region });
  if (configured) workload.notes.push(...picked!.notes.map((n) => `scheduler config: ${n}`));
  checkSampleCount(workload.horizon, spec.sampleSeconds ?? 300);
  const outcome = await replay({
    workload,
    policy,
    seed: spec.seed,
    // Each machine priced by its instance type, else by its shape (reports/pricing.ts).
    pricing: { instance: inst.name, pricePerHour: inst.pricePerHour, region: catalog.region, priceDate: catalog.priceDate, machines: new MachinePricer(catalog, workload.resources) },
    percentageOfNodesToScore: spec.percentageOfNodesToScore,
    samplePeriod: spec.sampleSeconds !== undefined ? spec.sampleSeconds * 1e6 : undefined,
    placement: spec.placement,
    queueOrder: spec.queue === undefined ? undefined : parseQueueOrder(spec.queue),
    onProgress,
  });
  return { ...outcome, workload };
}
