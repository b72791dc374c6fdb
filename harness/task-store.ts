import type { TaskBatch } from '../model/task-batch.js';
import { TaskStatus } from '../model/task-status.js';
import { qosOfTask } from '../model/qos-class.js';
import { bandOf, type PriorityScale } from '../model/priority-bands.js';

/**
 * The tasks of a run, columnar and growable: a task lives in a row (a slot). Requests are stored as
 * whole units, rounded up; a missing request is stored as 0 and flagged in `missing`, the
 * Kubernetes reading of "no request" (reserve nothing).
 *
 * By default every task keeps its own row for the whole run and the slot is the task's id (its
 * position in submission order). With `recycle` on (the simulator's `retainTasks: 'live'`), a
 * slot the simulator `release`s — a task ended for good, its row handed to the run's task sink,
 * nothing referencing it — is reused by the next appended task, so the table holds the tasks
 * alive at once, not every task ever submitted; `id[slot]` names the task the slot holds.
 */
export class TaskStore {
  readonly dims: number;
  /** Rows in use so far (the high-water mark of slots); with recycling off, the tasks appended. */
  count = 0;
  /** Tasks appended so far (ids issued); equal to `count` with recycling off. */
  appended = 0;
  /** Reuse released slots (set before the first append). */
  recycle = false;
  /** The task (original id, submission order) each slot holds. */
  id = new Int32Array(0);
  /** The slot of each task of the last appended batch (`append`), in batch order. */
  batchSlots = new Int32Array(0);
  private freeSlots = new Int32Array(0);
  private freeCount = 0;
  submit = new Float64Array(0);
  duration = new Float64Array(0);
  request = new Float64Array(0);
  limit = new Float64Array(0);
  missing = new Uint8Array(0);
  priority = new Int32Array(0);
  job = new Int32Array(0);
  taskIndex = new Int32Array(0);
  user = new Int32Array(0);
  usageFraction = new Float32Array(0);
  usageVariation = new Float32Array(0);
  start = new Float64Array(0);
  end = new Float64Array(0);
  node = new Int32Array(0);
  status = new Uint8Array(0);
  /** Times the task was started (more than 1 after a kill and resubmission). */
  attempts = new Uint16Array(0);
  /** Kubernetes QoS class (model/qos-class.ts), from request and limit as the kubelet derives it. */
  qos = new Uint8Array(0);
  /** Borg priority band (model/priority-bands.ts) under the workload's priority numbering. */
  band = new Uint8Array(0);
  /** Index into Workload.usageSeries (-1 = none). */
  usageSeries = new Int32Array(0);
  /** What usage fractions are relative to, per dimension (NaN = the request). */
  usageScale = new Float64Array(0);
  missingRequests = 0;
  missingUsage = 0;
  private readonly cpuDim: number;
  private readonly memoryDim: number;
  private readonly priorityScale: PriorityScale;

  /** `resourceNames` locate CPU and memory for the QoS class; `priorityScale` names the bands. */
  constructor(dims: number, resourceNames: readonly string[] = ['cpu', 'memory'], priorityScale: PriorityScale = 'google-2011') {
    this.dims = dims;
    this.cpuDim = resourceNames.indexOf('cpu');
    this.memoryDim = resourceNames.indexOf('memory');
    this.priorityScale = priorityScale;
  }

  /** Slots free for reuse right now. */
  get freeSlotCount(): number {
    return this.freeCount;
  }

  /** Hands a slot back for the next appended task (recycling only; the caller has emitted its row). */
  release(slot: number): void {
    if (!this.recycle) throw new Error('TaskStore.release: recycling is off');
    if (this.freeCount === this.freeSlots.length) this.freeSlots = grow(this.freeSlots, Math.max(1024, this.freeCount * 2));
    this.freeSlots[this.freeCount++] = slot;
  }

  /**
   * Appends a batch: each task takes a released slot (recycling) or a new row; `batchSlots[i]` is
   * the slot of batch task i. Returns the id of the batch's first task.
   */
  append(b: TaskBatch): number {
    const firstId = this.appended;
    if (this.batchSlots.length < b.count) this.batchSlots = new Int32Array(Math.max(b.count, this.batchSlots.length * 2, 1024));
    if (this.recycle && this.freeCount > 0) {
      for (let i = 0; i < b.count; i++) {
        const slot = this.freeCount > 0 ? this.freeSlots[--this.freeCount] : this.newRows(1);
        this.batchSlots[i] = slot;
        this.fillRow(b, i, slot, firstId + i);
      }
    } else {
      const first = this.newRows(b.count);
      this.appendContiguous(b, first, firstId);
    }
    this.appended += b.count;
    return firstId;
  }

  /** Claims `n` new rows at the end; returns the first. */
  private newRows(n: number): number {
    const first = this.count;
    this.reserve(first + n);
    this.count += n;
    return first;
  }

