import type { UsageSeriesSet } from '../../model/usage-series.js';

/**
 * Builds a trace's usage over time (model/usage-series.ts) while its readings stream by, one
 * series per key (a task slot). Readers feed windows (`add`: a reading that covers [start, end),
 * e.g. an Azure 5-minute reading or a Google 2019 instance_usage window) or point samples
 * (`addSample`: Alibaba's ~10 s samples), values per dimension as fractions of the task's usage
 * scale (its request, or a scale the reader states).
 *
 * Grid: steps of `step` µs (300 s) from `origin` (the workload's start). A window is averaged,
 * time-weighted, into every step it overlaps: step value = Σ vᵢ·oᵢ / Σ oᵢ with oᵢ the overlap of
 * reading i with the step, per dimension, NaN readings skipped. Point samples in one step are
 * averaged with equal weights. (Do not mix the two kinds in one builder: their weights differ.)
 * A zero-length window counts as 1 µs long. Each series starts at its key's first step with a
 * value and ends at its last; steps between without one are NaN (gaps).
 *
 * Memory: no object per reading. Cells live in blocks of BLOCK steps (sum and weight per measured
 * dimension, Float32), allocated in pages; each key has a chain of its blocks sorted by time, so
 * readings may come in any order (Google 2019 shards) and the series still come out sorted. In-order
 * readings (the usual case) touch only the key's last block. About 8·BLOCK·M bytes per block of
 * M measured dimensions during the read, then 4·dims bytes per step in the result.
 */
export interface UsageSeriesBuilderOptions {
  /** Dimensions per point (the workload's resource schema). */
  dims: number;
  /** UsageSeriesSet.source, e.g. 'trace:vm_cpu_readings'. */
  source: string;
  /** Grid step, µs (default 300 s). */
  step?: number;
  /** Time of step 0, µs (default 0): the workload's start, so the series fall on the replay's grid. */
  origin?: number;
  /** Which dimensions readers measure (default all); the others are NaN and take no memory. */
  measured?: readonly boolean[];
  /** Longest series, in steps (default MAX_SERIES_STEPS): a reading that would stretch one further is refused. */
  maxSteps?: number;
}

/** The built series and, per key, its series index (-1 = no series). */
export interface BuiltUsageSeries {
  /** Undefined when no key has a value. */
  set: UsageSeriesSet | undefined;
  seriesOf: Int32Array;
}

/** Steps per block. 16 steps = 80 min: small enough for short tasks, few blocks per long one. */
const BLOCK = 16;
/** Blocks per page of cell storage. */
const PAGE_BLOCKS = 4096;
/**
 * Default longest series: 2^20 steps, 10 years of 300-s steps (8 MiB for two dimensions). A reading
 * that would stretch a task's series further (a damaged time far from its other readings) is
 * refused, so the reader can report its row instead of allocating a series of any length.
 */
export const MAX_SERIES_STEPS = 1 << 20;
/** Grid steps are kept in Int32 block indices: |step| below 2^30. */
const MAX_ABS_STEP = 2 ** 30;

export const USAGE_STEP_US = 300e6;

export class UsageSeriesBuilder {
  readonly dims: number;
  readonly step: number;
  readonly origin: number;
  readonly source: string;
  /** Readings fed so far (windows and samples). */
  readings = 0;
  /** Measured dimension → slot in a cell; -1 = not measured. */
  private readonly slotOf: Int32Array;
  private readonly m: number;
  /** Floats per block: BLOCK cells × m slots × (sum, weight). */
  private readonly blockFloats: number;
  private pages: Float32Array[] = [];
  private blocks = 0;
  /** Per block: its block index on the grid (step / BLOCK) and the next block of its key. */
  private blockIndex = new Int32Array(1024);
  private nextBlock = new Int32Array(1024);
  /** Per key: first block of its chain and the block last written (-1 = none). */
  private head = new Int32Array(1024).fill(-1);
  private last = new Int32Array(1024).fill(-1);
  private keys = 0;
  /** Per key: first and last step fed (valid when head ≥ 0). */
  private lo = new Int32Array(1024);
  private hi = new Int32Array(1024);
  private readonly maxSteps: number;

