import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_RESOURCES } from '../../model/resources.js';
import { MiB } from '../../model/units.js';
import { InputError } from '../../model/errors.js';
import type { OnBadRow } from '../reader-kit/bad-rows.js';
import type { PlacementConstraints } from '../../model/placement-constraints.js';
import { allocTaskBatch, type TaskBatch } from '../../model/task-batch.js';
import type { MachineSpec } from '../../model/machine.js';
import type { Workload } from '../../model/workload.js';
import { readOpenbNodes, type OpenbNodes } from './nodes.js';
import { openbPodCounts, readOpenbPods, type OpenbPods } from './pods.js';
import { MILLI_PER_GPU, OPENB_PHASES, OPENB_QOS } from './schema.js';
import { plural } from '../reader-kit/string-table.js';

/**
 * Alibaba openb (cluster-trace-gpu-v2023) → Workload for `schedlab replay`.
 *
 * - Machines: the node list (default: `openb_node_list_all_node.csv` beside the pod list, since
 *   pod lists include CPU-only pods). Capacity = [cpu_milli, memory_mib × 2^20 bytes, gpu × 1000
 *   milli-GPU]; MachineExtras.gpuModel = model, gpuDevices = gpu.
 * - Tasks: one per pod, each its own job (named after the pod). Request = [cpu_milli, memory
 *   bytes, num_gpu × gpu_milli]. Submit = creation_time. Duration = deletion_time − scheduled_time
 *   for pods that were scheduled; NaN otherwise. Pods the trace never scheduled (empty
 *   scheduled_time, i.e. Pending) get killTime = deletion_time: they left the queue then.
 *   recordedStart = scheduled_time.
 * - Constraints per job: gpuModels from gpu_spec (undefined = any model), qos as written.
 * - Priority 0 for every pod: the trace has no priority, and QoS is kept as a constraint field
 *   instead of being turned into an invented ordering.
 * - The 5-column `multigpu*` lists have no times: every pod is submitted at 0 and runs forever.
 */
export interface OpenbReadOptions {
  /** Node list to use; default `openb_node_list_all_node.csv` in the pod list's folder. */
  nodes?: string;
  /** When `path` is a folder: which pod list in it (default 'default' → openb_pod_list_default.csv). */
  podList?: string;
  onBadRow?: OnBadRow;
  /** Tasks per TaskBatch (default 65,536). */
  batchSize?: number;
}

/** Pod list and node list files for `p` (a pod list file or a folder of openb CSVs). */
export function resolveOpenbFiles(p: string, options: OpenbReadOptions = {}): { pods: string; nodes: string } {
  if (!existsSync(p)) throw new InputError({ file: p, problem: 'no such file or folder' });
  const isDir = statSync(p).isDirectory();
  const pods = isDir ? path.join(p, `openb_pod_list_${options.podList ?? 'default'}.csv`) : p;
  if (!existsSync(pods)) throw new InputError({ file: pods, problem: 'no such openb pod list' });
  const nodes = options.nodes ?? path.join(path.dirname(pods), 'openb_node_list_all_node.csv');
  if (!existsSync(nodes)) {
    throw new InputError({ file: nodes, problem: 'no openb node list here; pass the node list file explicitly (options.nodes)' });
  }
  return { pods, nodes };
}

export function openbMachines(nodes: OpenbNodes): MachineSpec[] {
  const out: MachineSpec[] = [];
  for (let i = 0; i < nodes.count; i++) {
    const spec: MachineSpec = {
      id: nodes.ids[i],
      capacity: [nodes.cpuMilli[i], nodes.memoryMib[i] * MiB, nodes.gpus[i] * MILLI_PER_GPU],
    };
    if (nodes.gpus[i] > 0) {
      spec.gpuModel = nodes.model[i];
      spec.gpuDevices = nodes.gpus[i];
      spec.labels = { 'gpu-model': nodes.model[i] };
    }
    out.push(spec);
  }
  return out;
}


export async function readOpenb(p: string, options: OpenbReadOptions = {}): Promise<Workload> {
  const files = resolveOpenbFiles(p, options);
  const nodes = readOpenbNodes(files.nodes);
  const pods = readOpenbPods(files.pods, { onBadRow: options.onBadRow });
  return openbWorkload(pods, nodes, options.batchSize);
}

