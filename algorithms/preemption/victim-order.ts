import { sortTasks } from './sort-tasks.js';

/**
 * kube-scheduler's util.MoreImportantPod (pkg/scheduler/util) as a sort order: a pod of higher
 * priority is more important; at equal priority the one that started earlier (it has run
 * longer); then the lower task number, so the order is total. Preemption reprieves victims in
 * this order, most important first.
 */
export class ImportanceOrder {
  priority: Int32Array = new Int32Array(0);
  start: Float64Array = new Float64Array(0);
  /** MoreImportantPod, then the lower task number. */
  readonly before = (a: number, b: number): boolean => {
    const pa = this.priority[a];
    const pb = this.priority[b];
    if (pa !== pb) return pa > pb;
    const sa = this.start[a];
    const sb = this.start[b];
    if (sa !== sb) return sa < sb;
    return a < b;
  };

  /** Sorts `tasks[0..n)` most important first, reading the current priority and start columns. */
  sort(tasks: Int32Array, n: number, priority: Int32Array, start: Float64Array): void {
    this.priority = priority;
    this.start = start;
    sortTasks(tasks, n, this.before);
  }
}
