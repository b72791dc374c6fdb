import type { Reaction } from '../reactions/reaction-host.js';
import type { InstanceCatalog } from '../../model/instance-catalog.js';
import type { Workload } from '../../model/workload.js';
import { UsageError } from '../../model/errors.js';
import { fitResourceRates } from '../../reports/pricing.js';
import { parseAutoscalerOptions, describeAutoscalerOptions } from './autoscaler-options.js';
import { readNodeGroups } from './node-groups.js';
import { resolveNodeGroups } from './node-group-templates.js';
import { ClusterAutoscaler } from './cluster-autoscaler.js';
import { KarpenterProvisioner } from './karpenter.js';
import type { DisruptionBudgetView } from './removal-simulator.js';

/** What the CLI says about autoscaling: each field the option's text. */
export interface AutoscalerSpec {
  /** `--node-groups`: a YAML/JSON file, or inline 'name=a,instance=m5.2xlarge,min=0,max=10,zone=us-east-1a;...'. */
  nodeGroups?: string;
  /** `--autoscaler`: cluster-autoscaler (default) or karpenter. */
  mode?: 'cluster-autoscaler' | 'karpenter';
  /** `--autoscaler-options`: 'expander=least-waste,scale-down-utilization-threshold=0.5,...'. */
  options?: string;
}

/**
 * The autoscaler a run asked for (harness/autoscaler/), or undefined without node groups. Every
 * setting is checked here, before the run: the node groups (node-groups.ts), their instance types
 * against the catalog and the workload's dimensions (node-group-templates.ts), the options
 * (autoscaler-options.ts). The run's notes say what was modeled.
 */
export function autoscalerSetup(spec: AutoscalerSpec, workload: Workload, catalog: InstanceCatalog, budgets: DisruptionBudgetView): Reaction | undefined {
  if (spec.nodeGroups === undefined) {
    if (spec.mode !== undefined) throw new UsageError(`--autoscaler: give the node groups it may scale (--node-groups)`);
    if (spec.options !== undefined) throw new UsageError(`--autoscaler-options: give the node groups to scale (--node-groups)`);
    return undefined;
  }
  const mode = spec.mode ?? 'cluster-autoscaler';
  if (mode !== 'cluster-autoscaler' && mode !== 'karpenter') throw new UsageError(`--autoscaler: expected cluster-autoscaler or karpenter, got '${String(mode)}'`);
  const options = parseAutoscalerOptions(spec.options, mode);
  const groups = resolveNodeGroups(readNodeGroups(spec.nodeGroups), catalog, workload.resources, mode);
  workload.notes.push(
    `autoscaler: ${describeAutoscalerOptions(options)}; node groups ${groups
      .map((g) => `${g.spec.name} (${g.spec.instanceTypes.length === 0 ? 'any catalog type' : g.types.map((t) => t.name).join('|')}, ${g.spec.min}–${g.spec.max} nodes${g.spec.zone ? `, ${g.spec.zone}` : ''})`)
      .join(', ')}`,
  );
  // A normalized trace is in real units only through its machine scale: it decides how many of its tasks fit one instance.
  if (workload.notes.some((n) => /^units: normalized Google 20(11|19) /.test(n))) {
    workload.notes.push('autoscaler: the trace is normalized and its units come from the machine scale (--machine-scale; default 32 cores and 128 GiB for a 1.0 machine): node-group templates are real instance shapes, so that scale decides how many tasks fit one');
  }
  if (mode === 'karpenter') return new KarpenterProvisioner(workload, groups, options, budgets);
  const rates = fitResourceRates(catalog);
  if (options.expander === 'price' && !(rates.perVcpuHour >= 0 && rates.perGiBHour >= 0)) {
    throw new UsageError(`--autoscaler-options: expander=price needs per-resource prices, and the catalog gives none (${rates.method})`);
  }
  return new ClusterAutoscaler(workload, groups, options, budgets, rates);
}
