/**
 * Which submission (ordinal) is open for each task (job ordinal, task index), without hashing:
 * one small Int32Array per job with open tasks, indexed by task index (ordinal + 1; 0 = none).
 * A job's array is dropped when its last open submission closes, so memory follows the tasks
 * open at the moment (4 bytes per task index of each job with something open), not the trace.
 */
export class OpenSubmissions {
  private byJob: (Int32Array | undefined)[] = [];
  private open: Int32Array = new Int32Array(1024);

  /** The open submission of (job, task), or -1. */
  get(job: number, task: number): number {
    const a = this.byJob[job];
    if (a === undefined || task >= a.length) return -1;
    return a[task] - 1;
  }

  /** Opens `ordinal` for (job, task); the task must have none open. */
  set(job: number, task: number, ordinal: number): void {
    let a = this.byJob[job];
    if (a === undefined || task >= a.length) {
      let n = a === undefined ? 4 : a.length;
      while (n <= task) n *= 2;
      const b = new Int32Array(n);
      if (a !== undefined) b.set(a);
      while (this.byJob.length <= job) this.byJob.push(undefined);
      this.byJob[job] = a = b;
    }
    if (job >= this.open.length) {
      let n = this.open.length * 2;
      while (n <= job) n *= 2;
      const o = new Int32Array(n);
      o.set(this.open);
      this.open = o;
    }
    if (a[task] === 0) this.open[job]++;
    a[task] = ordinal + 1;
  }

  /** Closes the open submission of (job, task), if any. */
  delete(job: number, task: number): void {
    const a = this.byJob[job];
    if (a === undefined || task >= a.length || a[task] === 0) return;
    a[task] = 0;
    if (--this.open[job] === 0) this.byJob[job] = undefined;
  }
}

/**
 * One bit per task (job ordinal, task index): has the task had a submission opened yet? Used for
 * a mid-trace slice only, to tell a task first seen with a non-SUBMIT event (it was there before
 * the window) from a late out-of-sequence row of a task already seen. A bit array per job, grown
 * to its largest task index: 1 bit per task of the slice.
 */
export class TaskBits {
  private byJob: (Uint8Array | undefined)[] = [];

  has(job: number, task: number): boolean {
    const a = this.byJob[job];
    const byte = task >>> 3;
    return a !== undefined && byte < a.length && (a[byte] & (1 << (task & 7))) !== 0;
  }

  set(job: number, task: number): void {
    let a = this.byJob[job];
    const byte = task >>> 3;
    if (a === undefined || byte >= a.length) {
      let n = a === undefined ? 4 : a.length;
      while (n <= byte) n *= 2;
      const b = new Uint8Array(n);
      if (a !== undefined) b.set(a);
      while (this.byJob.length <= job) this.byJob.push(undefined);
      this.byJob[job] = a = b;
    }
    a[byte] |= 1 << (task & 7);
  }
}
