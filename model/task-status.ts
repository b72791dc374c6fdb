/** Where a task of a run stands: the simulator records it, reports read it (tasks.csv `status`). */
export enum TaskStatus {
  Pending = 0,
  Running = 1,
  Finished = 2,
  /** Killed by a machine removal and resubmitted; the record keeps its latest attempt. */
  Killed = 3,
  /** Evicted (kubelet, preemption, node loss, scale-down drain); waits for its controller to recreate it (then Pending again). */
  Evicted = 4,
  /** Ended for good by its controller: a Job past its backoffLimit or activeDeadlineSeconds, a pod that may not restart. */
  Failed = 5,
  /** Refused by admission (a quota) and never created. */
  Rejected = 6,
}
