import { isSharePod } from './gpu-cluster.js';
import type { GpuPolicyModule } from './policy.js';

/**
 * Random: a uniformly random feasible node, and for a share pod a uniformly random device that
 * holds it (the "Random-fit" baseline of Weng et al., ATC'23 §6.1).
 */
export const randomGpuPolicy: GpuPolicyModule = {
  name: 'random',
  description: 'uniformly random feasible node and device',
  create({ cluster, pods, access, rng }) {
    return {
      name: 'random',
      gpu: -1,
      select(i) {
        let chosen = -1;
        let seen = 0;
        for (let node = 0; node < cluster.n; node++) {
          if (!cluster.fits(pods, access, i, node)) continue;
          if (rng.int(++seen) === 0) chosen = node;
        }
        this.gpu = -1;
        if (chosen >= 0 && isSharePod(pods, i)) {
          const o = chosen * cluster.stride;
          let c = 0;
          for (let g = 0; g < cluster.gpuCount[chosen]; g++) {
            if (cluster.gpuFree[o + g] >= pods.gpuMilli[i] && rng.int(++c) === 0) this.gpu = g;
          }
        }
        return chosen;
      },
    };
  },
};
