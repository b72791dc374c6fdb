import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, UsageError } from '../model/errors.js';
import { packageRoot } from '../model/package-root.js';
import { QOS_NAMES } from '../model/qos-class.js';
import { BAND_NAMES } from '../model/priority-bands.js';
import type { RunRecord } from './results-folder.js';
import { DYNAMICS_CAUSE_NAMES } from './replay-results.js';
import { REACTION_CAUSE_NAMES } from './reaction-results.js';
import { readCsvColumns } from './csv-columns.js';
import type { ControllerKind } from '../model/workload-controllers.js';
import { TASK_STATUSES, TIMESERIES_METRICS, type AvailabilityColumns, type EventsColumns, type LoadedRun, type TasksColumns, type TimeSeriesColumns } from './loaded-run.js';

export { TASK_STATUSES, TIMESERIES_METRICS, type AvailabilityColumns, type EventsColumns, type LoadedRun, type TasksColumns, type TimeSeriesColumns } from './loaded-run.js';
export { chartsForRuns } from './charts/charts-for-runs.js';

/**
 * Versions whose results this schedlab reads: the same major version, and while the major is 0
 * the same minor too (semver: 0.x minors may break the format).
 */
export function compatibleVersion(theirs: string, ours: string): boolean {
  const a = /^(\d+)\.(\d+)\.(\d+)/.exec(theirs);
  const b = /^(\d+)\.(\d+)\.(\d+)/.exec(ours);
  if (!a || !b) return false;
  return a[1] === b[1] && (a[1] !== '0' || a[2] === b[2]);
}

function ourVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

export function readResultsFolder(dir: string): LoadedRun {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`results folder '${dir}': not a folder`);
  const runFile = join(dir, 'run.json');
  if (!existsSync(runFile)) throw new UsageError(`results folder '${dir}': run.json is missing (not a schedlab results folder, or an incomplete one)`);
  const record = readRunRecord(runFile);
  const ours = ourVersion();
  if (!compatibleVersion(record.schedlab, ours)) {
    throw new UsageError(`results folder '${dir}': written by schedlab ${record.schedlab}, which this schedlab ${ours} cannot read (rerun it with this version)`);
  }
  for (const f of ['tasks.csv', 'timeseries.csv']) {
    if (!existsSync(join(dir, f))) throw new UsageError(`results folder '${dir}': ${f} is missing (an incomplete results folder)`);
  }
  const dynamicsRan = record.summary.dynamics !== undefined;
  // The cluster's reactions log their events to events.csv too, with or without node dynamics.
  const reactionsRan = record.summary.reactions !== undefined;
  const eventsFile = join(dir, 'events.csv');
  if ((dynamicsRan || reactionsRan) && !existsSync(eventsFile)) {
    throw new UsageError(`results folder '${dir}': events.csv is missing although ${dynamicsRan ? 'node dynamics' : "the cluster's reactions"} ran (an incomplete results folder)`);
  }
  // availability.csv is written when the controllers listed workloads (reports/availability-csv.ts).
  const availabilityFile = join(dir, 'availability.csv');
  const hasAvailability = existsSync(availabilityFile);
  if (!hasAvailability && (record.summary.reactions?.availability?.workloadCount ?? 0) > 0) {
    throw new UsageError(`results folder '${dir}': availability.csv is missing although the controllers reported workloads (an incomplete results folder)`);
  }
  return {
    dir,
    record,
    label: runLabel(record),
    tasks: readTasks(join(dir, 'tasks.csv'), dynamicsRan),
    timeseries: readTimeSeries(join(dir, 'timeseries.csv')),
    events: dynamicsRan || reactionsRan ? readEvents(eventsFile) : null,
    availability: hasAvailability ? readAvailability(availabilityFile) : null,
  };
}

