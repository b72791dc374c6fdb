import type { ClusterView, NodeChangeLog } from '../../model/cluster-view.js';
import type { TaskView } from '../../model/task-view.js';
import { ScoreTree } from './score-tree.js';
import { sameShape, shapeHash } from './shape-key.js';

/** What the cache did, for reports and tests. */
export interface ScoreCacheStats {
  /** Decisions that asked for a tree (the cache applied: no filter, no constraints, a change log). */
  lookups: number;
  /** Decisions answered from a tree (counted by the policy that used it). */
  hits: number;
  /** Trees built (first build of a shape, or again after it was evicted). */
  builds: number;
  /** Trees started over in place (the backlog was too long to replay). */
  rebuilds: number;
  /** Blocks of nodes scored as decisions' windows reached them. */
  blocksScored: number;
  /** Of those, blocks the feasibility index showed to hold no node the shape fits (not scanned). */
  blocksSkipped: number;
  /** Nodes rescored from the change log. */
  refreshed: number;
  /** Scorer calls made by the cache (trees filled, nodes rescored). */
  scored: number;
  /** Trees evicted to stay within the memory budget (least recently used first). */
  evicted: number;
}

export interface ScoreCacheOptions {
  /** Bytes of trees kept at most, summed over shapes (default 64 MiB). */
  budgetBytes?: number;
  /** A shape gets a tree at its n-th ask in a row (default 3): one-off shapes stay on the plain path. */
  buildAfter?: number;
  /**
   * What else the score reads of the task, as a small whole number (scored-policy.ts
   * ScorerTraits.shapeClass): tasks of one shape and different classes get different trees.
   */
  classOf?: (task: TaskView) => number;
}

const DEFAULT_BUDGET = 64 * 1024 * 1024;
const DEFAULT_BUILD_AFTER = 3;
/** Shapes remembered without a tree before the tree-less ones are forgotten. */
const MAX_SHAPES = 1 << 16;
/**
 * A tree replays at most this many plain decisions' worth of changes (and never more than an eighth
 * of the nodes, past which rescoring it whole is cheaper): replaying a change costs about what
 * scoring one sampled node does, and a tree kept alive spares the decisions after it.
 */
const REPLAY_DECISIONS = 4;
/** Released trees kept for reuse. */
const MAX_SPARE = 8;

/** One request shape: its key, how often it was asked lately, and its tree once it has one. */
class ShapeEntry {
  /** Next entry with the same hash. */
  chain: ShapeEntry | undefined;
  asks = 0;
  /** Change-log sequence number at its last ask. */
  lastAskSeq = 0;
  tree: ScoreTree | undefined;
  /** LRU neighbours among the entries holding a tree (newer, older). */
  newer: ShapeEntry | undefined;
  older: ShapeEntry | undefined;

  constructor(
    readonly request: Float64Array,
    readonly missing: boolean,
    readonly cls: number,
    readonly hash: number,
  ) {}
}

/**
 * Borg's equivalence-class score cache (Verma et al., EuroSys'15 §3.4; ../shared/docs/models.md,
 * Borg): Borg keeps a machine's score until the machine or the task changes, and scores once per
 * equivalence class — the tasks with identical requirements, usually the tasks of one job. A class here is a request shape — the request vector and whether the
 * request was missing — so tasks of one job share it, and so do other jobs asking the same. Each
 * hot shape keeps a ScoreTree over every node; before a decision the tree replays the cluster's
 * change log since it was last used, rescoring only the nodes that changed (each once), with the
 * scorer itself on the cluster as it is then, so a cached score is bit-identical to a fresh one.
 * Trees are scored lazily: a new (or restarted) tree knows no block, and `windowEnd` scores the
 * blocks a decision's window reaches, in window order, so a shape asked a few times costs what
 * those decisions' samples cover, not a scoring of every node; changes to unscored blocks cost
 * nothing (they are scored fresh when reached).
 *
 * Only for scorers whose score is a pure function of the task's shape and the node's own
 * reservation state (scored-policy.ts ScorerTraits.cacheable). Costs are kept below the plain
 * decision they replace: a shape gets a tree only at its `buildAfter`-th ask in a row (asks further
 * apart than the replay limit do not count as in a row); a backlog longer than a few plain
 * decisions' samples (REPLAY_DECISIONS, or an eighth of the nodes) is not replayed — the tree starts
 * over (unknown blocks, scored again as windows reach them, which costs what plain decisions'
 * samples would). Trees beyond the memory budget go least recently used first.
 * Allocation happens only when a tree is built; a lookup of the last shape compares its amounts.
 */
