import type { Rng } from '../../model/rng.js';
import { MILLI, type GpuDevices } from './gpu-devices.js';
import type { Scoring } from './policy.js';
import { isShare, shapeType, type GpuTaskShape } from './task-gpu-shape.js';

/**
 * The node scores of the FGD paper's six GPU-sharing policies (Weng et al., "Beware of
 * Fragmentation: Scheduling GPU-Sharing Workloads with Fragmentation Gradient Descent", USENIX
 * ATC'23 §6.1, formulas and 'kube' integer scores as in the authors' simulator), read from the
 * device model (gpu-devices.ts) and the node's free CPU. One implementation serves both drivers:
 * the experiment (experiment-policy.ts, on a GpuCluster) and the replay adapter (replay-policy.ts,
 * on a DeviceLedger, CPU free from the simulator). FGD is in fgd-scorer.ts.
 *
 * A scorer only scores nodes its driver already found feasible (CPU, memory, GPU model, device
 * level). Higher is better; equal scores are broken by the driver (policy.ts: ArgMax).
 */
export interface GpuScorer {
  /** Equal-score tolerance for ArgMax. */
  readonly eps: number;
  /** Ties always at random (random), whatever the tie-break option says. */
  readonly randomTies?: boolean;
  /** Per-decision set-up (FGD: counts the arrival, refreshes its target workload). */
  prepare?(taskId: number, s: GpuTaskShape): void;
  /** Score of a feasible node with `cpuFree` millicores free; may set `device` to the device it assumed (share pods), else -1. */
  score(node: number, s: GpuTaskShape, cpuFree: number): number;
  device: number;
  /** Device for a share pod on the chosen node when score() set none; default: best fit. */
  pickDevice?(node: number, s: GpuTaskShape): number;
}

export interface ScorerContext {
  devices: GpuDevices;
  /** The policy's own seeded stream (random choices). */
  rng: Rng;
  scoring: Scoring;
}

/**
 * Best Fit (the paper's baseline, as in the authors' simulator): the node whose leftover after
 * placement, Σ_r ½·(free_r − request_r) / maxCapacity_r over r ∈ {CPU, GPU}, is smallest; GPU
 * counted as the node's total free milli-GPU, normalized by the largest node's GPU capacity
 * ('kube': the plugin's integer 100·(1 − leftover)). A share pod takes the best-fitting device.
 */
export function bestFitScorer({ devices, scoring }: ScorerContext): GpuScorer {
  const kube = scoring === 'kube';
  return {
    eps: 1e-12,
    device: -1,
    score(node, s, cpuFree) {
      const wc = devices.maxCpu > 0 ? 0.5 / devices.maxCpu : 0;
      const wg = devices.maxGpuMilli > 0 ? 0.5 / devices.maxGpuMilli : 0;
      const left = (cpuFree - s.cpu) * wc + (devices.freeTotal[node] - s.total) * wg;
      return kube ? Math.trunc((1 - left) * 100) : -left;
    },
  };
}

/**
 * Dot-Product (Tetris-style alignment; Grandl et al., SIGCOMM'14), as the paper's baseline: the
 * dot product of the node's free (CPU, total GPU) and the pod's (CPU, total GPU) demand, each
 * normalized by the largest node's capacity; the SMALLEST wins — the node whose free resources
 * align least with the demand, i.e. the fullest in the dimensions the pod uses ('kube': the
 * plugin's integer 100·(1 − dot/2)). A share pod takes the best-fitting device.
 */
export function dotProductScorer({ devices, scoring }: ScorerContext): GpuScorer {
  const kube = scoring === 'kube';
  return {
    eps: 1e-15,
    device: -1,
    score(node, s, cpuFree) {
      const c2 = devices.maxCpu > 0 ? 1 / (devices.maxCpu * devices.maxCpu) : 0;
      const g2 = devices.maxGpuMilli > 0 ? 1 / (devices.maxGpuMilli * devices.maxGpuMilli) : 0;
      const dot = cpuFree * (s.cpu * c2) + devices.freeTotal[node] * (s.total * g2);
      return kube ? Math.trunc(100 * (1 - dot / 2)) : -dot;
    },
  };
}

/**
 * GPU Packing (tiers as in the authors' simulator): prefer, in order,
 *   1. nodes where the pod fits on already-used (partly allocated) devices — the fewer milli-GPU
 *      left on the device it lands on, the better;
 *   2. partly used nodes where it needs fully free devices — the fewer such devices, the better;
 *   3. entirely idle nodes — the fewer devices the node has, the better.
 * 'kube' uses the plugin's integer tiers (100−, 50−, 33−). Devices are taken best-fit. CPU-only
 * pods: every feasible node ties.
 */
export function gpuPackingScorer({ devices, scoring }: ScorerContext): GpuScorer {
  const kube = scoring === 'kube';
  return {
    eps: 1e-12,
    device: -1,
    score(node, s) {
      if (s.count === 0) return 0;
      const G = devices.devices[node];
      if (devices.fullFree[node] === G) return kube ? Math.max(33 - G, G) : 1000 - G;
      const g = s.milli < MILLI ? devices.bestFitDevice(node, s.milli) : -1;
      const left = g >= 0 ? devices.free[node * devices.stride + g] : MILLI;
      if (left < MILLI) return kube ? Math.max(100 - Math.trunc(Math.trunc((left * 100) / MILLI) / 10), 50) : 3000 - left / MILLI;
      return kube ? Math.max(50 - s.count, 33) : 2000 - s.count;
    },
  };
}

/**
 * GPU Clustering (Gandiva-style affinity; Xiao et al., OSDI'18; tiers as in the authors'
 * simulator): keep pods of one GPU type together (type = shares a device, or k whole devices).
 * Prefer nodes running only this type, then this type among others, then no GPU pod, then other
 * types only; within a tier, the node with less free GPU ('kube': 25 points per tier plus an
 * integer 0–25). Best-fitting device. CPU-only pods: every feasible node ties.
 */
export function gpuClusteringScorer({ devices, scoring }: ScorerContext): GpuScorer {
  const kube = scoring === 'kube';
  return {
    eps: 1e-12,
    device: -1,
    score(node, s) {
      const t = shapeType(s);
      if (t < 0) return 0;
      const present = devices.typesPresent[node];
      const same = devices.typeCount[node * devices.types + t] > 0;
      const tier = same ? (present === 1 ? 3 : 2) : present === 0 ? 1 : 0;
      const max = devices.maxGpuMilli;
      const used = max - devices.freeTotal[node];
      return kube ? 25 * tier + Math.trunc((25 * used) / max) : tier + used / max;
    },
  };
}

/**
 * Random ("Random-fit"): every feasible node ties (uniform by reservoir sampling), and a share pod
 * takes a uniformly random device that holds it.
 */
export function randomScorer({ devices, rng }: ScorerContext): GpuScorer {
  return {
    eps: 0,
    randomTies: true,
    device: -1,
    score: () => 0,
    pickDevice(node, s) {
      if (!isShare(s)) return -1;
      const o = node * devices.stride;
      let chosen = -1;
      let c = 0;
      for (let g = 0; g < devices.devices[node]; g++) if (devices.free[o + g] >= s.milli && rng.int(++c) === 0) chosen = g;
      return chosen;
    },
  };
}
