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
  // Per set, unpacked for the lookup: grid step, cyclic, values, dimensions.
  private readonly setStep: Float64Array;
  private readonly setCyclic: Uint8Array;
  private readonly setValues: Float32Array[];
  private readonly setDims: Int32Array;
  // Per task, one record of `stride` numbers (growable, own array), so a lookup reads one cache
  // line: first point of its series in the set's values, length (0 = no series), offset (µs from
  // the series' first point to step 0), which set, then the multiplier per dimension.
  private readonly stride: number;
  private records = new Float64Array(0);
  private capacity = 0;
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
    this.setStep = Float64Array.from(o.sets, (s) => s.set.step);
    this.setCyclic = Uint8Array.from(o.sets, (s) => (s.set.cyclic ? 1 : 0));
    this.setValues = o.sets.map((s) => s.set.values);
    this.setDims = Int32Array.from(o.sets, (s) => s.set.dims);
    this.stride = Rec.Multiplier + this.dims;
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
      const r = t * this.stride;
      const rec = this.records;
      if (choice.origin === SeriesOrigin.None || choice.series < 0) {
        rec.fill(0, r, r + this.stride);
        continue;
      }
      const { set, origin } = this.sets[choice.set];
      const s = choice.series;
      rec[r + Rec.Set] = choice.set;
      rec[r + Rec.Base] = set.offsets[s];
      rec[r + Rec.Length] = set.offsets[s + 1] - set.offsets[s];
      rec[r + Rec.OffsetUs] = origin - set.start[s];
      for (let d = 0; d < D; d++) rec[r + Rec.Multiplier + d] = choice.multiplier[d];
    }
  }

  usage(task: number, d: number, k: number): number {
    return this.lookup(this.records, task * this.stride, d, k * this.step);
  }

  /** usage() for tasks[0..n) into out[0..n): one loop, so the records' cache misses overlap. */
  usageBatch(tasks: Int32Array, n: number, d: number, k: number, out: Float64Array): void {
    const rec = this.records;
    const S = this.stride;
    const at = k * this.step;
    for (let i = 0; i < n; i++) out[i] = this.lookup(rec, tasks[i] * S, d, at);
  }

  get recordSize(): number {
    return this.stride;
  }

  copyRecord(task: number, out: Float64Array, at: number): void {
    const S = this.stride;
    const r = task * S;
    for (let i = 0; i < S; i++) out[at + i] = this.records[r + i];
  }

  usageFromRecords(records: Float64Array, first: number, stride: number, n: number, d: number, k: number, out: Float64Array): void {
    const at = k * this.step;
    for (let i = 0; i < n; i++) out[i] = this.lookup(records, first - i * stride, d, at);
  }

  /**
   * usageFromRecords for two dimensions at once (out0 for d0, out1 for d1, from out[outAt]): the
   * point is worked out once per record for both, with the same arithmetic as `lookup`.
   */
  usagePairFromRecords(
    records: Float64Array,
    first: number,
    stride: number,
    n: number,
    k: number,
    d0: number,
    d1: number,
    out0: Float64Array,
    out1: Float64Array,
    outAt: number,
  ): void {
    const at = k * this.step;
    for (let i = 0; i < n; i++) {
      const r = first - i * stride;
      const o = outAt + i;
      const len = records[r + Rec.Length];
      if (len === 0) {
        out0[o] = NaN;
        out1[o] = NaN;
        continue;
      }
      const s = records[r + Rec.Set];
      let p = Math.floor((at + records[r + Rec.OffsetUs]) / this.setStep[s]);
      if (this.setCyclic[s] === 1) {
        p = cyclicPoint(p, len);
      } else if (p < 0 || p >= len) {
        out0[o] = NaN;
        out1[o] = NaN;
        continue;
      }
      const v = this.setValues[s];
      const at0 = (records[r + Rec.Base] + p) * this.setDims[s];
      out0[o] = v[at0 + d0] * records[r + Rec.Multiplier + d0];
      out1[o] = v[at0 + d1] * records[r + Rec.Multiplier + d1];
    }
  }

  /** The value at replay time `at` = k·step (µs from step 0) of dimension d, from the record at rec[r..). */
  private lookup(rec: Float64Array, r: number, d: number, at: number): number {
    const len = rec[r + Rec.Length];
    if (len === 0) return NaN;
    const s = rec[r + Rec.Set];
    let p = Math.floor((at + rec[r + Rec.OffsetUs]) / this.setStep[s]);
    if (this.setCyclic[s] === 1) {
      p = cyclicPoint(p, len);
    } else if (p < 0 || p >= len) {
      return NaN;
    }
    return this.setValues[s][(rec[r + Rec.Base] + p) * this.setDims[s] + d] * rec[r + Rec.Multiplier + d];
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
    if (n <= this.capacity) return;
    const size = Math.max(n, Math.ceil(this.capacity * 1.5), 1024);
    const records = new Float64Array(size * this.stride);
    records.set(this.records);
    this.records = records;
    this.capacity = size;
  }
}

/**
 * Point p (an integer) of a cyclic series of `len` points: p mod len in [0, len). Where both fit
 * in int32 the remainder is taken in int32 arithmetic (equal to the floating-point `%`, which V8
 * computes with a libm fmod call: the most expensive step of a lookup), else with `%`.
 */
function cyclicPoint(p: number, len: number): number {
  let q = p >= -2147483648 && p <= 2147483647 && len <= 2147483647 ? (p | 0) % (len | 0) : p % len;
  if (q < 0) q += len;
  return q;
}

/** Offsets in a task's record (SeriesUsageSource.records). */
const enum Rec {
  Base = 0,
  Length = 1,
  OffsetUs = 2,
  Set = 3,
  Multiplier = 4,
}

/** What usage fractions of task `t` in dimension `d` are relative to: usageScale, else the request. */
export function usageScaleOf(tasks: UsageTaskColumns, t: number, d: number): number {
  const i = t * tasks.dims + d;
  const s = tasks.usageScale[i];
  return s === s ? s : tasks.request[i];
}
