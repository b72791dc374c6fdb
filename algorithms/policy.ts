import type { Rng } from '../harness/rng.js';
import type { ResourceSchema } from '../harness/resources.js';
import type { PlacementConstraints } from '../workloads/placement-constraints.js';
import type { MachineSpec } from '../workloads/workload.js';

/**
 * The placement-policy interface. A policy is a pure decision maker: given one task and a read-only
 * view of the cluster, it returns a node number or -1 ("no node; leave the task pending"). The
 * simulator binds the task; a policy never mutates the cluster. A returned node where the task does
 * not fit is an error that names the policy.
 *
 * To write your own, export a `PolicyModule` (see examples/my-policy.ts) and run
 * `schedlab replay --policy ./my-policy.ts`.
 */
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

/** Read-only view of the cluster. Arrays are struct-of-arrays: `allocatable[node * dims + d]`. */
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

export interface PolicyOptions {
  /** The policy's own random stream (forked from the run seed). */
  rng: Rng;
  /**
   * Share of nodes to look at per decision, as kube-scheduler's percentageOfNodesToScore:
   * undefined = kube's adaptive default, 100 = score every feasible node (exact, slow on big
   * clusters).
   */
  percentageOfNodesToScore?: number;
  /**
   * Policy-specific configuration, e.g. the kube-scheduler profile loaded from
   * `--scheduler-config FILE` (algorithms/kubernetes/scheduler-config.ts). Undefined = defaults.
   */
  config?: unknown;
}

export interface Policy {
  readonly name: string;
  select(task: TaskView, cluster: ClusterView): number;
  /** Optional: told after the simulator binds a task (stateful policies: affinity, spread, DRF). */
  onBind?(task: TaskView, node: number, cluster: ClusterView): void;
  /** Optional: told after a task leaves its node (finish, kill, machine removal). */
  onUnbind?(task: TaskView, node: number, cluster: ClusterView): void;
  /**
   * Optional: why no node takes `task` now, as kube-scheduler's FailedScheduling event counts it:
   * for each up node, the reason(s) it was rejected, added to `out` (reason → nodes). Asked only
   * for tasks still pending at the end of a replay, never while scheduling, and must not change
   * the policy's state. Without it, the simulator reports the resources each node lacks.
   */
  unschedulableReasons?(task: TaskView, cluster: ClusterView, out: Map<string, number>): void;
}

export interface PolicyModule {
  /** Short name used on the command line, e.g. 'best-fit'. */
  readonly name: string;
  /** One line for `schedlab policies`. */
  readonly description: string;
  create(options: PolicyOptions): Policy;
}

export class PolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyError';
  }
}
