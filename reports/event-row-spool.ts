import { EVENT_RUN_ROWS, type DynamicsEventLog, type EventRowSink } from './event-log.js';
import type { EventTasks } from './task-tally.js';
import { SpoolFile } from './spool-file.js';
import { timeOrder } from './time-order.js';

/**
 * One spooled event, packed little-endian: time, memory, amount, duration (float64), node, task
 * id, job, task index (int32), cause, QoS class, band (uint8).
 */
const RECORD_BYTES = 51;
const enum At {
  Time = 0,
  Memory = 8,
  Amount = 16,
  Duration = 24,
  Node = 32,
  Task = 36,
  Job = 40,
  TaskIndex = 44,
  Cause = 48,
  Qos = 49,
  Band = 50,
}
const CHUNK_ROWS = 4096;

/** One event as read back from the spool. */
export interface SpooledEvent {
  time: number;
  node: number;
  task: number;
  job: number;
  taskIndex: number;
  cause: number;
  qos: number;
  band: number;
  memory: number;
  amount: number;
  duration: number;
}

/** A blank event for a reader to fill (each reader reuses its own). */
export const blankEvent = (): SpooledEvent => ({ time: 0, node: 0, task: 0, job: 0, taskIndex: 0, cause: 0, qos: 0, band: 0, memory: 0, amount: 0, duration: 0 });

/**
 * The dynamics log of a replay whose task rows leave memory, spooled to a hidden temporary file
 * next to the results folder in runs (harness/simulator.ts hands it the log each time it holds
 * `runRows` named rows). Each run is written in time order (stable: a throttling interval is
 * logged when it ends but stamped with its start, so the log itself is not), so events.csv merges
 * the runs by time (reports/event-merge.ts) and gets the order a whole log would give.
 * Memory: one chunk per run while reading. The file is a registered temporary output
 * (model/atomic-output.ts): removed when the run fails or is interrupted, and by `dispose`.
 */
export class EventRowSpool implements EventRowSink {
  readonly runRows: number;
  private readonly file: SpoolFile;
  private written = 0;
  /** Per run: first row and row count. */
  private readonly runs: Array<{ first: number; rows: number }> = [];
  private readonly chunk = new Uint8Array(CHUNK_ROWS * RECORD_BYTES);
  private readonly view = new DataView(this.chunk.buffer);

  /** `target`: the results folder the rows are for (the spool is a hidden sibling). */
  constructor(target: string, runRows = EVENT_RUN_ROWS) {
    if (!(runRows >= 1)) throw new Error(`EventRowSpool: runRows must be at least 1 (got ${runRows})`);
    this.file = new SpoolFile(target, 'events');
    this.runRows = runRows;
  }

  /** Rows spooled so far. */
  get rows(): number {
    return this.written;
  }

  get runCount(): number {
    return this.runs.length;
  }

  readonly add = (log: DynamicsEventLog, tasks: EventTasks): void => {
    const n = log.length;
    if (n === 0) return;
    const order = timeOrder(log.time, n);
    const v = this.view;
    let inChunk = 0;
    for (let k = 0; k < n; k++) {
      const e = order[k];
      const o = inChunk * RECORD_BYTES;
      v.setFloat64(o + At.Time, log.time[e], true);
      v.setFloat64(o + At.Memory, log.memory[e], true);
      v.setFloat64(o + At.Amount, log.amount[e], true);
      v.setFloat64(o + At.Duration, log.duration[e], true);
      v.setInt32(o + At.Node, log.node[e], true);
      const task = log.task[e];
      v.setInt32(o + At.Task, task, true);
      v.setInt32(o + At.Job, task >= 0 ? tasks.job[e] : -1, true);
      v.setInt32(o + At.TaskIndex, task >= 0 ? tasks.taskIndex[e] : -1, true);
      v.setUint8(o + At.Cause, log.cause[e]);
      v.setUint8(o + At.Qos, task >= 0 ? tasks.qos[e] : 0);
      v.setUint8(o + At.Band, task >= 0 ? tasks.band[e] : 0);
      if (++inChunk === CHUNK_ROWS) {
        this.write(inChunk);
        inChunk = 0;
      }
    }
    this.write(inChunk);
    this.runs.push({ first: this.written, rows: n });
    this.written += n;
  };

  private write(rows: number): void {
    this.file.append(this.chunk.subarray(0, rows * RECORD_BYTES));
  }

  /**
   * Readers of the runs, each in time order (reports/event-merge.ts merges them). Once read, the
   * spool takes no more rows. Empty when nothing was spooled.
   */
  openRuns(): SpooledRunReader[] {
    this.file.seal();
    return this.file.created ? this.runs.map((r) => new SpooledRunReader(this.file, r.first, r.rows)) : [];
  }

  /** Closes and removes the spool file. */
  dispose(): void {
    this.file.dispose();
  }
}

/** One run of the spool, read a chunk at a time: `event` is the current row, `done` past the last. */
export class SpooledRunReader {
  readonly event: SpooledEvent = blankEvent();
  done = false;
  private readonly file: SpoolFile;
  private next: number;
  private left: number;
  private readonly chunk = new Uint8Array(CHUNK_ROWS * RECORD_BYTES);
  private readonly view = new DataView(this.chunk.buffer);
  private inChunk = 0;
  private at = 0;

  constructor(file: SpoolFile, first: number, rows: number) {
    this.file = file;
    this.next = first;
    this.left = rows;
    this.advance();
  }

  /** Moves to the next row (sets `done` after the last). */
  advance(): void {
    if (this.at === this.inChunk) {
      if (this.left === 0) {
        this.done = true;
        return;
      }
      const rows = Math.min(this.left, CHUNK_ROWS);
      const bytes = this.chunk.subarray(0, rows * RECORD_BYTES);
      if (this.file.readAt(bytes, this.next * RECORD_BYTES) < bytes.length) throw new Error('EventRowSpool: the spool file ended early');
      this.next += rows;
      this.left -= rows;
      this.inChunk = rows;
      this.at = 0;
    }
    const v = this.view;
    const o = this.at++ * RECORD_BYTES;
    const ev = this.event;
    ev.time = v.getFloat64(o + At.Time, true);
    ev.memory = v.getFloat64(o + At.Memory, true);
    ev.amount = v.getFloat64(o + At.Amount, true);
    ev.duration = v.getFloat64(o + At.Duration, true);
    ev.node = v.getInt32(o + At.Node, true);
    ev.task = v.getInt32(o + At.Task, true);
    ev.job = v.getInt32(o + At.Job, true);
    ev.taskIndex = v.getInt32(o + At.TaskIndex, true);
    ev.cause = v.getUint8(o + At.Cause);
    ev.qos = v.getUint8(o + At.Qos);
    ev.band = v.getUint8(o + At.Band);
  }
}
