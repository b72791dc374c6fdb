import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReplayResults } from './replay-results.js';
import { TaskStatus } from '../model/task-status.js';
import { US_PER_SECOND } from '../model/units.js';
import type { RunSummary } from './summary.js';
import { abandonOutput, beginOutput, commitOutput } from '../model/atomic-output.js';
import { writeTimingFile } from './timing-file.js';
import { writeEventsCsv } from './events-csv.js';
import { writeAvailabilityCsv } from './availability-csv.js';
import { QOS_NAMES } from '../model/qos-class.js';
import { BAND_NAMES } from '../model/priority-bands.js';
import { AVAILABILITY_COLUMNS, EVENTS_COLUMNS, TIMESERIES_COLUMNS, tasksColumns } from './parquet/data-dictionary.js';
import { ResultsTableWriter } from './parquet/results-table-writer.js';
import { writeSchemaFile, type WrittenTables } from './parquet/schema-file.js';
import { encodeTaskRecord, recordWidth, RowField, type TaskRowSpool } from './task-row-spool.js';
import type { ResultsSpool } from './results-spool.js';
import { countersAt, emptyCounters, keptRowCount } from './tally-rows.js';

const STATUS = ['pending', 'running', 'finished', 'killed', 'evicted', 'failed', 'rejected'];

export interface RunRecord {
  schedlab: string;
  command: string;
  seed: number;
  config: Record<string, unknown>;
  workloadNotes: string[];
  summary: RunSummary;
}

/**
 * Writes a results folder: run.json (config, seed, version, summary), tasks.csv (one row per
 * task: in id order, or — when finished tasks left memory during the replay — in the order tasks
 * ended for good, then the tasks alive at the end; `task_id` names the task either way), timeseries.csv (long format: one observation per row) and, when node dynamics ran,
 * events.csv (one row per eviction, OOM kill, throttling interval, pressure transition). Tidy tables with units in
 * column names, loadable in one line by pandas, R, DuckDB. Each table is also written as
 * NAME.parquet (same rows, typed columns), and schema.json describes every column
 * (reports/parquet/data-dictionary.ts). Written atomically. The wall-clock
 * measurements (`timing`) go to timing.json alone (timing-file.ts), so the rest is reproducible.
 */
export async function writeResultsFolder(
  dir: string,
  record: RunRecord,
  result: ReplayResults,
  jobs: readonly string[],
  timing: Record<string, unknown>,
  /** Adds to the finished folder before it is renamed into place (the replay's report), so it appears whole with the rest. */
  beforeCommit?: (tmp: string) => Promise<void>,
  /** The task rows and dynamics log spooled during the replay, when it let finished tasks leave memory (result.tally set). */
  spool?: ResultsSpool,
): Promise<void> {
  const tmp = beginOutput(dir, 'folder');
  try {
    writeFileSync(join(tmp, 'run.json'), JSON.stringify(record, null, 2) + '\n');
    writeTimingFile(tmp, record.command, timing);
    const tables: WrittenTables = {};
    tables.tasks = await writeTasks(join(tmp, 'tasks.csv'), result, jobs, spool?.tasks);
    tables.timeseries = await writeTimeSeries(join(tmp, 'timeseries.csv'), result);
    if (result.dynamics || result.reactions) {
      let events: ResultsTableWriter | undefined;
      await writeEventsCsv(join(tmp, 'events.csv'), result, jobs, (path, header) => (events = new ResultsTableWriter(path, header, EVENTS_COLUMNS)), spool?.events);
      tables.events = { columns: EVENTS_COLUMNS, rows: events!.rows };
    }
    {
      let avail: ResultsTableWriter | undefined;
      if (await writeAvailabilityCsv(join(tmp, 'availability.csv'), result, (path, header) => (avail = new ResultsTableWriter(path, header, AVAILABILITY_COLUMNS)))) {
        tables.availability = { columns: AVAILABILITY_COLUMNS, rows: avail!.rows };
      }
    }
    writeSchemaFile(tmp, tables);
    await beforeCommit?.(tmp);
    commitOutput(tmp, dir);
  } catch (e) {
    abandonOutput(tmp);
    throw e;
  }
}

/** A dimension's unit as a column-name suffix: `request_memory_bytes`, `limit_gpu_milli_gpu`. */
const unitSuffix = (unit: string): string => unit.replace(/-/g, '_');

/**
 * tasks.csv: identity, priority with its QoS class and Borg band, times, node, status, requests and
 * limits per dimension (empty = missing request / no limit), and with node dynamics the task's
 * evictions, OOM kills, throttled CPU-seconds, lost work and peak memory; the FailedScheduling
 * message of a task pending at the end stays last.
 */
