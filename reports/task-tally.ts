import { TaskStatus } from '../model/task-status.js';
import { QOS_NAMES } from '../model/qos-class.js';
import { BAND_NAMES } from '../model/priority-bands.js';
import { US_PER_SECOND } from '../model/units.js';
import { ExactSum } from './exact-sum.js';
import { SAMPLE_TASKS } from './packing-metrics.js';
import type { TaskRecords } from './task-records.js';
import { DynamicsEventCounts } from './dynamics-event-counts.js';

/** A task's node-dynamics counters as its row carries them (tasks.csv's dynamics columns). */
export interface TaskCounters {
  evictions: number;
  oomKills: number;
  throttledCpuSeconds: number;
  lostWorkSeconds: number;
  peakMemory: number;
}

/**
 * Everything the summary needs from the task rows, accumulated one row at a time, so a replay
 * that lets finished tasks leave memory (harness/simulator.ts `retainTasks: 'live'`, rows fed as
 * tasks end) and one that keeps every row (fed in id order at the end) give the same figures bit
 * for bit: counts are integers, the delay percentiles sort the kept delays (one float64 per
 * started task: 8 B/task, the memory this costs), float sums are exact (ExactSum), and the
 * packing metrics' task sample is taken over the eligible tasks in submission order, stored as
 * runs of one shape (tasks of a job arrive together with one request).
 */
export class TaskTally {
  readonly dims: number;
  readonly dynamics: boolean;
  /** Rows fed: tasks submitted up to the horizon. */
  tasks = 0;
  scheduled = 0;
  finished = 0;
  killed = 0;
  private delays = new Float64Array(1024);
  private delayCount = 0;
  /** Per QoS class × band (qos * bands + band). */
  readonly classTasks: Float64Array;
  readonly classScheduled: Float64Array;
  readonly classPending: Float64Array;
  readonly classEvictions: Float64Array;
  readonly classOomKills: Float64Array;
  kubeletEvictions = 0;
  oomKills = 0;
  private readonly throttled = new ExactSum();
  private readonly lost = new ExactSum();
  /** The packing sample's source: distinct eligible request vectors, and runs (shape, length) in submission order. */
  private readonly shapeIndex = new Map<string, number>();
  private shapes: number[] = [];
  private runShape: number[] = [];
  private runLength: number[] = [];
  eligible = 0;
  /** Per dynamics event (the log's row), its task's job, index, QoS class and band: the log's rows outlive the task rows. */
  readonly eventTasks = new EventTasks();
  /** The dynamics events counted as their tasks are named (the summary's figures: the log's rows may leave memory). */
  readonly eventCounts = new DynamicsEventCounts();

  constructor(dims: number, dynamics: boolean) {
    this.dims = dims;
    this.dynamics = dynamics;
    const cells = QOS_NAMES.length * BAND_NAMES.length;
    this.classTasks = new Float64Array(cells);
    this.classScheduled = new Float64Array(cells);
    this.classPending = new Float64Array(cells);
    this.classEvictions = new Float64Array(cells);
    this.classOomKills = new Float64Array(cells);
  }

  /** One task's final row (or, at the end, its row as the run left it). */
  addRow(t: TaskRecords, row: number, c: TaskCounters | undefined): void {
    this.tasks++;
    // Rows without a class (hand-made results in tests) count in the totals only.
    const k = t.qos !== undefined && t.band !== undefined ? t.qos[row] * BAND_NAMES.length + t.band[row] : -1;
    if (k >= 0) this.classTasks[k]++;
    if (t.attempts[row] > 0) {
      this.scheduled++;
      if (k >= 0) this.classScheduled[k]++;
      if (this.delayCount === this.delays.length) {
        const bigger = new Float64Array(this.delays.length * 2);
        bigger.set(this.delays);
        this.delays = bigger;
      }
      this.delays[this.delayCount++] = (t.start[row] - t.submit[row]) / US_PER_SECOND;
    }
    const st = t.status[row];
    if (st === TaskStatus.Finished) this.finished++;
    if (st === TaskStatus.Killed) this.killed++;
    // As the simulator counts pendingAtEnd: queued, or evicted and awaiting its controller's recreate.
    if (k >= 0 && (st === TaskStatus.Pending || st === TaskStatus.Evicted)) this.classPending[k]++;
    if (c) {
      this.kubeletEvictions += c.evictions;
      this.oomKills += c.oomKills;
      this.throttled.add(c.throttledCpuSeconds);
      this.lost.add(c.lostWorkSeconds);
      if (k >= 0) {
        this.classEvictions[k] += c.evictions;
        this.classOomKills[k] += c.oomKills;
      }
    }
  }

