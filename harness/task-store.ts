import type { TaskBatch } from '../model/task-batch.js';
import { TaskStatus } from '../model/task-status.js';
import { qosOfTask } from '../model/qos-class.js';
import { bandOf, type PriorityScale } from '../model/priority-bands.js';

/**
 * Every task of a run, columnar and growable (a task is a row number). Requests are stored as
 * whole units, rounded up; a missing request is stored as 0 and flagged in `missing`, the
 * Kubernetes reading of "no request" (reserve nothing).
 */
export class TaskStore {
  readonly dims: number;
  count = 0;
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

  /** Appends a batch; returns the id of its first task. */
  append(b: TaskBatch): number {
    const D = this.dims;
    const first = this.count;
    this.reserve(first + b.count);
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
      let miss = 0;
      for (let d = 0; d < D; d++) {
        const r = b.request[i * D + d];
        if (Number.isNaN(r)) {
          miss = 1;
          this.request[t * D + d] = 0;
        } else if (r < 0) {
          throw new Error(`task ${t} (job ${b.job[i]}, index ${b.taskIndex[i]}): negative request ${r}`);
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
    this.count += b.count;
    return first;
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
  }
}

type Typed = Float64Array | Float32Array | Int32Array | Uint8Array | Uint16Array;
function grow<T extends Typed>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a as never);
  return b;
}
