/**
 * Feasibility index over nodes: a segment tree holding, for every subtree, the largest free amount
 * in each resource dimension. A search descends only into subtrees whose maxima cover the request,
 * so finding feasible nodes costs O(found · D · log n) instead of a scan of every node — the same
 * goal as Borg's and kube-scheduler's indexes (Verma et al., EuroSys'15 §3.4).
 *
 * Per-dimension maxima alone prune badly on a full, fragmented cluster: one node has CPU left,
 * another memory, none both, and the descent backtracks through most of the tree. So for one pair
 * of dimensions (CPU and memory) each subtree also keeps conditional maxima: the largest free CPU
 * among its nodes with at least T_j memory free, and the largest free memory among nodes with at
 * least U_j CPU free, for thresholds halving from half the first node's size. A request for m
 * memory may only descend where the max CPU among nodes with ≥ T_j ≤ m memory covers its CPU —
 * still a necessary condition (those nodes include every node with m free), so the search stays
 * exact, but far tighter. That holds only while every block's conditional maxima are computed
 * against the current thresholds, so setting them (`calibrate`) recomputes every block from its
 * nodes' stored free amounts; nodes added before any node had both CPU and memory free are included.
 *
 * The tree's leaves are blocks of 16 nodes; each node's free amounts are kept exactly beside the
 * tree, in node order. A search scans a block's nodes; a change to one node recomputes its block
 * from them and climbs only while an ancestor's maxima change — about half the memory traffic of
 * per-node leaves, whose conditional maxima filled two cache lines per level.
 */
export class NodeIndex {
  readonly dims: number;
  /** Node slots: a power of two ≥ the capacity and ≥ one block. */
  private leaves: number;
  /** Blocks of BLOCK nodes; tree slot blocks + b holds block b, slot 1 the root. */
  private blocks: number;
  /** Each node's free amounts, exact: free[node * dims + d]; -Infinity marks a node that is down. */
  private free: Float64Array;
  /** max free per dim per tree slot: tree[slot * dims + d], over the blocks below the slot. */
  private tree: Float64Array;
  /** The conditioned pair: dimension a (CPU) and b (memory); -1 when the index has one dimension. */
  private readonly a: number;
  private readonly b: number;
  /** cond[slot * 2K + j]: max free a among nodes with free b ≥ tb[j]; [.. + K + j]: max free b with free a ≥ ta[j]. */
  private cond: Float64Array;
  private readonly tb = new Float64Array(THRESHOLDS);
  private readonly ta = new Float64Array(THRESHOLDS);
  /** Until set, searches ignore `cond` (its contents are not maintained). */
  private thresholdsSet = false;
  /** A block's maxima while it is summed (no allocation per update). */
  private readonly blockMax: Float64Array;
  private readonly blockCond = new Float64Array(2 * THRESHOLDS);
  /** A node's free amounts before the change being applied. */
  private readonly oldFree: Float64Array;

  /** `pair`: the two dimensions to condition on (ignored with a single dimension). */
  constructor(dims: number, capacity: number, pair: [number, number] = [0, 1]) {
    this.dims = dims;
    this.leaves = slotsFor(capacity);
    this.blocks = this.leaves >> BLOCK_SHIFT;
    this.free = new Float64Array(this.leaves * dims).fill(-Infinity);
    this.tree = new Float64Array(2 * this.blocks * dims).fill(-Infinity);
    this.blockMax = new Float64Array(dims);
    this.oldFree = new Float64Array(dims);
    const [pa, pb] = pair;
    const paired = dims >= 2;
    if (paired && !(pa >= 0 && pa < dims && pb >= 0 && pb < dims && pa !== pb)) {
      throw new RangeError(`index pair [${pa}, ${pb}] must name two different dimensions of ${dims}`);
    }
    this.a = paired ? pa : -1;
    this.b = paired ? pb : -1;
    this.cond = new Float64Array(paired ? 2 * this.blocks * 2 * THRESHOLDS : 0);
  }

