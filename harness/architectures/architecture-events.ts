/**
 * The architecture simulator's event queue: a binary min-heap over parallel typed arrays, ordered
 * by (time, insertion sequence) so simultaneous events run in the order they were scheduled and
 * every run is reproducible. Each event is a kind (0–255, the simulator's and the architectures'
 * own) and two integer arguments.
 */
export class ArchitectureEvents {
  private time = new Float64Array(1024);
  private seq = new Float64Array(1024);
  private kind = new Uint8Array(1024);
  private a = new Int32Array(1024);
  private b = new Int32Array(1024);
  private n = 0;
  private nextSeq = 0;
  /** The popped event's fields. */
  popTime = 0;
  popKind = 0;
  popA = 0;
  popB = 0;

  get size(): number {
    return this.n;
  }

  peekTime(): number {
    return this.n > 0 ? this.time[0] : Infinity;
  }

  push(time: number, kind: number, a: number, b = 0): void {
    if (this.n === this.time.length) this.grow();
    let i = this.n++;
    const s = this.nextSeq++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.time[p] < time || (this.time[p] === time && this.seq[p] < s)) break;
      this.move(p, i);
      i = p;
    }
    this.time[i] = time;
    this.seq[i] = s;
    this.kind[i] = kind;
    this.a[i] = a;
    this.b[i] = b;
  }

  /** Removes the earliest event into popTime/popKind/popA/popB; false when empty. */
  pop(): boolean {
    if (this.n === 0) return false;
    this.popTime = this.time[0];
    this.popKind = this.kind[0];
    this.popA = this.a[0];
    this.popB = this.b[0];
    const last = --this.n;
    if (last === 0) return true;
    const t = this.time[last];
    const s = this.seq[last];
    const k = this.kind[last];
    const a = this.a[last];
    const b = this.b[last];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= last) break;
      if (c + 1 < last && (this.time[c + 1] < this.time[c] || (this.time[c + 1] === this.time[c] && this.seq[c + 1] < this.seq[c]))) c++;
      if (t < this.time[c] || (t === this.time[c] && s < this.seq[c])) break;
      this.move(c, i);
      i = c;
    }
    this.time[i] = t;
    this.seq[i] = s;
    this.kind[i] = k;
    this.a[i] = a;
    this.b[i] = b;
    return true;
  }

  private move(from: number, to: number): void {
    this.time[to] = this.time[from];
    this.seq[to] = this.seq[from];
    this.kind[to] = this.kind[from];
    this.a[to] = this.a[from];
    this.b[to] = this.b[from];
  }

  private grow(): void {
    const m = this.time.length * 2;
    const f = (x: Float64Array) => { const y = new Float64Array(m); y.set(x); return y; };
    const i = (x: Int32Array) => { const y = new Int32Array(m); y.set(x); return y; };
    this.time = f(this.time);
    this.seq = f(this.seq);
    const k = new Uint8Array(m);
    k.set(this.kind);
    this.kind = k;
    this.a = i(this.a);
    this.b = i(this.b);
  }
}
