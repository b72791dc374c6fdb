import { DYNAMICS_CAUSE_NAMES, DynamicsCause, type ReplayResults } from './replay-results.js';
import type { DynamicsEventLog } from './event-log.js';
import { QOS_NAMES, type QosName } from '../model/qos-class.js';
import { BAND_NAMES, type BandName } from '../model/priority-bands.js';
import { qosBreakdown, type ClassRow } from './qos-breakdown.js';
import type { TaskTally } from './task-tally.js';
import { tallyRows } from './tally-rows.js';
import { DynamicsEventCounts } from './dynamics-event-counts.js';

export type CauseName = (typeof DYNAMICS_CAUSE_NAMES)[number];

/** The causes that end a task's attempt (events.csv rows that count as evictions in the report). */
export const EVICTION_CAUSES: readonly DynamicsCause[] = [
  DynamicsCause.EvictionMemoryPressure,
  DynamicsCause.EvictionDiskPressure,
  DynamicsCause.OomLimit,
  DynamicsCause.OomNode,
  DynamicsCause.Preemption,
  DynamicsCause.Failure,
];

/** One cell of the cause × QoS class × priority band breakdown (only cells with events are listed). */
export interface EvictionCell {
  cause: CauseName;
  qos: QosName;
  band: BandName;
  count: number;
}

/**
 * What the node dynamics did, for the summary (text, --json, run.json). Every figure is a count or
 * a sum of what the simulator recorded; `null` = not modeled in this run (printed "n/a"), never 0.
 */
export interface DynamicsSummary {
  /** What was modeled (usage source, thresholds, overcommit), as the simulator stated it. */
  settings: Record<string, string | number>;
  /**
   * Attempts ended by each cause, from the event log: kubelet evictions (memory / disk pressure),
   * OOM kills (limit / node), preemption, failure. `null` = the cause was not modeled.
   */
  evictionsByCause: Record<CauseName, number | null>;
  /** Σ of the modeled causes above. */
  evictionsTotal: number;
  /** Cause × QoS × band, cells with at least one event, in cause, class, band order. */
  evictionsByClass: EvictionCell[];
  /** Per-task counters summed: kubelet evictions and OOM kills (equal the log's counts of those causes). */
  kubeletEvictions: number;
  oomKills: number;
  /** CPU-seconds of demand throttled (quota or shares); null when the cluster has no CPU dimension. */
  throttledCpuSeconds: number | null;
  /** Work lost to ended attempts, task-seconds. */
  lostWorkTaskSeconds: number;
  /** violatedIntervals / nodeIntervals; null when no node-interval with tasks was evaluated. */
  violationRate: number | null;
  nodeIntervals: number;
  violatedIntervals: number;
  /** MemoryPressure condition turned on / off (node events of the log). */
  pressureTransitions: { on: number; off: number };
  housekeeping: { ticks: number; nodeEvaluations: number };
  /** Per QoS class × band: tasks, scheduled, pending at end, evictions, OOM kills (reports/qos-breakdown.ts). */
  classes: ClassRow[];
}

/**
 * Which eviction causes a run modeled: kubelet memory pressure and both OOM kills always (when
 * dynamics ran); disk pressure when the workload has a disk dimension (the kubelet's
 * nodefs.available signal needs one, ../shared/docs/models.md § node pressure); preemption and
 * failure only when the log holds one (`counts`: the log's events by cause). A `settings.causes`
 * entry (comma-separated cause names) from the simulator overrides this reading.
 */
