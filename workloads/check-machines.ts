import { InputError } from '../model/errors.js';
import type { MachineSpec } from '../model/machine.js';
import type { Workload } from '../model/workload.js';

/**
 * The machines of a workload as the cluster model needs them: a capacity per resource dimension,
 * each a non-negative number (an allocatable too, when given). Readers of text traces check their
 * rows; this catches what a file could still carry (a hand-made or damaged native file, NaN or
 * negative sizes), as one input error naming the source and the machine instead of a failure
 * inside the simulator.
 */
export function checkMachines(w: Workload, source: string): void {
  const names = w.resources.names;
  const check = (m: MachineSpec, where: string) => {
    for (const [what, values] of [['capacity', m.capacity], ['allocatable', m.allocatable]] as const) {
      if (values === undefined) continue;
      if (values.length !== names.length) {
        throw new InputError({ file: source, problem: `machine ${m.id}${where}: ${what} has ${values.length} values, expected ${names.length} (${names.join(', ')})` });
      }
      values.forEach((v, d) => {
        if (!(v >= 0)) {
          throw new InputError({ file: source, field: `machine ${m.id}${where}, ${what} ${names[d]}`, expected: 'a non-negative number', got: String(v) });
        }
      });
    }
  };
  for (const m of w.machines) check(m, '');
  for (const e of w.machineEvents) if (e.kind === 'add') check(e.machine, ` (added at ${e.time} µs)`);
}
