import { UsageError } from '../../model/errors.js';
import type { MachineSpec } from '../../model/machine.js';
import type { Taint } from '../../model/placement-constraints.js';
import { Fields } from './fields.js';
import type { ManifestObject } from './manifest-documents.js';
import { readResourceList, type IgnoredResources } from './resource-list.js';
import { DEFAULT_MAX_PODS, DIM_CPU, DIM_GPU, DIM_MEMORY, DIM_PODS, DIMS, KUBERNETES_RESOURCES } from './resources.js';
import { generateNodes as generateAnyNodes, type NodeLayout } from '../generated-nodes.js';

export const HOSTNAME_LABEL = 'kubernetes.io/hostname';
export const INSTANCE_TYPE_LABELS = ['node.kubernetes.io/instance-type', 'beta.kubernetes.io/instance-type'];

/** The shape of generated nodes when the input has no Node objects (`--nodes`, `--instance`). */
export interface NodeShape {
  cpuMillicores: number;
  memoryBytes: number;
  /** Whole GPUs per node (default 0). */
  gpus?: number;
  /** Labels every generated node carries besides the well-known ones (generated-nodes.ts); they win over those except the hostname. */
  labels?: Record<string, string>;
  /** Pod capacity (kubelet --max-pods); default 110. */
  maxPods?: number;
}

export interface NodeReadStats {
  /** Nodes without status.capacity.pods, given the kubelet default. */
  defaultedPods: number;
  /** Nodes given a kubernetes.io/hostname label (equal to the name) they did not carry. */
  addedHostname: number;
}

/**
 * A Node object (as `kubectl get nodes -o yaml` prints it) → MachineSpec. status.capacity must
 * state cpu and memory (a Node without them cannot be modeled: InputError); status.allocatable
 * defaults to capacity per resource. Also read: labels (plus kubernetes.io/hostname = the name
 * when absent, as the kubelet sets it), the instance type label, spec.taints, spec.unschedulable,
 * the MemoryPressure / DiskPressure / PIDPressure conditions, status.images, and the GPU count
 * (nvidia.com/gpu; model from the nvidia.com/gpu.product label of NVIDIA's GPU feature discovery).
 */
