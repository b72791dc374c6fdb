/**
 * Samples of a step function (ready replicas per workload) on a grid of `period` µs, taken only
 * when something changed: after a change at t, the state is recorded as of the next multiple of
 * the period at or after t (the state at the end of that instant: the row is written once time
 * moves past it). Each row is the full state vector, so the value at any time is the last row at
 * or before it. Memory stays bounded: when rows × columns exceed `maxCells`, the period doubles
 * and only the last row of each new period is kept (at its own time, so the step function stays
 * exact at every kept row).
 */
export class StepSamples {
  period: number;
  readonly times: number[] = [];
  readonly rows: Int32Array[] = [];
  private pendingAt = NaN;
  private cells = 0;

  constructor(
    period: number,
    private readonly snapshot: () => Int32Array,
    private readonly maxCells: number,
  ) {
    if (!(period > 0)) throw new Error(`sample period ${period} µs`);
    this.period = period;
  }

  /** Call before changing the state at time t. */
  beforeChange(t: number): void {
    if (this.pendingAt === this.pendingAt && t > this.pendingAt) this.flush(this.pendingAt);
  }

  /** Call after changing the state at time t. */
  afterChange(t: number): void {
    if (this.pendingAt !== this.pendingAt) this.pendingAt = Math.ceil(t / this.period) * this.period;
  }

  /** The replay ended at `horizon`: the last change is recorded (at its grid time, or the horizon if sooner). */
  finish(horizon: number): void {
    if (this.pendingAt === this.pendingAt) this.flush(Math.min(this.pendingAt, horizon));
  }

  private flush(time: number): void {
    this.pendingAt = NaN;
    const row = this.snapshot();
    const k = this.times.length;
    if (k > 0 && this.times[k - 1] === time) {
      this.cells += row.length - this.rows[k - 1].length;
      this.rows[k - 1] = row;
    } else {
      this.times.push(time);
      this.rows.push(row);
      this.cells += row.length;
    }
    while (this.cells > this.maxCells && this.times.length > 1) this.thin();
  }

  /** Doubles the period: keeps the last row of each new period. */
  private thin(): void {
    const p = this.period * 2;
    let w = 0;
    this.cells = 0;
    for (let r = 0; r < this.times.length; r++) {
      const last = r === this.times.length - 1 || Math.ceil(this.times[r + 1] / p) !== Math.ceil(this.times[r] / p);
      if (!last) continue;
      this.times[w] = this.times[r];
      this.rows[w] = this.rows[r];
      this.cells += this.rows[r].length;
      w++;
    }
    this.times.length = w;
    this.rows.length = w;
    this.period = p;
  }
}
