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
}
