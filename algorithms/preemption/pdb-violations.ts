/**
 * What preemption (and the autoscaler's scale-down) may ask of the PodDisruptionBudgets at run
 * time; harness/reactions/disruption-budgets.ts keeps them up to date.
 */
export interface DisruptionBudgetView {
  /** Budgets (indices into Workload.disruptionBudgets) that select the task's job. */
  budgetsOf(task: number): readonly number[];
  /** disruptionsAllowed now (currentHealthy − desiredHealthy; may be ≤ 0). */
  allowed(budget: number): number;
  /**
   * Optional: the task was just asked to terminate (preemption, drain). Upstream's disruption
   * controller stops counting a pod as healthy once it is being deleted (countHealthyPods skips a
   * pod with a DeletionTimestamp), so a second disruption in the same grace period sees the
   * budget already spent.
   */
  terminating?(task: number): void;
}

/** A view with no budgets (a workload without PodDisruptionBudgets). */
export const NO_BUDGETS: DisruptionBudgetView = {
  budgetsOf: () => EMPTY,
  allowed: () => 0,
};
const EMPTY: readonly number[] = [];

/**
 * kube-scheduler's filterPodsWithPDBViolation (pkg/scheduler/framework/plugins/defaultpreemption):
 * walks the victims in the order given (most important first) with a running copy of each
 * budget's disruptionsAllowed; every budget selecting the pod is decremented, and the pod
 * violates a budget when one of them drops below zero. The order is kept (a stable split).
 * Reused across nodes; each `split` starts again from the budgets' current values.
 */
export class PdbPartition {
  private left = new Float64Array(0);
  private seen = new Uint32Array(0);
  private epoch = 0;

  /**
   * Marks `violating[i] = 1` for the victims `tasks[i]` that would violate a budget, 0 for the
   * others; returns how many violate.
   */
  split(tasks: Int32Array, n: number, budgets: DisruptionBudgetView, violating: Uint8Array): number {
    if (++this.epoch === 0xffffffff) {
      this.seen.fill(0);
      this.epoch = 1;
    }
    let count = 0;
    for (let i = 0; i < n; i++) {
      const of = budgets.budgetsOf(tasks[i]);
      let v = 0;
      for (let k = 0; k < of.length; k++) {
        const b = of[k];
        this.ensure(b + 1);
        if (this.seen[b] !== this.epoch) {
          this.seen[b] = this.epoch;
          this.left[b] = budgets.allowed(b);
        }
        if (--this.left[b] < 0) v = 1;
      }
      violating[i] = v;
      count += v;
    }
    return count;
  }

  private ensure(n: number): void {
    if (n <= this.left.length) return;
    const size = Math.max(n, this.left.length * 2, 16);
    const l = new Float64Array(size);
    l.set(this.left);
    this.left = l;
    const s = new Uint32Array(size);
    s.set(this.seen);
    this.seen = s;
  }
}
