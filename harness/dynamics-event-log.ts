import type { DynamicsCause, DynamicsEventLog } from '../reports/replay-results.js';

/** The dynamics events of a run, one row each, in growable columns (events.csv reads them). */
export class EventLogBuilder implements DynamicsEventLog {
  length = 0;
  /** Rows handed on and cleared before these (DynamicsEventLog.spilled). */
  spilled = 0;
  time: Float64Array = new Float64Array(1024);
  node = new Int32Array(1024);
  task = new Int32Array(1024);
  cause = new Uint8Array(1024);
  memory: Float64Array = new Float64Array(1024);
  amount: Float64Array = new Float64Array(1024);
  duration: Float64Array = new Float64Array(1024);

  push(time: number, node: number, task: number, cause: DynamicsCause, memory: number, amount: number, duration: number): void {
    if (this.length === this.time.length) this.grow();
    const i = this.length++;
    this.time[i] = time;
    this.node[i] = node;
    this.task[i] = task;
    this.cause[i] = cause;
    this.memory[i] = memory;
    this.amount[i] = amount;
    this.duration[i] = duration;
  }

  /** Rows [0, length) left memory (handed to a sink, or only counted): the log starts again, empty. */
  spill(): void {
    this.spilled += this.length;
    this.length = 0;
  }

  private grow(): void {
    const n = this.time.length * 2;
    const f = (a: Float64Array): Float64Array => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    this.time = f(this.time);
    this.memory = f(this.memory);
    this.amount = f(this.amount);
    this.duration = f(this.duration);
    const nd = new Int32Array(n);
    nd.set(this.node);
    this.node = nd;
    const tk = new Int32Array(n);
    tk.set(this.task);
    this.task = tk;
    const c = new Uint8Array(n);
    c.set(this.cause);
    this.cause = c;
  }
}
