import { UsageError } from '../model/errors.js';
import type { MachineScale } from './google-2011/units.js';

const UNITS: Record<string, number> = { '': 1, b: 1, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12 };

/**
 * Parses `--machine-scale cpu=32,mem=128GiB`: the real size of a normalized 1.0 machine in a
 * normalized trace (Google 2011 and 2019). CPU in cores, memory with a unit (bytes if none).
 */
export function parseMachineScale(text: string): MachineScale {
  const out: Partial<MachineScale> = {};
  for (const part of text.split(',')) {
    const m = /^\s*(cpu|mem|memory)\s*=\s*([0-9]*\.?[0-9]+)\s*([a-zA-Z]*)\s*$/.exec(part);
    if (!m) throw new UsageError(`--machine-scale: cannot read '${part}'; expected e.g. cpu=32,mem=128GiB`);
    const value = Number(m[2]);
    if (m[1] === 'cpu') {
      if (m[3] !== '' && m[3].toLowerCase() !== 'cores') throw new UsageError(`--machine-scale: cpu is in cores, got unit '${m[3]}'`);
      out.cpuMillicores = value * 1000;
    } else {
      const unit = UNITS[m[3].toLowerCase()];
      if (unit === undefined) throw new UsageError(`--machine-scale: unknown memory unit '${m[3]}'; use B, KiB, MiB, GiB, TiB, KB, MB, GB or TB`);
      out.memoryBytes = value * unit;
    }
  }
  if (!(out.cpuMillicores! > 0) || !(out.memoryBytes! > 0)) {
    throw new UsageError(`--machine-scale: give both cpu and mem, positive, e.g. cpu=32,mem=128GiB`);
  }
  return out as MachineScale;
}
