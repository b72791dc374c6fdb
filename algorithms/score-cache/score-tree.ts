/** Nodes per leaf block: scanned in order instead of descended (two cache lines of scores). */
const BLOCK = 16;
const BLOCK_SHIFT = 4;
/** Values per tree slot: max, feasible count, at-max, blocks not yet scored (a slot pair fills one cache line). */
const STRIDE = 4;

/**
 * Scores of one request shape on every node slot: per node its score when the shape fits there
 * (−Infinity when it does not: down, cordoned, too little free), and above them a segment tree
 * whose slots keep, for their nodes, the number of feasible ones, their highest score and how many
 * reach it. That is what a sampling scorer needs to decide without visiting the sample
 * (scored-policy.ts): where the window of `want` feasible nodes from a start position ends (k-th
 * feasible node, circular), the best score in that window and how many nodes tie at it, and the
 * j-th of those in node order — each O(log n).
 *
 * The tree's leaves are blocks of 16 nodes, whose scores are scanned in order (contiguous memory)
 * rather than descended, and a slot's three values sit side by side: an update or a query touches
 * about one cache line per level. Setting one node costs a block scan and O(log n) slots (stopping
 * where an ancestor comes out unchanged); setting all of them, O(n).
 *
 * Lazily scored (`forget`): a block may be unknown — not yet scored since the tree was (re)started —
 * counted in its slot's fourth value and left out of every figure (no feasible node, no score). The
 * owner scores a block when a decision's window reaches it (`markKnownRange` after `setLeaf` on its
 * nodes), so a tree costs what the windows it answers cover, never more than one full scoring;
 * `firstUnknownBlock` finds the next block still to score.
 *
 * A NaN score is stored as −Infinity: a scorer's comparison `s > best` never picks NaN either.
 * Memory: per node slot 8 bytes of score, 1 of feasibility, 4 of tree; per block 1 byte.
 */
export class ScoreTree {
  /** Node slots: a power of two ≥ the node capacity (and ≥ one block). */
  readonly leaves: number;
  /** Tree leaves (blocks); slot b + blocks holds block b, slot 1 the root. */
  private readonly blocks: number;
  private readonly score: Float64Array;
  private readonly feasible: Uint8Array;
  /** Per block: 1 once scored (every block of a tree made eagerly), 0 while unknown. */
  private readonly known: Uint8Array;
  /** slot * STRIDE: highest score, feasible count, leaves at the highest score, unknown blocks. */
  private readonly tree: Float64Array;
  /** The change-log sequence number this tree reflects (maintained by its owner). */
  syncedSeq = 0;
  /** Result of the last max query: the highest score and how many nodes reach it. */
  queryMax = -Infinity;
  queryAtMax = 0;
  /** Remaining rank while searching for the j-th node at the max. */
  private rank = 0;

  constructor(capacity: number) {
    this.leaves = ScoreTree.slotsFor(capacity);
    this.blocks = this.leaves >> BLOCK_SHIFT;
    this.score = new Float64Array(this.leaves).fill(-Infinity);
    this.feasible = new Uint8Array(this.leaves);
    this.known = new Uint8Array(this.blocks).fill(1);
    this.tree = new Float64Array(2 * this.blocks * STRIDE);
    this.finishBuild();
  }

  private static slotsFor(capacity: number): number {
    let L = BLOCK;
    while (L < capacity) L *= 2;
    return L;
  }

  /** Bytes held by a tree for `capacity` nodes. */
  static bytesFor(capacity: number): number {
    const L = ScoreTree.slotsFor(capacity);
    return L * 9 + (L >> BLOCK_SHIFT) + 2 * (L >> BLOCK_SHIFT) * STRIDE * 8;
  }

  get bytes(): number {
    return ScoreTree.bytesFor(this.leaves);
  }

  /** Feasible nodes in the whole tree (in its scored blocks). */
  get feasibleCount(): number {
    return this.tree[STRIDE + 1];
  }

  /** Blocks not yet scored. */
  get unknownBlocks(): number {
    return this.tree[STRIDE + 3];
  }

  /** Nodes per block (the unit `markKnownRange` counts in). */
  static readonly BLOCK = BLOCK;

  /** Has the block holding `node` been scored? */
  isKnown(node: number): boolean {
    return this.known[node >> BLOCK_SHIFT] === 1;
  }

