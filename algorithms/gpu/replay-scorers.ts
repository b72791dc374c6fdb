import type { Rng } from '../../harness/rng.js';
import type { ClusterView } from '../policy.js';
import { LEDGER_STRIDE, LEDGER_TYPES, type DeviceLedger } from './device-ledger.js';
import { MILLI } from './gpu-cluster.js';
import type { Scoring } from './policy.js';
import { isShare, shapeType, type GpuTaskShape } from './task-gpu-shape.js';

/**
 * The node scores of the FGD paper's baseline GPU policies (Weng et al., ATC'23 §6.1), read from a
 * DeviceLedger and the simulator's ClusterView instead of the experiment's GpuCluster. Each
 * formula is the one of the same-named experiment policy (best-fit.ts, dot-product.ts,
 * gpu-packing.ts, gpu-clustering.ts, random.ts — see them for the reasoning and sources), with
 * CPU free taken from the simulator and the normalizers (largest node CPU and GPU) over the nodes
 * seen so far. FGD is in fgd-replay-scorer.ts.
 *
 * A scorer only scores nodes the adapter (replay-policy.ts) already found feasible: aggregate fit
 * from the simulator's index, then device-level fit and GPU model from the ledger.
 */
export interface ReplayScorer {
  /** Equal-score tolerance for ArgMax. */
  readonly eps: number;
  /** Ties always at random (gpu-random), whatever the tie-break option says. */
  readonly randomTies?: boolean;
  /** Per-decision set-up (FGD: counts the arrival, refreshes its target workload). */
  prepare?(taskId: number, s: GpuTaskShape, cluster: ClusterView): void;
  /** Score of a feasible node, higher is better; may set `device` to the device it assumed (share pods), else -1. */
  score(node: number, s: GpuTaskShape, cluster: ClusterView): number;
  device: number;
  /** Device for a share pod on the chosen node when score() set none; default: best fit. */
  pickDevice?(node: number, s: GpuTaskShape): number;
}

export interface ScorerContext {
  ledger: DeviceLedger;
  rng: Rng;
  scoring: Scoring;
}

const cpuFree = (cluster: ClusterView, ledger: DeviceLedger, node: number): number =>
  ledger.cpuDim >= 0 ? cluster.free[node * ledger.dims + ledger.cpuDim] : 0;

/** Best Fit: least Σ ½·(free − request)/max over CPU and total GPU; kube score 100·(1 − leftover). */
export function bestFitScorer({ ledger, scoring }: ScorerContext): ReplayScorer {
  const kube = scoring === 'kube';
  return {
    eps: 1e-12,
    device: -1,
    score(node, s, cluster) {
      const wc = ledger.maxCpu > 0 ? 0.5 / ledger.maxCpu : 0;
      const wg = ledger.maxGpuMilli > 0 ? 0.5 / ledger.maxGpuMilli : 0;
      const left = (cpuFree(cluster, ledger, node) - s.cpu) * wc + (ledger.freeTotal[node] - s.total) * wg;
      return kube ? Math.trunc((1 - left) * 100) : -left;
    },
  };
}

/** Dot-Product (Grandl et al., SIGCOMM'14, as the FGD baseline): least <free (CPU, GPU), demand>, normalized. */
export function dotProductScorer({ ledger, scoring }: ScorerContext): ReplayScorer {
  const kube = scoring === 'kube';
  return {
    eps: 1e-15,
    device: -1,
    score(node, s, cluster) {
      const c2 = ledger.maxCpu > 0 ? 1 / (ledger.maxCpu * ledger.maxCpu) : 0;
      const g2 = ledger.maxGpuMilli > 0 ? 1 / (ledger.maxGpuMilli * ledger.maxGpuMilli) : 0;
      const dot = cpuFree(cluster, ledger, node) * s.cpu * c2 + ledger.freeTotal[node] * s.total * g2;
      return kube ? Math.trunc(100 * (1 - dot / 2)) : -dot;
    },
  };
}

/** GPU Packing: used devices first (less left is better), then used nodes (fewer devices taken), then idle nodes (fewer devices). */
export function gpuPackingScorer({ ledger, scoring }: ScorerContext): ReplayScorer {
  const kube = scoring === 'kube';
  return {
    eps: 1e-12,
    device: -1,
    score(node, s) {
      if (s.count === 0) return 0;
      const G = ledger.devices[node];
      if (ledger.fullFree[node] === G) return kube ? Math.max(33 - G, G) : 1000 - G;
      const g = s.milli < MILLI ? ledger.bestFitDevice(node, s.milli) : -1;
      const left = g >= 0 ? ledger.free[node * LEDGER_STRIDE + g] : MILLI;
      if (left < MILLI) return kube ? Math.max(100 - Math.trunc(Math.trunc((left * 100) / MILLI) / 10), 50) : 3000 - left / MILLI;
      return kube ? Math.max(50 - s.count, 33) : 2000 - s.count;
    },
  };
}

/** GPU Clustering (Gandiva-style; Xiao et al., OSDI'18): same-type-only nodes, then mixed, then GPU-idle, then others; fuller first. */
export function gpuClusteringScorer({ ledger, scoring }: ScorerContext): ReplayScorer {
  const kube = scoring === 'kube';
  return {
    eps: 1e-12,
    device: -1,
    score(node, s) {
      const t = shapeType(s);
      if (t < 0) return 0;
      const present = ledger.typesPresent[node];
      const same = ledger.typeCount[node * LEDGER_TYPES + t] > 0;
      const tier = same ? (present === 1 ? 3 : 2) : present === 0 ? 1 : 0;
      const max = ledger.maxGpuMilli;
      const used = max - ledger.freeTotal[node];
      return kube ? 25 * tier + Math.trunc((25 * used) / max) : tier + used / max;
    },
  };
}

/** Random: every feasible node ties (uniform by reservoir sampling); a uniformly random device that holds a share pod. */
export function randomScorer({ ledger, rng }: ScorerContext): ReplayScorer {
  return {
    eps: 0,
    randomTies: true,
    device: -1,
    score: () => 0,
    pickDevice(node, s) {
      if (!isShare(s)) return -1;
      const o = node * LEDGER_STRIDE;
      let chosen = -1;
      let c = 0;
      for (let g = 0; g < ledger.devices[node]; g++) if (ledger.free[o + g] >= s.milli && rng.int(++c) === 0) chosen = g;
      return chosen;
    },
  };
}
