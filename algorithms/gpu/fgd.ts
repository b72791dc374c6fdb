import { MILLI } from './gpu-cluster.js';
import { nodeFragmentation, TargetWorkload } from './fragmentation.js';
import { ArgMax, tieRanks, type GpuPolicyModule } from './policy.js';

/**
 * Fragmentation Gradient Descent (Weng et al., "Beware of Fragmentation: Scheduling GPU-Sharing
 * Workloads with Fragmentation Gradient Descent", USENIX ATC'23, §4): place each pod where the
 * cluster's expected fragmentation (fragmentation.ts) grows least. Only the chosen node changes,
 * so the growth of the cluster's fragmentation is the growth of that node's:
 *   Δ(n, option) = F_n(M) after placing the pod with that option − F_n(M) before,
 * evaluated over every feasible node and every device choice on it (for a pod sharing a device:
 * each distinct free amount among the devices that hold it; for whole devices: any set of fully
 * free devices, all equivalent). Smallest Δ wins; equal Δ on different nodes are broken at random,
 * and on one node the lowest-numbered device wins.
 *
 * Speed: Δ depends only on the node's state and on the pod's (CPU, milli-GPU, devices) shape, so it
 * is cached per (node, shape) and stamped with the node's version; placing a pod invalidates the
 * cache of that one node. Scoring 'kube' compares nodes by the authors' plugin score
 * floor(100 · sigmoid(−Δ / 1000)) (so Δ within ~40 milli-GPU of each other tie); 'exact' by Δ.
 */
export interface FgdOptions {
  /** Share of pods the target workload's most popular shapes must cover (default 0.95). */
  coverage?: number;
}

export function createFgdPolicy(options: FgdOptions = {}): GpuPolicyModule {
  return {
    name: 'fgd',
    description: 'least growth of expected GPU fragmentation w.r.t. the workload (Weng et al., ATC\'23)',
    create({ cluster, pods, access, rng, workload, tieBreak, scoring }) {
      const target = TargetWorkload.fromPods(pods, cluster.models, workload, options.coverage ?? 0.95);
      const M = cluster.models.length;
      const S = cluster.stride;
      // Pod shapes as FGD sees them (memory and model only matter for feasibility).
      const shapeOf = new Int32Array(pods.count);
      const shapeIds = new Map<string, number>();
      for (let i = 0; i < pods.count; i++) {
        const key = `${pods.cpu[i]},${pods.gpuMilli[i]},${pods.gpuCount[i]}`;
        let s = shapeIds.get(key);
        if (s === undefined) shapeIds.set(key, (s = shapeIds.size));
        shapeOf[i] = s;
      }
      const C = shapeIds.size;
      const n = cluster.n;
      const cacheDelta = new Float64Array(n * C);
      const cacheGpu = new Int8Array(n * C);
      const cacheStamp = new Uint32Array(n * C); // node version + 1 when valid
      const fragNow = new Float64Array(n);
      const fragStamp = new Uint32Array(n);
      const scratch = new Float64Array(2 * S + 1);
      const state = new Int32Array(S);
      const kubeScore = (scoring ?? 'kube') === 'kube';
      const best = new ArgMax(rng, 1e-9, tieRanks(tieBreak, cluster.n, rng));

      const fragOf = (cpuFree: number, free: Int32Array, off: number, node: number) =>
        nodeFragmentation(target, M, cpuFree, free, off, cluster.gpuCount[node], cluster.model[node], scratch);

      function currentFrag(node: number): number {
        const v = cluster.version[node] + 1;
        if (fragStamp[node] !== v) {
          fragNow[node] = fragOf(cluster.cpuFree[node], cluster.gpuFree, node * S, node);
          fragStamp[node] = v;
        }
        return fragNow[node];
      }

      /** Least Δ over the device choices for pod i on node (which must fit); sets chosenGpu. */
      let chosenGpu = -1;
      function delta(i: number, node: number): number {
        const slot = node * C + shapeOf[i];
        const v = cluster.version[node] + 1;
        if (cacheStamp[slot] === v) {
          chosenGpu = cacheGpu[slot];
          return cacheDelta[slot];
        }
        const before = currentFrag(node);
        const G = cluster.gpuCount[node];
        const o = node * S;
        for (let g = 0; g < G; g++) state[g] = cluster.gpuFree[o + g];
        const cpuAfter = cluster.cpuFree[node] - pods.cpu[i];
        const k = pods.gpuCount[i];
        const milli = pods.gpuMilli[i];
        let bestD = Infinity;
        let bestG = -1;
        if (k > 0 && milli < MILLI) {
          for (let g = 0; g < G; g++) {
            const f = state[g];
            if (f < milli) continue;
            let dup = false; // same free amount as an earlier device: same outcome
            for (let h = 0; h < g; h++) if (state[h] === f) dup = true;
            if (dup) continue;
            state[g] = f - milli;
            const d = fragOf(cpuAfter, state, 0, node) - before;
            state[g] = f;
            if (d < bestD - 1e-9) {
              bestD = d;
              bestG = g;
            }
          }
        } else {
          let left = k;
          for (let g = 0; g < G && left > 0; g++) {
            if (state[g] === MILLI) {
              state[g] = 0;
              left--;
            }
          }
          bestD = fragOf(cpuAfter, state, 0, node) - before;
        }
        cacheDelta[slot] = bestD;
        cacheGpu[slot] = bestG;
        cacheStamp[slot] = v;
        chosenGpu = bestG;
        return bestD;
      }

      return {
        name: 'fgd',
        gpu: -1,
        select(i) {
          best.reset();
          for (let node = 0; node < n; node++) {
            if (!cluster.fits(pods, access, i, node)) continue;
            const d = delta(i, node);
            best.offer(kubeScore ? Math.floor(100 / (1 + Math.exp(d / 1000))) : -d, node, chosenGpu);
          }
          this.gpu = best.gpu;
          return best.node;
        },
      };
    },
  };
}

export const fgdPolicy: GpuPolicyModule = createFgdPolicy();
