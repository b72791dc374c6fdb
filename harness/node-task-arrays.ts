/**
 * Which tasks run on each node, and a record of `stride` numbers per running task, each node's
 * tasks side by side in one pool (a block per node, doubled and moved to the pool's end when
 * full; now and then all blocks are laid out again in node order, see repack). Walked newest first — the order of harness/node-task-lists.ts (head insertion, removal
 * keeping the others' order), which the node dynamics' results depend on (positions break ties in
 * the OOM killer and the eviction ranking).
 *
 * Why not linked lists and per-task columns: the node dynamics read every task of a node on each
 * evaluation; with tasks spread over a table of millions of rows each task is a few cache (and
 * TLB) misses, and a list walk chains them (the next id is known only once the previous link is
 * loaded). Here a node's ids and records are contiguous: an evaluation reads one block in order.
 * Add is O(1) amortized; remove scans the node's block and closes the gap (O(tasks on the node),
 * contiguous); `slot(task)` finds a running task's record. A node's abandoned blocks sum to less
 * than its current one, so the pool stays under twice the blocks in use.
 */
export class NodeTaskArrays {
  readonly stride: number;
  private start: Int32Array = new Int32Array(0);
  private count: Int32Array = new Int32Array(0);
  private cap: Int32Array = new Int32Array(0);
  /** Task id per pool slot. */
  private ids: Int32Array = new Int32Array(1024);
  /** `stride` numbers per pool slot (replaced as the pool grows: read it after add). */
  records: Float64Array;
  /** Pool slot of each running task, -1 = not on a node. */
  private where: Int32Array = new Int32Array(0);
  private used = 0;
  /** Blocks moved to the pool's end since the last repack. */
  private moved = 0;

  constructor(stride: number) {
    this.stride = stride;
    this.records = new Float64Array(1024 * stride);
  }

  ensureNodes(n: number): void {
    if (n <= this.start.length) return;
    const size = Math.max(n, this.start.length * 2, 64);
    this.start = growI32(this.start, size, 0);
    this.count = growI32(this.count, size, 0);
    this.cap = growI32(this.cap, size, 0);
  }

  ensureTasks(n: number): void {
    if (n <= this.where.length) return;
    this.where = growI32(this.where, Math.max(n, this.where.length * 2, 1024), -1);
  }

  /** Puts the task on the node (the newest there); returns its pool slot, its record left as it was (the caller fills it). */
  add(node: number, task: number): number {
    const c = this.count[node];
    if (c === this.cap[node]) this.move(node, Math.max(8, c * 2));
    const slot = this.start[node] + c;
    this.ids[slot] = task;
    this.where[task] = slot;
    this.count[node] = c + 1;
    return slot;
  }

  remove(node: number, task: number): void {
    const s = this.start[node];
    const end = s + this.count[node];
    const i = this.where[task];
    if (!(i >= s && i < end && this.ids[i] === task)) throw new Error(`task ${task} is not on node ${node}`);
    const ids = this.ids;
    const S = this.stride;
    ids.copyWithin(i, i + 1, end);
    this.records.copyWithin(i * S, (i + 1) * S, end * S);
    for (let j = i; j < end - 1; j++) this.where[ids[j]] = j;
    this.where[task] = -1;
    this.count[node]--;
  }

  /** Pool slot of a running task's record, -1 when it is on no node. */
  slot(task: number): number {
    return task < this.where.length ? this.where[task] : -1;
  }

  size(node: number): number {
    return node < this.count.length ? this.count[node] : 0;
  }

  /** Pool slot of the node's newest task (its position 0); position p is at newest − p. */
  newest(node: number): number {
    return this.start[node] + this.count[node] - 1;
  }

  /** Writes the node's tasks to out[0..size), newest first; returns the count. `out` must hold size(node). */
  fill(node: number, out: Int32Array): number {
    const n = this.size(node);
    if (n === 0) return 0;
    const ids = this.ids;
    const last = this.start[node] + n - 1;
    for (let p = 0; p < n; p++) out[p] = ids[last - p];
    return n;
  }

  /**
   * Reads one number per cache line of the node's ids and records and returns their sum (the
   * caller keeps it, so the loads are not dropped): a prefetch, issued for the next node to
   * evaluate while the current one is evaluated, so its misses overlap with that work.
   */
  touch(node: number): number {
    const c = this.count[node];
    if (c === 0) return 0;
    const s = this.start[node];
    const S = this.stride;
    const r = this.records;
    let x = this.ids[s] + this.ids[s + c - 1];
    const end = (s + c) * S;
    for (let a = s * S; a < end; a += 8) x += r[a];
    return x + r[end - 1];
  }

  private move(node: number, capacity: number): void {
    const S = this.stride;
    if (this.used + capacity > this.ids.length || this.moved >= REPACK_AFTER_MOVES + (this.start.length >>> 3)) {
      this.repack(node, capacity);
      return;
    }
    const s = this.start[node];
    const c = this.count[node];
    this.ids.copyWithin(this.used, s, s + c);
    this.records.copyWithin(this.used * S, s * S, (s + c) * S);
    for (let j = 0; j < c; j++) this.where[this.ids[this.used + j]] = this.used + j;
    this.start[node] = this.used;
    this.cap[node] = capacity;
    this.used += capacity;
    this.moved++;
  }

  /**
   * Lays every block out again in node order (node `grown` with its new `capacity`), abandoned
   * space dropped, into new arrays (twice as large when the pool is full). Why: the dynamics walk
   * busy nodes in node order at each usage step; blocks in that order are one stream the
   * hardware prefetcher follows, where blocks moved to the pool's end as they grew are a cache
   * miss each. Done when the pool is full and after every nodes/8 + 64 moves, so its O(pool)
   * copy costs at most a constant factor over the moves themselves. Positions do not change.
   */
  private repack(grown: number, capacity: number): void {
    const S = this.stride;
    const nodes = this.start.length;
    let total = 0;
    for (let v = 0; v < nodes; v++) total += v === grown ? capacity : this.cap[v];
    const size = this.used + capacity > this.ids.length ? Math.max(total, this.ids.length * 2) : this.ids.length;
    const ids = new Int32Array(size);
    const records = new Float64Array(size * S);
    let at = 0;
    for (let v = 0; v < nodes; v++) {
      const c = this.count[v];
      const s = this.start[v];
      ids.set(this.ids.subarray(s, s + c), at);
      records.set(this.records.subarray(s * S, (s + c) * S), at * S);
      for (let j = 0; j < c; j++) this.where[ids[at + j]] = at + j;
      this.start[v] = at;
      if (v === grown) this.cap[v] = capacity;
      at += this.cap[v];
    }
    this.ids = ids;
    this.records = records;
    this.used = at;
    this.moved = 0;
  }
}

/** Moves (beyond nodes / 8) between two repacks of the pool in node order. */
const REPACK_AFTER_MOVES = 64;

function growI32(a: Int32Array, n: number, fill: number): Int32Array {
  const b = new Int32Array(n);
  if (fill !== 0) b.fill(fill);
  b.set(a);
  return b;
}