export function readNode(o: ManifestObject, ignored: IgnoredResources, stats: NodeReadStats, defaultInstance?: string): MachineSpec {
  const f = new Fields(o.body, o.at);
  const name = f.requiredString(['metadata', 'name'], 'a node name');
  const capacity = readResourceList(f, ['status', 'capacity'], true, ignored);
  for (const [d, key] of [[DIM_CPU, 'cpu'], [DIM_MEMORY, 'memory']] as const) {
    if (capacity[d] !== capacity[d]) {
      throw o.at.error(['status', 'capacity', key], `the node's ${key} capacity (a quantity; status.capacity as kubectl get nodes -o yaml prints it)`, undefined);
    }
  }
  if (capacity[DIM_GPU] !== capacity[DIM_GPU]) capacity[DIM_GPU] = 0;
  if (capacity[DIM_PODS] !== capacity[DIM_PODS]) {
    capacity[DIM_PODS] = DEFAULT_MAX_PODS;
    stats.defaultedPods++;
  }
  const alloc = readResourceList(f, ['status', 'allocatable'], true, ignored);
  let anyAlloc = false;
  for (let d = 0; d < DIMS; d++) {
    if (alloc[d] === alloc[d]) {
      anyAlloc = true;
      if (alloc[d] > capacity[d]) throw o.at.error(['status', 'allocatable'], `allocatable no larger than capacity`, f.raw(['status', 'allocatable']));
    } else alloc[d] = capacity[d];
  }

  const labels = { ...(f.stringMap(['metadata', 'labels']) ?? {}) };
  if (labels[HOSTNAME_LABEL] === undefined) {
    labels[HOSTNAME_LABEL] = name;
    stats.addedHostname++;
  }
  const m: MachineSpec = { id: name, capacity: [...capacity], labels };
  if (anyAlloc) m.allocatable = [...alloc];
  const instanceType = INSTANCE_TYPE_LABELS.map((k) => labels[k]).find((v) => v !== undefined) ?? defaultInstance;
  if (instanceType !== undefined) m.instanceType = instanceType;

  const nt = f.list(['spec', 'taints']);
  if (nt > 0) {
    const taints: Taint[] = [];
    for (let i = 0; i < nt; i++) {
      const key = f.requiredString(['spec', 'taints', i, 'key'], 'a taint key');
      const effect = f.oneOf(['spec', 'taints', i, 'effect'], ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const);
      if (effect === undefined) throw o.at.error(['spec', 'taints', i, 'effect'], 'NoSchedule, PreferNoSchedule or NoExecute', undefined);
      const value = f.string(['spec', 'taints', i, 'value']);
      taints.push(value === undefined ? { key, effect } : { key, value, effect });
    }
    m.taints = taints;
  }
  if (f.bool(['spec', 'unschedulable']) === true) m.unschedulable = true;

  const nc = f.list(['status', 'conditions']);
  const conditions: NonNullable<MachineSpec['conditions']> = {};
  for (let i = 0; i < nc; i++) {
    const type = f.string(['status', 'conditions', i, 'type']);
    const status = f.oneOf(['status', 'conditions', i, 'status'], ['True', 'False', 'Unknown'] as const);
    const on = status === 'True';
    if (type === 'MemoryPressure') conditions.memoryPressure = on;
    else if (type === 'DiskPressure') conditions.diskPressure = on;
    else if (type === 'PIDPressure') conditions.pidPressure = on;
  }
  if (nc > 0) m.conditions = conditions;

  const ni = f.list(['status', 'images']);
  if (ni > 0) {
    m.images = [];
    for (let i = 0; i < ni; i++) {
      const names = f.stringList(['status', 'images', i, 'names']) ?? [];
      const sizeBytes = f.int(['status', 'images', i, 'sizeBytes'], 0, Number.MAX_SAFE_INTEGER);
      m.images.push({ names, sizeBytes: sizeBytes ?? NaN });
    }
  }
  if (capacity[DIM_GPU] > 0) {
    m.gpuDevices = capacity[DIM_GPU] / 1000;
    const model = labels['nvidia.com/gpu.product'];
    if (model !== undefined) m.gpuModel = model;
  }
  return m;
}

/** Validates the generated-node options (user input: UsageError naming the option). */
export function checkNodeOptions(nodes: number | undefined, shape: NodeShape | undefined): { nodes: number; shape: NodeShape } {
  if (nodes === undefined || shape === undefined) {
    throw new UsageError('kubernetes: the manifests have no Node objects; give --nodes N (and --instance TYPE for their shape, default m5.2xlarge) to run them on N generated nodes');
  }
  if (!(Number.isInteger(nodes) && nodes >= 1)) throw new UsageError(`--nodes: expected a positive integer, got ${nodes}`);
  const pos = (v: number | undefined, what: string, allowZero: boolean) => {
    if (v !== undefined && !(Number.isFinite(v) && (allowZero ? v >= 0 : v > 0))) {
      throw new UsageError(`--instance: node ${what} must be ${allowZero ? 'non-negative' : 'positive'}, got ${v}`);
    }
  };
  pos(shape.cpuMillicores, 'CPU', false);
  pos(shape.memoryBytes, 'memory', false);
  pos(shape.gpus, 'GPU count', true);
  pos(shape.maxPods, 'max pods', false);
  return { nodes, shape };
}

/**
 * `nodes` identical nodes node-0 … node-(n−1) of the given shape (no taints, no images), with the
 * well-known labels of a cloud node (../generated-nodes.ts: hostname, os, arch, instance type,
 * region and zone, round-robin over the layout's zones) plus `shape.labels`.
 */
export function generateNodes(nodes: number, shape: NodeShape, layout: NodeLayout = {}): MachineSpec[] {
  return generateAnyNodes(nodes, KUBERNETES_RESOURCES, shape, layout);
}
