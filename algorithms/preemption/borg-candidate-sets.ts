import type { PriorityLevelSums } from './priority-level-sums.js';

/** Node changes remembered; a set that fell further behind is rebuilt. */
const LOG_SIZE = 1 << 18;

/** The candidates of one request shape: a bitset over nodes, and per node its figures when known. */
export interface CandidateSet {
  k: number;
  req: Float64Array;
  /** Bit `node` set: the node could make room (PriorityLevelSums.couldMakeRoom). */
  bits: Uint32Array;
  size: number;
  /** The log position this set is up to date with. */
  flushed: number;
  /** Hash of (k, req), its key in the lookup. */
  hash: number;
  /** Node slots the set covers. */
  slots: number;
  /** Clock value when a node's figures were computed (−1 = not known); allocated on first use (many shapes only ever fail). */
  ver: Float64Array;
  count: Float64Array;
  high: Float64Array;
  lastUse: number;
}

/**
 * Borg's candidate nodes per request shape, kept between searches: a trace's jobs submit many
 * tasks of one shape, and between two of their searches only a few nodes change. For each of the
 * most recently used shapes (a request and its priority prefix), a bitset of the nodes that could
 * make room, brought up to date from a log of changed nodes before each use (rebuilt, O(nodes),
 * when new or too far behind), and each node's Borg figures (fewest victims, highest victim
 * priority) computed lazily and reused until the node changes. Every value is a function of the
 * nodes' current state, so the sets give exactly what recomputing would.
 */
export class BorgCandidateSets {
  private sets: CandidateSet[] = [];
  /** Sets by hash of their shape (chains for collisions). */
  private byHash = new Map<number, CandidateSet[]>();
  private readonly log = new Int32Array(LOG_SIZE);
  private seq = 0;
  private lastChange = new Float64Array(0);
  private clock = 1;
  private use = 0;
  /** Work done, for tests and the report: sets built from scratch, and nodes re-checked from the log. */
  builds = 0;
  replays = 0;

  constructor(
    private readonly dims: number,
    private readonly maxSets = 64,
  ) {}

  /** A node's tasks or room changed (or it came or went). */
  touched(node: number): void {
    if (node >= this.lastChange.length) this.grow(node + 1);
    this.lastChange[node] = ++this.clock;
    this.log[this.seq % LOG_SIZE] = node;
    this.seq++;
  }

  /** The levels were rebuilt: every set starts over. */
  clear(): void {
    this.sets = [];
    this.byHash.clear();
  }

  /**
   * The up-to-date set for this shape. `up` / `free` are the cluster's; `nodes` its node slots.
   */
  set(k: number, req: Float64Array, nodes: number, up: Uint8Array, free: Float64Array, levels: PriorityLevelSums): CandidateSet {
    const D = this.dims;
    const hash = shapeHash(k, req, D);
    let s: CandidateSet | undefined;
    const chain = this.byHash.get(hash);
    if (chain) for (const e of chain) if (e.k === k && sameVector(e.req, req, D)) s = e;
    if (s === undefined) {
      if (this.sets.length < this.maxSets) {
        s = { k, req: Float64Array.from(req.subarray(0, D)), hash, bits: new Uint32Array(0), size: 0, flushed: -1, slots: 0, ver: EMPTY, count: EMPTY, high: EMPTY, lastUse: 0 };
        this.sets.push(s);
      } else {
        // Replace the least recently used (a scan, on a miss only).
        let lru = this.sets[0];
        for (const e of this.sets) if (e.lastUse < lru.lastUse) lru = e;
        s = lru;
        const old = this.byHash.get(s.hash)!;
        old.splice(old.indexOf(s), 1);
        if (old.length === 0) this.byHash.delete(s.hash);
        s.k = k;
        s.req.set(req.subarray(0, D));
        s.hash = hash;
        s.flushed = -1;
      }
      const c = this.byHash.get(hash);
      if (c) c.push(s);
      else this.byHash.set(hash, [s]);
    }
    s.lastUse = ++this.use;
    if (s.slots < nodes) this.widen(s, nodes);
    // New, or further behind than a rebuild costs (or than the log reaches): rebuild.
    if (s.flushed < 0 || this.seq - s.flushed > Math.min(LOG_SIZE, nodes)) {
      this.builds++;
      s.bits.fill(0);
      s.size = 0;
      if (s.ver.length > 0) s.ver.fill(-1);
      for (let node = 0; node < nodes; node++) this.recheck(s, node, up, free, levels);
    } else {
      for (let q = s.flushed; q < this.seq; q++) {
        this.replays++;
        this.recheck(s, this.log[q % LOG_SIZE], up, free, levels);
      }
    }
    s.flushed = this.seq;
    return s;
  }