  /** One batch task into one slot (the recycling path). */
  private fillRow(b: TaskBatch, i: number, t: number, id: number): void {
    const D = this.dims;
    this.id[t] = id;
    this.submit[t] = b.submitTime[i];
    this.duration[t] = b.duration[i];
    for (let d = 0; d < D; d++) {
      this.limit[t * D + d] = b.limit[i * D + d];
      this.usageFraction[t * D + d] = b.usageFraction[i * D + d];
      this.usageScale[t * D + d] = b.usageScale ? b.usageScale[i * D + d] : NaN;
    }
    this.priority[t] = b.priority[i];
    this.job[t] = b.job[i];
    this.taskIndex[t] = b.taskIndex[i];
    this.user[t] = b.user[i];
    this.usageVariation[t] = b.usageVariation[i];
    this.usageSeries[t] = b.usageSeries ? b.usageSeries[i] : -1;
    this.attempts[t] = 0;
    this.initRow(b, i, t, id);
  }

  /** The batch into the rows [first, first + count) (every task its own row). */
  private appendContiguous(b: TaskBatch, first: number, firstId: number): void {
    const D = this.dims;
    this.submit.set(b.submitTime.subarray(0, b.count), first);
    this.duration.set(b.duration.subarray(0, b.count), first);
    this.limit.set(b.limit.subarray(0, b.count * D), first * D);
    this.priority.set(b.priority.subarray(0, b.count), first);
    this.job.set(b.job.subarray(0, b.count), first);
    this.taskIndex.set(b.taskIndex.subarray(0, b.count), first);
    this.user.set(b.user.subarray(0, b.count), first);
    this.usageFraction.set(b.usageFraction.subarray(0, b.count * D), first * D);
    this.usageVariation.set(b.usageVariation.subarray(0, b.count), first);
    if (b.usageSeries) this.usageSeries.set(b.usageSeries.subarray(0, b.count), first);
    else this.usageSeries.fill(-1, first, first + b.count);
    if (b.usageScale) this.usageScale.set(b.usageScale.subarray(0, b.count * D), first * D);
    else this.usageScale.fill(NaN, first * D, (first + b.count) * D);
    for (let i = 0; i < b.count; i++) {
      const t = first + i;
      this.batchSlots[i] = t;
      this.id[t] = firstId + i;
      this.attempts[t] = 0;
      this.initRow(b, i, t, firstId + i);
    }
  }

  /** Request (rounded, missing flagged), QoS class, band, and the run state of a new row. */
  private initRow(b: TaskBatch, i: number, t: number, id: number): void {
    const D = this.dims;
    {
      let miss = 0;
      for (let d = 0; d < D; d++) {
        const r = b.request[i * D + d];
        if (Number.isNaN(r)) {
          miss = 1;
          this.request[t * D + d] = 0;
        } else if (r < 0) {
          throw new Error(`task ${id} (job ${b.job[i]}, index ${b.taskIndex[i]}): negative request ${r}`);
        } else {
          this.request[t * D + d] = Math.ceil(r);
        }
      }
      this.missing[t] = miss;
      // The class from the request as given (a missing request is no request) and the limit.
      this.qos[t] = qosOfTask(b.request, b.limit, i * D, this.cpuDim, this.memoryDim);
      this.band[t] = bandOf(b.priority[i], this.priorityScale);
      if (miss) this.missingRequests++;
      if (Number.isNaN(b.usageFraction[i * D])) this.missingUsage++;
      this.start[t] = NaN;
      this.end[t] = NaN;
      this.node[t] = -1;
      this.status[t] = TaskStatus.Pending;
    }
  }

  /**
   * Sizes the rows for `n` tasks at once (a workload that says how many it will submit), sparing
   * the copies of growing 1.5× at a time — about 0.5 s of a 2M-task replay.
   */
  reserveRows(n: number): void {
    this.reserve(n);
  }

  private reserve(n: number): void {
    if (n <= this.submit.length) return;
    const size = Math.max(n, Math.ceil(this.submit.length * 1.5), 1024);
    const D = this.dims;
    this.submit = grow(this.submit, size);
    this.duration = grow(this.duration, size);
    this.request = grow(this.request, size * D);
    this.limit = grow(this.limit, size * D);
    this.missing = grow(this.missing, size);
    this.priority = grow(this.priority, size);
    this.job = grow(this.job, size);
    this.taskIndex = grow(this.taskIndex, size);
    this.user = grow(this.user, size);
    this.usageFraction = grow(this.usageFraction, size * D);
    this.usageVariation = grow(this.usageVariation, size);
    this.start = grow(this.start, size);
    this.end = grow(this.end, size);
    this.node = grow(this.node, size);
    this.status = grow(this.status, size);
    this.attempts = grow(this.attempts, size);
    this.qos = grow(this.qos, size);
    this.band = grow(this.band, size);
    this.usageSeries = grow(this.usageSeries, size);
    this.usageScale = grow(this.usageScale, size * D);
    this.id = grow(this.id, size);
  }
}

type Typed = Float64Array | Float32Array | Int32Array | Uint8Array | Uint16Array;
function grow<T extends Typed>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a as never);
  return b;
}