  /** Grows to hold at least `capacity` nodes, keeping the current values. */
  ensureCapacity(capacity: number): void {
    if (capacity <= this.leaves) return;
    const old = this.free;
    this.leaves = slotsFor(capacity);
    this.blocks = this.leaves >> BLOCK_SHIFT;
    const D = this.dims;
    this.free = new Float64Array(this.leaves * D).fill(-Infinity);
    this.free.set(old);
    this.tree = new Float64Array(2 * this.blocks * D).fill(-Infinity);
    if (this.a >= 0) this.cond = new Float64Array(2 * this.blocks * 2 * THRESHOLDS);
    this.rebuild();
  }

  /** Sets node's free vector (from free[off .. off+dims)); -Infinity marks a node that is down. */
  update(node: number, free: Float64Array, off: number): void {
    const D = this.dims;
    const f = this.free;
    const old = this.oldFree;
    const o = node * D;
    for (let d = 0; d < D; d++) {
      old[d] = f[o + d];
      f[o + d] = free[off + d];
    }
    this.nodeChanged(node);
  }

  /** Marks a node as never feasible (down or removed). */
  disable(node: number): void {
    const D = this.dims;
    const f = this.free;
    const o = node * D;
    for (let d = 0; d < D; d++) {
      this.oldFree[d] = f[o + d];
      f[o + d] = -Infinity;
    }
    this.nodeChanged(node);
  }

  /**
   * Sets the thresholds to halve from half of (`sizeA`, `sizeB`) and recomputes every conditional
   * maximum from the nodes' free amounts: O(n · K), done once when the first node with both
   * dimensions free arrives, or when a caller rescales to a more typical node. A no-op without a
   * conditioned pair; sizes must be positive.
   */
  calibrate(sizeA: number, sizeB: number): void {
    if (!(sizeA > 0 && sizeB > 0)) throw new RangeError(`index thresholds need positive sizes, got ${sizeA} and ${sizeB}`);
    // Stryker disable next-line ConditionalExpression: without a pair, searches never read the thresholds or cond.
    if (this.a < 0) return;
    // 1/2, 1/4, ... 1/2^K of the node.
    for (let j = 0; j < THRESHOLDS; j++) {
      this.ta[j] = sizeA / 2 ** (j + 1);
      this.tb[j] = sizeB / 2 ** (j + 1);
    }
    this.thresholdsSet = true;
    this.preparedA = Number.NaN;
    this.preparedB = Number.NaN;
    this.rebuild();
  }

  /** Could any node fit `req`, judging by the root's maxima? (Necessary, not sufficient.) */
  mayFit(req: Float64Array): boolean {
    this.prepare(req);
    return this.covers(1, req);
  }

  /**
   * Could any node in [lo, hi) fit `req`, judging by the maxima of the blocks holding them?
   * (Necessary, not sufficient: false means none fits.) O(blocks in the range); for a caller
   * walking the cluster a block at a time (the score cache's lazy trees).
   */
  mayFitIn(req: Float64Array, lo: number, hi: number): boolean {
    if (lo >= hi) return false;
    this.prepare(req);
    for (let slot = (lo >> BLOCK_SHIFT) + this.blocks, end = ((hi - 1) >> BLOCK_SHIFT) + this.blocks; slot <= end; slot++) {
      if (this.covers(slot, req)) return true;
    }
    return false;
  }

  /**
   * Collects up to `limit` nodes that fit `req`, in circular node order from `start`, into `out`.
   * Returns the count found; `this.lastStop` is the position after the last node examined, so a
   * caller can resume the next search there (kube-scheduler's nextStartNodeIndex).
   */
  collect(req: Float64Array, start: number, limit: number, nodeCount: number, out: Int32Array): number {
    this.found = 0;
    this.limit = limit;
    this.out = out;
    this.req = req;
    this.lastStop = start;
    this.examined = 0;
    this.prepare(req);
    this.visit(1, 0, this.leaves, start, nodeCount);
    this.visit(1, 0, this.leaves, 0, start);
    if (this.found < limit) this.lastStop = start;
    this.out = EMPTY;
    return this.found;
  }

