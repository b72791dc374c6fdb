import type { ReplayResults } from './replay-results.js';
import { REACTION_CAUSE_NAMES } from './reaction-results.js';
import { DYNAMICS_CAUSE_NAMES } from './replay-results.js';
import { QOS_NAMES } from '../model/qos-class.js';
import { BAND_NAMES } from '../model/priority-bands.js';
import { US_PER_SECOND } from '../model/units.js';
import { CsvWriter } from './csv-writer.js';
import { LogReader, mergeByTime, type EventReader } from './event-merge.js';
import type { EventRowSpool } from './event-row-spool.js';

/**
 * events.csv columns. Node events (pressure transitions) leave the task columns empty. What
 * `memory_bytes` and `amount` hold depends on the cause (reports/replay-results.ts
 * DynamicsEventLog): an eviction or OOM kill gives the task's memory usage and the work lost
 * (seconds), a throttling interval the CPU-seconds throttled and its length, a pressure
 * transition the node's memory.available.
 */
export const EVENTS_CSV_HEADER = [
  'time_s', 'node', 'task_id', 'job', 'task_index', 'cause', 'qos', 'band', 'memory_bytes', 'amount', 'duration_s',
] as const;

/**
 * Streams the event logs to `path`, one row per event, by time; events at one time keep their log
 * order, node dynamics before reactions. (A log is appended as events are known: a throttling
 * interval is logged when it ends but stamped with its start, so a log alone is not in time order.)
 * The dynamics log of a replay whose rows left memory is partly in `spool` (runs handed over
 * during the run, each in time order) and partly in memory; the runs and the rest are merged, so
 * the file is the one a whole log gives. The header is always written, so an empty log is a file a
 * notebook still loads in one line. `open` makes the row writer (default: the CSV alone; results
 * folders also write Parquet, reports/parquet/).
 */
export async function writeEventsCsv(
  path: string,
  r: ReplayResults,
  jobs: readonly string[],
  open: (path: string, header: readonly string[]) => Pick<CsvWriter, 'row' | 'close'> = (p, h) => new CsvWriter(p, h),
  spool?: EventRowSpool,
): Promise<void> {
  const spilled = r.dynamics?.events.spilled ?? 0;
  if (spilled > 0 && (!spool || spool.rows !== spilled)) {
    throw new Error(`writeEventsCsv: ${spilled.toLocaleString('en-US')} dynamics events left memory during the replay, and ${spool ? `the spool holds ${spool.rows.toLocaleString('en-US')}` : 'no spool holds them'}`);
  }
  // Readers in tie order: the spooled runs (the log's oldest rows), the dynamics log's rest, the reactions' log.
  const readers: EventReader[] = [];
  const names: Array<(cause: number) => string> = [];
  const dynamicsName = (c: number): string => DYNAMICS_CAUSE_NAMES[c];
  if (r.dynamics) {
    if (spilled > 0) {
      for (const run of spool!.openRuns()) {
        readers.push(run);
        names.push(dynamicsName);
      }
    }
    readers.push(new LogReader(r.dynamics.events, r.tasks, r.tally?.eventTasks));
    names.push(dynamicsName);
  }
  if (r.reactions) {
    readers.push(new LogReader(r.reactions.events, r.tasks));
    names.push((c) => REACTION_CAUSE_NAMES[c] ?? String(c));
  }
  const w = open(path, EVENTS_CSV_HEADER);
  const row: Array<string | number | null> = new Array(EVENTS_CSV_HEADER.length);
  await mergeByTime(readers, async (k, ev) => {
    const task = ev.task >= 0;
    row[0] = ev.time / US_PER_SECOND;
    row[1] = ev.node >= 0 ? r.cluster.ids[ev.node] : null;
    row[2] = task ? ev.task : null;
    row[3] = task ? (jobs[ev.job] ?? ev.job) : null;
    row[4] = task ? ev.taskIndex : null;
    row[5] = names[k](ev.cause);
    row[6] = task ? QOS_NAMES[ev.qos] : null;
    row[7] = task ? BAND_NAMES[ev.band] : null;
    row[8] = ev.memory;
    row[9] = ev.amount;
    row[10] = ev.duration;
    await w.row(row);
  });
  await w.close();
}
