import type { OvercommitNode, OvercommitTask } from '../algorithms/overcommit/overcommit-policy.js';
import type { TaskUsageSource } from './usage/task-usage-source.js';
import type { TaskStore } from './task-store.js';
import type { PriorityBand } from '../model/priority-bands.js';
import type { QosClass } from '../model/qos-class.js';

/**
 * The OvercommitNode an overcommit policy sees at a node evaluation, refilled per node (one object
 * for the run). Task facts are views over the task table; usage reads the run's usage source, so
 * the past and (for the oracle) the future are the same numbers the node dynamics use.
 */
export class OvercommitNodeView implements OvercommitNode {
  dims: number;
  now = 0;
  step = 0;
  stepLength: number;
  capacity: Float64Array;
  allocatable: Float64Array;
  taskCount = 0;
  tasks: Int32Array = new Int32Array(64);
  private readonly startOf: (task: number) => number;

  constructor(
    private readonly store: TaskStore,
    private readonly source: TaskUsageSource,
    private readonly runStart: number,
    startOf: (task: number) => number,
  ) {
    this.dims = store.dims;
    this.stepLength = source.step;
    this.capacity = new Float64Array(store.dims);
    this.allocatable = new Float64Array(store.dims);
    this.startOf = startOf;
  }

  /** Points the view at a node's tasks (ids[0..n)) at time `now`. */
  fill(ids: Int32Array, n: number, now: number, step: number, capacity: Float64Array, allocatable: Float64Array, offset: number): void {
    if (this.tasks.length < n) this.tasks = new Int32Array(Math.max(n, this.tasks.length * 2));
    this.tasks.set(ids.subarray(0, n));
    this.taskCount = n;
    this.now = now;
    this.step = step;
    for (let d = 0; d < this.dims; d++) {
      this.capacity[d] = capacity[offset + d];
      this.allocatable[d] = allocatable[offset + d];
    }
  }

  task(id: number): OvercommitTask {
    const D = this.dims;
    const s = this.store;
    return {
      id,
      request: s.request.subarray(id * D, id * D + D),
      limit: s.limit.subarray(id * D, id * D + D),
      priority: s.priority[id],
      band: s.band[id] as PriorityBand,
      qos: s.qos[id] as QosClass,
    };
  }

  startStep(id: number): number {
    return Math.floor((this.startOf(id) - this.runStart) / this.stepLength);
  }

  usage(id: number, d: number, k: number): number {
    return this.source.usage(id, d, k);
  }
}
