import { isSharePod, podGpuMilli } from './gpu-cluster.js';
import { ArgMax, tieRanks, type GpuPolicyModule } from './policy.js';

/**
 * Best Fit (the baseline of Weng et al., ATC'23 §6.1, as in their simulator): the node whose
 * leftover after placement, Σ_r ½·(free_r − request_r) / maxCapacity_r over r ∈ {CPU, GPU}, is
 * smallest; GPU counted as the node's total free milli-GPU, normalized by the largest node's GPU
 * capacity ('kube' scoring: the plugin's integer 100·(1 − leftover)). Within the node, a share pod takes the device with the least free that holds it.
 * Equal scores are broken at random.
 */
export const bestFitGpuPolicy: GpuPolicyModule = {
  name: 'best-fit',
  description: 'node with the least CPU+GPU left after placement; best-fitting device',
  create({ cluster, pods, access, rng, tieBreak, scoring }) {
    const best = new ArgMax(rng, 1e-12, tieRanks(tieBreak, cluster.n, rng));
    const wc = 0.5 / cluster.maxCpu;
    const wg = 0.5 / cluster.maxGpuMilli;
    const kube = (scoring ?? 'kube') === 'kube';
    return {
      name: 'best-fit',
      gpu: -1,
      select(i) {
        best.reset();
        const cpu = pods.cpu[i];
        const gpu = podGpuMilli(pods, i);
        for (let node = 0; node < cluster.n; node++) {
          if (!cluster.fits(pods, access, i, node)) continue;
          const left = (cluster.cpuFree[node] - cpu) * wc + (cluster.gpuFreeTotal[node] - gpu) * wg;
          best.offer(kube ? Math.trunc((1 - left) * 100) : -left, node);
        }
        this.gpu = best.node >= 0 && isSharePod(pods, i) ? cluster.bestFitGpu(best.node, pods.gpuMilli[i]) : -1;
        return best.node;
      },
    };
  },
};