export class ScoreCache {
  readonly stats: ScoreCacheStats = { lookups: 0, hits: 0, builds: 0, rebuilds: 0, blocksScored: 0, blocksSkipped: 0, refreshed: 0, scored: 0, evicted: 0 };
  private readonly budget: number;
  private readonly buildAfter: number;
  private readonly classOf: ((task: TaskView) => number) | undefined;
  private readonly shapes = new Map<number, ShapeEntry>();
  private shapeCount = 0;
  private last: ShapeEntry | undefined;
  /** Most and least recently used entries holding a tree. */
  private newest: ShapeEntry | undefined;
  private oldest: ShapeEntry | undefined;
  /** Bytes of trees held, in use or spare. */
  private bytes = 0;
  /** Trees taken from shapes, ready for the next build. */
  private readonly spare: ScoreTree[] = [];
  /** Per node: the sync that last rescored it, so a node logged many times is rescored once. */
  private stamp = new Int32Array(0);
  private epoch = 0;

  constructor(
    private readonly score: (node: number, task: TaskView, cluster: ClusterView) => number,
    private readonly prepare: ((task: TaskView, cluster: ClusterView) => void) | undefined,
    options: ScoreCacheOptions = {},
  ) {
    this.budget = options.budgetBytes ?? DEFAULT_BUDGET;
    this.buildAfter = Math.max(1, options.buildAfter ?? DEFAULT_BUILD_AFTER);
    this.classOf = options.classOf;
  }

  /** Bytes of trees held now. */
  get heldBytes(): number {
    return this.bytes;
  }

  /**
   * The tree of `task`'s shape, brought up to `log.seq`, or undefined when this decision should
   * take the plain path. `want` is the plain decision's sample size (its cost, in scored nodes).
   * The cluster's filter must be unset and the task unconstrained.
   */
  treeFor(task: TaskView, cluster: ClusterView, log: NodeChangeLog, want: number): ScoreTree | undefined {
    this.stats.lookups++;
    const entry = this.entryFor(task.request, task.missingRequest, this.classOf === undefined ? 0 : this.classOf(task));
    const n = cluster.nodeCount;
    // Changes a decision may replay: about what a plain decision costs, and less than a rebuild.
    const limit = Math.min(want * REPLAY_DECISIONS, n >> 3, log.entries.length);
    const seq = log.seq;
    entry.asks = seq - entry.lastAskSeq <= limit ? entry.asks + 1 : 1;
    entry.lastAskSeq = seq;
    let tree = entry.tree;
    if (tree === undefined) {
      if (entry.asks < this.buildAfter) return undefined;
      tree = this.build(entry, task, cluster, log);
      if (tree === undefined) return undefined;
    } else {
      this.touch(entry);
      const backlog = seq - tree.syncedSeq;
      if (tree.leaves < n) {
        // More node slots than the tree has: a bigger tree.
        this.release(entry);
        tree = this.build(entry, task, cluster, log);
        if (tree === undefined) return undefined;
      } else if (backlog > limit) {
        // Cheaper to start over than to replay: the windows rescore what they reach.
        tree.forget();
        tree.syncedSeq = seq;
        this.stats.rebuilds++;
      } else if (backlog > 0) this.replay(tree, task, cluster, log);
    }
    return tree;
  }

