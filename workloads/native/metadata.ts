import { crc32 } from 'node:zlib';
import type { ResourceSchema } from '../../model/resources.js';
import type { PlacementConstraints } from '../../model/placement-constraints.js';
import type { MachineEvent, MachineSpec } from '../../model/machine.js';
import type { SourceStats, Workload } from '../../model/workload.js';
import type { PriorityScale } from '../../model/priority-bands.js';
import type { JobController } from '../../model/workload-controllers.js';
import { parseExact, stringifyExact } from './json-numbers.js';
import { FORMAT_VERSION, META, NATIVE_KEY } from './schema.js';

/** One record batch in `schedlab.batches`: its rows and the CRC-32 of each column, in file order. */
export type BatchEntry = [rows: number, crcs: number[]];

/** Everything of a Workload except its task stream, as the native file stores it. */
export interface NativeMetadata {
  version: string;
  name: string;
  resources: ResourceSchema;
  notes: string[];
  horizon?: number;
  start?: number;
  jobs: string[];
  users: string[];
  jobConstraints?: Array<PlacementConstraints | undefined>;
  machines: MachineSpec[];
  machineEvents: MachineEvent[];
  machineIds?: string[];
  sourceStats?: SourceStats;
  priorityScale?: PriorityScale;
  controllers?: Array<JobController | undefined>;
  resubmitDelays?: Float64Array;
  tasks: number;
  batches: BatchEntry[];
}

/** CRC-32 over the schedlab.* entries other than the checksum itself, sorted by key. */
export function metadataChecksum(meta: Map<string, string>): number {
  let crc = 0;
  const keys = [...meta.keys()].filter((k) => k.startsWith('schedlab.') && k !== META.checksum).sort();
  for (const k of keys) crc = crc32(`${k}\u0000${meta.get(k)}\u0000`, crc);
  return crc;
}

/** The schema metadata for a workload whose batches have all been read (tables complete). */
export function buildMetadata(w: Workload, tasks: number, batches: BatchEntry[]): Map<string, string> {
  const m = new Map<string, string>();
  m.set(NATIVE_KEY, FORMAT_VERSION);
  m.set(META.name, stringifyExact(w.name));
  m.set(META.resources, stringifyExact({ names: [...w.resources.names], units: [...w.resources.units] }));
  m.set(META.notes, stringifyExact(w.notes));
  if (w.horizon !== undefined) m.set(META.horizon, stringifyExact(w.horizon));
  if (w.start !== undefined) m.set(META.start, stringifyExact(w.start));
  m.set(META.jobs, stringifyExact(w.jobs));
  m.set(META.users, stringifyExact(w.users));
  if (w.jobConstraints !== undefined) m.set(META.jobConstraints, stringifyExact(Array.from(w.jobConstraints, (c) => c ?? null)));
  m.set(META.machines, stringifyExact(w.machines));
  m.set(META.machineEvents, stringifyExact(w.machineEvents));
  if (w.machineIds !== undefined) m.set(META.machineIds, stringifyExact(w.machineIds));
  if (w.sourceStats !== undefined) m.set(META.sourceStats, stringifyExact(w.sourceStats));
  if (w.priorityScale !== undefined) m.set(META.priorityScale, stringifyExact(w.priorityScale));
  if (w.controllers !== undefined) m.set(META.controllers, stringifyExact(Array.from(w.controllers, (c) => c ?? null)));
  if (w.resubmitDelays !== undefined) m.set(META.resubmitDelays, stringifyExact(Array.from(w.resubmitDelays)));
  m.set(META.tasks, String(tasks));
  m.set(META.batches, JSON.stringify(batches));
  m.set(META.checksum, String(metadataChecksum(m)));
  return m;
}

/** A metadata problem: the key and what is wrong (the reader turns it into an InputError). */
export class MetadataProblem extends Error {
  constructor(
    readonly key: string,
    problem: string,
  ) {
    super(problem);
  }
}

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');
const isObjectArray = (v: unknown): v is object[] => Array.isArray(v) && v.every((s) => s !== null && typeof s === 'object');

