/** Every task of the run, one row each (requests in whole units; a missing request is 0 and flagged). */
export interface TaskRecords {
  readonly count: number;
  readonly submit: Float64Array;
  readonly start: Float64Array;
  readonly end: Float64Array;
  readonly request: Float64Array;
  /** 1 = the request was missing in the input. */
  readonly missing: Uint8Array;
  readonly priority: Int32Array;
  readonly job: Int32Array;
  readonly taskIndex: Int32Array;
  /** Node number of the latest attempt, -1 = never placed. */
  readonly node: Int32Array;
  /** A TaskStatus (model/task-status.ts). */
  readonly status: Uint8Array;
  /** Times the task was started (more than 1 after a kill and resubmission). */
  readonly attempts: Uint16Array;
  /** Kubernetes QoS class (model/qos-class.ts QosClass) and Borg band (model/priority-bands.ts PriorityBand). */
  readonly qos: Uint8Array;
  readonly band: Uint8Array;
  /** Limit per dimension (NaN = none), flat like `request`. */
  readonly limit: Float64Array;
}
