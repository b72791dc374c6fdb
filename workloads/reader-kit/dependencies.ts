import type { Workload } from '../../model/workload.js';

/**
 * Run-after dependencies some traces record (Alibaba 2018 DAGs in task names, Google 2019
 * start_after_collection_ids): `startAfter[job]` lists the jobs (indices into Workload.jobs) that
 * must finish before `job` may start. The replay does not enforce them (TaskBatch has no such field):
 * every task arrives at its recorded time, which in the trace already comes after its parents
 * finished. They are kept for analyses and for a future dependency-aware replay.
 */
export interface WorkloadDependencies {
  startAfter: Array<number[] | undefined>;
}

export type WorkloadWithDependencies = Workload & Partial<WorkloadDependencies>;
