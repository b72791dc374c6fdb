import type { PriorityBand } from '../../model/priority-bands.js';
import type { QosClass } from '../../model/qos-class.js';

/**
 * The overcommit plug-in interface: how much of a node the scheduler may promise, beyond what its
 * tasks request. The simulator (harness/node-dynamics.ts) asks it; a policy never mutates state.
 * Load your own with `--overcommit ./my-overcommit.ts` (a module exporting an OvercommitModule as
 * default or `overcommit`), like a placement policy. Sources: ../shared/docs/models.md § Overcommit,
 * § Borg.
 *
 * The scheduler's fit check stays "charges ≤ schedulable capacity" per node and dimension, with:
 * - schedulable capacity = ratio(d) × allocatable (allocation ratios; 1 without overcommit);
 * - a task's charge at admission = charge() (default its request; Borg: production by limit);
 * - at each housekeeping of a node whose usage changed, `committed()` may replace the sum of the
 *   node's charges by what its tasks really hold (a Borg reservation, a predicted peak); tasks bound
 *   until the next evaluation add their charge on top;
 * - `usesBatch()` tasks (Koordinator best-effort) are admitted against `batchAllocatable()` instead.
 */
export interface OvercommitTask {
  readonly id: number;
  /** Request and limit of this task, length dims (NaN = not given). */
  readonly request: Float64Array;
  readonly limit: Float64Array;
  readonly priority: number;
  readonly band: PriorityBand;
  readonly qos: QosClass;
}

/** A node at a housekeeping evaluation, as an overcommit policy (or a peak predictor) sees it. */
export interface OvercommitNode {
  readonly dims: number;
  /** Simulated time, µs, and the usage grid step index at this time (usage is constant within a step). */
  readonly now: number;
  readonly step: number;
  /** Usage grid step length, µs. */
  readonly stepLength: number;
  /** This node's capacity and allocatable (capacity − reserved − hard threshold), length dims. */
  readonly capacity: Float64Array;
  readonly allocatable: Float64Array;
  /** Tasks on the node: ids in tasks[0..taskCount). */
  readonly taskCount: number;
  readonly tasks: Int32Array;
  /** Per-task facts (id from `tasks`). */
  task(id: number): OvercommitTask;
  /** The step at which the task (its latest attempt) started on this node. */
  startStep(id: number): number;
  /**
   * The task's usage (absolute units) in dimension d during step k: its past for k ≤ step (from
   * its start), its future for k > step (for the oracle only). NaN = unknown.
   */
  usage(id: number, d: number, k: number): number;
}

export interface OvercommitPolicy {
  readonly name: string;
  /** Allocation ratio per dimension (default 1). */
  ratio?(d: number): number;
  /** Writes the task's admission charge per dimension into out[0..dims) (default: its request). */
  charge?(task: OvercommitTask, out: Float64Array): void;
  /**
   * What the node's tasks hold per dimension, written into out[0..dims); false = keep the sum of
   * their charges. Called only for nodes whose usage changed since the last evaluation.
   */
  committed?(node: OvercommitNode, out: Float64Array): boolean;
  /** Koordinator: whether the task runs on batch resources. */
  usesBatch?(task: OvercommitTask): boolean;
  /** Koordinator: the node's batch allocatable per dimension into out[0..dims). */
  batchAllocatable?(node: OvercommitNode, out: Float64Array): void;
}

export interface OvercommitModule {
  /** Short name used on the command line. */
  readonly name: string;
  readonly description: string;
  /** `settings`: the text after the name, e.g. 'cpu=2,memory=1.2' for ratios; undefined = defaults. */
  create(settings: string | undefined, resources: readonly string[]): OvercommitPolicy;
}