  lastStop = 0;
  /**
   * Work of the last collect(): subtrees entered plus nodes compared. The index's promise is that
   * this stays near found · log n, not n (tests check it; a search that scanned everything would
   * still return the right nodes, only slowly).
   */
  examined = 0;
  private found = 0;
  private limit = 0;
  private out: Int32Array = EMPTY;
  private req: Float64Array = EMPTY_F;
  /** For the current request: which conditional maxima to check (-1 = none). */
  private jb = -1;
  private ja = -1;
  /** The request amounts jb / ja were picked for (NaN: none; reset when the thresholds change). */
  private preparedA = Number.NaN;
  private preparedB = Number.NaN;

  /** Picks, for this request, the largest thresholds not above its memory and CPU amounts. */
  private prepare(req: Float64Array): void {
    if (!this.thresholdsSet) {
      this.jb = -1;
      this.ja = -1;
      return;
    }
    const rb = req[this.b];
    const ra = req[this.a];
    // The same amounts as the last request (a score-cache window asks block after block): same thresholds.
    if (ra === this.preparedA && rb === this.preparedB) return;
    this.preparedA = ra;
    this.preparedB = rb;
    this.jb = -1;
    this.ja = -1;
    for (let j = 0; j < THRESHOLDS; j++) {
      if (this.tb[j] <= rb) {
        this.jb = j;
        break;
      }
    }
    for (let j = 0; j < THRESHOLDS; j++) {
      if (this.ta[j] <= ra) {
        this.ja = j;
        break;
      }
    }
  }

  private visit(slot: number, lo: number, hi: number, from: number, to: number): void {
    if (hi <= from || lo >= to || this.found >= this.limit) return;
    this.examined++;
    if (!this.covers(slot, this.req)) return;
    if (slot >= this.blocks) {
      this.scanNodes(lo > from ? lo : from, hi < to ? hi : to);
      return;
    }
    const mid = (lo + hi) >> 1;
    this.visit(2 * slot, lo, mid, from, to);
    this.visit(2 * slot + 1, mid, hi, from, to);
  }

  /**
   * A block's nodes are checked in order (contiguous free amounts). The search state lives in
   * locals while scanning (written back once), and the usual three dimensions (CPU, memory, GPU)
   * are compared without an inner loop.
   */
  private scanNodes(from: number, to: number): void {
    const D = this.dims;
    const f = this.free;
    const req = this.req;
    const out = this.out;
    const limit = this.limit;
    let found = this.found;
    let last = -1;
    this.examined += to - from;
    let base = from * D;
    if (D === 3) {
      const r0 = req[0];
      const r1 = req[1];
      const r2 = req[2];
      for (let node = from; node < to; node++, base += 3) {
        if (f[base] < r0 || f[base + 1] < r1 || f[base + 2] < r2) continue;
        out[found++] = node;
        last = node;
        if (found >= limit) break;
      }
    } else {
      for (let node = from; node < to; node++, base += D) {
        let fits = true;
        // Stryker disable next-line EqualityOperator: at d = D, req[D] is undefined and the comparison is false.
        for (let d = 0; d < D; d++) {
          if (f[base + d] < req[d]) {
            fits = false;
            break;
          }
        }
        if (!fits) continue;
        out[found++] = node;
        last = node;
        if (found >= limit) break;
      }
    }
    this.found = found;
    if (last >= 0) this.lastStop = last + 1;
  }

  private covers(slot: number, req: Float64Array): boolean {
    const D = this.dims;
    const base = slot * D;
    const t = this.tree;
    // Stryker disable next-line EqualityOperator: at d = D, req[D] is undefined and the comparison is false.
    for (let d = 0; d < D; d++) if (t[base + d] < req[d]) return false;
    const c = slot * 2 * THRESHOLDS;
    if (this.jb >= 0 && this.cond[c + this.jb] < req[this.a]) return false;
    if (this.ja >= 0 && this.cond[c + THRESHOLDS + this.ja] < req[this.b]) return false;
    return true;
  }