export function modeledCauses(r: ReplayResults, counts: DynamicsEventCounts): Set<DynamicsCause> {
  const dyn = r.dynamics!;
  const stated = dyn.settings.causes;
  if (typeof stated === 'string') {
    const out = new Set<DynamicsCause>();
    for (const name of stated.split(',').map((s) => s.trim()).filter(Boolean)) {
      const c = (DYNAMICS_CAUSE_NAMES as readonly string[]).indexOf(name);
      if (c < 0) throw new Error(`dynamics settings: unknown cause '${name}' (known: ${DYNAMICS_CAUSE_NAMES.join(', ')})`);
      out.add(c as DynamicsCause);
    }
    return out;
  }
  const out = new Set<DynamicsCause>([DynamicsCause.EvictionMemoryPressure, DynamicsCause.OomLimit, DynamicsCause.OomNode]);
  const names = r.cluster.resources.names;
  if (names.includes('ephemeral-storage') || names.includes('disk')) out.add(DynamicsCause.EvictionDiskPressure);
  for (let c = 0; c < counts.byCause.length; c++) if (counts.byCause[c] > 0) out.add(c as DynamicsCause);
  return out;
}

/** The dynamics figures of a replay; undefined when it ran without dynamics. */
export function summarizeDynamics(r: ReplayResults, given?: TaskTally): DynamicsSummary | undefined {
  const dyn = r.dynamics;
  if (dyn === undefined) return undefined;
  const tally = given ?? r.tally ?? tallyRows(r);
  // Events per cause, and task events per cause × class × band: counted by the simulator as it
  // named each event's task when the rows left memory (r.tally; the log itself may have left too),
  // else counted here from the log and the task rows.
  const counts = r.tally?.eventCounts ?? countEventLog(dyn.events, r.tasks.qos, r.tasks.band);
  const modeled = modeledCauses(r, counts);
  const byCause = counts.byCause;
  const Q = QOS_NAMES.length;
  const B = BAND_NAMES.length;
  const evictionsByCause = {} as Record<CauseName, number | null>;
  let evictionsTotal = 0;
  for (const c of EVICTION_CAUSES) {
    evictionsByCause[DYNAMICS_CAUSE_NAMES[c]] = modeled.has(c) ? byCause[c] : null;
    if (modeled.has(c)) evictionsTotal += byCause[c];
  }
  const evictionsByClass: EvictionCell[] = [];
  for (const c of EVICTION_CAUSES) {
    for (let q = 0; q < Q; q++) {
      for (let b = 0; b < B; b++) {
        const n = counts.cell(c, q, b);
        if (n > 0) evictionsByClass.push({ cause: DYNAMICS_CAUSE_NAMES[c], qos: QOS_NAMES[q], band: BAND_NAMES[b], count: n });
      }
    }
  }
  const { kubeletEvictions, oomKills } = tally;
  const throttled = tally.throttledCpuSeconds;
  const lost = tally.lostWorkSeconds;
  return {
    settings: { ...dyn.settings },
    evictionsByCause,
    evictionsTotal,
    evictionsByClass,
    kubeletEvictions,
    oomKills,
    throttledCpuSeconds: r.cluster.resources.names.includes('cpu') ? throttled : null,
    lostWorkTaskSeconds: lost,
    violationRate: dyn.nodeIntervals > 0 ? dyn.violatedIntervals / dyn.nodeIntervals : null,
    nodeIntervals: dyn.nodeIntervals,
    violatedIntervals: dyn.violatedIntervals,
    pressureTransitions: { on: byCause[DynamicsCause.PressureOn], off: byCause[DynamicsCause.PressureOff] },
    housekeeping: { ticks: dyn.housekeepingTicks, nodeEvaluations: dyn.nodeEvaluations },
    classes: qosBreakdown(tally),
  };
}

/** Counts a log whose tasks are rows of a task table (every row kept: `qos[task]`, `band[task]`). */
function countEventLog(log: DynamicsEventLog, qos: ArrayLike<number>, band: ArrayLike<number>): DynamicsEventCounts {
  const out = new DynamicsEventCounts();
  for (let e = 0; e < log.length; e++) {
    const i = log.task[e];
    if (i >= 0) out.addTask(log.cause[e], qos[i], band[i]);
    else out.addNode(log.cause[e]);
  }
  return out;
}
