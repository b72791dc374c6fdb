import type { TaskRecords } from './replay-results.js';
import type { TaskCounters } from './task-tally.js';
import { SpoolFile } from './spool-file.js';

/**
 * A task's row as the results folder writes it, flat in float64: the task table's one record
 * format, so a replay that kept every row and one whose rows left memory as tasks ended write
 * tasks.csv / tasks.parquet through the same code (results-folder.ts writeTasks).
 * Layout: the fixed fields below, then request × dims, limit × dims, missing, the five dynamics
 * counters, and the index of the FailedScheduling message (-1 = none).
 */
export const enum RowField {
  Id = 0,
  Job = 1,
  TaskIndex = 2,
  Priority = 3,
  Qos = 4,
  Band = 5,
  Submit = 6,
  Start = 7,
  End = 8,
  Node = 9,
  Status = 10,
  Attempts = 11,
  Request = 12,
}

/** Float64 fields of a record for `dims` dimensions. */
export function recordWidth(dims: number): number {
  return RowField.Request + 2 * dims + 1 + 5 + 1;
}

/** Fills `out` with the record of row `slot` (task `id`). */
export function encodeTaskRecord(out: Float64Array, t: TaskRecords, slot: number, id: number, c: TaskCounters | undefined, message: number): void {
  const dims = (out.length - recordWidth(0)) / 2;
  out[RowField.Id] = id;
  out[RowField.Job] = t.job[slot];
  out[RowField.TaskIndex] = t.taskIndex[slot];
  out[RowField.Priority] = t.priority[slot];
  out[RowField.Qos] = t.qos[slot];
  out[RowField.Band] = t.band[slot];
  out[RowField.Submit] = t.submit[slot];
  out[RowField.Start] = t.start[slot];
  out[RowField.End] = t.end[slot];
  out[RowField.Node] = t.node[slot];
  out[RowField.Status] = t.status[slot];
  out[RowField.Attempts] = t.attempts[slot];
  let k: number = RowField.Request;
  for (let d = 0; d < dims; d++) out[k++] = t.request[slot * dims + d];
  for (let d = 0; d < dims; d++) out[k++] = t.limit[slot * dims + d];
  out[k++] = t.missing[slot];
  out[k++] = c ? c.evictions : 0;
  out[k++] = c ? c.oomKills : 0;
  out[k++] = c ? c.throttledCpuSeconds : 0;
  out[k++] = c ? c.lostWorkSeconds : 0;
  out[k++] = c ? c.peakMemory : NaN;
  out[k] = message;
}

const ROWS_PER_CHUNK = 4096;

/** The task table as the simulator hands rows over: slots, the task id each holds, its dims. */
export type SpooledRows = TaskRecords & { readonly id: Int32Array; readonly dims: number };

/**
 * The rows of a replay whose finished tasks leave memory, spooled to a hidden temporary file next
 * to the results folder as tasks end (harness/simulator.ts onTaskRow), and read back once when the
 * folder is written. Memory: one chunk of rows. The file is registered like every temporary
 * output (model/atomic-output.ts): removed when the run fails or is interrupted, and by `dispose`.
 */
export class TaskRowSpool {
  private readonly file: SpoolFile;
  private width = 0;
  private chunk = new Float64Array(0);
  private inChunk = 0;
  rows = 0;
  private readonly messageIndex = new Map<string, number>();
  readonly messages: string[] = [];

  /** `target`: the results folder the rows are for (the spool is a hidden sibling). */
  constructor(target: string) {
    this.file = new SpoolFile(target, 'tasks');
  }

  /** One task's row (the simulator's onTaskRow). */
  readonly add = (t: SpooledRows, slot: number, c: TaskCounters | undefined, message: string | null): void => {
    if (this.width === 0) this.open(t.dims);
    let m = -1;
    if (message !== null) {
      m = this.messageIndex.get(message) ?? -1;
      if (m < 0) {
        m = this.messages.push(message) - 1;
        this.messageIndex.set(message, m);
      }
    }
    encodeTaskRecord(this.chunk.subarray(this.inChunk * this.width, (this.inChunk + 1) * this.width), t, slot, t.id[slot], c, m);
    this.rows++;
    if (++this.inChunk === ROWS_PER_CHUNK) this.flush();
  };

  private open(dims: number): void {
    this.width = recordWidth(dims);
    this.chunk = new Float64Array(ROWS_PER_CHUNK * this.width);
  }

  private flush(): void {
    if (this.inChunk === 0) return;
    this.file.append(new Uint8Array(this.chunk.buffer, 0, this.inChunk * this.width * 8));
    this.inChunk = 0;
  }

  /** Every record, in the order added, `width` floats each (calls `each` with a reused buffer). */
  async forEach(each: (record: Float64Array) => Promise<void>): Promise<void> {
    if (this.width === 0) return;
    if (this.file.sealed) throw new Error('TaskRowSpool: read twice');
    this.flush();
    this.file.seal();
    const buf = new Float64Array(ROWS_PER_CHUNK * this.width);
    const bytes = new Uint8Array(buf.buffer);
    for (let pos = 0; ; ) {
      const got = this.file.readAt(bytes, pos);
      pos += got;
      const rows = got / (this.width * 8);
      for (let r = 0; r < rows; r++) await each(buf.subarray(r * this.width, (r + 1) * this.width));
      if (got < bytes.length) break;
    }
  }

  /** Removes the spool file. */
  dispose(): void {
    this.file.dispose();
  }
}
