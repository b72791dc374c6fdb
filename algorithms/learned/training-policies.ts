import type { ClusterView } from '../../model/cluster-view.js';
import type { TaskView } from '../../model/task-view.js';
import type { Rng } from '../../model/rng.js';
import type { Policy, PolicyModule } from '../policy.js';
import { numFeasibleNodesToFind } from '../nodes-to-score.js';
import { CandidateSets, subsample } from './candidate-sets.js';
import type { MlpForward } from './mlp.js';
import { FEATURE_COUNT, copyTaskFeatures, featureDims, writeNodeFeatures, writeTaskFeatures, type FeatureDims } from './placement-features.js';

/** Writes the feature rows of candidates[order[0..n)] for `task` into `sets` (after reserve). */
function writeRows(sets: CandidateSets, task: TaskView, cluster: ClusterView, dims: FeatureDims, candidates: Int32Array, order: Int32Array, n: number): number {
  const at = sets.reserve(n);
  const f = sets.features;
  writeTaskFeatures(task, f, at);
  for (let i = 0; i < n; i++) {
    if (i > 0) copyTaskFeatures(f, at, f, at + i * FEATURE_COUNT);
    writeNodeFeatures(task, candidates[order[i]], cluster, dims, f, at + i * FEATURE_COUNT);
  }
  return at;
}

/** Forwards the optional hooks of `inner` (stateful teachers see every bind and unbind). */
function withHooks(p: Policy, inner: Policy): Policy {
  if (inner.onBind) p.onBind = inner.onBind.bind(inner);
  if (inner.onUnbind) p.onUnbind = inner.onUnbind.bind(inner);
  if (inner.unschedulableReasons) p.unschedulableReasons = inner.unschedulableReasons.bind(inner);
  if (inner.admitsIgnoringResources) p.admitsIgnoringResources = inner.admitsIgnoringResources.bind(inner);
  return p;
}

/**
 * A teacher policy that records its decisions for imitation: after `inner` picks a node, every
 * feasible node is a candidate (at most MAX_CANDIDATES, the chosen one always kept) and the sample
 * says which one the teacher took. Decisions with a single candidate teach nothing and are skipped.
 */
export function recordingPolicy(inner: PolicyModule, sets: CandidateSets, episode: number, rng: Rng): PolicyModule {
  return {
    name: inner.name,
    description: `${inner.name}, recorded for imitation`,
    create(options) {
      const p = inner.create(options);
      let candidates = new Int32Array(0);
      let order = new Int32Array(0);
      let dims: FeatureDims = Int32Array.of(-1, -1, -1);
      return withHooks(
        {
          name: p.name,
          select(task, cluster) {
            const node = p.select(task, cluster);
            if (node < 0) return node;
            if (candidates.length < cluster.nodeCount) {
              candidates = new Int32Array(cluster.nodeCount);
              order = new Int32Array(cluster.nodeCount);
              dims = featureDims(cluster);
            }
            const found = cluster.feasible(task.request, 0, cluster.nodeCount, candidates);
            const keep = candidates.subarray(0, found).indexOf(node);
            if (found < 2 || keep < 0) return node;
            const n = subsample(found, keep, rng, order);
            writeRows(sets, task, cluster, dims, candidates, order, n);
            sets.commit(n, order.subarray(0, n).indexOf(keep), episode);
            return node;
          },
        },
        p,
      );
    },
  };
}

/** The network the stochastic policy samples from; replaced between REINFORCE updates. */
export interface NetHolder {
  net: MlpForward;
}

/**
 * The stochastic policy of REINFORCE (Williams 1992): on kube's sample of feasible nodes
 * (numFeasibleNodesToFind, resuming where the last search stopped, as scored-policy.ts does; at
 * most MAX_CANDIDATES of it, a uniform subset), π(node) = softmax(score) over the candidates, one
 * node drawn with `rng`. Every decision with two or more candidates is recorded with the draw.
 */
export function samplingPolicy(holder: NetHolder, sets: CandidateSets, episode: number, rng: Rng): PolicyModule {
  return {
    name: 'learned-sampling',
    description: 'softmax over the learned scores (REINFORCE episodes)',
    create(options) {
      let candidates = new Int32Array(0);
      let order = new Int32Array(0);
      let probs = new Float64Array(0);
      let dims: FeatureDims = Int32Array.of(-1, -1, -1);
      let nextStart = 0;
      return {
        name: 'learned-sampling',
        select(task, cluster) {
          const want = numFeasibleNodesToFind(cluster.upCount, options.percentageOfNodesToScore);
          if (candidates.length < want) {
            candidates = new Int32Array(want);
            order = new Int32Array(want);
            probs = new Float64Array(want);
            dims = featureDims(cluster);
          }
          if (nextStart >= cluster.nodeCount) nextStart = 0;
          const found = cluster.feasible(task.request, nextStart, want, candidates);
          nextStart = cluster.lastStop();
          if (found === 0) return -1;
          if (found === 1) return candidates[0];
          const n = subsample(found, rng.int(found), rng, order);
          const at = writeRows(sets, task, cluster, dims, candidates, order, n);
          const net = holder.net;
          let max = -Infinity;
          for (let i = 0; i < n; i++) {
            probs[i] = net.score(sets.features, at + i * FEATURE_COUNT);
            if (probs[i] > max) max = probs[i];
          }
          let sum = 0;
          for (let i = 0; i < n; i++) sum += probs[i] = Math.exp(probs[i] - max);
          let u = rng.next() * sum;
          let pick = n - 1;
          for (let i = 0; i < n; i++) {
            u -= probs[i];
            if (u < 0) {
              pick = i;
              break;
            }
          }
          sets.commit(n, pick, episode);
          return candidates[order[pick]];
        },
      };
    },
  };
}
