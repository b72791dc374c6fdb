/**
 * StatefulSet pod identity and OrderedReady start (kubernetes.io/docs/concepts/workloads/
 * controllers/statefulset/ § Deployment and Scaling Guarantees; pkg/controller/statefulset/
 * stateful_set_control.go). Pod i of a set is the task with ordinal i (TaskBatch.taskIndex) and
 * keeps it: a lost pod is recreated as the same ordinal (the same task row, its stable name and
 * storage). With podManagementPolicy OrderedReady (the default), the controller walks the
 * ordinals upward and stops at the first pod that is not Running and Ready: pod i is created only
 * when pods 0..i-1 are, at the first start and after a loss alike — a lost pod 1 is replaced at
 * once while pod 0 runs, and a lost pod 0 holds back the replacement of any pod above it. Pods
 * that completed (finished, or ended by the source) no longer hold the walk back (they will not
 * come back in the replay). The walk costs O(ordinals) per change of one of the set's pods; sets
 * are small (replicas), and only their own pods trigger it.
 */
export class StatefulSetOrdinals {
  /** Per set (Workload job): the task of each ordinal (-1 = not seen yet). */
  private readonly sets = new Map<number, Int32Array>();

  /** Records that `task` is pod `ordinal` of set `job`. */
  register(job: number, ordinal: number, task: number, replicas: number): void {
    let a = this.sets.get(job);
    if (a === undefined || ordinal >= a.length) {
      const b = new Int32Array(Math.max(ordinal + 1, replicas, a ? a.length * 2 : 0)).fill(-1);
      if (a) b.set(a);
      this.sets.set(job, (a = b));
    }
    a[ordinal] = task;
  }

  /** May pod `ordinal` be created: is every lower ordinal `settled` (Running and Ready, or completed)? */
  mayCreate(job: number, ordinal: number, settled: (task: number) => boolean): boolean {
    const a = this.sets.get(job);
    if (a === undefined) return ordinal === 0;
    for (let i = 0; i < ordinal; i++) if (a[i] < 0 || !settled(a[i])) return false;
    return true;
  }

  /**
   * The controller's walk: the first ordinal that is not settled, if it is a pod being held back
   * (`held`), is the one to create now; else (none, a pod on its way, a missing ordinal) -1.
   */
  nextToCreate(job: number, settled: (task: number) => boolean, held: (task: number) => boolean): number {
    const a = this.sets.get(job);
    if (a === undefined) return -1;
    for (let i = 0; i < a.length; i++) {
      const task = a[i];
      if (task < 0) return -1;
      if (settled(task)) continue;
      return held(task) ? task : -1;
    }
    return -1;
  }
}
