import { nodeFragmentation } from './fragmentation.js';
import { MILLI } from './gpu-devices.js';
import { ReplayTarget, type ReplayTargetOptions } from './replay-target.js';
import type { GpuScorer, ScorerContext } from './scorers.js';

/**
 * Fragmentation Gradient Descent (Weng et al., "Beware of Fragmentation: Scheduling GPU-Sharing
 * Workloads with Fragmentation Gradient Descent", USENIX ATC'23, §4): place each pod where the
 * cluster's expected fragmentation (fragmentation.ts) grows least. Only the chosen node changes,
 * so the growth of the cluster's fragmentation is the growth of that node's:
 *   Δ(n, option) = F_n(M) after placing the pod with that option − F_n(M) before,
 * minimized over the device choices (for a pod sharing a device: each distinct free amount among
 * the devices that hold it, the lowest-numbered device on equal Δ; for whole devices: any k fully
 * free devices, all equivalent; none for CPU-only pods — which still change F_n through the CPU
 * they take). 'kube' compares nodes by the authors' plugin score floor(100 · sigmoid(−Δ / 1000))
 * (so Δ within ~40 milli-GPU of each other tie); 'exact' by Δ. The target workload M comes from
 * replay-target.ts (fixed, prebuilt, or the running distribution of arrived tasks).
 *
 * Speed: Δ depends only on the node's state and the task's (CPU, milli-GPU, devices), so it is
 * cached per (node, shape), stamped with the node's device version and the target's epoch. CPU
 * free may come from outside the device model (the replay's simulator), so it is part of the
 * stamp check too.
 */
export function fgdScorer({ devices: dev, scoring }: ScorerContext, options: ReplayTargetOptions = {}): GpuScorer & { readonly target: ReplayTarget } {
  const kube = scoring === 'kube';
  const target = new ReplayTarget(options);
  const shapeIds = new Map<string, number>();
  // Per shape: arrays over node slots (grown on demand).
  let cacheDelta: Float64Array[] = [];
  let cacheGpu: Int8Array[] = [];
  let cacheStamp: Float64Array[] = [];
  let cacheCpu: Float64Array[] = [];
  let fragNow = new Float64Array(0);
  let fragStamp = new Float64Array(0);
  let fragCpu = new Float64Array(0);
  let shape = -1;
  const S = dev.stride;
  const scratch = new Float64Array(2 * S + 1);
  const state = new Int32Array(S);

  const stampOf = (node: number) => target.epoch * 4294967296 + dev.version[node] + 1;
  const frag = (cpuFree: number, free: Int32Array, off: number, node: number) =>
    nodeFragmentation(target.workload!, dev.models.length, cpuFree, free, off, dev.devices[node], dev.model[node], scratch);

  function ensureNodes(n: number): void {
    if (n <= fragNow.length) return;
    const size = Math.max(n, fragNow.length * 2, 64);
    const f = (a: Float64Array) => {
      const b = new Float64Array(size);
      b.set(a);
      return b;
    };
    fragNow = f(fragNow);
    fragStamp = f(fragStamp);
    fragCpu = f(fragCpu);
    cacheDelta = cacheDelta.map(f);
    cacheStamp = cacheStamp.map(f);
    cacheCpu = cacheCpu.map(f);
    cacheGpu = cacheGpu.map((a) => {
      const b = new Int8Array(size);
      b.set(a);
      return b;
    });
  }

  function currentFrag(node: number, cpu: number): number {
    const v = stampOf(node);
    if (fragStamp[node] !== v || fragCpu[node] !== cpu) {
      fragNow[node] = frag(cpu, dev.free, node * S, node);
      fragStamp[node] = v;
      fragCpu[node] = cpu;
    }
    return fragNow[node];
  }

  return {
    eps: 1e-9,
    device: -1,
    target,
    prepare(taskId, s) {
      target.note(taskId, s);
      target.refresh(dev.models);
      ensureNodes(dev.size);
      const key = `${s.cpu},${s.milli},${s.count}`;
      let id = shapeIds.get(key);
      if (id === undefined) {
        id = shapeIds.size;
        shapeIds.set(key, id);
        const size = fragNow.length;
        cacheDelta.push(new Float64Array(size));
        cacheStamp.push(new Float64Array(size));
        cacheCpu.push(new Float64Array(size));
        cacheGpu.push(new Int8Array(size));
      }
      shape = id;
    },
    score(node, s, cpu) {
      // A node seen for the first time mid-decision may bring a new GPU model: M must know it.
      if (target.refresh(dev.models) || node >= fragNow.length) ensureNodes(dev.size);
      const v = stampOf(node);
      if (cacheStamp[shape][node] === v && cacheCpu[shape][node] === cpu) {
        this.device = cacheGpu[shape][node];
      } else {
        const before = currentFrag(node, cpu);
        const G = dev.devices[node];
        const o = node * S;
        for (let g = 0; g < G; g++) state[g] = dev.free[o + g];
        const cpuAfter = cpu - s.cpu;
        let bestD = Infinity;
        let bestG = -1;
        if (s.count > 0 && s.milli < MILLI) {
          for (let g = 0; g < G; g++) {
            const f = state[g];
            if (f < s.milli) continue;
            let dup = false; // same free amount as an earlier device: same outcome
            for (let h = 0; h < g; h++) if (state[h] === f) dup = true;
            if (dup) continue;
            state[g] = f - s.milli;
            const d = frag(cpuAfter, state, 0, node) - before;
            state[g] = f;
            if (d < bestD - 1e-9) {
              bestD = d;
              bestG = g;
            }
          }
        } else {
          let left = s.count;
          for (let g = 0; g < G && left > 0; g++) {
            if (state[g] === MILLI) {
              state[g] = 0;
              left--;
            }
          }
          bestD = frag(cpuAfter, state, 0, node) - before;
        }
        cacheDelta[shape][node] = bestD;
        cacheGpu[shape][node] = bestG;
        cacheStamp[shape][node] = v;
        cacheCpu[shape][node] = cpu;
        this.device = bestG;
      }
      const d = cacheDelta[shape][node];
      return kube ? Math.floor(100 / (1 + Math.exp(d / 1000))) : -d;
    },
  };
}
