import type { Rng } from '../model/rng.js';
import type { ClusterView } from '../model/cluster-view.js';
import type { TaskView } from '../model/task-view.js';

// A policy file needs one import: the views it is given come from model/, re-exported here.
export type { ClusterView, TaskView };

/**
 * The placement-policy interface. A policy is a pure decision maker: given one task and a read-only
 * view of the cluster, it returns a node number or -1 ("no node; leave the task pending"). The
 * simulator binds the task; a policy never mutates the cluster. A returned node where the task does
 * not fit is an error that names the policy.
 *
 * To write your own, export a `PolicyModule` (see examples/my-policy.ts) and run
 * `schedlab replay --policy ./my-policy.ts`.
 */
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
   * Scoring policies whose scores depend only on the task's shape and each node's own state keep
   * them per request shape between decisions and rescore only the nodes that changed
   * (algorithms/score-cache/; same decisions either way). Default true; false = always score the
   * sample afresh (`--score-cache off`).
   */
  scoreCache?: boolean;
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
  /**
   * Optional: would `node` take `task` if it had the room — every check but the resource fit
   * (node name, selector and affinity, taints, ports, spread, pod affinity, conditions) on the
   * cluster as it is now. Preemption asks it of each candidate node (kube's PostFilter runs the
   * filters there); must not change the policy's state. Absent = resources are the only check.
   */
  admitsIgnoringResources?(task: TaskView, cluster: ClusterView, node: number): boolean;
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
