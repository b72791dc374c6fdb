import type { ClusterView } from '../../model/cluster-view.js';
import type { TaskView } from '../../model/task-view.js';
import { PriorityBand, bandOf, type PriorityScale } from '../../model/priority-bands.js';

/**
 * The (task, node) feature vector of the learned placement scorer, in this fixed order (a model file
 * lists these names and is refused when they differ). Every feature is a fraction or a 0/1 flag, so
 * one network serves clusters of any machine size. Resources are read by name (cpu, memory, gpu);
 * one the schema lacks, or a node has none of, gives 0.
 *
 * - `req_cpu`, `req_memory`, `req_gpu`: task request / node allocatable, per resource.
 * - `free_cpu`, `free_memory`, `free_gpu`: node free / allocatable before placement.
 * - `after_cpu`, `after_memory`, `after_gpu`: (free − request) / allocatable after placement; the
 *   GPU one is the GPU leftover signal (0 without a GPU dimension), FGD's concern (Weng et al., ATC'23).
 * - `alignment`: Tetris's alignment score (Grandl et al., SIGCOMM'14 §3.1): the dot product of the
 *   request and the free vector, both as fractions of the node, Σ_r req_r·free_r, divided by the
 *   number of resources the node has so it stays in [0, 1].
 * - `imbalance`: |after_cpu − after_memory|, leftover imbalance: capacity one resource strands
 *   because the other ran out (Verma et al., EuroSys'15 §5.5 "stranded resources").
 * - `min_after`: min(after_cpu, after_memory), the scarcest leftover (best fit's tightness).
 * - `requested`: node requested / allocatable, mean over cpu and memory (kube's MostAllocated input).
 * - `idle`: 1 when no task runs on the node (placing here opens a node: the nodes-used objective).
 * - `band_free` … `band_monitoring`: the task's Borg priority band, one-hot (model/priority-bands.ts).
 * - `qos_guaranteed`, `qos_burstable`, `qos_best_effort`: the QoS class the source states
 *   (Kubernetes Guaranteed/Burstable/BestEffort; openb LS counts as guaranteed, BE as best effort),
 *   one-hot, all 0 when unstated.
 *
 * The band and QoS features make the score depend on more than the task's request shape: the
 * policy's score cache keys on them too (taskFeatureClass, scored-policy.ts ScorerTraits.shapeClass).
 */
export const FEATURE_NAMES = [
  'req_cpu', 'req_memory', 'req_gpu',
  'free_cpu', 'free_memory', 'free_gpu',
  'after_cpu', 'after_memory', 'after_gpu',
  'alignment', 'imbalance', 'min_after', 'requested', 'idle',
  'band_free', 'band_best_effort_batch', 'band_mid', 'band_production', 'band_monitoring',
  'qos_guaranteed', 'qos_burstable', 'qos_best_effort',
] as const;

export const FEATURE_COUNT = FEATURE_NAMES.length;
/** Where the task-only features (band and QoS one-hots) start; they are written once per decision. */
export const TASK_FEATURES_FROM = FEATURE_NAMES.indexOf('band_free');

/** Dimension numbers of cpu, memory and gpu in a schema, in that order (−1 = absent), looked up once per cluster. */
export type FeatureDims = Int32Array;

export function featureDims(cluster: ClusterView): FeatureDims {
  const names = cluster.resources.names;
  return Int32Array.of(names.indexOf('cpu'), names.indexOf('memory'), names.indexOf('gpu'));
}

/**
 * The numbering a priority most likely follows, since a policy is not told the workload's
 * PriorityScale: 0–11 is the Google 2011 range, up to 1,000 the Google 2019 one (its monitoring tier
 * is 360+), anything else (negative, or Kubernetes PriorityClass values) Kubernetes. A guess: a
 * Kubernetes priority of 0–11 is read as a 2011 one.
 */
export function guessPriorityScale(priority: number): PriorityScale {
  if (priority >= 0 && priority <= 11) return 'google-2011';
  if (priority > 11 && priority <= 1000) return 'google-2019';
  return 'kubernetes';
}

/** QoS one-hot slot of a stated class (0 guaranteed, 1 burstable, 2 best effort), −1 when unstated or unknown. */
export function qosSlot(qos: string | undefined): number {
  if (qos === undefined) return -1;
  const q = qos.toLowerCase();
  if (q === 'guaranteed' || q === 'ls' || q === 'lsr' || q === 'lse') return 0;
  if (q === 'burstable') return 1;
  if (q === 'besteffort' || q === 'best-effort' || q === 'be') return 2;
  return -1;
}

/** Writes the task-only features (band and QoS one-hots) at out[offset + TASK_FEATURES_FROM ...]. */
export function writeTaskFeatures(task: TaskView, out: Float32Array, offset: number): void {
  const o = offset + TASK_FEATURES_FROM;
  for (let i = 0; i < 8; i++) out[o + i] = 0;
  const band: PriorityBand = bandOf(task.priority, guessPriorityScale(task.priority));
  out[o + band] = 1;
  const q = qosSlot(task.constraints?.qos);
  if (q >= 0) out[o + 5 + q] = 1;
}

/**
 * The task-only features (band, QoS slot) as one whole number, 4·band + slot + 1: tasks with the
 * same request and the same class get the same score on the same node.
 */
export function taskFeatureClass(task: TaskView): number {
  return 4 * bandOf(task.priority, guessPriorityScale(task.priority)) + qosSlot(task.constraints?.qos) + 1;
}

/** Copies the task-only features from one row to another (a batch of candidates shares them). */
export function copyTaskFeatures(from: Float32Array, fromOffset: number, out: Float32Array, offset: number): void {
  for (let i = TASK_FEATURES_FROM; i < FEATURE_COUNT; i++) out[offset + i] = from[fromOffset + i];
}

/**
 * Writes the node features of placing `task` on `node` (everything before TASK_FEATURES_FROM) at
 * out[offset ...]. Pure: reads the request and the node's reservation state only.
 */
export function writeNodeFeatures(task: TaskView, node: number, cluster: ClusterView, dims: FeatureDims, out: Float32Array, offset: number): void {
  const D = cluster.dims;
  const base = node * D;
  const req = task.request;
  let present = 0;
  let align = 0;
  for (let r = 0; r < 3; r++) {
    const d = dims[r];
    const a = d >= 0 ? cluster.allocatable[base + d] : 0;
    if (a > 0) {
      const rq = req[d] / a;
      const fr = cluster.free[base + d] / a;
      out[offset + r] = rq;
      out[offset + 3 + r] = fr;
      out[offset + 6 + r] = fr - rq;
      align += rq * fr;
      present++;
    } else {
      out[offset + r] = 0;
      out[offset + 3 + r] = 0;
      out[offset + 6 + r] = 0;
    }
  }
  out[offset + 9] = present > 0 ? align / present : 0;
  const ac = out[offset + 6];
  const am = out[offset + 7];
  out[offset + 10] = Math.abs(ac - am);
  out[offset + 11] = Math.min(ac, am);
  out[offset + 12] = (requestedFraction(cluster, base, dims[0]) + requestedFraction(cluster, base, dims[1])) / 2;
  out[offset + 13] = cluster.runningCount[node] === 0 ? 1 : 0;
}

function requestedFraction(cluster: ClusterView, base: number, d: number): number {
  if (d < 0) return 0;
  const a = cluster.allocatable[base + d];
  return a > 0 ? cluster.requested[base + d] / a : 0;
}