/** Builds the Workload from already-read tables (also used by tests on fixtures). */
export function openbWorkload(pods: OpenbPods, nodes: OpenbNodes, batchSize = 65_536): Workload {
  const n = pods.count;
  const dims = DEFAULT_RESOURCES.names.length;
  // Submit order: creation time, ties in file order (the official lists are already sorted).
  const order = Array.from({ length: n }, (_, i) => i);
  if (pods.hasTimes) order.sort((a, b) => pods.creation[a] - pods.creation[b] || a - b);
  const jobs = pods.names.slice();
  const jobConstraints: Array<PlacementConstraints | undefined> = new Array(n);
  let horizon = 0;
  let neverScheduled = 0;
  let scheduledButNotRunning = 0;
  for (let i = 0; i < n; i++) {
    const c: PlacementConstraints = {};
    if (pods.spec[i] >= 0) c.gpuModels = pods.specs[pods.spec[i]].slice();
    if (pods.qos[i] !== 255) c.qos = OPENB_QOS[pods.qos[i]];
    jobConstraints[i] = c.gpuModels !== undefined || c.qos !== undefined ? c : undefined;
    if (pods.deletion[i] > horizon) horizon = pods.deletion[i];
    if (pods.hasTimes && Number.isNaN(pods.scheduled[i])) {
      neverScheduled++;
      if (OPENB_PHASES[pods.phase[i]] !== 'Pending') scheduledButNotRunning++;
    }
  }
  const counts = openbPodCounts(pods);
  const fmtCounts = (r: Record<string, number>) => Object.entries(r).map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`).join(', ');
  const notes: string[] = [
    `openb pods: ${path.basename(pods.file)} (${plural(n, 'pod')}); nodes: ${path.basename(nodes.file)} (${plural(nodes.count, 'node')}, ${plural(nodes.totalGpus, 'GPU')})`,
    'units: cpu_milli → millicores; memory_mib × 1,048,576 → bytes; num_gpu × gpu_milli → milli-GPU (1000 = one device)',
    'the replay cluster sums GPU capacity per node; the gpu-* policies (gpu-fgd, gpu-best-fit, ...) place at device level (a fractional pod on one GPU, whole GPUs free), other policies see only the per-node sum',
    'priority 0 for every pod (the trace has none); QoS kept as a constraint field',
  ];
  if (pods.hasTimes) {
    notes.push(
      `phases: ${fmtCounts(counts.phase)}; QoS: ${fmtCounts(counts.qos)}`,
      `duration = deletion_time − scheduled_time; ${plural(neverScheduled, 'pod')} never scheduled in the trace (no duration; leave the queue at deletion_time)` +
        (scheduledButNotRunning > 0 ? `, ${scheduledButNotRunning} of them not in phase Pending` : ''),
    );
  } else {
    notes.push('short (5-column) pod list: no times, every pod submitted at 0 and running to the end');
  }
  notes.push(...pods.badRows.describe('pod'));
  const eventCounts: Record<string, number> = {};
  for (const [k, v] of Object.entries(counts.phase)) eventCounts[`phase ${k}`] = v;
  for (const [k, v] of Object.entries(counts.qos)) eventCounts[`qos ${k}`] = v;
  for (const [k, v] of Object.entries(counts.numGpu)) eventCounts[`num_gpu ${k}`] = v;
  const badRows: Record<string, number> = {};
  for (const e of pods.badRows.entries()) badRows[e.reason] = e.count;

  async function* taskBatches(): AsyncIterable<TaskBatch> {
    for (let start = 0; start < n; start += batchSize) {
      const count = Math.min(batchSize, n - start);
      const b = allocTaskBatch(count, dims);
      b.killTime = new Float64Array(count).fill(NaN);
      b.recordedStart = new Float64Array(count).fill(NaN);
      for (let k = 0; k < count; k++) {
        const i = order[start + k];
        b.submitTime[k] = pods.hasTimes ? pods.creation[i] * 1e6 : 0;
        const sched = pods.scheduled[i];
        b.duration[k] = sched === sched ? (pods.deletion[i] - sched) * 1e6 : NaN;
        if (pods.hasTimes && sched !== sched) b.killTime[k] = pods.deletion[i] * 1e6;
        b.recordedStart[k] = sched * 1e6;
        b.request[k * dims] = pods.cpuMilli[i];
        b.request[k * dims + 1] = pods.memoryMib[i] * MiB;
        b.request[k * dims + 2] = pods.numGpu[i] * pods.gpuMilli[i];
        b.job[k] = i;
        b.taskIndex[k] = 0;
        b.priority[k] = 0;
      }
      yield b;
    }
  }

  return {
    name: pods.file,
    resources: DEFAULT_RESOURCES,
    machines: openbMachines(nodes),
    machineEvents: [],
    jobs,
    users: [],
    taskBatches,
    notes,
    jobConstraints,
    sourceStats: { rowsRead: n + pods.badRows.total, files: 2, eventCounts, badRows },
    expectedTasks: n,
    priorityScale: 'kubernetes', // a Kubernetes cluster; every pod 0 (no PriorityClass): the mid band, not Borg's free band
    horizon: pods.hasTimes ? horizon * 1e6 : undefined,
  };
}