/** Parses and checks the metadata of a native file (the caller has checked NATIVE_KEY). */
export function parseMetadata(meta: Map<string, string>): NativeMetadata {
  const sum = meta.get(META.checksum);
  if (sum === undefined) throw new MetadataProblem(META.checksum, 'missing');
  if (String(metadataChecksum(meta)) !== sum) {
    throw new MetadataProblem(META.checksum, `metadata checksum mismatch (stored ${sum}, computed ${metadataChecksum(meta)}): the file is corrupted`);
  }
  const get = (key: string, required: boolean): unknown => {
    const text = meta.get(key);
    if (text === undefined) {
      if (required) throw new MetadataProblem(key, 'missing');
      return undefined;
    }
    try {
      return parseExact(text);
    } catch {
      throw new MetadataProblem(key, 'not valid JSON');
    }
  };
  const expect = <T>(key: string, v: unknown, ok: (v: unknown) => v is T, what: string): T => {
    if (!ok(v)) throw new MetadataProblem(key, `expected ${what}`);
    return v;
  };
  const name = expect(META.name, get(META.name, true), (v): v is string => typeof v === 'string', 'a string');
  const res = get(META.resources, true) as { names?: unknown; units?: unknown } | null;
  if (res === null || typeof res !== 'object' || !isStringArray(res.names) || !isStringArray(res.units)) {
    throw new MetadataProblem(META.resources, 'expected {"names": [...], "units": [...]}');
  }
  const notes = expect(META.notes, get(META.notes, true), isStringArray, 'an array of strings');
  const horizonRaw = get(META.horizon, false);
  const horizon =
    horizonRaw === undefined ? undefined : expect(META.horizon, horizonRaw, (v): v is number => typeof v === 'number', 'a number');
  const startRaw = get(META.start, false);
  const start = startRaw === undefined ? undefined : expect(META.start, startRaw, (v): v is number => typeof v === 'number', 'a number');
  const jobs = expect(META.jobs, get(META.jobs, true), isStringArray, 'an array of strings');
  const users = expect(META.users, get(META.users, true), isStringArray, 'an array of strings');
  const jcRaw = get(META.jobConstraints, false);
  const jobConstraints =
    jcRaw === undefined
      ? undefined
      : expect(META.jobConstraints, jcRaw, (v): v is Array<object | null> => Array.isArray(v) && v.every((c) => c === null || typeof c === 'object'), 'an array of objects or null').map(
          (c) => (c === null ? undefined : (c as PlacementConstraints)),
        );
  const machines = expect(META.machines, get(META.machines, true), isObjectArray, 'an array of machines') as MachineSpec[];
  const machineEvents = expect(META.machineEvents, get(META.machineEvents, true), isObjectArray, 'an array of machine events') as MachineEvent[];
  const midRaw = get(META.machineIds, false);
  const machineIds = midRaw === undefined ? undefined : expect(META.machineIds, midRaw, isStringArray, 'an array of strings');
  const ssRaw = get(META.sourceStats, false);
  const sourceStats = ssRaw === undefined ? undefined : (expect(META.sourceStats, ssRaw, (v): v is object => v !== null && typeof v === 'object', 'an object') as SourceStats);
  const psRaw = get(META.priorityScale, false);
  const priorityScale =
    psRaw === undefined
      ? undefined
      : expect(META.priorityScale, psRaw, (v): v is PriorityScale => v === 'google-2011' || v === 'google-2019' || v === 'kubernetes', "'google-2011', 'google-2019' or 'kubernetes'");
  const ctRaw = get(META.controllers, false);
  const controllers =
    ctRaw === undefined
      ? undefined
      : expect(
          META.controllers,
          ctRaw,
          (v): v is Array<object | null> =>
            Array.isArray(v) && v.every((c) => c === null || (typeof c === 'object' && typeof (c as { kind?: unknown }).kind === 'string' && typeof (c as { desired?: unknown }).desired === 'number')),
          'an array of controllers (objects with kind and desired) or null',
        ).map((c) => (c === null ? undefined : (c as JobController)));
  const rdRaw = get(META.resubmitDelays, false);
  const resubmitDelays =
    rdRaw === undefined
      ? undefined
      : Float64Array.from(
          expect(
            META.resubmitDelays,
            rdRaw,
            (v): v is number[] => Array.isArray(v) && v.every((x, i) => typeof x === 'number' && x >= 0 && (i === 0 || x >= (v[i - 1] as number))),
            'an ascending array of non-negative numbers (µs)',
          ),
        );
  const tasks = expect(META.tasks, get(META.tasks, true), (v): v is number => Number.isInteger(v) && (v as number) >= 0, 'a task count');
  const batches = expect(
    META.batches,
    get(META.batches, true),
    (v): v is BatchEntry[] =>
      Array.isArray(v) &&
      v.every((b) => Array.isArray(b) && b.length === 2 && Number.isInteger(b[0]) && b[0] > 0 && Array.isArray(b[1]) && b[1].every((c: unknown) => Number.isInteger(c))),
    'a list of [rows, [crc...]]',
  );
  if (batches.reduce((s, b) => s + b[0], 0) !== tasks) throw new MetadataProblem(META.batches, `batch rows do not add up to ${tasks} tasks`);
  return {
    version: meta.get(NATIVE_KEY) ?? '',
    name,
    resources: { names: res.names, units: res.units },
    notes,
    horizon,
    ...(start !== undefined ? { start } : {}),
    jobs,
    users,
    jobConstraints,
    machines,
    machineEvents,
    machineIds,
    sourceStats,
    ...(priorityScale !== undefined ? { priorityScale } : {}),
    ...(controllers !== undefined ? { controllers } : {}),
    ...(resubmitDelays !== undefined ? { resubmitDelays } : {}),
    tasks,
    batches,
  };
}
