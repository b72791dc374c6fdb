/**
 * The controllers' own agenda: (time, id) entries kept in a binary min-heap of typed arrays
 * (ties in the order pushed, so runs are reproducible), served through as few host timers as
 * possible — one armed for the earliest entry, another only when an earlier entry arrives. A
 * timer that finds nothing due does nothing. No object per entry: a lost pod waiting for its
 * back-off costs 20 bytes here.
 */
export class DueQueue {
  private time = new Float64Array(64);
  private seq = new Float64Array(64);
  private id = new Int32Array(64);
  private n = 0;
  private nextSeq = 0;
  /** The earliest time a host timer is set for (Infinity = none that matters). */
  private armed = Infinity;

  constructor(
    private readonly setTimer: (t: number, fn: (t: number) => void) => void,
    private readonly onDue: (id: number, t: number) => void,
  ) {}

  get size(): number {
    return this.n;
  }

  /** Schedules `id` at `t` (µs, ≥ now). */
  push(t: number, id: number): void {
    if (this.n === this.time.length) this.grow();
    let i = this.n++;
    const s = this.nextSeq++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(t, s, this.time[p], this.seq[p])) break;
      this.time[i] = this.time[p];
      this.seq[i] = this.seq[p];
      this.id[i] = this.id[p];
      i = p;
    }
    this.time[i] = t;
    this.seq[i] = s;
    this.id[i] = id;
    if (t < this.armed) {
      this.armed = t;
      this.setTimer(t, this.fire);
    }
  }

  private readonly fire = (t: number): void => {
    if (t >= this.armed) this.armed = Infinity;
    while (this.n > 0 && this.time[0] <= t) {
      const id = this.id[0];
      this.pop();
      this.onDue(id, t);
    }
    if (this.n > 0 && this.time[0] < this.armed) {
      this.armed = this.time[0];
      this.setTimer(this.time[0], this.fire);
    }
  };

  private pop(): void {
    const last = --this.n;
    if (last === 0) return;
    const t = this.time[last];
    const s = this.seq[last];
    const id = this.id[last];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= last) break;
      if (c + 1 < last && before(this.time[c + 1], this.seq[c + 1], this.time[c], this.seq[c])) c++;
      if (!before(this.time[c], this.seq[c], t, s)) break;
      this.time[i] = this.time[c];
      this.seq[i] = this.seq[c];
      this.id[i] = this.id[c];
      i = c;
    }
    this.time[i] = t;
    this.seq[i] = s;
    this.id[i] = id;
  }

  private grow(): void {
    const n = this.time.length * 2;
    const t = new Float64Array(n);
    t.set(this.time);
    this.time = t;
    const s = new Float64Array(n);
    s.set(this.seq);
    this.seq = s;
    const id = new Int32Array(n);
    id.set(this.id);
    this.id = id;
  }
}

function before(t1: number, s1: number, t2: number, s2: number): boolean {
  return t1 < t2 || (t1 === t2 && s1 < s2);
}
