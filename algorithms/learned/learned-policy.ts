import type { ClusterView } from '../../model/cluster-view.js';
import type { TaskView } from '../../model/task-view.js';
import type { PolicyModule } from '../policy.js';
import { scoredPolicy } from '../scored-policy.js';
import { MlpForward } from './mlp.js';
import type { LearnedModel } from './model-file.js';
import { FEATURE_COUNT, featureDims, taskFeatureClass, writeNodeFeatures, writeTaskFeatures, type FeatureDims } from './placement-features.js';

/**
 * The learned placement policy: kube's filter → score → select (scored-policy.ts) with the trained
 * network as the scorer. Feasibility and the adaptive sample come from the cluster's index (never a
 * scan of all nodes); each sampled node's features are written into one reused row and scored by
 * the plain-JS forward pass (mlp.ts), the task-only features once per decision (`prepare`).
 * Cacheable: the score reads the request, the node's reservation state (free, requested, running
 * count) and the task's band and QoS, which the score cache keys on as well (taskFeatureClass).
 */
export function learnedPolicy(model: LearnedModel, name = 'learned'): PolicyModule {
  const where = model.training.backend ? `, trained on ${model.training.backend}` : '';
  return {
    name,
    description: `learned scorer network (${model.layers.map((l) => l.inputs).join(' → ')} → 1, ReLU${where}) ranking the sampled feasible nodes`,
    create(options) {
      const net = new MlpForward(model.layers);
      const row = new Float32Array(FEATURE_COUNT);
      let dims: FeatureDims = Int32Array.of(-1, -1, -1);
      let dimsOf: unknown;
      const prepare = (task: TaskView, cluster: ClusterView): void => {
        if (dimsOf !== cluster.resources) {
          dims = featureDims(cluster);
          dimsOf = cluster.resources;
        }
        writeTaskFeatures(task, row, 0);
      };
      const score = (node: number, task: TaskView, cluster: ClusterView): number => {
        writeNodeFeatures(task, node, cluster, dims, row, 0);
        return net.score(row, 0);
      };
      return scoredPolicy(name, options, score, prepare, { cacheable: true, shapeClass: taskFeatureClass });
    },
  };
}
