import { readLines } from '../gzip-lines.js';
import { BadRows, checkFieldCount, parseNumber, parseText, type RowPlace } from '../reader-kit/fields.js';
import { bump, plural } from '../reader-kit/string-table.js';
import type { MachineEvent, MachineSpec } from '../../model/machine.js';
import { FIELDS, INVALID_PERCENT } from './schema.js';

/**
 * machine_meta → machines. The table holds status snapshots per machine (several rows per machine
 * over the 8 days). A machine is usable while its status is USING: its first USING row at time 0
 * makes it an initial machine, a later one an 'add' event; a change away from USING is a 'remove'
 * (and back, an 'add'). A machine never USING (e.g. only IMPORT_INSTALLING) is left out and counted.
 * Capacity: cpu_num cores × 1000 millicores, mem_size / 100 × the normalized-100 machine's bytes.
 */
export interface MachineTable {
  machines: MachineSpec[];
  events: MachineEvent[];
  rows: number;
  notes: string[];
  statusCounts: Record<string, number>;
}

interface Snapshot {
  time: number;
  using: boolean;
  spec: MachineSpec;
}

export async function readMachineMeta(files: string[], memoryBytesAt100: number, bad: BadRows): Promise<MachineTable> {
  const byMachine = new Map<string, Snapshot[]>();
  const statusCounts: Record<string, number> = {};
  const F = FIELDS.machine_meta;
  let rows = 0;
  for await (const { file, line, text } of readLines(files)) {
    if (text.trim() === '') continue;
    rows++;
    const at: RowPlace = { file, line };
    try {
      const f = text.split(',');
      checkFieldCount(f, at, F.length, 'machine_meta');
      const id = parseText(f[0], at, 0, F[0]);
      const time = parseNumber(f[1], at, { column: 1, field: F[1], min: 0 });
      const fd1 = f[2].trim();
      const fd2 = f[3].trim();
      const cpu = parseNumber(f[4], at, { column: 4, field: F[4], min: 1 });
      const mem = parseNumber(f[5], at, { column: 5, field: F[5], min: 0, max: 100 });
      const status = parseText(f[6], at, 6, F[6]);
      bump(statusCounts, status);
      const spec: MachineSpec = {
        id,
        capacity: [cpu * 1000, (mem / 100) * memoryBytesAt100],
        labels: { failure_domain_1: fd1, failure_domain_2: fd2 },
      };
      let list = byMachine.get(id);
      if (list === undefined) byMachine.set(id, (list = []));
      list.push({ time, using: status === 'USING', spec });
    } catch (e) {
      bad.handle(e);
    }
  }
  const machines: MachineSpec[] = [];
  const events: MachineEvent[] = [];
  let neverUsing = 0;
  let laterAdds = 0;
  let removes = 0;
  for (const list of byMachine.values()) {
    list.sort((a, b) => a.time - b.time);
    let up: MachineSpec | null = null;
    for (const s of list) {
      if (s.using && up === null) {
        up = s.spec;
        if (s.time === 0) machines.push(s.spec);
        else {
          events.push({ time: s.time * 1e6, kind: 'add', machine: s.spec });
          laterAdds++;
        }
      } else if (!s.using && up !== null) {
        events.push({ time: s.time * 1e6, kind: 'remove', machine: up });
        removes++;
        up = null;
      }
    }
    if (!list.some((s) => s.using)) neverUsing++;
  }
  events.sort((a, b) => a.time - b.time || (a.kind === b.kind ? 0 : a.kind === 'remove' ? -1 : 1));
  const notes = [
    `machine_meta: ${plural(rows, 'row')}, ${plural(byMachine.size, 'machine')} (statuses: ${Object.entries(statusCounts)
      .map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`)
      .join(', ')}); ${plural(machines.length, 'machine')} USING at t=0, ${plural(laterAdds, 'later add')}, ${plural(removes, 'remove')} (status leaving USING)`,
  ];
  if (neverUsing > 0) notes.push(`${plural(neverUsing, 'machine')} never USING in machine_meta: left out`);
  return { machines, events, rows, notes, statusCounts };
}

/** machine_usage: machine-level utilization, summarized (not a per-task usage, so not replayed). */
export async function summarizeMachineUsage(files: string[], bad: BadRows): Promise<{ rows: number; notes: string[] }> {
  const F = FIELDS.machine_usage;
  const machines = new Set<string>();
  let rows = 0;
  let cpuSum = 0;
  let cpuN = 0;
  let memSum = 0;
  let memN = 0;
  let first = Infinity;
  let last = -Infinity;
  const missing = new Array<number>(F.length).fill(0);
  for await (const { file, line, text } of readLines(files)) {
    if (text.trim() === '') continue;
    rows++;
    const at: RowPlace = { file, line };
    try {
      const f = text.split(',');
      checkFieldCount(f, at, F.length, 'machine_usage');
      machines.add(parseText(f[0], at, 0, F[0]));
      const t = parseNumber(f[1], at, { column: 1, field: F[1], min: 0 });
      const vals: number[] = [];
      for (let c = 2; c < F.length; c++) {
        const v = parseNumber(f[c], at, { column: c, field: F[c], optional: true, missing: INVALID_PERCENT, min: 0, max: c === 5 ? undefined : 100 });
        if (v !== v) missing[c]++;
        vals[c] = v;
      }
      if (vals[2] === vals[2]) {
        cpuSum += vals[2];
        cpuN++;
      }
      if (vals[3] === vals[3]) {
        memSum += vals[3];
        memN++;
      }
      first = Math.min(first, t);
      last = Math.max(last, t);
    } catch (e) {
      bad.handle(e);
    }
  }
  const miss = F.map((n, c) => (missing[c] > 0 ? `${n} ${missing[c].toLocaleString('en-US')}` : ''))
    .filter((s) => s !== '')
    .join(', ');
  return {
    rows,
    notes: [
      `machine_usage: ${plural(rows, 'row')} for ${plural(machines.size, 'machine')}, t = ${first}–${last} s; mean CPU ${(cpuSum / cpuN).toFixed(1)} %, ` +
        `mean memory ${(memSum / memN).toFixed(1)} % (machine-level: reported, not replayed)` +
        (miss !== '' ? `; missing or invalid (empty, -1, 101): ${miss}` : ''),
    ],
  };
}
