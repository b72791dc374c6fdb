import type { MachineSpec } from './machine.js';
import type { ResourceSchema } from './resources.js';

/**
 * The cluster as a decision maker (a policy, a predictor) sees it: read-only, struct-of-arrays
 * (`allocatable[node * dims + d]`). The simulator's Cluster (harness/cluster.ts) implements it.
 */
export interface ClusterView {
  readonly dims: number;
  readonly resources: ResourceSchema;
  /** Node slots 0..nodeCount-1 (some may be down: check `up`). */
  readonly nodeCount: number;
  readonly upCount: number;
  readonly capacity: Float64Array;
  readonly allocatable: Float64Array;
  readonly requested: Float64Array;
  readonly free: Float64Array;
  readonly up: Uint8Array;
  readonly runningCount: Int32Array;
  /** Sums over nodes that are up, per dimension. */
  readonly totalAllocatable: Float64Array;
  readonly totalRequested: Float64Array;
  readonly ids: readonly string[];
  readonly instanceTypes: readonly string[];
  readonly labels: ReadonlyArray<Readonly<Record<string, string>>>;
  /** The machine as the workload described it (taints, conditions, images, GPU model...). */
  readonly specs: readonly MachineSpec[];
  fits(node: number, request: Float64Array): boolean;
  /**
   * Finds up to `limit` nodes where `request` fits, in circular node order from `start`, written to
   * `out`; returns how many. Uses the feasibility index, so it never scans nodes that cannot fit.
   * `lastStop()` then gives the position after the last node examined.
   */
  feasible(request: Float64Array, start: number, limit: number, out: Int32Array): number;
  lastStop(): number;
  /**
   * Could any node in [lo, hi) fit `request` (by resources; `filter` aside)? false only when none
   * does, judged by the feasibility index's block maxima, so a caller scanning nodes in order may
   * skip the range. Optional: a view without it makes such callers check every node.
   */
  mayFitIn?(lo: number, hi: number, request: Float64Array): boolean;
  /**
   * While one task is being placed: a per-task filter feasible() and fits() apply on top of the
   * resource fit (node dynamics: MemoryPressure, a batch pool), undefined otherwise. Read-only for
   * policies; a view without filters may leave it out.
   */
  readonly filter?: ((node: number) => boolean) | undefined;
  /**
   * The nodes whose reservation state changed, in order (see NodeChangeLog); offered by the
   * simulator's Cluster so a policy may keep per-node results between decisions and refresh only
   * what changed. A view without it (a hand-made or wrapped view) simply gets no such caching.
   */
  readonly changeLog?: NodeChangeLog;
}

/**
 * A monotonically increasing count of node changes and a ring of the last ones: change number i
 * (0 ≤ i < seq) touched node `entries[i & mask]`, as long as i ≥ seq − entries.length (older ones
 * are overwritten). A change is anything that alters what fits() or feasible() answer for a node or
 * what a reservation-based score reads: a bind or unbind, an overcommit hold, a cordon or uncordon,
 * the node going up or down, being added or coming back with a new shape (allocatable).
 */
export interface NodeChangeLog {
  readonly seq: number;
  /** Power-of-two ring; `mask` = entries.length − 1. */
  readonly entries: Int32Array;
  readonly mask: number;
}
