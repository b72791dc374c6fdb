/** Where a task of a run stands: the simulator records it, reports read it (tasks.csv `status`). */
export enum TaskStatus {
  Pending = 0,
  Running = 1,
  Finished = 2,
  /** Killed by a machine removal and resubmitted; the record keeps its latest attempt. */
  Killed = 3,
  /** Evicted by the kubelet; waits for its controller to recreate it (then Pending again). */
  Evicted = 4,
}
