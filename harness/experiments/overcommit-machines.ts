import type { OvercommitNode, OvercommitTask } from '../../algorithms/overcommit/overcommit-policy.js';
import { PriorityBand } from '../../model/priority-bands.js';
import { QosClass } from '../../model/qos-class.js';
import { permutation, Rng } from '../../model/rng.js';
import type { OvercommitDataSet } from './overcommit-data.js';
import { firstFitByLimit } from '../../algorithms/overcommit/machines-by-limit.js';

/**
 * The no-overcommit baseline placement of the overcommit experiment: the tasks in a seeded random
 * order (Fisher–Yates), each placed first-fit by limit onto machines of the set's capacity
 * (Σ limits ≤ capacity), a new machine opened when none fits. Every task runs from step 0 to the
 * end of its series on its machine (as the paper's simulator replays the trace's own placement).
 * Returns the machines' task lists.
 */
export function placeByLimits(data: OvercommitDataSet, seed: number): Int32Array[] {
  return firstFitByLimit(permutation(data.taskCount, new Rng(seed)), data.limit, data.capacity);
}

/**
 * An OvercommitNode over one machine of the experiment (one dimension, CPU): usage reads the data
 * set's rows, past and future alike (the oracle reads ahead); `step` is set by the caller.
 */
export class ExperimentMachine implements OvercommitNode {
  readonly dims = 1;
  readonly stepLength: number;
  readonly capacity: Float64Array;
  readonly allocatable: Float64Array;
  readonly taskCount: number;
  readonly tasks: Int32Array;
  step = 0;
  private readonly facts: OvercommitTask[];

  constructor(private readonly data: OvercommitDataSet, ids: Int32Array) {
    this.stepLength = data.stepLength;
    this.capacity = Float64Array.of(data.capacity);
    this.allocatable = Float64Array.of(data.capacity);
    this.taskCount = ids.length;
    this.tasks = Int32Array.from({ length: ids.length }, (_, i) => i);
    // Tasks are renumbered 0..n−1 on the machine; facts[i] belongs to data task ids[i].
    this.facts = Array.from(ids, (t, i) => ({
      id: i,
      request: Float64Array.of(NaN),
      limit: Float64Array.of(data.limit[t]),
      priority: 0,
      band: PriorityBand.Production,
      qos: QosClass.Burstable,
    }));
    this.rows = Int32Array.from(ids);
  }

  private readonly rows: Int32Array;

  get now(): number {
    return this.step * this.stepLength;
  }

  task(id: number): OvercommitTask {
    return this.facts[id];
  }

  startStep(): number {
    return 0;
  }

  usage(id: number, _d: number, k: number): number {
    if (k < 0 || k >= this.data.steps) return NaN;
    return this.data.usage[this.rows[id] * this.data.steps + k];
  }

  /** Σ limits of the machine's tasks. */
  limitSum(): number {
    let s = 0;
    for (const f of this.facts) s += f.limit[0];
    return s;
  }

  /** Σ of the tasks' usage at step k, capped at their limits (what the paper compares with). */
  usageAt(k: number): number {
    let s = 0;
    for (let i = 0; i < this.taskCount; i++) {
      const u = this.usage(i, 0, k);
      if (u > 0) s += Math.min(u, this.facts[i].limit[0]);
    }
    return s;
  }
}