  /** Rescores the nodes logged since the tree's sync, each once. */
  private replay(tree: ScoreTree, task: TaskView, cluster: ClusterView, log: NodeChangeLog): void {
    this.prepare?.(task, cluster);
    const req = task.request;
    const entries = log.entries;
    const mask = log.mask;
    if (this.stamp.length < tree.leaves) this.stamp = new Int32Array(tree.leaves);
    if (++this.epoch === 0x7fffffff) {
      this.stamp.fill(0);
      this.epoch = 1;
    }
    const epoch = this.epoch;
    const stamp = this.stamp;
    const score = this.score;
    let refreshed = 0;
    let scored = 0;
    for (let i = tree.syncedSeq, end = log.seq; i < end; i++) {
      const node = entries[i & mask];
      if (stamp[node] === epoch) continue;
      stamp[node] = epoch;
      // Not scored yet: it will be scored as it is when a window reaches it.
      if (!tree.isKnown(node)) continue;
      refreshed++;
      if (cluster.fits(node, req)) {
        scored++;
        tree.set(node, true, score(node, task, cluster));
      } else tree.set(node, false, 0);
    }
    this.stats.refreshed += refreshed;
    this.stats.scored += scored;
    tree.syncedSeq = log.seq;
  }

  /** A tree for the entry (a spare one when there is one), scored whole; undefined when it cannot fit the budget. */
  private build(entry: ShapeEntry, task: TaskView, cluster: ClusterView, log: NodeChangeLog): ScoreTree | undefined {
    const n = cluster.nodeCount;
    const size = ScoreTree.bytesFor(n);
    if (size > this.budget) return undefined;
    let tree = this.takeSpare(n);
    while (tree === undefined && this.bytes + size > this.budget && this.oldest !== undefined) {
      this.stats.evicted++;
      this.release(this.oldest);
      tree = this.takeSpare(n);
    }
    if (tree === undefined) {
      tree = new ScoreTree(n);
      this.bytes += tree.bytes;
    }
    tree.forget();
    tree.syncedSeq = log.seq;
    entry.tree = tree;
    this.link(entry);
    this.stats.builds++;
    return tree;
  }

  /** A released tree large enough for `n` nodes (forget() clears it), or undefined (smaller ones are let go). */
  private takeSpare(n: number): ScoreTree | undefined {
    while (this.spare.length > 0) {
      const t = this.spare.pop()!;
      if (t.leaves >= n) return t;
      this.bytes -= t.bytes;
    }
    return undefined;
  }

  /**
   * The last node of the decision's window — the `want`-th feasible node circularly from `from` —
   * scoring the unknown blocks on the way, in window order; -1 when fewer than `want` nodes are
   * feasible (then every block has been scored). The tree must be synced (treeFor).
   */
  windowEnd(tree: ScoreTree, task: TaskView, cluster: ClusterView, from: number, want: number): number {
    this.prepared = false;
    this.need = want;
    const end = this.span(tree, task, cluster, from, Math.min(cluster.nodeCount, tree.leaves));
    if (end >= 0) return end;
    return this.span(tree, task, cluster, 0, from);
  }

  /** Feasible nodes still to find in the current windowEnd. */
  private need = 0;
  /** Has `prepare` run for the current windowEnd's task? */
  private prepared = false;

  /**
   * windowEnd over the linear range [lo, hi): the node where `need` runs out, or -1 (need reduced).
   * Known stretches are counted through the tree; a run of unknown blocks is scored in order,
   * counted as it is scored, and joins the tree once at the end of the run (markKnownRange).
   */
  private span(tree: ScoreTree, task: TaskView, cluster: ClusterView, lo: number, hi: number): number {
    const B = ScoreTree.BLOCK;
    const lastBlock = Math.ceil(hi / B);
    while (lo < hi) {
      const ub = tree.firstUnknownBlock(Math.floor(lo / B), lastBlock);
      const knownEnd = ub < 0 ? hi : Math.max(lo, Math.min(hi, ub * B));
      if (knownEnd > lo) {
        const before = tree.countBefore(lo);
        const c = tree.countBefore(knownEnd) - before;
        if (c >= this.need) return tree.kth(before + this.need - 1);
        this.need -= c;
        lo = knownEnd;
      }
      if (ub < 0) continue;
      let b = ub;
      let found = -1;
      while (b < lastBlock && !tree.isBlockKnown(b)) {
        this.scoreBlock(tree, task, cluster, b);
        const end = Math.min(hi, (b + 1) * B);
        b++;
        const c = tree.countIn(lo, end);
        if (c >= this.need) {
          found = tree.kthIn(lo, end, this.need - 1);
          break;
        }
        this.need -= c;
        lo = end;
      }
      tree.markKnownRange(ub, b);
      if (found >= 0) return found;
    }
    return -1;
  }