  constructor(options: UsageSeriesBuilderOptions) {
    const { dims, source } = options;
    const step = options.step ?? USAGE_STEP_US;
    const origin = options.origin ?? 0;
    if (!(Number.isInteger(dims) && dims > 0)) throw new RangeError(`usage series: dims must be a positive integer, got ${dims}`);
    if (!(step > 0 && Number.isFinite(step))) throw new RangeError(`usage series: step must be a positive number of µs, got ${step}`);
    if (!Number.isFinite(origin)) throw new RangeError(`usage series: origin must be finite, got ${origin}`);
    this.dims = dims;
    this.step = step;
    this.origin = origin;
    this.source = source;
    this.slotOf = new Int32Array(dims).fill(-1);
    let m = 0;
    for (let d = 0; d < dims; d++) if (options.measured === undefined || options.measured[d]) this.slotOf[d] = m++;
    this.m = m;
    this.blockFloats = BLOCK * m * 2;
    this.maxSteps = options.maxSteps ?? MAX_SERIES_STEPS;
  }

  private ensureKey(key: number): void {
    if (!(Number.isInteger(key) && key >= 0 && key < 2 ** 31 - 1)) throw new RangeError(`usage series: key must be an integer ≥ 0, got ${key}`);
    if (key >= this.keys) this.keys = key + 1;
    if (key < this.head.length) return;
    const n = Math.max(key + 1, this.head.length * 2);
    const g = (a: Int32Array) => {
      const b = new Int32Array(n).fill(-1);
      b.set(a);
      return b;
    };
    this.head = g(this.head);
    this.last = g(this.last);
    this.lo = g(this.lo);
    this.hi = g(this.hi);
  }

  /** Whether steps [k0, k1] fit the key's series (≤ maxSteps long, on the Int32 grid); records them. */
  private admit(key: number, k0: number, k1: number): boolean {
    if (!(k0 > -MAX_ABS_STEP && k1 < MAX_ABS_STEP)) return false;
    if (this.head[key] < 0) {
      if (k1 - k0 + 1 > this.maxSteps) return false;
      this.lo[key] = k0;
      this.hi[key] = k1;
      return true;
    }
    const lo = Math.min(this.lo[key], k0);
    const hi = Math.max(this.hi[key], k1);
    if (hi - lo + 1 > this.maxSteps) return false;
    this.lo[key] = lo;
    this.hi[key] = hi;
    return true;
  }

  private newBlock(index: number, next: number): number {
    const b = this.blocks++;
    if (b === this.blockIndex.length) {
      const g = (a: Int32Array) => {
        const c = new Int32Array(a.length * 2);
        c.set(a);
        return c;
      };
      this.blockIndex = g(this.blockIndex);
      this.nextBlock = g(this.nextBlock);
    }
    if (b % PAGE_BLOCKS === 0) this.pages.push(new Float32Array(PAGE_BLOCKS * this.blockFloats));
    this.blockIndex[b] = index;
    this.nextBlock[b] = next;
    return b;
  }

  /** The key's block for grid block `index`, created (in time order in its chain) when new. */
  private block(key: number, index: number): number {
    const c = this.last[key];
    if (c >= 0 && this.blockIndex[c] === index) return c;
    // Walk from the last block when the new one is later (in-order readings: one step), else from the head.
    let prev = c >= 0 && this.blockIndex[c] < index ? c : -1;
    let b = prev >= 0 ? this.nextBlock[prev] : this.head[key];
    while (b >= 0 && this.blockIndex[b] < index) {
      prev = b;
      b = this.nextBlock[b];
    }
    if (b < 0 || this.blockIndex[b] !== index) {
      const nb = this.newBlock(index, b);
      if (prev < 0) this.head[key] = nb;
      else this.nextBlock[prev] = nb;
      b = nb;
    }
    this.last[key] = b;
    return b;
  }

  /** Adds `weight` × values to the cell of grid step `k` of `key`. */
  private addCell(key: number, k: number, values: ArrayLike<number>, weight: number): void {
    const index = Math.floor(k / BLOCK);
    const b = this.block(key, index);
    const page = this.pages[Math.floor(b / PAGE_BLOCKS)];
    const base = (b % PAGE_BLOCKS) * this.blockFloats + (k - index * BLOCK) * this.m * 2;
    for (let d = 0; d < this.dims; d++) {
      const s = this.slotOf[d];
      if (s < 0) continue;
      const v = values[d];
      if (v !== v) continue;
      page[base + 2 * s] += v * weight;
      page[base + 2 * s + 1] += weight;
    }
  }

