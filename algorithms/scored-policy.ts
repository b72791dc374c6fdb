import type { ClusterView } from '../model/cluster-view.js';
import type { Policy, PolicyOptions } from './policy.js';
import type { TaskView } from '../model/task-view.js';
import { numFeasibleNodesToFind } from './nodes-to-score.js';
import { ScoreCache, type ScoreCacheStats } from './score-cache/score-cache.js';
import type { ScoreTree } from './score-cache/score-tree.js';

/** Scores one feasible node for a task; higher is better. */
export type NodeScorer = (node: number, task: TaskView, cluster: ClusterView) => number;

/** What a scorer declares about itself. */
export interface ScorerTraits {
  /**
   * The score is a pure function of the task's request vector and missing-request flag and of the
   * node's own reservation state (allocatable, requested, free, capacity, or state the policy keeps
   * per node and changes only when a task binds to or leaves that node), with nothing cluster-wide,
   * no usage and no `prepare` that reads changing cluster state. Such scores may be cached per
   * request shape and refreshed only for the nodes that changed (algorithms/score-cache/).
   */
  cacheable?: boolean;
  /**
   * For a cacheable scorer whose score also reads something fixed of the task beyond its request
   * (the learned scorer's priority band and QoS one-hots): that as a small whole number. Tasks of
   * one request shape and different classes are cached apart, so cached scores stay exact.
   */
  shapeClass?: (task: TaskView) => number;
}

/** A scoring policy, with what its score cache did (absent when the scorer is not cacheable or the cache is off). */
export type ScoredPolicy = Policy & { readonly scoreCache?: ScoreCacheStats };

/**
 * The shape shared by scoring policies (kube-scheduler's filter → score → select): collect a sample
 * of feasible nodes (see nodes-to-score.ts: `want = numFeasibleNodesToFind(upCount, pct)` nodes in
 * circular order from where the previous search stopped, all of them when fewer are feasible),
 * score each, pick the highest.
 *
 * Ties: with c > 1 nodes at the best score, one draw j = rng.int(c) picks the j-th of them in
 * sample order — uniform over the tied nodes, the same distribution as kube-scheduler's selectHost
 * (which reservoir-samples them, as this code did until the score cache), on a different random
 * stream. One draw per decision is what a cached decision can reproduce without visiting the
 * sample.
 *
 * Score cache (PolicyOptions.scoreCache, default on): for a cacheable scorer (ScorerTraits), on a
 * view with a change log, no per-task filter set and a task without constraints, the sample is not
 * visited: a per-shape score tree (score-cache/score-cache.ts, Borg's equivalence classes, Verma et
 * al., EuroSys'15 §3.4) finds where the window of `want` feasible nodes ends, its best score, how
 * many nodes tie there and the j-th of them. Same window, same end position, same scores (the same
 * function on the same inputs), same draw: the same node as the plain path, decision by decision.
 */
export function scoredPolicy(
  name: string,
  options: PolicyOptions,
  score: NodeScorer,
  /** Called once per decision before scoring, to hoist per-task work out of the node loop. */
  prepare?: (task: TaskView, cluster: ClusterView) => void,
  traits: ScorerTraits = {},
): ScoredPolicy {
  const rng = options.rng;
  let candidates = new Int32Array(0);
  let scores = new Float64Array(0);
  let nextStart = 0;
  const cache = traits.cacheable && options.scoreCache !== false ? new ScoreCache(score, prepare, { classOf: traits.shapeClass }) : undefined;

  /** The plain path: collect the sample through the feasibility index and score each node. */
  const plain = (task: TaskView, cluster: ClusterView, want: number): number => {
    if (candidates.length < want) {
      candidates = new Int32Array(want);
      scores = new Float64Array(want);
    }
    const found = cluster.feasible(task.request, nextStart, want, candidates);
    nextStart = cluster.lastStop();
    if (found > 0 && prepare) prepare(task, cluster);
    let best = -1;
    let bestScore = -Infinity;
    let ties = 0;
    for (let i = 0; i < found; i++) {
      const node = candidates[i];
      const s = score(node, task, cluster);
      scores[i] = s;
      if (s > bestScore) {
        bestScore = s;
        best = node;
        ties = 1;
      } else if (s === bestScore) ties++;
    }
    if (ties > 1) {
      let j = rng.int(ties);
      for (let i = 0; i < found; i++) {
        if (scores[i] === bestScore && j-- === 0) {
          best = candidates[i];
          break;
        }
      }
    }
    return best;
  };

  /**
   * The same decision from the shape's score tree, given where its window ends (`last`, from
   * ScoreCache.windowEnd; -1 when fewer than `want` nodes are feasible: then all of them,
   * circularly from `from`, and the start stays).
   */
  const cached = (tree: ScoreTree, last: number): number => {
    const from = nextStart;
    let to = from;
    let wrap = true;
    if (last >= 0) {
      wrap = last < from;
      to = last + 1;
      nextStart = to;
    }
    tree.maxOver(from, to, wrap);
    const m = tree.queryMax;
    if (m === -Infinity) return -1;
    const c = tree.queryAtMax;
    return tree.nthAtMax(from, to, wrap, m, c > 1 ? rng.int(c) : 0);
  };

  return {
    name,
    scoreCache: cache?.stats,
    select(task: TaskView, cluster: ClusterView): number {
      const want = numFeasibleNodesToFind(cluster.upCount, options.percentageOfNodesToScore);
      if (nextStart >= cluster.nodeCount) nextStart = 0;
      const log = cluster.changeLog;
      if (cache !== undefined && log !== undefined && want > 0 && cluster.filter === undefined && task.constraints === undefined) {
        const tree = cache.treeFor(task, cluster, log, want);
        if (tree !== undefined) {
          const last = cache.windowEnd(tree, task, cluster, nextStart, want);
          // No feasible node: the plain search answers too (and the cluster remembers it for anyRoom).
          if (last >= 0 || tree.feasibleCount > 0) {
            cache.stats.hits++;
            return cached(tree, last);
          }
        }
      }
      return plain(task, cluster, want);
    },
  };
}