  /** Sets block `b`'s nodes as the cluster is now (the caller marks it known). */
  private scoreBlock(tree: ScoreTree, task: TaskView, cluster: ClusterView, b: number): void {
    if (!this.prepared) {
      this.prepare?.(task, cluster);
      this.prepared = true;
    }
    const req = task.request;
    const score = this.score;
    const first = b * ScoreTree.BLOCK;
    const end = Math.min(first + ScoreTree.BLOCK, cluster.nodeCount);
    this.stats.blocksScored++;
    // On a full cluster most blocks hold no node the shape fits: the feasibility index says so at once.
    if (cluster.mayFitIn !== undefined && !cluster.mayFitIn(first, end, req)) {
      this.stats.blocksSkipped++;
      return;
    }
    let scored = 0;
    for (let node = first; node < end; node++) {
      if (cluster.fits(node, req)) {
        tree.setLeaf(node, true, score(node, task, cluster));
        scored++;
      }
    }
    this.stats.scored += scored;
  }

  private entryFor(request: Float64Array, missing: boolean, cls: number): ShapeEntry {
    const last = this.last;
    if (last !== undefined && last.cls === cls && sameShape(last.request, last.missing, request, missing)) return last;
    const hash = cls === 0 ? shapeHash(request, missing) : Math.imul(shapeHash(request, missing) ^ cls, 0x01000193) | 0;
    let e = this.shapes.get(hash);
    while (e !== undefined && !(e.cls === cls && sameShape(e.request, e.missing, request, missing))) e = e.chain;
    if (e === undefined) {
      if (this.shapeCount >= MAX_SHAPES) this.forgetTreeless();
      e = new ShapeEntry(Float64Array.from(request), missing, cls, hash);
      e.chain = this.shapes.get(hash);
      this.shapes.set(hash, e);
      this.shapeCount++;
    }
    this.last = e;
    return e;
  }

  /** Forgets every shape without a tree (their ask counts start over). */
  private forgetTreeless(): void {
    const kept: ShapeEntry[] = [];
    for (let e = this.newest; e !== undefined; e = e.older) kept.push(e);
    this.shapes.clear();
    this.shapeCount = 0;
    for (const e of kept) {
      e.chain = this.shapes.get(e.hash);
      this.shapes.set(e.hash, e);
      this.shapeCount++;
    }
    if (this.last !== undefined && this.last.tree === undefined) this.last = undefined;
  }

  /** Takes the entry's tree away; it is kept for the next build (a few at most) to spare the allocation. */
  private release(entry: ShapeEntry): void {
    const tree = entry.tree;
    if (tree === undefined) return;
    entry.tree = undefined;
    this.unlink(entry);
    if (this.spare.length < MAX_SPARE) this.spare.push(tree);
    else this.bytes -= tree.bytes;
  }

  private touch(entry: ShapeEntry): void {
    if (this.newest === entry) return;
    this.unlink(entry);
    this.link(entry);
  }

  /** Puts the entry at the newest end of the LRU list. */
  private link(entry: ShapeEntry): void {
    entry.older = this.newest;
    entry.newer = undefined;
    if (this.newest !== undefined) this.newest.newer = entry;
    this.newest = entry;
    if (this.oldest === undefined) this.oldest = entry;
  }

  private unlink(entry: ShapeEntry): void {
    if (entry.newer !== undefined) entry.newer.older = entry.older;
    else if (this.newest === entry) this.newest = entry.older;
    if (entry.older !== undefined) entry.older.newer = entry.newer;
    else if (this.oldest === entry) this.oldest = entry.newer;
    entry.newer = undefined;
    entry.older = undefined;
  }
}
