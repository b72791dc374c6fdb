import { UsageError } from '../model/errors.js';
import type { ResourceSchema } from '../model/resources.js';
import type { MachineSpec } from '../model/machine.js';
import { DEFAULT_MAX_PODS } from './kubernetes/resources.js';

/**
 * The labels of the nodes schedlab makes itself (`--nodes N --instance TYPE`, the synthetic
 * workload, manifests without Node objects): the well-known labels a real cloud node carries, so
 * that pods selecting them (`nodeSelector: {kubernetes.io/os: linux}` in most public charts, zone
 * spread, DaemonSets) behave as on a real cluster.
 *
 * Sources: the kubelet sets `kubernetes.io/hostname`, `kubernetes.io/os`, `kubernetes.io/arch` and
 * their deprecated `beta.kubernetes.io/os|arch` twins when it registers a node
 * (pkg/kubelet/kubelet_node_status.go initialNode); the cloud provider adds
 * `node.kubernetes.io/instance-type`, `topology.kubernetes.io/region|zone` and the deprecated
 * `beta.kubernetes.io/instance-type`, `failure-domain.beta.kubernetes.io/region|zone`
 * (k8s.io/api/core/v1 well_known_labels.go; both sets are still on EKS/GKE nodes, and older charts
 * select on the beta names).
 *
 * Stated layout (an assumption, in the notes of every run): Linux on amd64 (the catalog's instance
 * families are x86); one region, the instance catalog's (`us-east-1` by default); `zones` zones
 * named region + a, b, c, ... (us-east-1a, us-east-1b, us-east-1c by default), node i in zone
 * i mod zones, so zones differ in size by at most one node.
 */
export const DEFAULT_ZONES = 3;
/** Zone letters a–z. */
export const MAX_ZONES = 26;
export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_OS = 'linux';
export const DEFAULT_ARCH = 'amd64';

export const LABEL_HOSTNAME = 'kubernetes.io/hostname';
export const LABEL_OS = 'kubernetes.io/os';
export const LABEL_ARCH = 'kubernetes.io/arch';
export const LABEL_INSTANCE_TYPE = 'node.kubernetes.io/instance-type';
export const LABEL_REGION = 'topology.kubernetes.io/region';
export const LABEL_ZONE = 'topology.kubernetes.io/zone';

/** Where generated nodes sit and what they run. */
export interface NodeLayout {
  /** Cloud region (default us-east-1, the catalog's). */
  region?: string;
  /** Number of zones, 1–26 (default 3). */
  zones?: number;
  /** Instance type name, for the instance-type labels. */
  instanceType?: string;
}

/** Checks `--zones` (user input: UsageError naming the option). */
export function checkZones(zones: number | undefined): number {
  if (zones === undefined) return DEFAULT_ZONES;
  if (!(Number.isInteger(zones) && zones >= 1 && zones <= MAX_ZONES)) {
    throw new UsageError(`--zones: expected a whole number from 1 to ${MAX_ZONES}, got '${String(zones)}'`);
  }
  return zones;
}

/** The zone names of a layout, in order: us-east-1a, us-east-1b, ... */
export function zoneNames(layout: NodeLayout): string[] {
  const region = layout.region ?? DEFAULT_REGION;
  return Array.from({ length: checkZones(layout.zones) }, (_, k) => `${region}${String.fromCharCode(97 + k)}`);
}

/** The well-known labels of generated node number `index` (0-based), named `hostname`. */
export function generatedNodeLabels(hostname: string, index: number, layout: NodeLayout, zones = zoneNames(layout)): Record<string, string> {
  const region = layout.region ?? DEFAULT_REGION;
  const zone = zones[index % zones.length];
  const labels: Record<string, string> = {
    [LABEL_HOSTNAME]: hostname,
    [LABEL_OS]: DEFAULT_OS,
    [LABEL_ARCH]: DEFAULT_ARCH,
    'beta.kubernetes.io/os': DEFAULT_OS,
    'beta.kubernetes.io/arch': DEFAULT_ARCH,
    [LABEL_REGION]: region,
    [LABEL_ZONE]: zone,
    'failure-domain.beta.kubernetes.io/region': region,
    'failure-domain.beta.kubernetes.io/zone': zone,
  };
  if (layout.instanceType !== undefined) {
    labels[LABEL_INSTANCE_TYPE] = layout.instanceType;
    labels['beta.kubernetes.io/instance-type'] = layout.instanceType;
  }
  return labels;
}

/** One line for the notes: the labels and the zone layout. */
export function describeNodeLayout(nodes: number, layout: NodeLayout): string {
  const zones = zoneNames(layout);
  const used = zones.slice(0, Math.min(nodes, zones.length));
  return (
    `node labels: ${LABEL_HOSTNAME}=<node name>, ${LABEL_OS}=${DEFAULT_OS}, ${LABEL_ARCH}=${DEFAULT_ARCH}` +
    (layout.instanceType !== undefined ? `, ${LABEL_INSTANCE_TYPE}=${layout.instanceType}` : '') +
    `, ${LABEL_REGION}=${layout.region ?? DEFAULT_REGION}, ${LABEL_ZONE} round-robin over ${used.join(', ')}` +
    (used.length < zones.length ? ` (${used.length} of ${zones.length} zones: fewer nodes than zones)` : '') +
    ` (plus the deprecated beta.kubernetes.io/* and failure-domain.beta.kubernetes.io/* twins; --zones to choose the zone count)`
  );
}

/** The shape of each generated node (from `--instance`). */
export interface GeneratedNodeShape {
  cpuMillicores: number;
  memoryBytes: number;
  /** Whole GPUs per node (default 0). */
  gpus?: number;
  /** Pod capacity, for workloads that count pods (kubelet --max-pods; default 110). */
  maxPods?: number;
  /** Extra labels on every node; they win over the well-known ones except the hostname. */
  labels?: Record<string, string>;
}

/**
 * `count` identical nodes node-0 … node-(count−1) (zero-padded to one width) over the workload's
 * resource dimensions — cpu millicores, memory bytes, gpu thousandths, pods — with the
 * well-known labels above. A dimension other than those four cannot be generated (Error).
 */
export function generateNodes(count: number, resources: ResourceSchema, shape: GeneratedNodeShape, layout: NodeLayout = {}): MachineSpec[] {
  const gpus = shape.gpus ?? 0;
  const capacity = resources.names.map((name) => {
    switch (name) {
      case 'cpu':
        return shape.cpuMillicores;
      case 'memory':
        return shape.memoryBytes;
      case 'gpu':
        return gpus * 1000;
      case 'pods':
        return shape.maxPods ?? DEFAULT_MAX_PODS;
      default:
        throw new UsageError(`cannot generate nodes for a workload with resource '${name}' (generated nodes have cpu, memory, gpu and pods)`);
    }
  });
  const zones = zoneNames(layout);
  const width = String(Math.max(count - 1, 0)).length;
  const out: MachineSpec[] = [];
  for (let i = 0; i < count; i++) {
    const id = `node-${String(i).padStart(width, '0')}`;
    const m: MachineSpec = { id, capacity: [...capacity], labels: { ...generatedNodeLabels(id, i, layout, zones), ...(shape.labels ?? {}), [LABEL_HOSTNAME]: id } };
    if (layout.instanceType !== undefined) m.instanceType = layout.instanceType;
    if (gpus > 0) m.gpuDevices = gpus;
    out.push(m);
  }
  return out;
}
