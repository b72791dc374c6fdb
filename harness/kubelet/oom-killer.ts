import { US_PER_SECOND } from '../../model/units.js';
import { heapSort } from './heap-sort.js';

/** oom_score_adj of a task the OOM killer must never pick (include/uapi/linux/oom.h OOM_SCORE_ADJ_MIN). */
export const OOM_SCORE_ADJ_MIN = -1000;

/**
 * The kernel's OOM badness of a task (mm/oom_kill.c oom_badness), scaled to 1000:
 * `points = usage / capacity × 1000 + oom_score_adj`. The kernel counts pages (rss + swap + page
 * tables) and adds `adj × totalpages / 1000`; dividing both by totalpages / 1000 gives this form.
 * A task with adj −1000 is unkillable: −Infinity (the kernel's LONG_MIN). Points may be negative
 * (the kernel no longer rounds them up to 1), so such a task can still be chosen.
 * Use model/qos-class.ts oomScoreAdj for adj (Guaranteed −997, BestEffort 1000, Burstable between).
 */
export function oomBadness(usage: number, capacity: number, oomScoreAdj: number): number {
  if (oomScoreAdj <= OOM_SCORE_ADJ_MIN) return -Infinity;
  const share = capacity > 0 && usage > 0 ? (usage / capacity) * 1000 : 0;
  return share + oomScoreAdj;
}

/**
 * The task a node-wide OOM kills (mm/oom_kill.c select_bad_process / oom_evaluate_task): the
 * largest badness; on equal points the later task wins, as the kernel's scan replaces its choice
 * unless `points < chosen_points` (for_each_process walks tasks oldest first, so with positions in
 * start order the youngest of equals dies). Returns the position, −1 if none is killable.
 * Simplified: one process per task (the kernel scores processes, not containers or pods).
 */
export function pickOomVictim(count: number, usage: Float64Array, adj: Float64Array, capacity: number): number {
  let chosen = -1;
  let chosenPoints = -Infinity;
  for (let i = 0; i < count; i++) {
    const points = oomBadness(usage[i], capacity, adj[i]);
    if (points === -Infinity || points < chosenPoints) continue;
    chosen = i;
    chosenPoints = points;
  }
  return chosen;
}

/**
 * The order in which repeated OOM kills pick a node's tasks: what pickOomVictim chooses, then what
 * it chooses among the rest, and so on (badness does not change between kills, so one sort
 * replaces a scan per kill) — larger badness first, the later position first among equals;
 * unkillable tasks (adj −1000) left out. Writes the positions to `order`, each task's badness to
 * `badness` (scratch, by position); returns how many are killable. O(n log n), no allocation.
 */
export function rankOomVictims(count: number, usage: Float64Array, adj: Float64Array, capacity: number, badness: Float64Array, order: Int32Array): number {
  let m = 0;
  for (let i = 0; i < count; i++) {
    badness[i] = oomBadness(usage[i], capacity, adj[i]);
    if (badness[i] !== -Infinity) order[m++] = i;
  }
  rankBadness = badness;
  heapSort(order, m, killedBefore);
  rankBadness = EMPTY_F64;
  return m;
}

const EMPTY_F64: Float64Array = new Float64Array(0);
// The badness of the call in progress (module state, so the comparator is not a new closure per call).
let rankBadness: Float64Array = EMPTY_F64;
/** Killed before: larger badness, or equal badness and the later position (a strict total order). */
function killedBefore(a: number, b: number): boolean {
  const ba = rankBadness[a];
  const bb = rankBadness[b];
  return ba > bb || (ba === bb && a > b);
}

/** The kubelet's CrashLoopBackOff: first delay 10 s, doubling, capped at 5 min (pkg/kubelet backOffPeriod, MaxContainerBackOff). */
export const RESTART_BACKOFF_INITIAL = 10 * US_PER_SECOND;
export const RESTART_BACKOFF_MAX = 300 * US_PER_SECOND;
/** The kubelet forgets a container's back-off after it has run this long without failing (10 min). */
export const RESTART_BACKOFF_RESET = 600 * US_PER_SECOND;

/**
 * Delay before restart number `restarts + 1` (restarts = how many times restarted before), µs:
 * `min(10 s × 2^restarts, 5 min)` — 10, 20, 40, 80, 160, 300, 300 … s (flowcontrol.Backoff as the
 * kubelet configures it: Next() starts at the initial delay and doubles up to the maximum).
 */
export function restartBackoff(restarts: number): number {
  const k = restarts > 0 ? Math.floor(restarts) : 0;
  return k >= 5 ? RESTART_BACKOFF_MAX : Math.min(RESTART_BACKOFF_INITIAL * 2 ** k, RESTART_BACKOFF_MAX);
}