  /**
   * A reading of `key` over [start, end) µs: values per dimension (NaN = not measured). Returns
   * false, feeding nothing, when the window is not finite and ordered or would stretch the key's
   * series past maxSteps: the reader reports that row as bad input.
   */
  add(key: number, start: number, end: number, values: ArrayLike<number>): boolean {
    this.ensureKey(key);
    if (!(Number.isFinite(start) && Number.isFinite(end) && end >= start)) return false;
    if (end === start) end = start + 1;
    const step = this.step;
    const k0 = Math.floor((start - this.origin) / step);
    const k1 = Math.ceil((end - this.origin) / step);
    if (!this.admit(key, k0, k1 - 1)) return false;
    this.readings++;
    for (let k = k0; k < k1; k++) {
      const lo = this.origin + k * step;
      const overlap = Math.min(end, lo + step) - Math.max(start, lo);
      if (overlap > 0) this.addCell(key, k, values, overlap / step);
    }
    return true;
  }

  /**
   * A point sample of `key` at `time` µs; samples in one step are averaged with equal weights.
   * Returns false, feeding nothing, as `add` does.
   */
  addSample(key: number, time: number, values: ArrayLike<number>): boolean {
    this.ensureKey(key);
    if (!Number.isFinite(time)) return false;
    const k = Math.floor((time - this.origin) / this.step);
    if (!this.admit(key, k, k)) return false;
    this.readings++;
    this.addCell(key, k, values, 1);
    return true;
  }

  /** Cell weight of any measured dimension > 0 at position `c` (0..BLOCK-1) of block b. */
  private hasValue(b: number, c: number): boolean {
    const page = this.pages[Math.floor(b / PAGE_BLOCKS)];
    const base = (b % PAGE_BLOCKS) * this.blockFloats + c * this.m * 2;
    for (let s = 0; s < this.m; s++) if (page[base + 2 * s + 1] > 0) return true;
    return false;
  }

  /**
   * The series, in key order, for keys 0..keyCount-1 (default: every key fed), and per key its
   * series index. Frees the cell storage: call once.
   */
  build(keyCount = this.keys, names?: (key: number) => string): BuiltUsageSeries {
    const seriesOf = new Int32Array(keyCount).fill(-1);
    const first = new Float64Array(keyCount);
    const lastStep = new Float64Array(keyCount);
    let count = 0;
    let points = 0;
    const limit = Math.min(keyCount, this.keys);
    for (let key = 0; key < limit; key++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let b = this.head[key]; b >= 0; b = this.nextBlock[b]) {
        for (let c = 0; c < BLOCK; c++) {
          if (!this.hasValue(b, c)) continue;
          const k = this.blockIndex[b] * BLOCK + c;
          if (k < lo) lo = k;
          hi = k;
        }
      }
      if (lo === Infinity) continue;
      first[key] = lo;
      lastStep[key] = hi;
      seriesOf[key] = count++;
      points += hi - lo + 1;
    }
    if (points >= 2 ** 31 || points * this.dims >= 2 ** 32) throw new RangeError(`usage series: ${points} points is more than one set can hold`);
    if (count === 0) {
      this.free();
      return { set: undefined, seriesOf };
    }
    const D = this.dims;
    const offsets = new Int32Array(count + 1);
    const start = new Float64Array(count);
    const values = new Float32Array(points * D).fill(NaN);
    const list: string[] | undefined = names ? [] : undefined;
    for (let key = 0; key < limit; key++) {
      const s = seriesOf[key];
      if (s < 0) continue;
      offsets[s + 1] = offsets[s] + (lastStep[key] - first[key] + 1);
      start[s] = this.origin + first[key] * this.step;
      list?.push(names!(key));
      const off = offsets[s];
      for (let b = this.head[key]; b >= 0; b = this.nextBlock[b]) {
        const page = this.pages[Math.floor(b / PAGE_BLOCKS)];
        for (let c = 0; c < BLOCK; c++) {
          const base = (b % PAGE_BLOCKS) * this.blockFloats + c * this.m * 2;
          const p = off + this.blockIndex[b] * BLOCK + c - first[key];
          for (let d = 0; d < D; d++) {
            const slot = this.slotOf[d];
            if (slot < 0) continue;
            const w = page[base + 2 * slot + 1];
            if (w > 0) values[p * D + d] = page[base + 2 * slot] / w;
          }
        }
      }
    }
    this.free();
    const set: UsageSeriesSet = { source: this.source, dims: D, step: this.step, count, offsets, values, start, cyclic: false, ...(list ? { names: list } : {}) };
    return { set, seriesOf };
  }

  private free(): void {
    this.pages = [];
    this.blockIndex = new Int32Array(0);
    this.nextBlock = new Int32Array(0);
  }
}
