import type { Workload } from '../model/workload.js';
import type { WorkloadSource } from './workload-source.js';
import { syntheticWorkload } from './synthetic/generator.js';
import { readWorkloadFromPath } from './format-registry.js';
import type { OnBadRow } from './reader-kit/bad-rows.js';
import type { InstanceType } from '../model/instance-catalog.js';
import { GiB } from '../model/units.js';
import { parseMachineScale } from './machine-scale.js';
import { describeNodeLayout, generateNodes } from './generated-nodes.js';
import { plural } from './reader-kit/string-table.js';
import { checkMachines } from './check-machines.js';
import { UsageError } from '../model/errors.js';

export interface WorkloadSpec extends Omit<WorkloadSource, 'instance' | 'catalog'> {
  /** The nodes' instance type, resolved from the catalog. */
  instance: InstanceType;
  /** Normalized traces: the real size of a 1.0 machine ('cpu=32,mem=128GiB'). */
  machineScale?: string;
  /** Bad rows in a trace: stop at the first (default) or skip and count them. */
  onBadRow?: OnBadRow;
  /** Region of generated nodes (the catalog's; default us-east-1). */
  region?: string;
  /** Keep a source without machines machine-less (trace convert): its nodes are chosen at replay. */
  deferGeneratedNodes?: boolean;
  /** Options the user gave explicitly (ReplaySpec.explicit): --nodes/--instance make SWF gangs and Azure hosts, and are refused where the input has machines. */
  explicit?: ReadonlyArray<'nodes' | 'instance' | 'tasks' | 'hours'>;
}

/** The shape of one generated node of an instance type (whole vCPUs, GiB, GPUs as sold). */
export function generatedNodeShape(instance: InstanceType): { cpuMillicores: number; memoryBytes: number; gpus: number } {
  return { cpuMillicores: instance.vcpu * 1000, memoryBytes: instance.memoryGiB * GiB, gpus: instance.gpus };
}

/** Builds the workload a replay asked for: the generator, or the trace reader for the path's format. */
export async function openWorkload(spec: WorkloadSpec): Promise<Workload> {
  const shape = generatedNodeShape(spec.instance);
  // Parsed first so a malformed value is reported whatever the workload.
  const machineScale = spec.machineScale ? parseMachineScale(spec.machineScale) : undefined;
  if (spec.workload === 'synthetic') {
    return syntheticWorkload({
      seed: spec.seed,
      nodes: spec.nodes,
      tasks: spec.tasks,
      hours: spec.hours,
      instance: { name: spec.instance.name, ...shape },
      zones: spec.zones,
      region: spec.region,
      standing: spec.standing,
      diurnal: spec.diurnal,
    });
  }
  const layout = { instanceType: spec.instance.name, zones: spec.zones, region: spec.region };
  // --nodes / --instance (/ --zones) given: the first of them, for messages where they do not apply.
  const nodesGiven = spec.explicit?.find((o): o is 'nodes' | 'instance' => o === 'nodes' || o === 'instance') ?? (spec.zones !== undefined ? 'zones' : undefined);
  const onNodes = spec.explicit?.includes('nodes') || spec.explicit?.includes('instance');
  // --instance alone: nodes of that type, as many as the trace needs (the reader says how many).
  const count = spec.explicit?.includes('nodes') ? spec.nodes : undefined;
  const w = await readWorkloadFromPath(spec.workload, {
    format: spec.format,
    onBadRow: spec.onBadRow,
    google2011: { machineScale },
    google2019: { machineScale },
    // Manifests describe pods; without Node objects they run on --nodes nodes of --instance.
    kubernetes: {
      nodes: spec.nodes,
      nodeShape: shape,
      ...layout,
      deferGeneratedNodes: spec.deferGeneratedNodes,
      nodesGiven,
      // Manifests have no window of their own: --hours sets it (default 1 h), e.g. for CronJob runs.
      ...(spec.explicit?.includes('hours') ? { horizonSeconds: spec.hours * 3600 } : {}),
    },
    // SWF rigid jobs as gangs across --nodes nodes of --instance (else one pool, stated).
    swf: onNodes ? { nodes: { count, cpuMillicores: shape.cpuMillicores, memoryBytes: shape.memoryBytes, instanceType: spec.instance.name } } : undefined,
    // Azure VMs on --nodes hosts of --instance (else enough default hosts for the peak, stated).
    azure: onNodes
      ? {
          ...(count !== undefined ? { machines: { count, capacity: { cpuMillicores: shape.cpuMillicores, memoryBytes: shape.memoryBytes } } } : { host: { cpuMillicores: shape.cpuMillicores, memoryBytes: shape.memoryBytes } }),
          instanceType: spec.instance.name,
        }
      : undefined,
  });
  // A native file that stores its machines takes none from --nodes/--instance/--zones.
  if (nodesGiven !== undefined && spec.format === 'native' && (w.machines.length > 0 || w.machineEvents.length > 0)) {
    throw new UsageError(`--${nodesGiven} does not apply: ${spec.workload} stores its machines (${plural(w.machines.length, 'machine')} at the start)`);
  }
  checkMachines(w, spec.workload);
  // A source without any machine (a native file converted from manifests without Node objects)
  // runs on --nodes generated nodes of --instance, as the manifests themselves would.
  if (!spec.deferGeneratedNodes && w.machines.length === 0 && w.machineEvents.length === 0) {
    w.machines = generateNodes(spec.nodes, w.resources, shape, layout);
    w.notes.push(
      `nodes: the workload has none; ${plural(spec.nodes, 'generated node')} ${spec.instance.name} (${shape.cpuMillicores / 1000} CPU, ${spec.instance.memoryGiB} GiB, ${shape.gpus} GPU each)`,
      describeNodeLayout(spec.nodes, layout),
    );
  }
  return w;
}
