import { isSharePod, podGpuMilli } from './gpu-cluster.js';
import { ArgMax, tieRanks, type GpuPolicyModule } from './policy.js';

/**
 * Dot-Product (Tetris-style alignment; Grandl et al., SIGCOMM'14), in the form the FGD paper's
 * baseline uses (Weng et al., ATC'23 §6.1 and their simulator: GPU dimension merged per node,
 * vectors normalized by the largest node's capacity): score a node by the dot product of its free
 * (CPU, total GPU) vector and the pod's (CPU, total GPU) demand and pick the SMALLEST — the node
 * whose free resources align least with the demand, i.e. the fullest one in the dimensions the pod
 * uses ('kube' scoring: the plugin's integer 100·(1 − dot/2)). A share pod takes the best-fitting device. Equal scores are broken at random.
 */
export const dotProductGpuPolicy: GpuPolicyModule = {
  name: 'dot-product',
  description: 'node minimizing <free (CPU, GPU), demand>; best-fitting device',
  create({ cluster, pods, access, rng, tieBreak, scoring }) {
    const best = new ArgMax(rng, 1e-15, tieRanks(tieBreak, cluster.n, rng));
    const c2 = 1 / (cluster.maxCpu * cluster.maxCpu);
    const g2 = 1 / (cluster.maxGpuMilli * cluster.maxGpuMilli);
    const kube = (scoring ?? 'kube') === 'kube';
    return {
      name: 'dot-product',
      gpu: -1,
      select(i) {
        best.reset();
        const cpu = pods.cpu[i] * c2;
        const gpu = podGpuMilli(pods, i) * g2;
        for (let node = 0; node < cluster.n; node++) {
          if (!cluster.fits(pods, access, i, node)) continue;
          const dot = cluster.cpuFree[node] * cpu + cluster.gpuFreeTotal[node] * gpu;
          best.offer(kube ? Math.trunc(100 * (1 - dot / 2)) : -dot, node);
        }
        this.gpu = best.node >= 0 && isSharePod(pods, i) ? cluster.bestFitGpu(best.node, pods.gpuMilli[i]) : -1;
        return best.node;
      },
    };
  },
};
