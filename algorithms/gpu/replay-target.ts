import { UsageError } from '../../model/errors.js';
import type { Workload } from '../../model/workload.js';
import type { TaskView } from '../../model/task-view.js';
import { TargetWorkload } from './fragmentation.js';
import { emptyShape, readGpuShape, type GpuTaskShape } from './task-gpu-shape.js';

/**
 * FGD's target workload M (Weng et al., ATC'23 §3.2) in an online replay.
 *
 * The paper builds M from the workload's pod-shape distribution, known in advance. A replay
 * policy sees tasks one at a time and PolicyOptions carry no workload, so by default M is the
 * running distribution of the shapes of the tasks that have arrived so far (each task counted once,
 * at its first decision — retries of a pending task do not weigh it more). Rebuilding M makes
 * every cached fragmentation stale, so it is rebuilt on a geometric schedule: after 1, 2, 3, ...
 * arrivals, then whenever the count grew by 25%, at most every `refreshEvery` arrivals (default
 * 500) — early shapes settle fast, and on openb the shape mix barely moves after a few hundred
 * pods. For the paper's setting, pass the full distribution up front (`shapes`, e.g. from
 * workloadTargetShapes below) and M stays fixed.
 *
 * As in fragmentation.ts: the most popular shapes are kept until they cover `coverage` (95%) of
 * the tasks, then renormalized; shape = (CPU, milli-GPU per device, devices, allowed models);
 * CPU-only tasks are part of M.
 */
export interface TargetShape {
  cpu: number;
  milli: number;
  count: number;
  models?: readonly string[];
  /** Popularity (any scale; normalized). */
  weight: number;
}

export interface ReplayTargetOptions {
  /** A fixed target (the paper's setting); default: the running distribution of arrived tasks. */
  shapes?: readonly TargetShape[];
  /**
   * A fixed, already built M, used as is (the experiment's TargetWorkload.fromPods); its `allowed`
   * table must index the scorer's device model's `models`, which must not change afterwards.
   */
  workload?: TargetWorkload;
  /** Share of tasks the kept shapes must cover (default 0.95). */
  coverage?: number;
  /** Running target: rebuild at least every this many arrivals (default 500). */
  refreshEvery?: number;
}

interface Entry {
  cpu: number;
  milli: number;
  count: number;
  models: readonly string[] | undefined;
  key: string;
  weight: number;
}

const shapeKey = (cpu: number, milli: number, count: number, models: readonly string[] | undefined) =>
  `${cpu},${milli},${count},${models === undefined ? '*' : models.join('|')}`;