  /** Every block unknown, every node infeasible: a lazy (re)start, O(n / BLOCK) tree slots. */
  forget(): void {
    this.score.fill(-Infinity);
    this.feasible.fill(0);
    this.known.fill(0);
    this.finishBuild();
  }

  /** Has block `b` been scored? */
  isBlockKnown(b: number): boolean {
    return this.known[b] === 1;
  }

  /**
   * Blocks [b0, b1) are set (`setLeaf` on their nodes): they count from now on, and the tree above
   * them is updated once, level by level — O(b1 − b0 + log n) instead of a walk to the root per block.
   */
  markKnownRange(b0: number, b1: number): void {
    if (b0 >= b1) return;
    for (let b = b0; b < b1; b++) {
      this.known[b] = 1;
      this.sumBlock(b + this.blocks);
    }
    for (let lo = (b0 + this.blocks) >> 1, hi = (b1 - 1 + this.blocks) >> 1; lo >= 1; lo >>= 1, hi >>= 1) {
      for (let slot = lo; slot <= hi; slot++) this.pull(slot);
    }
  }

  /** Feasible nodes among the set leaves [lo, hi), by scanning them (a range within one block, known or being scored). */
  countIn(lo: number, hi: number): number {
    const f = this.feasible;
    let n = 0;
    for (let i = lo; i < hi; i++) n += f[i];
    return n;
  }

  /** The k-th feasible node (from 0) among the leaves [lo, hi), by scanning them; -1 when fewer. */
  kthIn(lo: number, hi: number, k: number): number {
    const f = this.feasible;
    for (let i = lo; i < hi; i++) if (f[i] === 1 && k-- === 0) return i;
    return -1;
  }

  /** The first unknown block at or after block `from` and before block `to`, or -1. */
  firstUnknownBlock(from: number, to: number): number {
    if (from >= to || this.tree[STRIDE + 3] === 0) return -1;
    return this.findUnknown(1, 0, this.blocks, from, to);
  }

  private findUnknown(slot: number, lo: number, hi: number, from: number, to: number): number {
    if (hi <= from || lo >= to || this.tree[slot * STRIDE + 3] === 0) return -1;
    if (slot >= this.blocks) return lo;
    const mid = (lo + hi) >> 1;
    const left = this.findUnknown(2 * slot, lo, mid, from, to);
    return left >= 0 ? left : this.findUnknown(2 * slot + 1, mid, hi, from, to);
  }

  /** Sets one node's score and the tree above it (its block must be known); `feasible` false ignores `score`. */
  set(node: number, feasible: boolean, score: number): void {
    // Stryker disable next-line EqualityOperator: `score === score` is false only for NaN.
    const s = feasible && score === score ? score : -Infinity;
    const f = feasible ? 1 : 0;
    const old = this.score[node];
    const oldF = this.feasible[node];
    if (old === s && oldF === f) return;
    this.score[node] = s;
    this.feasible[node] = f;
    let slot = (node >> BLOCK_SHIFT) + this.blocks;
    // The block's figures from its old ones where that is enough; a scan only when its one node at
    // the maximum went down.
    const t = this.tree;
    const o = slot * STRIDE;
    const m = t[o];
    const c = t[o + 2];
    const n = t[o + 1] - oldF + f;
    let changed: boolean;
    if (s > m) changed = this.write(slot, s, n, 1, 0);
    else if (s === m) changed = this.write(slot, m, n, old === m ? c : c + 1, 0);
    else if (old !== m) changed = this.write(slot, m, n, c, 0);
    else if (c > 1) changed = this.write(slot, m, n, c - 1, 0);
    else changed = this.sumBlock(slot);
    if (!changed) return;
    for (slot >>= 1; slot >= 1 && this.pull(slot); slot >>= 1);
  }

  /** Marks every node infeasible and every block known, without updating the tree (an eager rebuild's first step). */
  clear(): void {
    this.score.fill(-Infinity);
    this.feasible.fill(0);
    this.known.fill(1);
  }

  /** Sets a node's score without updating the tree: call `finishBuild` after the last one. */
  setLeaf(node: number, feasible: boolean, score: number): void {
    this.score[node] = feasible && score === score ? score : -Infinity;
    this.feasible[node] = feasible ? 1 : 0;
  }

