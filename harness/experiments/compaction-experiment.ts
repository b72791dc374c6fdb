import { GiB } from '../../model/units.js';
import type { Workload } from '../../model/workload.js';
import { instanceType, loadCatalog } from '../../model/instance-catalog.js';
import { openWorkload } from '../../workloads/open-workload.js';
import { checkOptionsApply, detectWorkloadFormat, type WorkloadOption } from '../../workloads/format-registry.js';
import { UsageError } from '../../model/errors.js';
import { roundedRequests, standingInstance, subsetByProduction, type CompactionInstance } from './compaction-instance.js';
import { allowedPending, compact, statsOf, type CompactionStats, type CompactionTrial } from './compaction.js';
import { EXACT_MAX_TASKS } from './compaction-packer.js';

/**
 * `schedlab experiment compaction`: Borg's cell compaction (Verma et al., EuroSys'15 §5.1) of one
 * workload's standing population (compaction-instance.ts), and the paper's directions as
 * experiments on the same cell and seeds (../shared/docs/experiments.md § Borg cell compaction):
 * - **segregated**: production (priority bands production and monitoring) and non-production each
 *   compacted in a cell of its own, from the same machines and removal order; the trial's count is
 *   the sum of the two. Paper: +20–30 % machines in the median cell.
 * - **rounded**: every CPU request rounded up to the next power of two from 0.5 core, memory from
 *   1 GiB (compaction-instance.ts roundedRequests). Paper: +30–50 % resources.
 * Each variant's figure is its p90 against the baseline's p90. Node dynamics play no part: tasks
 * hold their requests (a reservation-only packing).
 */
export type CompactionVariantName = 'baseline' | 'segregated' | 'rounded';
export const COMPACTION_VARIANTS: readonly CompactionVariantName[] = ['baseline', 'segregated', 'rounded'];

/** The paper's figures the variants are stated beside. */
export const PUBLISHED_COMPACTION: Readonly<Record<Exclude<CompactionVariantName, 'baseline'>, string>> = {
  segregated: '+20–30 % machines (median cell)',
  rounded: '+30–50 % resources',
};

/** Rounding bases in workload units: 0.5 core = 500 millicores, 1 GiB in bytes. */
export const ROUNDING_BASES: Readonly<Record<string, number>> = { cpu: 500, memory: GiB };

export interface CompactionVariant {
  name: CompactionVariantName;
  stats: CompactionStats;
  /** p90 / baseline p90 − 1 (null for the baseline or when either has no p90). */
  vsBaseline: number | null;
  published?: string;
  /** segregated: the two cells' own compactions. */
  parts?: { production: CompactionStats; nonProduction: CompactionStats; productionTasks: number; nonProductionTasks: number };
  /** rounded: Σ rounded request / Σ request − 1, per resource requested. */
  requestInflation?: Record<string, number>;
}

export interface CompactionExperimentResult {
  workload: string;
  /** The instant the tasks stand at: hours from the window start, and how it was chosen. */
  atHours: number;
  atRule: 'peak' | 'given';
  machines: number;
  tasks: number;
  allowedPending: number;
  seeds: number[];
  variants: CompactionVariant[];
  notes: string[];
  wallSeconds: number;
}

export interface CompactionOptions {
  seeds: number[];
  /** Hours from the window start; undefined = the peak. */
  atHours?: number;
  variants?: readonly CompactionVariantName[];
  onVariant?: (name: string, seconds: number) => void;
}

/** What names the workload (the CLI's --workload, --format, --machine-scale, --seed for the generator). */
export interface CompactionWorkloadSpec {
  workload: string;
  format?: string;
  machineScale?: string;
  seed: number;
}

/** Opens the workload as `replay` would (default generator sizes; m5.2xlarge generated nodes). */
export async function openCompactionWorkload(spec: CompactionWorkloadSpec): Promise<Workload> {
  const catalog = loadCatalog(undefined);
  const inst = instanceType(catalog, 'm5.2xlarge');
  const format = spec.workload === 'synthetic' ? 'synthetic' : (await detectWorkloadFormat(spec.workload, spec.format)).format;
  const given: WorkloadOption[] = spec.machineScale !== undefined ? ['machine-scale'] : [];
  checkOptionsApply(format, given);
  return openWorkload({
    workload: spec.workload,
    format: spec.workload === 'synthetic' ? spec.format : format,
    seed: spec.seed,
    nodes: 100,
    tasks: 20_000,
    hours: 24,
    instance: inst,
    region: catalog.region,
    machineScale: spec.machineScale,
  });
}

