import type { UsageSeriesSet } from '../../model/usage-series.js';
import type { TaskUsageSource, UsageTaskColumns } from './task-usage-source.js';

/** How a task got its series (for the run notes). */
export const SeriesOrigin = { None: 0, Trace: 1, Library: 2, Synthetic: 3 } as const;
export type SeriesOrigin = (typeof SeriesOrigin)[keyof typeof SeriesOrigin];

/** What `assign` decided for one task: which set and series, and the multiplier per dimension. */
export interface SeriesChoice {
  origin: SeriesOrigin;
  /** Index into the source's sets. */
  set: number;
  series: number;
  /** Per dimension: absolute units per series value (usage scale, times any rescale). */
  readonly multiplier: Float64Array;
}

/**
 * Decides a task's series; `tasks` is read at the call (its arrays are replaced as it grows).
 * Leaves `choice.origin = None` when the task has no usage.
 */
export type ChooseSeries = (task: number, choice: SeriesChoice) => void;

/**
 * One set a series source reads, with where its time axis starts: trace series are on absolute
 * time (origin = the replay start, so step k is at start + k·step), library and synthetic profiles
 * on the replay's own clock (origin 0: step k is point k mod the profile length).
 */
export interface SourceSet {
  readonly set: UsageSeriesSet;
  readonly origin: number;
}

/**
 * A usage source over step-wise series: usage(task, d, k) = value of the task's series at the
 * point covering step k × the task's multiplier for d. The point is
 *   p = floor((origin + k·step − seriesStart) / seriesStep),
 * taken modulo the series length for a cyclic set and NaN outside a non-cyclic one. Everything
 * per task (series, point offset, multiplier) is worked out in `assign`, so `usage` is a few
 * array reads: pure, allocation-free, no state that depends on the order of calls.
 */
export class SeriesUsageSource implements TaskUsageSource {
  readonly description: string;
  readonly step: number;
  private readonly sets: readonly SourceSet[];
  private readonly dims: number;
  private readonly choose: ChooseSeries;
  private readonly extraNotes: readonly string[];
  // Per task (growable, own arrays): first point of its series in the set's values, length, offset
  // (µs from the series' first point to step 0), which set; per task × dim: the multiplier.
  private base = new Int32Array(0);
  private length = new Int32Array(0);
  private offsetUs = new Float64Array(0);
  private setOf = new Uint8Array(0);
  private multiplier = new Float64Array(0);
  private readonly counts = [0, 0, 0, 0];

  constructor(o: {
    description: string;
    step: number;
    tasks: UsageTaskColumns;
    sets: readonly SourceSet[];
    choose: ChooseSeries;
    notes?: readonly string[];
  }) {
    this.description = o.description;
    this.step = o.step;
    this.sets = o.sets;
    this.dims = o.tasks.dims;
    this.choose = o.choose;
    this.extraNotes = o.notes ?? [];
    for (const s of o.sets) {
      if (s.set.dims !== this.dims) throw new Error(`usage series set ${s.set.source} has ${s.set.dims} dimensions, the tasks ${this.dims}`);
    }
  }

  assign(from: number, to: number): void {
    this.reserve(to);
    const D = this.dims;
    const choice: SeriesChoice = { origin: SeriesOrigin.None as SeriesOrigin, set: 0, series: -1, multiplier: new Float64Array(D) };
    for (let t = from; t < to; t++) {
      choice.origin = SeriesOrigin.None;
      choice.series = -1;
      choice.multiplier.fill(NaN);
      this.choose(t, choice);
      this.counts[choice.origin]++;
      if (choice.origin === SeriesOrigin.None || choice.series < 0) {
        this.length[t] = 0;
        continue;
      }
      const { set, origin } = this.sets[choice.set];
      const s = choice.series;
      this.setOf[t] = choice.set;
      this.base[t] = set.offsets[s];
      this.length[t] = set.offsets[s + 1] - set.offsets[s];
      this.offsetUs[t] = origin - set.start[s];
      for (let d = 0; d < D; d++) this.multiplier[t * D + d] = choice.multiplier[d];
    }
  }

  usage(task: number, d: number, k: number): number {
    const len = this.length[task];
    if (len === 0) return NaN;
    const set = this.sets[this.setOf[task]].set;
    let p = Math.floor((k * this.step + this.offsetUs[task]) / set.step);
    if (set.cyclic) {
      p %= len;
      if (p < 0) p += len;
    } else if (p < 0 || p >= len) {
      return NaN;
    }
    return set.values[(this.base[task] + p) * set.dims + d] * this.multiplier[task * this.dims + d];
  }

  /** For the run notes: how many tasks follow a trace, library or synthetic series, and how many none. */
  notes(): string[] {
    const [none, trace, library, synthetic] = this.counts;
    const parts: string[] = [];
    if (trace) parts.push(`${trace} from their trace series`);
    if (library) parts.push(`${library} from the usage library`);
    if (synthetic) parts.push(`${synthetic} from the synthetic process`);
    if (none) parts.push(`${none} without usage (unknown)`);
    return [`usage ${this.description}: ${parts.length ? parts.join(', ') : 'no tasks'}`, ...this.extraNotes];
  }

  /** Task counts by origin (none, trace, library, synthetic). */
  originCounts(): { none: number; trace: number; library: number; synthetic: number } {
    const [none, trace, library, synthetic] = this.counts;
    return { none, trace, library, synthetic };
  }

  private reserve(n: number): void {
    if (n <= this.base.length) return;
    const size = Math.max(n, Math.ceil(this.base.length * 1.5), 1024);
    this.base = grow(this.base, size);
    this.length = grow(this.length, size);
    this.offsetUs = grow(this.offsetUs, size);
    this.setOf = grow(this.setOf, size);
    this.multiplier = grow(this.multiplier, size * this.dims);
  }
}

type Typed = Int32Array | Float64Array | Uint8Array;
function grow<T extends Typed>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a as never);
  return b;
}

/** What usage fractions of task `t` in dimension `d` are relative to: usageScale, else the request. */
export function usageScaleOf(tasks: UsageTaskColumns, t: number, d: number): number {
  const i = t * tasks.dims + d;
  const s = tasks.usageScale[i];
  return s === s ? s : tasks.request[i];
}