/** Most popular first (ties: CPU, milli, devices, models), cut at `coverage` of the total weight. */
function cut(entries: Entry[], coverage: number): { kept: Entry[]; covered: number } {
  const total = entries.reduce((s, e) => s + e.weight, 0);
  const list = [...entries].sort(
    (a, b) => b.weight - a.weight || a.cpu - b.cpu || a.milli - b.milli || a.count - b.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
  const kept: Entry[] = [];
  let cum = 0;
  for (const e of list) {
    if (cum >= coverage * total) break;
    kept.push(e);
    cum += e.weight;
  }
  return { kept, covered: total === 0 ? 1 : cum / total };
}

export class ReplayTarget {
  /** Bumped on every rebuild of `workload` (cached fragmentation is valid within one epoch). */
  epoch = 0;
  workload: TargetWorkload | undefined;
  /** Distinct tasks counted (running mode). */
  arrived = 0;
  private readonly fixed: Entry[] | undefined;
  private readonly prebuilt: TargetWorkload | undefined;
  private readonly entries = new Map<string, Entry>();
  private seen = new Uint8Array(0);
  private nextRebuild = 1;
  private builtModels = -1;
  private builtArrived = -1;
  private readonly coverage: number;
  private readonly refreshEvery: number;

  constructor(options: ReplayTargetOptions = {}) {
    this.coverage = options.coverage ?? 0.95;
    this.refreshEvery = options.refreshEvery ?? 500;
    if (!(this.coverage > 0 && this.coverage <= 1)) throw new UsageError(`FGD target coverage must be in (0, 1], got ${options.coverage}`);
    if (!(this.refreshEvery >= 1)) throw new UsageError(`FGD target refreshEvery must be ≥ 1, got ${options.refreshEvery}`);
    this.prebuilt = options.workload;
    if (options.shapes !== undefined) {
      if (options.shapes.length === 0) throw new UsageError('FGD target: the fixed shape list is empty');
      this.fixed = options.shapes.map((x) => ({ ...x, models: x.models, key: shapeKey(x.cpu, x.milli, x.count, x.models) }));
    }
  }

  /** Counts task `id` (once) in the running distribution. */
  note(id: number, s: GpuTaskShape): void {
    if (this.fixed !== undefined || this.prebuilt !== undefined) return;
    if (id >= this.seen.length) {
      const b = new Uint8Array(Math.max(id + 1, this.seen.length * 2, 1024));
      b.set(this.seen);
      this.seen = b;
    }
    if (this.seen[id]) return;
    this.seen[id] = 1;
    this.arrived++;
    const key = shapeKey(s.cpu, s.milli, s.count, s.models);
    const e = this.entries.get(key);
    if (e) e.weight++;
    else this.entries.set(key, { cpu: s.cpu, milli: s.milli, count: s.count, models: s.models, key, weight: 1 });
  }

  /** Rebuilds M when due (schedule above) or when the cluster's model list grew; true when rebuilt. */
  refresh(clusterModels: readonly string[]): boolean {
    if (this.prebuilt !== undefined) {
      if (this.workload !== undefined) return false;
      this.workload = this.prebuilt;
      this.epoch++;
      return true;
    }
    const modelsChanged = clusterModels.length !== this.builtModels;
    const due = this.fixed === undefined && this.arrived >= this.nextRebuild && this.arrived !== this.builtArrived;
    if (this.workload !== undefined && !modelsChanged && !due) return false;
    const source = this.fixed ?? [...this.entries.values()];
    if (source.length === 0) return false;
    const { kept, covered } = cut(source, this.coverage);
    this.workload = new TargetWorkload(kept, clusterModels, covered);
    this.builtModels = clusterModels.length;
    this.builtArrived = this.arrived;
    if (this.fixed === undefined) {
      const a = this.arrived;
      this.nextRebuild = a + Math.max(1, Math.min(this.refreshEvery, Math.floor(a / 4)));
    }
    this.epoch++;
    return true;
  }
}

/**
 * The full task-shape distribution of a workload (reads its task batches once more): for a fixed
 * FGD target in library use, `gpuReplayPolicy('fgd', { target: { shapes: await workloadTargetShapes(w) } })`.
 * No coverage cut here (ReplayTarget applies it).
 */
export async function workloadTargetShapes(workload: Workload): Promise<TargetShape[]> {
  const names = workload.resources.names;
  const cpuDim = names.indexOf('cpu');
  const gpuDim = names.indexOf('gpu');
  const D = names.length;
  const counts = new Map<string, TargetShape>();
  const s = emptyShape();
  const view: { -readonly [K in keyof TaskView]: TaskView[K] } = {
    id: 0, request: new Float64Array(D), priority: 0, job: 0, user: -1, missingRequest: false, constraints: undefined, duration: NaN,
  };
  for await (const b of workload.taskBatches()) {
    for (let i = 0; i < b.count; i++) {
      for (let d = 0; d < D; d++) {
        const r = b.request[i * D + d];
        view.request[d] = r === r ? r : 0; // missing = 0, as the simulator's TaskView
      }
      view.constraints = workload.jobConstraints?.[b.job[i]];
      readGpuShape('fgd target', view, cpuDim, gpuDim, s);
      const key = shapeKey(s.cpu, s.milli, s.count, s.models);
      const e = counts.get(key);
      if (e) e.weight++;
      else counts.set(key, { cpu: s.cpu, milli: s.milli, count: s.count, models: s.models, weight: 1 });
    }
  }
  return [...counts.values()];
}