  /** Recomputes every block and tree slot from the scores, bottom up. */
  finishBuild(): void {
    for (let slot = this.blocks; slot < 2 * this.blocks; slot++) this.sumBlock(slot);
    for (let slot = this.blocks - 1; slot >= 1; slot--) this.pull(slot);
  }

  /** Feasible nodes at positions [0, pos). */
  countBefore(pos: number): number {
    if (pos <= 0) return 0;
    if (pos >= this.leaves) return this.feasibleCount;
    const b = pos >> BLOCK_SHIFT;
    let sum = 0;
    // Blocks [0, b) through the tree, then the start of block b.
    let slot = 1;
    let lo = 0;
    let hi = this.blocks;
    const t = this.tree;
    while (slot < this.blocks && b > lo) {
      const mid = (lo + hi) >> 1;
      if (b >= mid) {
        sum += t[2 * slot * STRIDE + 1];
        slot = 2 * slot + 1;
        lo = mid;
      } else {
        slot = 2 * slot;
        hi = mid;
      }
    }
    const f = this.feasible;
    for (let i = b << BLOCK_SHIFT; i < pos; i++) sum += f[i];
    return sum;
  }

  /** Node of the k-th feasible node in node order (k from 0; -1 when k ≥ feasibleCount). */
  kth(k: number): number {
    if (k < 0 || k >= this.feasibleCount) return -1;
    const t = this.tree;
    let slot = 1;
    while (slot < this.blocks) {
      const left = t[2 * slot * STRIDE + 1];
      if (k < left) slot = 2 * slot;
      else {
        k -= left;
        slot = 2 * slot + 1;
      }
    }
    const f = this.feasible;
    const first = (slot - this.blocks) << BLOCK_SHIFT;
    for (let i = first; i < first + BLOCK; i++) {
      if (f[i] === 1 && k-- === 0) return i;
    }
    return -1;
  }

  /** Node of the k-th feasible node at or after `start`, circularly (k from 0; -1 when k ≥ feasibleCount). */
  kthFrom(start: number, k: number): number {
    const total = this.feasibleCount;
    if (k < 0 || k >= total) return -1;
    let i = this.countBefore(start) + k;
    if (i >= total) i -= total;
    return this.kth(i);
  }

  /**
   * Highest score and how many nodes reach it over the circular range from `from`: [from, to) when
   * `wrap` is false, else [from, end) ∪ [0, to). Result in `queryMax`, `queryAtMax`.
   */
  maxOver(from: number, to: number, wrap: boolean): void {
    this.queryMax = -Infinity;
    this.queryAtMax = 0;
    if (wrap) {
      this.addRange(from, this.leaves);
      this.addRange(0, to);
    } else this.addRange(from, to);
  }

  /**
   * Node of the j-th node (from 0, in node order along the range) scoring exactly `m` over the same
   * circular range as maxOver; -1 when there are not that many. `m` must be the range's maximum.
   */
  nthAtMax(from: number, to: number, wrap: boolean, m: number, j: number): number {
    this.rank = j;
    if (!wrap) return this.findRange(from, to, m);
    const first = this.findRange(from, this.leaves, m);
    return first >= 0 ? first : this.findRange(0, to, m);
  }

  /** Folds the linear range [lo, hi) into queryMax / queryAtMax: partial blocks scanned, whole ones from the tree. */
  private addRange(lo: number, hi: number): void {
    if (hi > this.leaves) hi = this.leaves;
    if (lo >= hi) return;
    const bl = (lo + BLOCK - 1) >> BLOCK_SHIFT;
    const bh = hi >> BLOCK_SHIFT;
    if (bl >= bh) {
      this.foldNodes(lo, hi);
      return;
    }
    this.foldNodes(lo, bl << BLOCK_SHIFT);
    let l = bl + this.blocks;
    let r = bh + this.blocks;
    while (l < r) {
      if (l & 1) this.foldSlot(l++);
      if (r & 1) this.foldSlot(--r);
      l >>= 1;
      r >>= 1;
    }
    this.foldNodes(bh << BLOCK_SHIFT, hi);
  }

  private foldNodes(lo: number, hi: number): void {
    const sc = this.score;
    for (let i = lo; i < hi; i++) {
      const s = sc[i];
      if (s > this.queryMax) {
        this.queryMax = s;
        this.queryAtMax = 1;
      } else if (s === this.queryMax) this.queryAtMax++;
    }
  }