const ratio = (a: number | null, b: number | null): number | null => (a === null || b === null || b === 0 ? null : a / b - 1);

export async function runCompactionExperiment(w: Workload, o: CompactionOptions): Promise<CompactionExperimentResult> {
  const t0 = performance.now();
  const variants = o.variants ?? COMPACTION_VARIANTS;
  if (variants.length === 0) throw new UsageError('--experiments: give at least one of ' + COMPACTION_VARIANTS.join(', '));
  const start = w.start ?? 0;
  const inst = await standingInstance(w, o.atHours === undefined ? undefined : start + o.atHours * 3.6e9);
  const notes = [
    `tasks: the ${inst.taskCount.toLocaleString('en-US')} tasks ${inst.recordedStarts ? 'the trace ran' : 'standing (each as if started at its submission, for its duration)'} at ${((inst.at - start) / 3.6e9).toFixed(2)} h (${inst.atRule === 'peak' ? 'the peak of the standing requests on a 300-s grid' : 'as given'}), on the ${inst.machineCount.toLocaleString('en-US')} machines up then`,
    `fits: at most ${allowedPending(inst.taskCount)} tasks (0.2 %) pending; packer: priority, then larger first, first fit in the removal order (at most ${EXACT_MAX_TASKS} tasks: every assignment searched); constraints (here ${inst.differentMachines.size} job${inst.differentMachines.size === 1 ? '' : 's'} with the different-machines restriction, ${inst.eligible.size} restricted to some machines) soft for jobs of more than half the cell`,
  ];
  const out: CompactionVariant[] = [];
  let base: CompactionStats | undefined;
  const timed = <T>(name: string, f: () => T): T => {
    const s = performance.now();
    const r = f();
    o.onVariant?.(name, (performance.now() - s) / 1000);
    return r;
  };
  // The baseline's p90 is the yardstick of the others: always computed.
  base = timed('baseline', () => compact(inst, o.seeds));
  if (variants.includes('baseline')) out.push({ name: 'baseline', stats: base, vsBaseline: null });
  if (variants.includes('segregated')) {
    const prodInst = subsetByProduction(inst, true);
    const restInst = subsetByProduction(inst, false);
    const v = timed('segregated', () => {
      const production = compact(prodInst, o.seeds);
      const nonProduction = compact(restInst, o.seeds);
      const trials: CompactionTrial[] = o.seeds.map((seed, i) => {
        const a = production.trials[i];
        const b = nonProduction.trials[i];
        const machines = a.machines === null || b.machines === null ? null : a.machines + b.machines;
        return { seed, machines, pending: a.pending + b.pending, probes: a.probes + b.probes };
      });
      return { production, nonProduction, stats: statsOf(trials) };
    });
    out.push({
      name: 'segregated',
      stats: v.stats,
      vsBaseline: ratio(v.stats.p90, base.p90),
      published: PUBLISHED_COMPACTION.segregated,
      parts: { production: v.production, nonProduction: v.nonProduction, productionTasks: prodInst.taskCount, nonProductionTasks: restInst.taskCount },
    });
  }
  if (variants.includes('rounded')) {
    const r = roundedRequests(inst, ROUNDING_BASES);
    const stats = timed('rounded', () => compact(r, o.seeds));
    out.push({ name: 'rounded', stats, vsBaseline: ratio(stats.p90, base.p90), published: PUBLISHED_COMPACTION.rounded, requestInflation: requestInflation(inst, r) });
  }
  return {
    workload: w.name,
    atHours: (inst.at - start) / 3.6e9,
    atRule: inst.atRule,
    machines: inst.machineCount,
    tasks: inst.taskCount,
    allowedPending: allowedPending(inst.taskCount),
    seeds: o.seeds,
    variants: out,
    notes,
    wallSeconds: (performance.now() - t0) / 1000,
  };
}

function requestInflation(a: CompactionInstance, b: CompactionInstance): Record<string, number> {
  const out: Record<string, number> = {};
  for (let d = 0; d < a.dims; d++) {
    let x = 0;
    let y = 0;
    for (let i = 0; i < a.taskCount; i++) {
      x += a.request[i * a.dims + d];
      y += b.request[i * a.dims + d];
    }
    if (x > 0) out[a.names[d]] = y / x - 1;
  }
  return out;
}