  /**
   * The node's Borg figures for the set's shape into `out` ([0] fewest victims, [1] highest victim
   * priority), for a node in the set; recomputed only when the node changed since.
   */
  figures(s: CandidateSet, node: number, levels: PriorityLevelSums, free: Float64Array, room: Float64Array, out: Float64Array): void {
    if (s.ver.length < s.slots) this.allocFigures(s);
    if (s.ver[node] >= this.lastChange[node]) {
      out[0] = s.count[node];
      out[1] = s.high[node];
      return;
    }
    levels.borgFigures(node, s.k, free, node * this.dims, s.req, 0, room, out);
    s.ver[node] = this.clock;
    s.count[node] = out[0];
    s.high[node] = out[1];
  }

  private recheck(s: CandidateSet, node: number, up: Uint8Array, free: Float64Array, levels: PriorityLevelSums): void {
    const w = node >>> 5;
    const bit = 1 << (node & 31);
    const was = (s.bits[w] & bit) !== 0;
    const now = up[node] === 1 && levels.couldMakeRoom(node, s.k, free, node * this.dims, s.req, 0);
    if (was === now) return;
    if (now) {
      s.bits[w] |= bit;
      s.size++;
    } else {
      s.bits[w] &= ~bit;
      s.size--;
    }
  }

  private widen(s: CandidateSet, nodes: number): void {
    const size = Math.max(nodes, s.slots * 2, 32);
    const bits = new Uint32Array(Math.ceil(size / 32));
    bits.set(s.bits);
    s.bits = bits;
    s.slots = size;
    if (s.ver.length > 0) this.allocFigures(s);
    if (this.lastChange.length < size) this.grow(size);
  }

  /** (Re)sizes a set's figure arrays to its slots, keeping what they held. */
  private allocFigures(s: CandidateSet): void {
    const keep = Math.min(s.ver.length, s.slots);
    const ver = new Float64Array(s.slots).fill(-1);
    ver.set(s.ver.subarray(0, keep));
    s.ver = ver;
    const count = new Float64Array(s.slots);
    count.set(s.count.subarray(0, keep));
    s.count = count;
    const high = new Float64Array(s.slots);
    high.set(s.high.subarray(0, keep));
    s.high = high;
  }

  private grow(n: number): void {
    const g = new Float64Array(Math.max(n, this.lastChange.length * 2, 16));
    g.set(this.lastChange);
    this.lastChange = g;
  }
}

const EMPTY = new Float64Array(0);

/** A hash of a shape: the prefix and the request's values (equality is checked after). */
function shapeHash(k: number, req: Float64Array, n: number): number {
  let h = (k * 0x9e3779b1) | 0;
  for (let i = 0; i < n; i++) {
    const v = req[i];
    h = Math.imul(h ^ ((v | 0) ^ ((v / 4294967296) | 0)), 0x85ebca6b) | 0;
    h ^= h >>> 13;
  }
  return h;
}

function sameVector(a: Float64Array, b: Float64Array, n: number): boolean {
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The set bits of a bitset (nodes < `nodes`) in circular order from `start`: `next()` gives one
 * node after another, −1 at the end. Zero words are skipped 32 nodes at a time; no allocation.
 */
export class BitCursor {
  private bits: Uint32Array = new Uint32Array(0);
  private nodes = 0;
  private words = 0;
  private w0 = 0;
  private low = 0;
  /** Words taken so far (0 = the first, from `start`; `words` = the first word again, below `start`). */
  private i = 0;
  private w = 0;
  private x = 0;

  reset(bits: Uint32Array, nodes: number, start: number): void {
    this.bits = bits;
    this.nodes = nodes;
    this.words = Math.ceil(nodes / 32);
    this.w0 = start >>> 5;
    this.low = start & 31;
    this.i = 0;
    this.w = this.w0;
    this.x = this.words === 0 ? 0 : (bits[this.w0] >>> this.low) << this.low;
    if (this.words === 0) this.i = 1;
  }

  next(): number {
    for (;;) {
      if (this.x !== 0) {
        const x = this.x;
        const b = 31 - Math.clz32(x & -x);
        this.x = x & (x - 1);
        const node = (this.w << 5) + b;
        if (node < this.nodes) return node;
        continue;
      }
      if (this.i >= this.words) return -1;
      this.i++;
      this.w = (this.w0 + this.i) % this.words;
      if (this.i === this.words) this.x = this.low === 0 ? 0 : this.bits[this.w0] & ((1 << this.low) - 1);
      else this.x = this.bits[this.w];
    }
  }
}