  /**
   * A submitted task, in submission order, for the packing sample: its request counts when given
   * (not missing) and not all zero (reports/packing-metrics.ts sampleTasks).
   */
  addSubmitted(request: ArrayLike<number>, offset: number, missing: boolean): void {
    if (missing) return;
    const D = this.dims;
    let any = false;
    for (let d = 0; d < D; d++) if (request[offset + d] > 0) any = true;
    if (!any) return;
    this.eligible++;
    const n = this.runShape.length;
    if (n > 0) {
      const o = this.runShape[n - 1] * D;
      let same = true;
      for (let d = 0; d < D; d++) {
        if (this.shapes[o + d] !== request[offset + d]) {
          same = false;
          break;
        }
      }
      if (same) {
        this.runLength[n - 1]++;
        return;
      }
    }
    let key = '';
    for (let d = 0; d < D; d++) key += `${request[offset + d]},`;
    let s = this.shapeIndex.get(key);
    if (s === undefined) {
      s = this.shapes.length / D;
      this.shapeIndex.set(key, s);
      for (let d = 0; d < D; d++) this.shapes.push(request[offset + d]);
    }
    this.runShape.push(s);
    this.runLength.push(1);
  }

  /** Scheduling delays of the started tasks, seconds, ascending. */
  sortedDelays(): Float64Array {
    return this.delays.subarray(0, this.delayCount).sort();
  }

  get throttledCpuSeconds(): number {
    return this.throttled.value;
  }

  get lostWorkSeconds(): number {
    return this.lost.value;
  }

  /**
   * The packing metrics' sample as sampleTasks draws it (task floor((j + ½) · n / K) of the n
   * eligible ones, all when n ≤ K): the sampled requests, flat, in sample order.
   */
  packingSample(k = SAMPLE_TASKS): { count: number; request: Float64Array } {
    const D = this.dims;
    const n = this.eligible;
    const m = Math.min(n, k);
    const out = new Float64Array(m * D);
    let run = 0;
    let runEnd = this.runLength.length > 0 ? this.runLength[0] : 0;
    for (let j = 0; j < m; j++) {
      const i = n <= k ? j : Math.floor(((j + 0.5) * n) / k);
      while (i >= runEnd) runEnd += this.runLength[++run];
      const o = this.runShape[run] * D;
      for (let d = 0; d < D; d++) out[j * D + d] = this.shapes[o + d];
    }
    return { count: m, request: out };
  }
}

/** Job, task index, QoS class and band per event of the dynamics log (rows of tasks that are gone). */
export class EventTasks {
  job: Int32Array = new Int32Array(0);
  taskIndex: Int32Array = new Int32Array(0);
  qos: Uint8Array = new Uint8Array(0);
  band: Uint8Array = new Uint8Array(0);

  reserve(n: number): void {
    if (n <= this.job.length) return;
    const size = Math.max(n, this.job.length * 2, 1024);
    const i32 = (a: Int32Array): Int32Array => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    const u8 = (a: Uint8Array): Uint8Array => {
      const b = new Uint8Array(size);
      b.set(a);
      return b;
    };
    this.job = i32(this.job);
    this.taskIndex = i32(this.taskIndex);
    this.qos = u8(this.qos);
    this.band = u8(this.band);
  }
}
