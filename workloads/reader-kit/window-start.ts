import type { MachineEvent, MachineSpec } from '../../model/machine.js';

/**
 * Traces that start mid-way. A cluster trace is published as time-ordered parts (Google 2011 and
 * 2019) or as tables a user may cut; a slice that does not begin at the trace start has no
 * initial-state rows (the Google traces write the state at the window start as rows at t = 0,
 * ../shared/docs/trace-formats.md §1.1). Replaying such a slice from t = 0 would add hours with no
 * work (diluting utilization and cost) and lose the tasks already running when the slice begins.
 *
 * The rule, the same for every reader whose input can be a slice:
 * - the window starts at the slice's first event (`Workload.start`), not at 0;
 * - the machines are those up at that moment (machine events before it are applied);
 * - a task first seen with an event other than its submission was already there at the window
 *   start: it arrives at the window start (a standing population), running since then when its
 *   first event says it was running (a SCHEDULE-less end or UPDATE_RUNNING on a machine), pending
 *   otherwise, with its request from the first of its rows that carries one.
 */

/** The machines up at time `at`: `machines` (up from the start) with every event before `at` applied. */
export function machinesAt(
  machines: readonly MachineSpec[],
  events: readonly MachineEvent[],
  at: number,
): { machines: MachineSpec[]; events: MachineEvent[]; applied: number } {
  const up = new Map<string, MachineSpec>();
  for (const m of machines) up.set(m.id, m);
  let k = 0;
  for (; k < events.length && events[k].time < at; k++) {
    const e = events[k];
    if (e.kind === 'add') {
      up.delete(e.machine.id);
      up.set(e.machine.id, e.machine);
    } else up.delete(e.machine.id);
  }
  return { machines: [...up.values()], events: events.slice(k), applied: k };
}
