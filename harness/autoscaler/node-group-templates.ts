import { UsageError } from '../../model/errors.js';
import type { InstanceCatalog, InstanceType } from '../../model/instance-catalog.js';
import type { MachineSpec } from '../../model/machine.js';
import type { ResourceSchema } from '../../model/resources.js';
import { GiB } from '../../model/units.js';
import { LABEL_HOSTNAME, LABEL_INSTANCE_TYPE, LABEL_ZONE, generatedNodeLabels } from '../../workloads/generated-nodes.js';
import { DEFAULT_MAX_PODS } from '../../workloads/kubernetes/resources.js';
import type { NodeGroupSpec } from './node-groups.js';

/**
 * A node group resolved against the instance catalog and the workload's resource dimensions: what
 * a new node of it looks like. Upstream builds a group's template node from a real node of the
 * group when it has one, else from the cloud provider's description of the instance type
 * (cluster-autoscaler FAQ.md "How can I scale a node group to 0?"; the AWS provider's template
 * from the instance type); schedlab does the same: `templateAllocatable` starts as the catalog
 * shape (whole vCPUs, GiB, GPUs as sold, kubelet's default 110 pods) and becomes the allocatable
 * the simulator gave the first node of that type (the kubelet's reservations applied) once one
 * exists.
 */
export interface NodeGroup {
  index: number;
  spec: NodeGroupSpec;
  /** Allowed instance types, cheapest first (ties by name). */
  types: InstanceType[];
  region: string;
}

/** Units a dimension must have for a catalog instance to be expressed in it. */
const UNITS: Record<string, string> = { cpu: 'millicores', memory: 'bytes', gpu: 'milli-gpu', pods: 'pods' };

/**
 * Resolves each group's instance types in the catalog (an unknown one: UsageError naming where it
 * was written and a few known names). `anyType` (Karpenter): a group that names none may use every
 * catalog type; otherwise such a group is refused.
 */
export function resolveNodeGroups(specs: NodeGroupSpec[], catalog: InstanceCatalog, resources: ResourceSchema, mode: 'cluster-autoscaler' | 'karpenter'): NodeGroup[] {
  checkDimensions(resources);
  const known = Object.keys(catalog.instances);
  const byPrice = (a: InstanceType, b: InstanceType): number => a.pricePerHour - b.pricePerHour || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return specs.map((spec, index) => {
    if (spec.instanceTypes.length === 0 && mode === 'cluster-autoscaler') {
      throw new UsageError(`${spec.where}: a cluster-autoscaler node group needs its instanceType (one type per group)`);
    }
    if (spec.instanceTypes.length > 1 && mode === 'cluster-autoscaler') {
      throw new UsageError(`${spec.instanceTypesWhere}: a cluster-autoscaler node group has one instance type, got ${spec.instanceTypes.length} (several types are for --autoscaler karpenter)`);
    }
    const names = spec.instanceTypes.length > 0 ? spec.instanceTypes : known;
    const types = names.map((name) => {
      const t = catalog.instances[name];
      if (!t) {
        const few = known.slice(0, 6).join(', ');
        throw new UsageError(`${spec.instanceTypesWhere}: unknown instance type '${name}'; the catalog has ${known.length} (${few}${known.length > 6 ? ', ...' : ''})`);
      }
      return { name, ...t };
    });
    types.sort(byPrice);
    return { index, spec, types, region: catalog.region };
  });
}

/**
 * A catalog instance can be turned into a node only for dimensions it describes, in real units:
 * cpu millicores, memory bytes, gpu milli-GPU, pods. Anything else (a normalized trace, an extra
 * dimension) is a UsageError naming --node-groups.
 */
export function checkDimensions(resources: ResourceSchema): void {
  resources.names.forEach((name, d) => {
    const unit = UNITS[name];
    if (unit === undefined) {
      throw new UsageError(`--node-groups: the workload has resource '${name}', which an instance type does not describe (node groups need cpu, memory, gpu and pods only)`);
    }
    if (resources.units[d] !== unit) {
      throw new UsageError(`--node-groups: the workload's ${name} is in '${resources.units[d]}', not ${unit}; an instance type cannot be expressed in it (normalized traces need --machine-scale)`);
    }
  });
}

/** The catalog shape of an instance type in the workload's dimensions (its capacity as sold). */
export function instanceCapacity(type: InstanceType, resources: ResourceSchema): Float64Array {
  const out = new Float64Array(resources.names.length);
  resources.names.forEach((name, d) => {
    out[d] = name === 'cpu' ? type.vcpu * 1000 : name === 'memory' ? Math.floor(type.memoryGiB * GiB) : name === 'gpu' ? type.gpus * 1000 : DEFAULT_MAX_PODS;
  });
  return out;
}

/**
 * The machine a new node of the group is: the catalog shape, the well-known labels a cloud node
 * carries (workloads/generated-nodes.ts: hostname, os, arch, instance type, region and the group's
 * zone, with their deprecated twins; no zone labels when the group has no zone), then the group's
 * own labels (never over the hostname), and the group's taints.
 */
export function nodeSpecFor(group: NodeGroup, type: InstanceType, id: string, resources: ResourceSchema): MachineSpec {
  const zone = group.spec.zone;
  const labels = generatedNodeLabels(id, 0, { region: group.region, instanceType: type.name }, [zone ?? '']);
  if (zone === undefined) {
    delete labels[LABEL_ZONE];
    delete labels['failure-domain.beta.kubernetes.io/zone'];
  }
  const spec: MachineSpec = {
    id,
    capacity: Array.from(instanceCapacity(type, resources)),
    labels: { ...labels, ...group.spec.labels, [LABEL_HOSTNAME]: id },
    instanceType: type.name,
  };
  if (group.spec.taints.length > 0) spec.taints = group.spec.taints.map((t) => ({ ...t }));
  if (type.gpus > 0) spec.gpuDevices = type.gpus;
  return spec;
}

/**
 * The group an existing node belongs to: the first whose instance types include the node's and
 * whose zone (when it states one) is the node's `topology.kubernetes.io/zone` (-1: none; such a
 * node is outside autoscaling and never removed).
 */
export function groupOfMachine(groups: readonly NodeGroup[], instanceType: string, labels: Readonly<Record<string, string>>): number {
  const type = instanceType !== '' ? instanceType : labels[LABEL_INSTANCE_TYPE];
  if (!type) return -1;
  for (const g of groups) {
    if (!g.types.some((t) => t.name === type)) continue;
    if (g.spec.zone !== undefined && labels[LABEL_ZONE] !== g.spec.zone) continue;
    return g.index;
  }
  return -1;
}
