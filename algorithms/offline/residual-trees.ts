/**
 * Index structures over bin residual capacities for one-dimensional packing in O(log bins) per item.
 *
 * - MaxSegmentTree: a tournament tree (Johnson, "Fast algorithms for bin packing", JCSS 8, 1974,
 *   uses the same idea for First Fit in O(n log n)) over bins in opening order; "leftmost bin with
 *   residual >= s" is one root-to-leaf descent. Bins not yet opened hold the full capacity, so the
 *   leftmost fitting leaf is either an open bin or exactly the next bin to open.
 * - ResidualTreap: a randomized search tree (Seidel & Aragon, "Randomized search trees",
 *   Algorithmica 16, 1996) keyed by (residual, bin index) for Best Fit ("smallest residual >= s,
 *   lowest bin index among equals") and Worst Fit ("largest residual, lowest bin index among
 *   equals"). Priorities come from a fixed-seed xorshift, so runs are deterministic.
 */
export class MaxSegmentTree {
  readonly size: number;
  private readonly t: Float64Array;

  constructor(leaves: number, initial: number) {
    let s = 1;
    while (s < Math.max(1, leaves)) s <<= 1;
    this.size = s;
    this.t = new Float64Array(2 * s).fill(initial);
    // Leaves beyond `leaves` hold `initial` too; callers never have more than `leaves` bins.
  }

  get(i: number): number {
    return this.t[this.size + i];
  }

  set(i: number, v: number): void {
    const t = this.t;
    let p = this.size + i;
    t[p] = v;
    p >>= 1;
    while (p >= 1) {
      const a = t[2 * p];
      const b = t[2 * p + 1];
      const m = a > b ? a : b;
      if (t[p] === m) break;
      t[p] = m;
      p >>= 1;
    }
  }

  /** Leftmost leaf with value >= s, or -1. */
  leftmostAtLeast(s: number): number {
    const t = this.t;
    if (t[1] < s) return -1;
    let p = 1;
    while (p < this.size) {
      p <<= 1;
      if (t[p] < s) p++;
    }
    return p - this.size;
  }
}

export class ResidualTreap {
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  private readonly prio: Uint32Array;
  readonly key: Float64Array;
  private root = -1;
  private seed = 0x9e3779b9;

  constructor(capacity: number) {
    this.left = new Int32Array(capacity).fill(-1);
    this.right = new Int32Array(capacity).fill(-1);
    this.prio = new Uint32Array(capacity);
    this.key = new Float64Array(capacity);
  }

  private rand(): number {
    let x = this.seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.seed = x >>> 0;
    return this.seed;
  }

  /** (key[a], a) < (k, id) */
  private less(a: number, k: number, id: number): boolean {
    const ka = this.key[a];
    return ka < k || (ka === k && a < id);
  }

  /** Splits t into (< (k,id)) and (>= (k,id)); results in splitL / splitR. */
  private splitL = -1;
  private splitR = -1;
  private split(t: number, k: number, id: number): void {
    if (t < 0) {
      this.splitL = -1;
      this.splitR = -1;
      return;
    }
    if (this.less(t, k, id)) {
      this.split(this.right[t], k, id);
      this.right[t] = this.splitL;
      this.splitL = t;
    } else {
      this.split(this.left[t], k, id);
      this.left[t] = this.splitR;
      this.splitR = t;
    }
  }

  private merge(a: number, b: number): number {
    if (a < 0) return b;
    if (b < 0) return a;
    if (this.prio[a] > this.prio[b]) {
      this.right[a] = this.merge(this.right[a], b);
      return a;
    }
    this.left[b] = this.merge(a, this.left[b]);
    return b;
  }

  /** Inserts bin `id` with residual `k` (id must not be present). */
  insert(id: number, k: number): void {
    this.key[id] = k;
    this.left[id] = -1;
    this.right[id] = -1;
    this.prio[id] = this.rand();
    this.split(this.root, k, id);
    const l = this.splitL;
    const r = this.splitR;
    this.root = this.merge(this.merge(l, id), r);
  }

  /** Removes bin `id` (must be present). */
  remove(id: number): void {
    const k = this.key[id];
    this.split(this.root, k, id);
    const l = this.splitL;
    const r = this.splitR; // r's minimum is id
    this.split(r, k, id + 1);
    const r2 = this.splitR;
    this.root = this.merge(l, r2);
  }

  /** Bin with the smallest residual >= s (lowest index among equal residuals), or -1. */
  ceiling(s: number): number {
    let t = this.root;
    let best = -1;
    while (t >= 0) {
      if (this.key[t] >= s) {
        best = t;
        t = this.left[t];
      } else t = this.right[t];
    }
    return best;
  }

  /** Largest residual present, or -Infinity when empty. */
  maxKey(): number {
    let t = this.root;
    if (t < 0) return -Infinity;
    while (this.right[t] >= 0) t = this.right[t];
    return this.key[t];
  }
}
