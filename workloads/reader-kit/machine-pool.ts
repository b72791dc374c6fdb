import { GiB } from '../../model/units.js';
import { UsageError } from '../../model/errors.js';
import type { MachineSpec } from '../../model/machine.js';

/**
 * Machines for formats that have no machine table (Azure VM traces, SWF): `count` identical
 * machines of `capacity`. Every workload built this way says so in its notes.
 */
export interface MachinePoolOption {
  count: number;
  capacity: { cpuMillicores: number; memoryBytes: number };
}

export function checkMachinePool(opt: MachinePoolOption, name = 'machines'): void {
  if (!(Number.isInteger(opt.count) && opt.count > 0)) throw new UsageError(`${name}.count must be a positive integer, got ${String(opt.count)}`);
  for (const [k, v] of Object.entries(opt.capacity)) {
    if (!(typeof v === 'number' && v > 0 && Number.isFinite(v))) {
      throw new UsageError(`${name}.capacity.${k} must be a positive number, got ${String(v)}`);
    }
  }
}

export function machinePool(opt: MachinePoolOption, prefix: string): MachineSpec[] {
  const out: MachineSpec[] = [];
  for (let i = 0; i < opt.count; i++) {
    out.push({ id: `${prefix}-${i}`, capacity: [opt.capacity.cpuMillicores, opt.capacity.memoryBytes] });
  }
  return out;
}

export function describePool(opt: MachinePoolOption, why: string): string {
  return (
    `machines: ${opt.count.toLocaleString('en-US')} identical machines of ${opt.capacity.cpuMillicores / 1000} cores and ` +
    `${+(opt.capacity.memoryBytes / GiB).toFixed(3)} GiB (${why}; machines option)`
  );
}