async function writeTasks(path: string, r: ReplayResults, jobs: readonly string[], spool?: TaskRowSpool): Promise<WrittenTables['tasks']> {
  const names = r.cluster.resources.names;
  const units = r.cluster.resources.units;
  const D = names.length;
  const dyn = r.dynamics;
  const dynamicsColumns = dyn ? ['evictions', 'oom_kills', 'throttled_cpu_seconds', 'lost_work_seconds', 'peak_memory_bytes'] : [];
  const header = [
    'task_id', 'job', 'task_index', 'priority', 'qos', 'band', 'submit_s', 'start_s', 'end_s', 'node', 'status', 'attempts',
    ...names.map((n, d) => `request_${n}_${unitSuffix(units[d])}`),
    ...names.map((n, d) => `limit_${n}_${unitSuffix(units[d])}`),
    'missing_request', ...dynamicsColumns, 'pending_reason',
  ];
  const columns = tasksColumns(r.cluster.resources, dyn !== undefined);
  const w = new ResultsTableWriter(path, header, columns);
  const row: Array<string | number | null> = new Array(header.length);
  // One record format (task-row-spool.ts) and one renderer for both ways a replay keeps its rows.
  const render = async (rec: Float64Array, messages: readonly string[]): Promise<void> => {
    const job = rec[RowField.Job];
    const node = rec[RowField.Node];
    const missing = rec[RowField.Request + 2 * D];
    row[0] = rec[RowField.Id];
    row[1] = jobs[job] ?? job;
    row[2] = rec[RowField.TaskIndex];
    row[3] = rec[RowField.Priority];
    row[4] = QOS_NAMES[rec[RowField.Qos]];
    row[5] = BAND_NAMES[rec[RowField.Band]];
    row[6] = rec[RowField.Submit] / US_PER_SECOND;
    row[7] = rec[RowField.Start] / US_PER_SECOND;
    row[8] = rec[RowField.End] / US_PER_SECOND;
    row[9] = node >= 0 ? r.cluster.ids[node] : null;
    row[10] = STATUS[rec[RowField.Status] as TaskStatus];
    row[11] = rec[RowField.Attempts];
    let c = 12;
    for (let d = 0; d < D; d++) row[c++] = missing ? null : rec[RowField.Request + d];
    // NaN = no limit: an empty field.
    for (let d = 0; d < D; d++) row[c++] = rec[RowField.Request + D + d];
    row[c++] = missing;
    if (dyn) for (let k = 1; k <= 5; k++) row[c++] = rec[RowField.Request + 2 * D + k];
    // Pending at the end: kube-scheduler's FailedScheduling message; empty otherwise.
    const m = rec[RowField.Request + 2 * D + 6];
    row[c] = m >= 0 ? messages[m] : null;
    await w.row(row);
  };
  if (r.tally !== undefined) {
    // Finished tasks left memory: their rows were spooled as they ended (in that order), then the
    // rows alive at the end.
    if (!spool) throw new Error('writeResultsFolder: a replay whose rows left memory needs its task-row spool');
    await spool.forEach((rec) => render(rec, spool.messages));
  } else {
    const { messageOf, messages } = r.pending;
    const t = r.tasks;
    const rec = new Float64Array(recordWidth(D));
    const c = emptyCounters();
    const n = keptRowCount(r);
    for (let i = 0; i < n; i++) {
      encodeTaskRecord(rec, t, i, i, countersAt(r, i, c), i < messageOf.length ? messageOf[i] : -1);
      await render(rec, messages);
    }
  }
  await w.close();
  return { columns, rows: w.rows };
}

async function writeTimeSeries(path: string, r: ReplayResults): Promise<WrittenTables['timeseries']> {
  const s = r.series;
  const names = r.cluster.resources.names;
  const D = names.length;
  const w = new ResultsTableWriter(path, ['time_s', 'metric', 'resource', 'value'], TIMESERIES_COLUMNS);
  for (let k = 0; k < s.length; k++) {
    const time = s.time[k] / US_PER_SECOND;
    for (let d = 0; d < D; d++) {
      const a = s.allocatable[k * D + d];
      if (!(a > 0)) continue;
      await w.row([time, 'requested_fraction', names[d], s.requested[k * D + d] / a]);
      await w.row([time, 'used_fraction', names[d], s.used[k * D + d] / a]);
    }
    await w.row([time, 'nodes_up', '', s.nodesUp[k]]);
    await w.row([time, 'nodes_busy', '', s.nodesBusy[k]]);
    await w.row([time, 'tasks_running', '', s.running[k]]);
    await w.row([time, 'tasks_pending', '', s.pending[k]]);
  }
  await w.close();
  return { columns: TIMESERIES_COLUMNS, rows: w.rows };
}
