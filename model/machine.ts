import type { Taint } from './placement-constraints.js';

/**
 * A machine as every source describes it: an id, capacity and allocatable per resource dimension
 * (in the workload's ResourceSchema units), labels and instance type, plus the extra facts some
 * sources carry (taints, conditions, images, GPU model).
 */
export interface MachineSpec extends MachineExtras {
  /** Stable identifier from the source (trace machine ID, node name, or generated). */
  id: string;
  /** Capacity per resource dimension, in the schema's units. */
  capacity: number[];
  /** Allocatable per dimension (capacity minus reservations); defaults to capacity. */
  allocatable?: number[];
  labels?: Record<string, string>;
  instanceType?: string;
}

export interface MachineEvent {
  time: number;
  kind: 'add' | 'remove';
  machine: MachineSpec;
}

/** Extra machine facts some sources carry (Kubernetes Node objects, openb GPU models). */
export interface MachineExtras {
  taints?: Taint[];
  /** spec.unschedulable (cordoned). */
  unschedulable?: boolean;
  conditions?: { memoryPressure?: boolean; diskPressure?: boolean; pidPressure?: boolean };
  /** Images already present: names and size in bytes (status.images). */
  images?: Array<{ names: string[]; sizeBytes: number }>;
  /** GPU model of the machine's GPUs (openb `model`). */
  gpuModel?: string;
  /** Number of GPU devices (each 1000 milli-GPU), when the GPU dimension is per device. */
  gpuDevices?: number;
}
