import type { DynamicsEventLog, ReplayResults } from './replay-results.js';
import { REACTION_CAUSE_NAMES } from './reaction-results.js';
import { DYNAMICS_CAUSE_NAMES } from './replay-results.js';
import { QOS_NAMES } from '../model/qos-class.js';
import { BAND_NAMES } from '../model/priority-bands.js';
import { US_PER_SECOND } from '../model/units.js';
import { CsvWriter } from './csv-writer.js';

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
 * Streams the dynamics event log to `path`, one row per event, by time; events at one time keep
 * their log order. (The log is appended as events are known: a throttling interval is logged when
 * it ends but stamped with its start, so the log alone is not in time order.) The header is always
 * written, so an empty log is a file a notebook still loads in one line. `open` makes the row
 * writer (default: the CSV alone; results folders also write Parquet, reports/parquet/).
 */
export async function writeEventsCsv(
  path: string,
  r: ReplayResults,
  jobs: readonly string[],
  open: (path: string, header: readonly string[]) => Pick<CsvWriter, 'row' | 'close'> = (p, h) => new CsvWriter(p, h),
): Promise<void> {
  const w = open(path, EVENTS_CSV_HEADER);
  // The node dynamics' log and the reactions' log (preemption, failures, autoscaling, ...), merged by time.
  const logs: Array<{ log: DynamicsEventLog; names: (cause: number) => string }> = [];
  if (r.dynamics) logs.push({ log: r.dynamics.events, names: (c) => DYNAMICS_CAUSE_NAMES[c] });
  if (r.reactions) logs.push({ log: r.reactions.events, names: (c) => REACTION_CAUSE_NAMES[c] ?? String(c) });
  const orders = logs.map(({ log }) => timeOrder(log.time, log.length));
  const at = logs.map(() => 0);
  const t = r.tasks;
  const row: Array<string | number | null> = new Array(EVENTS_CSV_HEADER.length);
  for (;;) {
    // The log whose next event is earliest (the first log on a tie: dynamics before reactions).
    let k = -1;
    for (let j = 0; j < logs.length; j++) {
      if (at[j] === orders[j].length) continue;
      if (k < 0 || logs[j].log.time[orders[j][at[j]]] < logs[k].log.time[orders[k][at[k]]]) k = j;
    }
    if (k < 0) break;
    const { log, names } = logs[k];
    const e = orders[k][at[k]++];
    const i = log.task[e];
    const task = i >= 0;
    row[0] = log.time[e] / US_PER_SECOND;
    row[1] = log.node[e] >= 0 ? r.cluster.ids[log.node[e]] : null;
    row[2] = task ? i : null;
    // A replay whose finished tasks left memory keeps the task's job, index and class per event.
    const per = k === 0 && r.dynamics && r.tally ? r.tally.eventTasks : undefined;
    const job = per ? per.job[e] : task ? t.job[i] : 0;
    row[3] = task ? (jobs[job] ?? job) : null;
    row[4] = task ? (per ? per.taskIndex[e] : t.taskIndex[i]) : null;
    row[5] = names(log.cause[e]);
    row[6] = task ? QOS_NAMES[per ? per.qos[e] : t.qos[i]] : null;
    row[7] = task ? BAND_NAMES[per ? per.band[e] : t.band[i]] : null;
    row[8] = log.memory[e];
    row[9] = log.amount[e];
    row[10] = log.duration[e];
    await w.row(row);
  }
  await w.close();
}

/** Event indices by time, stable; the identity when the log is already in order (the usual case, checked in one pass). */
export function timeOrder(time: Float64Array, length: number): Int32Array {
  const order = new Int32Array(length);
  let sorted = true;
  for (let e = 0; e < length; e++) {
    order[e] = e;
    if (e > 0 && time[e] < time[e - 1]) sorted = false;
  }
  if (!sorted) order.sort((a, b) => time[a] - time[b] || a - b);
  return order;
}
