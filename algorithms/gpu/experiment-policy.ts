import { TargetWorkload } from './fragmentation.js';
import type { GpuPodSet } from '../../model/gpu-pod-set.js';
import { ArgMax, tieRanks, type GpuPolicy, type GpuPolicyContext, type GpuPolicyModule } from './policy.js';
import { createGpuScorer, type GpuPolicyKind } from './scorer-kinds.js';
import { emptyShape, isShare, type GpuTaskShape } from './task-gpu-shape.js';

/**
 * The FGD experiment's driver for the six policies (Weng et al., ATC'23 §6.1): every node of the
 * GpuCluster that fits the pod (CPU, memory, GPU model, devices) is scored by the policy's scorer
 * (scorers.ts, fgd-scorer.ts — the same ones the replay adapter uses) and the best wins; a share pod
 * goes on the device the scorer assumed (FGD), else the policy's pick (random) or the best-fitting
 * device. Random picks a uniformly random feasible node by reservoir sampling; the others break
 * equal scores by `tieBreak` (policy.ts). FGD's target workload M is the pods expected to arrive
 * (`workload`), known in advance as in the paper, cut at `coverage` (fragmentation.ts).
 */
const DESCRIPTIONS: Record<GpuPolicyKind, string> = {
  random: 'uniformly random feasible node and device',
  'best-fit': 'node with the least CPU+GPU left after placement; best-fitting device',
  'dot-product': 'node minimizing <free (CPU, GPU), demand>; best-fitting device',
  'gpu-packing': 'used devices first, then used nodes, then idle nodes (smallest first)',
  'gpu-clustering': 'pods of one GPU type together; fuller nodes first within a tier',
  fgd: "least growth of expected GPU fragmentation w.r.t. the workload (Weng et al., ATC'23)",
};

/** Pod i of `pods` as a task shape (fills `out`). */
function podShape(pods: GpuPodSet, i: number, out: GpuTaskShape): GpuTaskShape {
  out.cpu = pods.cpu[i];
  out.milli = pods.gpuMilli[i];
  out.count = pods.gpuCount[i];
  out.total = out.milli * out.count;
  out.models = pods.spec[i] >= 0 ? pods.specs[pods.spec[i]] : undefined;
  return out;
}

export function experimentGpuPolicy(kind: GpuPolicyKind, options: { coverage?: number } = {}): GpuPolicyModule {
  return {
    name: kind,
    description: DESCRIPTIONS[kind],
    create({ cluster, pods, access, rng, workload, tieBreak, scoring }: GpuPolicyContext): GpuPolicy {
      const target = kind === 'fgd' ? { workload: TargetWorkload.fromPods(pods, cluster.models, workload, options.coverage ?? 0.95) } : undefined;
      const scorer = createGpuScorer(kind, { devices: cluster, rng, scoring: scoring ?? 'kube' }, target);
      const best = scorer.randomTies ? undefined : new ArgMax(rng, scorer.eps, tieRanks(tieBreak, cluster.n, rng));
      const s = emptyShape();
      const n = cluster.n;
      const cpuFree = cluster.cpuFree;
      return {
        name: kind,
        gpu: -1,
        select(i) {
          podShape(pods, i, s);
          scorer.prepare?.(i, s);
          let chosen = -1;
          let gpu = -1;
          if (best === undefined) {
            // every feasible node ties: reservoir sampling
            let seen = 0;
            for (let node = 0; node < n; node++) {
              if (cluster.fits(pods, access, i, node) && rng.int(++seen) === 0) chosen = node;
            }
          } else {
            best.reset();
            for (let node = 0; node < n; node++) {
              if (!cluster.fits(pods, access, i, node)) continue;
              best.offer(scorer.score(node, s, cpuFree[node]), node, scorer.device);
            }
            chosen = best.node;
            gpu = best.gpu;
          }
          if (chosen >= 0 && gpu < 0 && isShare(s)) gpu = scorer.pickDevice?.(chosen, s) ?? cluster.bestFitDevice(chosen, s.milli);
          this.gpu = gpu;
          return chosen;
        },
      };
    },
  };
}
