import { isSharePod, MILLI } from './gpu-cluster.js';
import { ArgMax, tieRanks, type GpuPolicyModule } from './policy.js';

/**
 * GPU Packing (Weng et al., ATC'23 §6.1; tiers as in their simulator): prefer, in order,
 *   1. nodes where the pod fits on already-used (partly allocated) devices — the fewer milli-GPU
 *      left on the devices it lands on, the better;
 *   2. partly used nodes where it needs fully free devices — the fewer such devices, the better;
 *   3. entirely idle nodes — the fewer devices the node has, the better.
 * 'kube' scoring uses the plugin's integer tiers (100−, 50−, 33−). Devices are taken best-fit (least free first). CPU-only pods: any feasible node, at random.
 */
export const gpuPackingPolicy: GpuPolicyModule = {
  name: 'gpu-packing',
  description: 'used devices first, then used nodes, then idle nodes (smallest first)',
  create({ cluster, pods, access, rng, tieBreak, scoring }) {
    const kube = (scoring ?? 'kube') === 'kube';
    const best = new ArgMax(rng, 1e-12, tieRanks(tieBreak, cluster.n, rng));
    return {
      name: 'gpu-packing',
      gpu: -1,
      select(i) {
        best.reset();
        const k = pods.gpuCount[i];
        const milli = pods.gpuMilli[i];
        for (let node = 0; node < cluster.n; node++) {
          if (!cluster.fits(pods, access, i, node)) continue;
          if (k === 0) {
            best.offer(0, node);
            continue;
          }
          const G = cluster.gpuCount[node];
          if (cluster.fullFree[node] === G) {
            best.offer(kube ? Math.max(33 - G, G) : 1000 - G, node); // tier 3: an idle node; fewer devices is better
            continue;
          }
          const g = milli < MILLI ? cluster.bestFitGpu(node, milli) : -1;
          const left = g >= 0 ? cluster.gpuFree[node * cluster.stride + g] : MILLI;
          // tier 1: a used device, less left on it is better; tier 2: k fully free devices on a used node
          if (left < MILLI) best.offer(kube ? Math.max(100 - Math.trunc(Math.trunc((left * 100) / MILLI) / 10), 50) : 3000 - left / MILLI, node);
          else best.offer(kube ? Math.max(50 - k, 33) : 2000 - k, node);
        }
        this.gpu = best.node >= 0 && isSharePod(pods, i) ? cluster.bestFitGpu(best.node, milli) : -1;
        return best.node;
      },
    };
  },
};
