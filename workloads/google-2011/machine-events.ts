import type { MachineEvent, MachineSpec } from '../../model/machine.js';
import { BadRowTally, type OnBadRow } from '../reader-kit/bad-rows.js';
import { InputError } from '../../model/errors.js';
import { readLines } from '../gzip-lines.js';
import { isBadField, RowChecker } from './fields.js';
import { MACHINE_EVENT_COLUMNS, MachineEventType } from './schema.js';
import type { MachineScale } from './units.js';

/** One machine_events row. */
export interface MachineEventRow {
  file: string;
  line: number;
  /** µs; 0 = initial state; +Infinity = 2^63-1. */
  time: number;
  machineId: number;
  /** 0 ADD, 1 REMOVE, 2 UPDATE. */
  type: number;
  /** Platform hash, '' when missing. */
  platform: string;
  /** Normalized capacities, NaN when missing. */
  cpu: number;
  memory: number;
}

export interface MachineEventsTable {
  rows: MachineEventRow[];
  /** Lines read, good or bad. */
  lines: number;
  badRows: BadRowTally;
  files: string[];
}

export interface ReadTableOptions {
  onBadRow?: OnBadRow;
  badRows?: BadRowTally;
}

/** Reads and checks every machine_events row (the table is small: 37,780 rows for 29 days). */
export async function readMachineEventRows(
  files: string[],
  options: ReadTableOptions = {},
): Promise<MachineEventsTable> {
  const onBadRow = options.onBadRow ?? 'fail';
  const badRows = options.badRows ?? new BadRowTally();
  const check = new RowChecker(MACHINE_EVENT_COLUMNS);
  const rows: MachineEventRow[] = [];
  let lines = 0;
  let lastTime = -Infinity;
  for await (const { file, line, text } of readLines(files)) {
    lines++;
    let row: MachineEventRow | null = null;
    if (check.start(file, line, text)) {
      try {
        const time = check.time(0);
        if (time < lastTime) {
          check.fail(0, `a time ≥ ${lastTime} (the previous row's; the table is time-ordered)`, 'went backwards');
        }
        row = {
          file,
          line,
          time,
          machineId: check.id(1, true),
          type: check.code(2, 2, true, 'unknown code'),
          platform: check.text(3),
          cpu: check.fraction(4),
          memory: check.fraction(5),
        };
      } catch (e) {
        if (!isBadField(e)) throw e;
      }
    }
    if (row === null) {
      const err = check.error as InputError;
      if (onBadRow === 'fail') throw err;
      badRows.add(err);
      continue;
    }
    lastTime = row.time;
    rows.push(row);
  }
  return { rows, lines, badRows, files };
}

const rows_ = (n: number, what: string) => `${n.toLocaleString('en-US')} ${what}${n === 1 ? '' : 's'}`;

export interface ClusterFromEvents {
  /** Machines present at time 0 (ADD rows at t = 0). */
  machines: MachineSpec[];
  /** Later additions and removals, sorted by time. */
  events: MachineEvent[];
  notes: string[];
}

/**
 * Turns machine_events rows into the Workload's machines and machine events:
 * - ADD at t = 0 → an initial machine; a later ADD → an 'add' event; REMOVE → a 'remove' event.
 * - ADD without capacity (32 rows in the real table, each followed about a millisecond later by an
 *   UPDATE that gives it): the machine is added at the ADD's time with the capacity of its next row
 *   that has one; if none comes before it is removed (or ever), it is left out and counted.
 * - UPDATE that changes the capacity of a present machine → 'remove' then 'add' at the same time
 *   (a simulator will displace what ran there); UPDATE with an unchanged capacity is ignored.
 * Capacity is `[cpu × cpuMillicores, memory × memoryBytes]`; labels carry the platform hash.
 */
export function clusterFromMachineEvents(rows: MachineEventRow[], scale: MachineScale): ClusterFromEvents {
  const machines: MachineSpec[] = [];
  const events: MachineEvent[] = [];
  const present = new Map<number, MachineSpec>();
  /** Machines added without a capacity: the ADD time, waiting for a row with one. */
  const pending = new Map<number, { time: number; initial: boolean }>();
  let capacityChanges = 0;
  let completedLater = 0;
  let neverCompleted = 0;
  let unchangedUpdates = 0;
  let anomalies = 0;

  const spec = (r: MachineEventRow): MachineSpec => {
    const m: MachineSpec = {
      id: String(r.machineId),
      capacity: [r.cpu * scale.cpuMillicores, r.memory * scale.memoryBytes],
    };
    if (r.platform !== '') m.labels = { platform: r.platform };
    return m;
  };
  const hasCapacity = (r: MachineEventRow) => r.cpu === r.cpu && r.memory === r.memory;
  const add = (time: number, m: MachineSpec, initial: boolean) => {
    present.set(Number(m.id), m);
    if (initial) machines.push(m);
    else events.push({ time, kind: 'add', machine: m });
  };

  for (const r of rows) {
    const id = r.machineId;
    const wait = pending.get(id);
    if (r.type === MachineEventType.ADD) {
      if (present.has(id) || wait !== undefined) {
        anomalies++;
        continue;
      }
      if (hasCapacity(r)) add(r.time, spec(r), r.time === 0);
      else pending.set(id, { time: r.time, initial: r.time === 0 });
    } else if (r.type === MachineEventType.REMOVE) {
      const m = present.get(id);
      if (m !== undefined) {
        present.delete(id);
        events.push({ time: r.time, kind: 'remove', machine: m });
      } else if (wait !== undefined) {
        pending.delete(id);
        neverCompleted++;
      } else anomalies++;
    } else {
      // UPDATE
      if (wait !== undefined) {
        if (hasCapacity(r)) {
          pending.delete(id);
          add(wait.time, spec(r), wait.initial);
          completedLater++;
        }
        continue;
      }
      const m = present.get(id);
      if (m === undefined) {
        anomalies++;
        continue;
      }
      if (!hasCapacity(r)) {
        unchangedUpdates++;
        continue;
      }
      const next = spec(r);
      if (next.capacity[0] === m.capacity[0] && next.capacity[1] === m.capacity[1]) {
        unchangedUpdates++;
        continue;
      }
      capacityChanges++;
      events.push({ time: r.time, kind: 'remove', machine: m });
      add(r.time, next, false);
    }
  }
  neverCompleted += pending.size;
  // Completed ADDs are emitted at their ADD time, possibly after later events: restore the order.
  const order = events.map((e, i) => i);
  order.sort((a, b) => events[a].time - events[b].time || a - b);
  const sorted = order.map((i) => events[i]);

  const notes: string[] = [];
  if (completedLater > 0) {
    notes.push(
      `${rows_(completedLater, 'machine ADD row')} had no capacity; each machine was added at its ADD time with the capacity from its next UPDATE row`,
    );
  }
  if (neverCompleted > 0) {
    notes.push(`${rows_(neverCompleted, 'machine')} added without a capacity that never became known: left out`);
  }
  if (capacityChanges > 0) {
    notes.push(`${rows_(capacityChanges, 'machine UPDATE row')} changed a capacity: represented as remove + add at the same time`);
  }
  if (unchangedUpdates > 0) notes.push(`${rows_(unchangedUpdates, 'machine UPDATE row')} left the capacity unchanged: ignored`);
  if (anomalies > 0) {
    notes.push(`${rows_(anomalies, 'machine event')} did not fit the machine's state (ADD while present, REMOVE/UPDATE while absent): ignored`);
  }
  return { machines, events: sorted, notes };
}
