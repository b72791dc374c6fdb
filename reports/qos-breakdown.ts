import type { ReplayResults } from './replay-results.js';
import { QOS_NAMES, type QosName } from '../model/qos-class.js';
import { BAND_NAMES, type BandName } from '../model/priority-bands.js';
import { TaskTally } from './task-tally.js';
import { tallyRows } from './tally-rows.js';

/** One row of the per-class table: a Kubernetes QoS class × a Borg priority band. */
export interface ClassRow {
  qos: QosName;
  band: BandName;
  /** Tasks submitted up to the horizon. */
  tasks: number;
  /** Started at least once. */
  scheduled: number;
  /** Waiting at the end: in the queue, or evicted and not yet recreated by its controller. */
  pendingAtEnd: number;
  /** Kubelet evictions and OOM kills of the class's tasks (per-task counters summed). */
  evictions: number;
  oomKills: number;
}

/**
 * Tasks, scheduled, pending at end, evictions and OOM kills per QoS class × band, over the tasks
 * submitted up to the horizon (as the summary counts them); classes with no task are left out.
 * Rows in class order (Guaranteed, Burstable, BestEffort), then band order (free … monitoring),
 * so the rows sum to the run's totals. Reads the task tally (reports/task-tally.ts): a replay's
 * rows, or the figures accumulated as its tasks ended.
 */
export function qosBreakdown(src: ReplayResults | TaskTally): ClassRow[] {
  const tally = src instanceof TaskTally ? src : tallyRows(src);
  const B = BAND_NAMES.length;
  const cells = QOS_NAMES.length * B;
  const tasks = tally.classTasks;
  const scheduled = tally.classScheduled;
  const pending = tally.classPending;
  const evictions = tally.classEvictions;
  const oom = tally.classOomKills;
  const rows: ClassRow[] = [];
  for (let k = 0; k < cells; k++) {
    if (tasks[k] === 0) continue;
    rows.push({
      qos: QOS_NAMES[Math.floor(k / B)],
      band: BAND_NAMES[k % B],
      tasks: tasks[k],
      scheduled: scheduled[k],
      pendingAtEnd: pending[k],
      evictions: evictions[k],
      oomKills: oom[k],
    });
  }
  return rows;
}
