import type { Workload } from './workload.js';
import { syntheticWorkload } from './synthetic/generator.js';
import { detectFormat } from './detect-format.js';
import { readGoogle2011 } from './google-2011/reader.js';
import type { InstanceType } from '../reports/instance-catalog.js';
import { UsageError } from '../harness/usage-error.js';
import { GiB } from '../harness/resources.js';
import { parseMachineScale } from './machine-scale.js';

export interface WorkloadSpec {
  /** 'synthetic' (the embedded default) or a path to a trace. */
  workload: string;
  format?: string;
  seed: number;
  nodes: number;
  tasks: number;
  hours: number;
  instance: InstanceType;
  /** Normalized traces: the real size of a 1.0 machine ('cpu=32,mem=128GiB'). */
  machineScale?: string;
}

/** Builds the workload a replay asked for: the generator, or a trace reader chosen by format. */
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
  const detected = await detectFormat(spec.workload, spec.format);
  if (detected.kind !== 'trace-folder') {
    throw new UsageError(
      `--workload: ${spec.workload} is a single ${detected.format} table; a replay needs the trace folder ` +
        `(with machine_events/ and task_events/ inside)`,
    );
  }
  return readGoogle2011(detected.path, { machineScale: spec.machineScale ? parseMachineScale(spec.machineScale) : undefined });
}