  private foldSlot(slot: number): void {
    const m = this.tree[slot * STRIDE];
    if (m > this.queryMax) {
      this.queryMax = m;
      this.queryAtMax = this.tree[slot * STRIDE + 2];
    } else if (m === this.queryMax) this.queryAtMax += this.tree[slot * STRIDE + 2];
  }

  /** The rank-th node scoring `m` in the linear range [lo, hi), in node order; -1 (rank reduced) if not there. */
  private findRange(lo: number, hi: number, m: number): number {
    if (hi > this.leaves) hi = this.leaves;
    if (lo >= hi) return -1;
    const bl = (lo + BLOCK - 1) >> BLOCK_SHIFT;
    const bh = hi >> BLOCK_SHIFT;
    if (bl >= bh) return this.findNodes(lo, hi, m);
    let found = this.findNodes(lo, bl << BLOCK_SHIFT, m);
    if (found >= 0) return found;
    found = this.findBlocks(1, 0, this.blocks, bl, bh, m);
    if (found >= 0) return found;
    return this.findNodes(bh << BLOCK_SHIFT, hi, m);
  }

  private findNodes(lo: number, hi: number, m: number): number {
    const sc = this.score;
    for (let i = lo; i < hi; i++) {
      if (sc[i] === m && this.rank-- === 0) return i;
    }
    return -1;
  }

  /** Over the blocks [from, to) below `slot` (covering blocks [lo, hi)). */
  private findBlocks(slot: number, lo: number, hi: number, from: number, to: number, m: number): number {
    const t = this.tree;
    if (hi <= from || lo >= to || t[slot * STRIDE] < m) return -1;
    if (from <= lo && hi <= to) {
      const here = t[slot * STRIDE + 2];
      if (t[slot * STRIDE] !== m || this.rank >= here) {
        if (t[slot * STRIDE] === m) this.rank -= here;
        return -1;
      }
      // Wholly inside and holding the answer: walk down by rank, then scan the block.
      while (slot < this.blocks) {
        const left = 2 * slot;
        if (t[left * STRIDE] === m) {
          const n = t[left * STRIDE + 2];
          if (this.rank < n) {
            slot = left;
            continue;
          }
          this.rank -= n;
        }
        slot = left + 1;
      }
      const first = (slot - this.blocks) << BLOCK_SHIFT;
      return this.findNodes(first, first + BLOCK, m);
    }
    const mid = (lo + hi) >> 1;
    const found = this.findBlocks(2 * slot, lo, mid, from, to, m);
    return found >= 0 ? found : this.findBlocks(2 * slot + 1, mid, hi, from, to, m);
  }

  /** Recomputes a block's slot from its nodes (nothing while it is unknown); returns whether anything changed. */
  private sumBlock(slot: number): boolean {
    if (this.known[slot - this.blocks] === 0) return this.write(slot, -Infinity, 0, 0, 1);
    const first = (slot - this.blocks) << BLOCK_SHIFT;
    const sc = this.score;
    const f = this.feasible;
    let m = -Infinity;
    let c = 0;
    let n = 0;
    for (let i = first; i < first + BLOCK; i++) {
      const s = sc[i];
      n += f[i];
      if (s > m) {
        m = s;
        c = 1;
      } else if (s === m) c++;
    }
    return this.write(slot, m, n, c, 0);
  }

  /** Recomputes an inner slot from its children; returns whether anything changed. */
  private pull(slot: number): boolean {
    const t = this.tree;
    const l = 2 * slot * STRIDE;
    const r = l + STRIDE;
    const ml = t[l];
    const mr = t[r];
    let m: number;
    let c: number;
    if (ml > mr) {
      m = ml;
      c = t[l + 2];
    } else if (mr > ml) {
      m = mr;
      c = t[r + 2];
    } else {
      m = ml;
      c = t[l + 2] + t[r + 2];
    }
    return this.write(slot, m, t[l + 1] + t[r + 1], c, t[l + 3] + t[r + 3]);
  }

  private write(slot: number, m: number, n: number, c: number, u: number): boolean {
    const t = this.tree;
    const o = slot * STRIDE;
    if (t[o] === m && t[o + 1] === n && t[o + 2] === c && t[o + 3] === u) return false;
    t[o] = m;
    t[o + 1] = n;
    t[o + 2] = c;
    t[o + 3] = u;
    return true;
  }
}