  /**
   * After a node's free amounts changed (the previous ones in `oldFree`): its block's maxima, then
   * the block's ancestors. A block value is rescanned from the block's nodes only when this node
   * held it and went below it; otherwise the new amount alone decides (a rise can only raise the
   * maximum, a fall of a node below the maximum cannot change it).
   */
  private nodeChanged(node: number): void {
    const D = this.dims;
    const f = this.free;
    const o = node * D;
    if (this.a >= 0 && !this.thresholdsSet) {
      const fa = f[o + this.a];
      const fb = f[o + this.b];
      // No thresholds yet: the first node with both free sets them, and calibrate recomputes every
      // block, this one's and those of all added before it, and every ancestor.
      if (fa > 0 && fb > 0) return this.calibrate(fa, fb);
    }
    const slot = (node >> BLOCK_SHIFT) + this.blocks;
    const first = (slot - this.blocks) << BLOCK_SHIFT;
    const old = this.oldFree;
    const t = this.tree;
    const s = slot * D;
    let changed = false;
    for (let d = 0; d < D; d++) {
      const nv = f[o + d];
      const ov = old[d];
      const m = t[s + d];
      if (nv > m) {
        t[s + d] = nv;
        changed = true;
      } else if (nv < ov && ov === m) {
        let x = -Infinity;
        for (let i = first * D + d, e = (first + BLOCK) * D; i < e; i += D) if (f[i] > x) x = f[i];
        if (x !== m) {
          t[s + d] = x;
          changed = true;
        }
      }
    }
    if (this.thresholdsSet && this.condChanged(slot, first, f[o + this.a], f[o + this.b], old[this.a], old[this.b])) changed = true;
    if (!changed) return;
    // Stop climbing once a subtree's maxima come out unchanged: its ancestors cannot change either.
    // Stryker disable next-line ConditionalExpression: slot 0 is unused; pull(0) finds it unchanged the second time and stops.
    for (let p = slot >> 1; p >= 1 && this.pull(p); p >>= 1);
  }

  /**
   * The block's conditional maxima after one node went from (oa, ob) to (na, nb) free: what the
   * node offers each maximum before and after (its free a when its free b reaches tb[j], and the
   * other way round), rescanning a maximum only when the node held it and offers less now.
   */
  private condChanged(slot: number, first: number, na: number, nb: number, oa: number, ob: number): boolean {
    const K = THRESHOLDS;
    const cond = this.cond;
    const c = slot * 2 * K;
    const ta = this.ta;
    const tb = this.tb;
    let changed = false;
    for (let j = 0; j < K; j++) {
      const now = nb >= tb[j] ? na : -Infinity;
      const before = ob >= tb[j] ? oa : -Infinity;
      const m = cond[c + j];
      if (now > m) {
        cond[c + j] = now;
        changed = true;
      } else if (now < before && before === m) {
        const x = this.rescanCond(first, this.b, tb[j], this.a);
        if (x !== m) {
          cond[c + j] = x;
          changed = true;
        }
      }
      const nowB = na >= ta[j] ? nb : -Infinity;
      const beforeB = oa >= ta[j] ? ob : -Infinity;
      const mB = cond[c + K + j];
      if (nowB > mB) {
        cond[c + K + j] = nowB;
        changed = true;
      } else if (nowB < beforeB && beforeB === mB) {
        const x = this.rescanCond(first, this.a, ta[j], this.b);
        if (x !== mB) {
          cond[c + K + j] = x;
          changed = true;
        }
      }
    }
    return changed;
  }

  /** Over a block's nodes: the largest free `of` among those with free `by` ≥ `threshold`. */
  private rescanCond(first: number, by: number, threshold: number, of: number): number {
    const D = this.dims;
    const f = this.free;
    let x = -Infinity;
    for (let o = first * D, e = (first + BLOCK) * D; o < e; o += D) if (f[o + by] >= threshold && f[o + of] > x) x = f[o + of];
    return x;
  }

