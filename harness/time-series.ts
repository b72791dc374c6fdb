/**
 * Periodic samples of cluster state: requested, used and allocatable amounts per dimension, nodes
 * up and busy, tasks running and pending. Columnar and growable; one row per sample.
 */
export class TimeSeries {
  readonly dims: number;
  length = 0;
  time: Float64Array = new Float64Array(256);
  requested: Float64Array;
  used: Float64Array;
  allocatable: Float64Array;
  nodesUp: Int32Array = new Int32Array(256);
  nodesBusy: Int32Array = new Int32Array(256);
  running: Int32Array = new Int32Array(256);
  pending: Int32Array = new Int32Array(256);
  /** Scratch vector the simulator fills before push. */
  readonly scratch: Float64Array;

  constructor(dims: number) {
    this.dims = dims;
    this.requested = new Float64Array(256 * dims);
    this.used = new Float64Array(256 * dims);
    this.allocatable = new Float64Array(256 * dims);
    this.scratch = new Float64Array(dims);
  }

  push(t: number, requested: Float64Array, used: Float64Array, allocatable: Float64Array, up: number, busy: number, running: number, pending: number): void {
    if (this.length === this.time.length) this.grow();
    const k = this.length++;
    const D = this.dims;
    this.time[k] = t;
    this.requested.set(requested.subarray(0, D), k * D);
    this.used.set(used.subarray(0, D), k * D);
    this.allocatable.set(allocatable.subarray(0, D), k * D);
    this.nodesUp[k] = up;
    this.nodesBusy[k] = busy;
    this.running[k] = running;
    this.pending[k] = pending;
  }

  private grow(): void {
    const n = this.time.length * 2;
    const D = this.dims;
    const f = (a: Float64Array, m: number): Float64Array => {
      const b = new Float64Array(m);
      b.set(a);
      return b;
    };
    const i = (a: Int32Array): Int32Array => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    this.time = f(this.time, n);
    this.requested = f(this.requested, n * D);
    this.used = f(this.used, n * D);
    this.allocatable = f(this.allocatable, n * D);
    this.nodesUp = i(this.nodesUp);
    this.nodesBusy = i(this.nodesBusy);
    this.running = i(this.running);
    this.pending = i(this.pending);
  }
}
