import type { Workload } from './workload.js';
import { syntheticWorkload } from './synthetic/generator.js';
import type { InstanceType } from '../reports/instance-catalog.js';
import { UsageError } from '../harness/usage-error.js';
import { GiB } from '../harness/resources.js';

export interface WorkloadSpec {
  /** 'synthetic' (the embedded default) or a path to a trace. */
  workload: string;
  format?: string;
  seed: number;
  nodes: number;
  tasks: number;
  hours: number;
  instance: InstanceType;
}

/** Builds the workload a replay asked for. */
export async function openWorkload(spec: WorkloadSpec): Promise<Workload> {
  if (spec.workload === 'synthetic') {
    return syntheticWorkload({
      seed: spec.seed,
      nodes: spec.nodes,
      tasks: spec.tasks,
      hours: spec.hours,
      instance: {
        name: spec.instance.name,
        cpuMillicores: spec.instance.vcpu * 1000,
        memoryBytes: spec.instance.memoryGiB * GiB,
        gpus: spec.instance.gpus,
      },
    });
  }
  throw new UsageError(
    `--workload: reading traces from a path (${spec.workload}) is not available yet; use --workload synthetic`,
  );
}
