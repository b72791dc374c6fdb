import type { ClusterView } from '../model/cluster-view.js';
import type { Policy, PolicyOptions } from './policy.js';
import type { TaskView } from '../model/task-view.js';
import { numFeasibleNodesToFind } from './nodes-to-score.js';

/** Scores one feasible node for a task; higher is better. */
export type NodeScorer = (node: number, task: TaskView, cluster: ClusterView) => number;

/**
 * The shape shared by scoring policies (kube-scheduler's filter → score → select): collect a sample
 * of feasible nodes (see nodes-to-score.ts), score each, pick the highest; ties are broken uniformly
 * at random by reservoir sampling, as kube-scheduler's selectHost does.
 */
export function scoredPolicy(
  name: string,
  options: PolicyOptions,
  score: NodeScorer,
  /** Called once per decision before scoring, to hoist per-task work out of the node loop. */
  prepare?: (task: TaskView, cluster: ClusterView) => void,
): Policy {
  const rng = options.rng;
  let candidates = new Int32Array(0);
  let nextStart = 0;
  return {
    name,
    select(task: TaskView, cluster: ClusterView): number {
      const want = numFeasibleNodesToFind(cluster.upCount, options.percentageOfNodesToScore);
      if (candidates.length < want) candidates = new Int32Array(want);
      if (nextStart >= cluster.nodeCount) nextStart = 0;
      const found = cluster.feasible(task.request, nextStart, want, candidates);
      nextStart = cluster.lastStop();
      if (found > 0 && prepare) prepare(task, cluster);
      let best = -1;
      let bestScore = -Infinity;
      let ties = 0;
      for (let i = 0; i < found; i++) {
        const node = candidates[i];
        const s = score(node, task, cluster);
        if (s > bestScore) {
          bestScore = s;
          best = node;
          ties = 1;
        } else if (s === bestScore) {
          ties++;
          if (rng.int(ties) === 0) best = node;
        }
      }
      return best;
    },
  };
}
