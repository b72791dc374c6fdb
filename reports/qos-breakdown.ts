import type { ReplayResults } from './replay-results.js';
import { QOS_NAMES, type QosName } from '../model/qos-class.js';
import { BAND_NAMES, type BandName } from '../model/priority-bands.js';
import { TaskStatus } from '../model/task-status.js';

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
 * so the rows sum to the run's totals. Needs the dynamics counters (ReplayResults.dynamics).
 */
export function qosBreakdown(r: ReplayResults): ClassRow[] {
  const t = r.tasks;
  const dyn = r.dynamics!;
  const B = BAND_NAMES.length;
  const cells = QOS_NAMES.length * B;
  const tasks = new Float64Array(cells);
  const scheduled = new Float64Array(cells);
  const pending = new Float64Array(cells);
  const evictions = new Float64Array(cells);
  const oom = new Float64Array(cells);
  for (let i = 0; i < t.count; i++) {
    if (t.submit[i] > r.horizon) break;
    const k = t.qos[i] * B + t.band[i];
    tasks[k]++;
    if (t.attempts[i] > 0) scheduled[k]++;
    // As the simulator counts pendingAtEnd: queued, or evicted and awaiting its controller's recreate.
    if (t.status[i] === TaskStatus.Pending || t.status[i] === TaskStatus.Evicted) pending[k]++;
    evictions[k] += dyn.evictions[i];
    oom[k] += dyn.oomKills[i];
  }
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
