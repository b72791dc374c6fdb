import { PolicyError } from '../policy.js';
import type { TaskView } from '../../model/task-view.js';
import { MILLI } from './gpu-devices.js';

/**
 * A replay task's demand as the device-level GPU policies see it (Weng et al., ATC'23 §2: a pod
 * asks for a share of ONE device, or k whole devices, or no GPU). The simulator keeps GPU as one
 * summed dimension per node (milli-GPU), so the shape is decoded from that total: < 1000 is a
 * share of one device, k × 1000 is k whole devices.
 */
export interface GpuTaskShape {
  /** Millicores (0 when the schema has no 'cpu' dimension). */
  cpu: number;
  /** Total milli-GPU (the simulator's 'gpu' dimension). */
  total: number;
  /** Milli-GPU per device: 1..999 shares one device, 1000 = whole devices, 0 = no GPU. */
  milli: number;
  /** Devices: 1 for a share, k for k whole devices, 0 for no GPU. */
  count: number;
  /**
   * Allowed GPU models (openb gpu_spec), undefined = any. Only binding for tasks that ask for a
   * GPU, as in the experiment's GpuCluster.fits: a model restriction means nothing to a CPU-only pod.
   */
  models: readonly string[] | undefined;
}

export function emptyShape(): GpuTaskShape {
  return { cpu: 0, total: 0, milli: 0, count: 0, models: undefined };
}

/**
 * Fills `out` from the task. A GPU total that is neither a share (< 1000) nor whole devices
 * (a multiple of 1000) has no device-level meaning: it is an error naming the policy and task,
 * not a silent rounding (it would break the device ledger's sum against the simulator's).
 */
export function readGpuShape(policy: string, task: TaskView, cpuDim: number, gpuDim: number, out: GpuTaskShape): GpuTaskShape {
  out.cpu = cpuDim >= 0 ? task.request[cpuDim] : 0;
  const g = gpuDim >= 0 ? task.request[gpuDim] : 0;
  out.total = g;
  out.models = task.constraints?.gpuModels;
  if (g === 0) {
    out.milli = 0;
    out.count = 0;
  } else if (g > 0 && g < MILLI && Number.isInteger(g)) {
    out.milli = g;
    out.count = 1;
  } else if (g > 0 && g % MILLI === 0) {
    out.milli = MILLI;
    out.count = g / MILLI;
  } else {
    throw new PolicyError(
      `policy '${policy}': task ${task.id} asks for ${g} milli-GPU, which is neither a share of one device (1–999) ` +
        `nor whole devices (a multiple of 1000); device-level GPU policies cannot place it`,
    );
  }
  return out;
}

/** GPU clustering's pod type: 0 = shares a device, k = k whole devices, -1 = no GPU. */
export function shapeType(s: GpuTaskShape): number {
  if (s.count === 0) return -1;
  return s.milli < MILLI ? 0 : s.count;
}

/** Whether the shape shares one device. */
export function isShare(s: GpuTaskShape): boolean {
  return s.count === 1 && s.milli < MILLI;
}
