/**
 * The simulator's one event queue: a binary min-heap over parallel typed arrays (no per-event
 * objects or closures). Order is (time, kind rank, insertion sequence), so simultaneous events are
 * processed in a fixed, documented order and every run is reproducible.
 */
export enum EventKind {
  /** A machine joins: capacity appears before anything else at that instant. */
  MachineAdd = 0,
  /** A task ends normally; its resources are released. */
  Finish = 1,
  /** A task is killed (by the trace or the user); released like a finish. */
  Kill = 2,
  /** A machine leaves; its tasks are resubmitted. */
  MachineRemove = 3,
  /** `--placement recorded`: a task starts where and when the trace says. */
  RecordedStart = 4,
  /** An OOM-killed container restarts in place after its back-off (node dynamics). */
  Restart = 5,
  /** An evicted task's controller recreates it: back to the pending queue. */
  Requeue = 6,
  /** The kubelet's housekeeping: node dynamics evaluate the nodes that changed. */
  Housekeeping = 7,
  /** A reaction's timer (harness/reactions/reaction-host.ts `at`): id = its slot in the simulator's timer table. */
  Timer = 8,
}
// Usage samples are not queued: the loop takes them on a fixed period, after everything else at that instant.

export class EventQueue {
  private time: Float64Array;
  private kind: Uint8Array;
  private id: Int32Array;
  private seq: Float64Array;
  private size = 0;
  private nextSeq = 0;

  constructor(initialCapacity = 1024) {
    this.time = new Float64Array(initialCapacity);
    this.kind = new Uint8Array(initialCapacity);
    this.id = new Int32Array(initialCapacity);
    this.seq = new Float64Array(initialCapacity);
  }

  get length(): number {
    return this.size;
  }

  push(time: number, kind: EventKind, id: number): void {
    if (this.size === this.time.length) this.grow();
    let i = this.size++;
    const s = this.nextSeq++;
    // Sift up: move parents down until the slot for the new event is found.
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(time, kind, s, p)) break;
      this.copy(p, i);
      i = p;
    }
    this.time[i] = time;
    this.kind[i] = kind;
    this.id[i] = id;
    this.seq[i] = s;
  }

  /** Time of the earliest event; Infinity when empty. */
  peekTime(): number {
    return this.size > 0 ? this.time[0] : Infinity;
  }

  peekKind(): EventKind {
    return this.kind[0] as EventKind;
  }

  peekId(): number {
    return this.id[0];
  }

  /** Removes the earliest event (read it first with peek*). */
  pop(): void {
    const last = --this.size;
    if (last === 0) return;
    const t = this.time[last];
    const k = this.kind[last];
    const d = this.id[last];
    const s = this.seq[last];
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= last) break;
      const r = l + 1;
      const c = r < last && this.lessIdx(r, l) ? r : l;
      if (!this.lessAt(c, t, k, s)) break;
      this.copy(c, i);
      i = c;
    }
    this.time[i] = t;
    this.kind[i] = k;
    this.id[i] = d;
    this.seq[i] = s;
  }

  private less(t: number, k: number, s: number, j: number): boolean {
    const tj = this.time[j];
    if (t !== tj) return t < tj;
    const kj = this.kind[j];
    if (k !== kj) return k < kj;
    return s < this.seq[j];
  }

  /** Is the element at slot j earlier than (t, k, s)? */
  private lessAt(j: number, t: number, k: number, s: number): boolean {
    const tj = this.time[j];
    if (tj !== t) return tj < t;
    const kj = this.kind[j];
    if (kj !== k) return kj < k;
    return this.seq[j] < s;
  }

  private lessIdx(a: number, b: number): boolean {
    return this.lessAt(a, this.time[b], this.kind[b], this.seq[b]);
  }

  private copy(from: number, to: number): void {
    this.time[to] = this.time[from];
    this.kind[to] = this.kind[from];
    this.id[to] = this.id[from];
    this.seq[to] = this.seq[from];
  }

  private grow(): void {
    const n = this.time.length * 2;
    const t = new Float64Array(n);
    t.set(this.time);
    this.time = t;
    const k = new Uint8Array(n);
    k.set(this.kind);
    this.kind = k;
    const d = new Int32Array(n);
    d.set(this.id);
    this.id = d;
    const s = new Float64Array(n);
    s.set(this.seq);
    this.seq = s;
  }
}
