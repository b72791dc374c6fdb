import { permutation, type Rng } from '../../model/rng.js';
import type { GpuCluster } from './gpu-cluster.js';
import type { GpuPodSet } from '../../model/gpu-pod-set.js';

/**
 * A GPU-sharing placement policy: bound at creation to one cluster and one pod set (so it may keep
 * per-node caches), it picks a node for pod i — and, for a pod that shares a device, which device
 * (`gpu`) — or returns -1 when the pod fits nowhere. It never mutates the cluster: the caller
 * places the pod (GpuCluster.place) and the policy sees the change through the node's version.
 */
export interface GpuPolicy {
  readonly name: string;
  select(i: number): number;
  /** Device chosen by the last select() for a share pod; -1 = let the cluster pick (best fit). */
  gpu: number;
}

export interface GpuPolicyContext {
  cluster: GpuCluster;
  pods: GpuPodSet;
  /** Model access table from cluster.specAccess(pods.specs). */
  access: Uint8Array;
  /** The policy's own seeded stream (ties, random choices). */
  rng: Rng;
  /** The pods expected to arrive (indices into pods), for policies that model the workload (FGD). Default: all. */
  workload?: Int32Array;
  /** How equal scores are broken; default 'ranked' (see TieBreak). */
  tieBreak?: TieBreak;
  /** Score precision; default 'kube' (see Scoring). */
  scoring?: Scoring;
}

/**
 * 'exact' compares the policies' scores as real numbers. 'kube' truncates them to the integer
 * 0–100 node scores of the authors' kube-scheduler plugins (Weng et al.'s simulator), which makes
 * near-equal nodes ties — and with 'ranked' tie-breaking, ties pack. The published FGD numbers
 * come from 'kube' + 'ranked'.
 */
export type Scoring = 'exact' | 'kube';

/**
 * Equal node scores: 'random' picks uniformly among them (upstream kube-scheduler's selectHost);
 * 'ranked' picks the one first in a seeded random order of the nodes drawn once per run — what the
 * FGD authors' simulator does (its kube-scheduler fork picks the lexicographically smallest node
 * name, and node names carry a random-permutation prefix). 'ranked' keeps choosing the same node
 * until it is full, so tie-heavy scores pack; 'random' spreads.
 */
export type TieBreak = 'random' | 'ranked';

/** The per-node rank array for 'ranked' tie-breaking (a seeded permutation), or undefined for 'random'. */
export function tieRanks(tieBreak: TieBreak | undefined, nodes: number, rng: Rng): Int32Array | undefined {
  if ((tieBreak ?? 'ranked') === 'random') return undefined;
  return permutation(nodes, rng);
}

export interface GpuPolicyModule {
  readonly name: string;
  readonly description: string;
  create(ctx: GpuPolicyContext): GpuPolicy;
}

/**
 * Keeps the best (largest) score seen. Equal scores: with `rank`, the node of lowest rank wins;
 * without, one is chosen uniformly at random by reservoir sampling (kube-scheduler's selectHost).
 */
export class ArgMax {
  node = -1;
  gpu = -1;
  score = -Infinity;
  private ties = 0;
  constructor(
    private readonly rng: Rng,
    /** Scores closer than this are ties (absorbs float noise in computed scores). */
    private readonly eps = 0,
    private readonly rank?: Int32Array,
  ) {}

  reset(): void {
    this.node = -1;
    this.gpu = -1;
    this.score = -Infinity;
    this.ties = 0;
  }

  offer(score: number, node: number, gpu = -1): void {
    if (score > this.score + this.eps) {
      this.score = score;
      this.node = node;
      this.gpu = gpu;
      this.ties = 1;
    } else if (score >= this.score - this.eps) {
      if (this.rank !== undefined) {
        if (this.rank[node] < this.rank[this.node]) {
          this.node = node;
          this.gpu = gpu;
        }
        return;
      }
      this.ties++;
      if (this.rng.int(this.ties) === 0) {
        this.node = node;
        this.gpu = gpu;
      }
    }
  }
}
