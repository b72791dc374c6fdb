import { isSharePod, podGpuType } from './gpu-cluster.js';
import { ArgMax, tieRanks, type GpuPolicyModule } from './policy.js';

/**
 * GPU Clustering (Gandiva-style affinity; Xiao et al., OSDI'18; the FGD paper's baseline, Weng et
 * al., ATC'23 §6.1, tiers as in their simulator): keep pods of one GPU type together (type = shares
 * a device, or k whole devices). Prefer, in order, nodes running only this type, nodes running
 * this type among others, nodes with no GPU pod, nodes with other types only; within a tier, the
 * node with less free GPU ('kube' scoring: 25 points per tier plus an integer 0–25). Best-fitting device. CPU-only pods: any feasible node, at random.
 */
export const gpuClusteringPolicy: GpuPolicyModule = {
  name: 'gpu-clustering',
  description: 'pods of one GPU type together; fuller nodes first within a tier',
  create({ cluster, pods, access, rng, tieBreak, scoring }) {
    const kube = (scoring ?? 'kube') === 'kube';
    const best = new ArgMax(rng, 1e-12, tieRanks(tieBreak, cluster.n, rng));
    return {
      name: 'gpu-clustering',
      gpu: -1,
      select(i) {
        best.reset();
        const t = podGpuType(pods, i);
        for (let node = 0; node < cluster.n; node++) {
          if (!cluster.fits(pods, access, i, node)) continue;
          if (t < 0) {
            best.offer(0, node);
            continue;
          }
          const present = cluster.typesPresent[node];
          const same = cluster.typeCount[node * 9 + t] > 0;
          const tier = same ? (present === 1 ? 3 : 2) : present === 0 ? 1 : 0;
          const used = cluster.maxGpuMilli - cluster.gpuFreeTotal[node];
          best.offer(kube ? 25 * tier + Math.trunc((25 * used) / cluster.maxGpuMilli) : tier + used / cluster.maxGpuMilli, node);
        }
        this.gpu = best.node >= 0 && isSharePod(pods, i) ? cluster.bestFitGpu(best.node, pods.gpuMilli[i]) : -1;
        return best.node;
      },
    };
  },
};