function readRunRecord(file: string): RunRecord {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError({ file, problem: `not valid JSON: ${(e as Error).message}` });
  }
  const r = json as Partial<RunRecord> | null;
  const need = (ok: boolean, field: string, expected: string) => {
    if (!ok) throw new InputError({ file, field, problem: `expected ${expected}` });
  };
  need(typeof r === 'object' && r !== null, 'run.json', 'an object');
  need(typeof r!.schedlab === 'string', 'schedlab', 'the schedlab version that wrote it');
  need(typeof r!.command === 'string', 'command', 'the command that wrote it');
  need(r!.command === 'replay' || (typeof r!.summary === 'object' && r!.summary !== null && 'cost' in r!.summary), 'command', `a replay's results (this folder holds '${r!.command}' results)`);
  need(typeof r!.summary === 'object' && r!.summary !== null, 'summary', "the run's summary");
  const s = r!.summary!;
  need(typeof s.policy === 'string', 'summary.policy', 'the policy name');
  need(typeof s.windowHours === 'number', 'summary.windowHours', 'a number');
  need(typeof s.cost === 'object' && s.cost !== null && typeof s.cost.perYear === 'number', 'summary.cost', 'the cost summary');
  need(typeof s.utilization === 'object' && s.utilization !== null, 'summary.utilization', 'the utilization summary');
  need(typeof r!.config === 'object' && r!.config !== null, 'config', "the run's config");
  return r as RunRecord;
}

/** `policy`, or `policy oc=SETTING` when an overcommit setting was given (compare's column label). */
export function runLabel(record: RunRecord): string {
  const oc = (record.config.dynamics as { overcommit?: unknown } | undefined)?.overcommit;
  return typeof oc === 'string' && oc !== '' && oc !== 'none' ? `${record.summary.policy} oc=${oc}` : record.summary.policy;
}

const TEXT = 'text' as const;
const NUM = 'number' as const;

function readTasks(file: string, dynamics: boolean): TasksColumns {
  const dynamicsColumns = ['evictions', 'oom_kills', 'throttled_cpu_seconds', 'lost_work_seconds', 'peak_memory_bytes'];
  const t = readCsvColumns(
    file,
    [
      { name: 'task_id', kind: NUM, required: true },
      { name: 'job', kind: TEXT },
      { name: 'task_index', kind: NUM },
      { name: 'priority', kind: NUM },
      { name: 'qos', kind: { oneOf: QOS_NAMES } },
      { name: 'band', kind: { oneOf: BAND_NAMES } },
      { name: 'submit_s', kind: NUM, required: true },
      { name: 'start_s', kind: NUM },
      { name: 'end_s', kind: NUM },
      { name: 'node', kind: TEXT },
      { name: 'status', kind: { oneOf: TASK_STATUSES }, required: true },
      { name: 'attempts', kind: NUM },
      { name: 'missing_request', kind: NUM },
      ...(dynamics ? dynamicsColumns.map((name) => ({ name, kind: NUM })) : []),
      { name: 'pending_reason', kind: TEXT },
    ],
    /^(request|limit)_/,
  );
  const num = (k: string) => t.numbers.get(k)!;
  const txt = (k: string) => t.texts.get(k)!;
  const prefixed = (p: string) => Object.fromEntries(t.header.filter((h) => h.startsWith(p)).map((h) => [h.slice(p.length), num(h)]));
  return {
    length: t.length,
    taskId: num('task_id'),
    job: txt('job'),
    taskIndex: num('task_index'),
    priority: num('priority'),
    qos: txt('qos'),
    band: txt('band'),
    submitS: num('submit_s'),
    startS: num('start_s'),
    endS: num('end_s'),
    node: txt('node'),
    status: txt('status'),
    attempts: num('attempts'),
    requests: prefixed('request_'),
    limits: prefixed('limit_'),
    missingRequest: num('missing_request'),
    dynamics: dynamics
      ? { evictions: num('evictions'), oomKills: num('oom_kills'), throttledCpuSeconds: num('throttled_cpu_seconds'), lostWorkSeconds: num('lost_work_seconds'), peakMemoryBytes: num('peak_memory_bytes') }
      : null,
    pendingReason: txt('pending_reason'),
  };
}