  /** Every block (with its conditional maxima once thresholds exist), then every inner slot, bottom up. */
  private rebuild(): void {
    for (let slot = this.blocks; slot < 2 * this.blocks; slot++) this.sumBlock(slot);
    for (let slot = this.blocks - 1; slot >= 1; slot--) this.pull(slot);
  }

  /**
   * Recomputes a block's slot from its nodes' free amounts: per dimension the maximum, and (with
   * thresholds) the conditional maxima; returns whether any value changed. A node with free b at
   * least tb[j] counts for cond[j] (the thresholds fall with j, so it counts for every j from the
   * first it reaches).
   */
  private sumBlock(slot: number): boolean {
    const D = this.dims;
    const f = this.free;
    const mx = this.blockMax;
    mx.fill(-Infinity);
    const first = (slot - this.blocks) << BLOCK_SHIFT;
    const end = first + BLOCK;
    for (let node = first, o = first * D; node < end; node++, o += D) {
      for (let d = 0; d < D; d++) {
        const v = f[o + d];
        if (v > mx[d]) mx[d] = v;
      }
    }
    const t = this.tree;
    const s = slot * D;
    let changed = false;
    for (let d = 0; d < D; d++) {
      if (t[s + d] !== mx[d]) {
        t[s + d] = mx[d];
        changed = true;
      }
    }
    if (!this.thresholdsSet) return changed;
    const K = THRESHOLDS;
    const bc = this.blockCond;
    bc.fill(-Infinity);
    const a = this.a;
    const b = this.b;
    const ta = this.ta;
    const tb = this.tb;
    for (let node = first, o = first * D; node < end; node++, o += D) {
      const fa = f[o + a];
      const fb = f[o + b];
      let j = 0;
      while (j < K && fb < tb[j]) j++;
      for (; j < K; j++) if (fa > bc[j]) bc[j] = fa;
      j = 0;
      while (j < K && fa < ta[j]) j++;
      for (; j < K; j++) if (fb > bc[K + j]) bc[K + j] = fb;
    }
    const cond = this.cond;
    const c = slot * 2 * K;
    for (let j = 0; j < 2 * K; j++) {
      if (cond[c + j] !== bc[j]) {
        cond[c + j] = bc[j];
        changed = true;
      }
    }
    return changed;
  }

  /** Recomputes an inner slot's maxima from its children; returns whether any value changed. */
  private pull(slot: number): boolean {
    const D = this.dims;
    const t = this.tree;
    const a = 2 * slot * D;
    const b = (2 * slot + 1) * D;
    const s = slot * D;
    let changed = false;
    for (let d = 0; d < D; d++) {
      const x = t[a + d];
      const y = t[b + d];
      // Stryker disable next-line EqualityOperator: x >= y picks the same maximum.
      const m = x > y ? x : y;
      if (t[s + d] !== m) {
        t[s + d] = m;
        changed = true;
      }
    }
    if (this.thresholdsSet) {
      const C = 2 * THRESHOLDS;
      const cond = this.cond;
      const l = 2 * slot * C;
      const r = (2 * slot + 1) * C;
      const o = slot * C;
      for (let j = 0; j < C; j++) {
        const x = cond[l + j];
        const y = cond[r + j];
        // Stryker disable next-line EqualityOperator: x >= y picks the same maximum.
        const m = x > y ? x : y;
        if (cond[o + j] !== m) {
          cond[o + j] = m;
          changed = true;
        }
      }
    }
    return changed;
  }
}

/** Node slots for a capacity: a power of two, at least one block. */
function slotsFor(capacity: number): number {
  let n = BLOCK;
  while (n < capacity) n *= 2;
  return n;
}

/** Conditional maxima kept per direction: thresholds from 1/2 down to 1/256 of a node. */
const THRESHOLDS = 8;
/**
 * Nodes per block, the tree's leaves: a block's nodes are scanned in order (their free amounts are
 * contiguous) rather than descended, and an update recomputes its block from them (one or two
 * cache lines) instead of climbing four more levels of per-node maxima.
 */
const BLOCK = 16;
const BLOCK_SHIFT = 4;
const EMPTY = new Int32Array(0);
const EMPTY_F = new Float64Array(0);
