import { replay, type ReplayOutcome } from './replay.js';
import { loadPolicy } from './load-policy.js';
import { openWorkload } from '../workloads/open-workload.js';
import { instanceType, loadCatalog } from '../reports/instance-catalog.js';
import type { Workload } from '../workloads/workload.js';

/**
 * Everything that defines a replay, as plain data: what the CLI parses, what run.json stores, and
 * what a compare worker receives. Same spec = same result.
 */
export interface ReplaySpec {
  workload: string;
  format?: string;
  policy: string;
  seed: number;
  nodes: number;
  tasks: number;
  hours: number;
  instance: string;
  catalog?: string;
  percentageOfNodesToScore?: number;
  /** Usage sample period, seconds. */
  sampleSeconds?: number;
}

export interface SpecOutcome extends ReplayOutcome {
  workload: Workload;
}

export async function runSpec(spec: ReplaySpec, onProgress?: (now: number, horizon: number, submitted: number) => void): Promise<SpecOutcome> {
  const catalog = loadCatalog(spec.catalog);
  const inst = instanceType(catalog, spec.instance);
  const policy = await loadPolicy(spec.policy);
  const workload = await openWorkload({ ...spec, instance: inst });
  const outcome = await replay({
    workload,
    policy,
    seed: spec.seed,
    pricing: { instance: inst.name, pricePerHour: inst.pricePerHour, region: catalog.region, priceDate: catalog.priceDate },
    percentageOfNodesToScore: spec.percentageOfNodesToScore,
    samplePeriod: spec.sampleSeconds !== undefined ? spec.sampleSeconds * 1e6 : undefined,
    onProgress,
  });
  return { ...outcome, workload };
}