function readTimeSeries(file: string): TimeSeriesColumns {
  const t = readCsvColumns(file, [
    { name: 'time_s', kind: NUM, required: true },
    { name: 'metric', kind: { oneOf: TIMESERIES_METRICS }, required: true },
    { name: 'resource', kind: TEXT },
    { name: 'value', kind: NUM },
  ]);
  return { length: t.length, timeS: t.numbers.get('time_s')!, metric: t.texts.get('metric')!, resource: t.texts.get('resource')!, value: t.numbers.get('value')! };
}

/** events.csv causes: the node dynamics' and the reactions' (reaction-results.ts). */
const EVENT_CAUSES: readonly string[] = [...new Set<string>([...DYNAMICS_CAUSE_NAMES, ...Object.values(REACTION_CAUSE_NAMES)])];

function readEvents(file: string): EventsColumns {
  const t = readCsvColumns(file, [
    { name: 'time_s', kind: NUM, required: true },
    { name: 'node', kind: TEXT },
    { name: 'task_id', kind: NUM },
    { name: 'job', kind: TEXT },
    { name: 'task_index', kind: NUM },
    { name: 'cause', kind: { oneOf: EVENT_CAUSES }, required: true },
    { name: 'qos', kind: { oneOf: QOS_NAMES } },
    { name: 'band', kind: { oneOf: BAND_NAMES } },
    { name: 'memory_bytes', kind: NUM },
    { name: 'amount', kind: NUM },
    { name: 'duration_s', kind: NUM },
  ]);
  const num = (k: string) => t.numbers.get(k)!;
  const txt = (k: string) => t.texts.get(k)!;
  return {
    length: t.length,
    timeS: num('time_s'), node: txt('node'), taskId: num('task_id'), job: txt('job'), taskIndex: num('task_index'),
    cause: txt('cause'), qos: txt('qos'), band: txt('band'), memoryBytes: num('memory_bytes'), amount: num('amount'), durationS: num('duration_s'),
  };
}

/** Every controller kind (model/workload-controllers.ts): `satisfies` keeps the list complete. */
const CONTROLLER_KIND_NAMES = Object.keys({
  Pod: 0, Deployment: 0, ReplicaSet: 0, ReplicationController: 0, StatefulSet: 0, Job: 0, DaemonSet: 0, CronJob: 0, BorgJob: 0,
} satisfies Record<ControllerKind, 0>);

/** availability.csv: every field required; desired and ready are counts (whole numbers ≥ 0). */
function readAvailability(file: string): AvailabilityColumns {
  const t = readCsvColumns(file, [
    { name: 'time_s', kind: NUM, required: true },
    { name: 'workload', kind: TEXT, required: true },
    { name: 'kind', kind: { oneOf: CONTROLLER_KIND_NAMES }, required: true },
    { name: 'desired', kind: NUM, required: true },
    { name: 'ready', kind: NUM, required: true },
  ]);
  for (const name of ['desired', 'ready']) {
    const a = t.numbers.get(name)!;
    for (let i = 0; i < t.length; i++) {
      if (Number.isInteger(a[i]) && a[i] >= 0) continue;
      throw new InputError({ file, line: lineOfRecord(file, i + 1), column: t.header.indexOf(name), field: name, expected: 'a count (a whole number ≥ 0)', got: String(a[i]) });
    }
  }
  const num = (k: string) => t.numbers.get(k)!;
  const txt = (k: string) => t.texts.get(k)!;
  return { length: t.length, timeS: num('time_s'), workload: txt('workload'), kind: txt('kind'), desired: num('desired'), ready: num('ready') };
}

/**
 * The 1-based line where record `n` (0 = the header) starts, counted as readCsvColumns reads:
 * blank lines skipped, a quoted field may span lines. Only on the error path (it reads the file again).
 */
function lineOfRecord(file: string, n: number): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  let record = -1;
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let quotes = lines[i].split('"').length - 1;
    while (quotes % 2 === 1 && i + 1 < lines.length) quotes += lines[++i].split('"').length - 1;
    if (lines[i].replace(/\r$/, '') === '' && start === i + 1) continue;
    if (++record === n) return start;
  }
  return lines.length;
}
