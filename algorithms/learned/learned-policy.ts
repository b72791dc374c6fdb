import type { ClusterView } from '../../model/cluster-view.js';
import type { TaskView } from '../../model/task-view.js';
import type { PolicyModule } from '../policy.js';
import { scoredPolicy } from '../scored-policy.js';
import type { LearnedModel } from './model-file.js';
import { taskFeatureClass } from './placement-features.js';
import { PlacementScorer } from './placement-scorer.js';

/**
 * The learned placement policy: kube's filter → score → select (scored-policy.ts) with the trained
 * network as the scorer. Feasibility and the adaptive sample come from the cluster's index (never a
 * scan of all nodes); each sampled node is scored from its state by placement-scorer.ts (no feature
 * row is written), the task-only features' share once per decision (`prepare`).
 * Cacheable: the score reads the request, the node's reservation state (free, requested, running
 * count) and the task's band and QoS, which the score cache keys on as well (taskFeatureClass).
 */
export function learnedPolicy(model: LearnedModel, name = 'learned'): PolicyModule {
  const where = model.training.backend ? `, trained on ${model.training.backend}` : '';
  return {
    name,
    description: `learned scorer network (${model.layers.map((l) => l.inputs).join(' → ')} → 1, ReLU${where}) ranking the sampled feasible nodes`,
    create(options) {
      const net = new PlacementScorer(model.layers);
      const prepare = (task: TaskView, cluster: ClusterView): void => net.prepare(task, cluster);
      const score = (node: number, task: TaskView, cluster: ClusterView): number => net.score(node, task, cluster);
      return scoredPolicy(name, options, score, prepare, { cacheable: true, shapeClass: taskFeatureClass });
    },
  };
}
