import type { PlacementConstraints } from './placement-constraints.js';

/** One task as a placement policy sees it: its request, priority, owner and constraints (read-only). */
export interface TaskView {
  /** Task number within the run. */
  readonly id: number;
  /** Request per dimension, whole units (missing requests are 0 here; see the report). */
  readonly request: Float64Array;
  readonly priority: number;
  /** Index of the owning job in the workload's job table. */
  readonly job: number;
  readonly user: number;
  /** Which request dimensions were missing in the input (kube scores those with defaults). */
  readonly missingRequest: boolean;
  /** The job's placement constraints (node selector, affinity, tolerations, GPU models...), if any. */
  readonly constraints: PlacementConstraints | undefined;
  /** Run time once started, µs, when the workload knows it (NaN otherwise). */
  readonly duration: number;
}
