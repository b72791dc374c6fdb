import { GiB } from '../../model/units.js';
import type { ResourceSchema } from '../../model/resources.js';

/**
 * Google 2011 values are normalized: each dimension is divided by the largest machine's capacity,
 * so the largest machine is 1.0. Turning them into millicores and bytes needs the size of that
 * normalized 1.0 machine, which Google never published. The mapping is the user's choice and every
 * Workload states it in its notes.
 */
export interface MachineScale {
  /** Millicores of a machine with normalized CPU capacity 1.0. */
  cpuMillicores: number;
  /** Bytes of a machine with normalized memory capacity 1.0. */
  memoryBytes: number;
}

/**
 * Default: the 1.0 machine has 32 cores and 128 GiB, so the common 2011 shapes (0.5, 0.4995) and
 * (0.5, 0.2493) become 16 cores with about 64 GiB and 32 GiB: plausible for 2011 servers, not a
 * published fact.
 */
export const DEFAULT_MACHINE_SCALE: MachineScale = { cpuMillicores: 32_000, memoryBytes: 128 * GiB };

/** Google 2011 has no GPUs and no limits: workloads from it use CPU and memory only. */
export const GOOGLE_2011_RESOURCES: ResourceSchema = {
  names: ['cpu', 'memory'],
  units: ['millicores', 'bytes'],
};

export function checkMachineScale(scale: MachineScale): void {
  for (const [k, v] of Object.entries(scale)) {
    if (!(typeof v === 'number' && v > 0 && Number.isFinite(v))) {
      throw new Error(`machineScale.${k} must be a positive number, got ${String(v)}`);
    }
  }
}

/** The note every Google 2011 workload carries. */
export function describeMachineScale(scale: MachineScale): string {
  const cores = scale.cpuMillicores / 1000;
  const gib = scale.memoryBytes / GiB;
  return (
    `units: normalized Google 2011 values scaled so that a 1.0 machine = ${cores} cores ` +
    `(${scale.cpuMillicores} millicores) and ${gib} GiB (${scale.memoryBytes} bytes) ` +
    `(machineScale option; no public truth, values are not rounded)`
  );
}
