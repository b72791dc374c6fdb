import type { TaskBatch } from '../../model/task-batch.js';

/**
 * A growable, columnar store of tasks for readers whose source is not in submit order (or whose
 * tasks are only complete after a later table is read). Memory is bounded by the number of tasks,
 * not by the size of the tables: about 60 + 28·dims bytes per task in typed arrays, never the row
 * text. `batches()` sorts an index by submit time (stable: ties keep reading order) and emits
 * TaskBatches from the columns, so it can be called any number of times.
 */
export interface TaskRecord {
  submit: number;
  duration: number;
  /** Per dimension; NaN = missing. */
  request: ArrayLike<number>;
  /** Per dimension; NaN = none. Omitted = all NaN. */
  limit?: ArrayLike<number>;
  priority: number;
  job: number;
  taskIndex: number;
  user: number;
  /** Per dimension; omitted = NaN (unknown). */
  usageFraction?: ArrayLike<number>;
  /** Omitted = NaN. */
  usageVariation?: number;
  /** NaN = never killed. */
  killTime?: number;
}

function grow<T extends Float64Array | Float32Array | Int32Array>(a: T, size: number, fill: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

export class TaskColumns {
  readonly dims: number;
  length = 0;
  private cap = 0;
  submit = new Float64Array(0);
  duration = new Float64Array(0);
  request = new Float64Array(0);
  limit = new Float64Array(0);
  priority = new Int32Array(0);
  job = new Int32Array(0);
  taskIndex = new Int32Array(0);
  user = new Int32Array(0);
  usageFraction = new Float32Array(0);
  usageVariation = new Float32Array(0);
  killTime = new Float64Array(0);

  constructor(dims: number) {
    this.dims = dims;
    this.ensure(1024);
  }

  private ensure(n: number): void {
    if (n <= this.cap) return;
    const size = Math.max(n, this.cap * 2);
    const D = this.dims;
    this.submit = grow(this.submit, size, 0);
    this.duration = grow(this.duration, size, 0);
    this.request = grow(this.request, size * D, 0);
    this.limit = grow(this.limit, size * D, NaN);
    this.priority = grow(this.priority, size, 0);
    this.job = grow(this.job, size, 0);
    this.taskIndex = grow(this.taskIndex, size, 0);
    this.user = grow(this.user, size, -1);
    this.usageFraction = grow(this.usageFraction, size * D, NaN);
    this.usageVariation = grow(this.usageVariation, size, NaN);
    this.killTime = grow(this.killTime, size, NaN);
    this.cap = size;
  }

  /** Appends a task and returns its index (usable to fill usage later). */
  push(t: TaskRecord): number {
    const i = this.length;
    this.ensure(i + 1);
    const D = this.dims;
    this.submit[i] = t.submit;
    this.duration[i] = t.duration;
    for (let d = 0; d < D; d++) {
      this.request[i * D + d] = t.request[d];
      if (t.limit) this.limit[i * D + d] = t.limit[d];
      if (t.usageFraction) this.usageFraction[i * D + d] = t.usageFraction[d];
    }
    this.priority[i] = t.priority;
    this.job[i] = t.job;
    this.taskIndex[i] = t.taskIndex;
    this.user[i] = t.user;
    if (t.usageVariation !== undefined) this.usageVariation[i] = t.usageVariation;
    if (t.killTime !== undefined) this.killTime[i] = t.killTime;
    this.length++;
    return i;
  }

  /** Task indices in submit-time order (stable). */
  order(): Uint32Array {
    const idx = new Uint32Array(this.length);
    for (let i = 0; i < idx.length; i++) idx[i] = i;
    const s = this.submit;
    idx.sort((a, b) => s[a] - s[b] || a - b);
    return idx;
  }

  /** The tasks as TaskBatches of at most `batchSize`, in submit-time order. */
  *batches(batchSize = 65_536): Generator<TaskBatch> {
    const idx = this.order();
    const D = this.dims;
    for (let from = 0; from < idx.length; from += batchSize) {
      const n = Math.min(batchSize, idx.length - from);
      const b: TaskBatch = {
        count: n,
        submitTime: new Float64Array(n),
        duration: new Float64Array(n),
        request: new Float64Array(n * D),
        limit: new Float64Array(n * D),
        priority: new Int32Array(n),
        job: new Int32Array(n),
        taskIndex: new Int32Array(n),
        user: new Int32Array(n),
        usageFraction: new Float32Array(n * D),
        usageVariation: new Float32Array(n),
        killTime: new Float64Array(n),
      };
      for (let k = 0; k < n; k++) {
        const i = idx[from + k];
        b.submitTime[k] = this.submit[i];
        b.duration[k] = this.duration[i];
        for (let d = 0; d < D; d++) {
          b.request[k * D + d] = this.request[i * D + d];
          b.limit[k * D + d] = this.limit[i * D + d];
          b.usageFraction[k * D + d] = this.usageFraction[i * D + d];
        }
        b.priority[k] = this.priority[i];
        b.job[k] = this.job[i];
        b.taskIndex[k] = this.taskIndex[i];
        b.user[k] = this.user[i];
        b.usageVariation[k] = this.usageVariation[i];
        b.killTime![k] = this.killTime[i];
      }
      yield b;
    }
  }
}
