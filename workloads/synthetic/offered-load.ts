/**
 * Offered (requested) load of a workload over a window: for each dimension,
 *   Σ_tasks request · min(duration, window − submit)  /  (Σ_machines capacity · window),
 * counting only tasks submitted inside the window and treating a NaN duration as "runs to the end".
 * It ignores queueing: it is the load the cluster would carry if every task started on submit.
 */
import type { Workload } from '../workload.js';

export interface OfferedLoad {
  /** Per dimension (workload.resources order); NaN where the cluster has no capacity. */
  load: number[];
  tasks: number;
  windowUs: number;
}

export async function offeredLoad(workload: Workload, windowUs: number): Promise<OfferedLoad> {
  const dims = workload.resources.names.length;
  const demand = new Float64Array(dims);
  const capacity = new Float64Array(dims);
  for (const m of workload.machines) for (let d = 0; d < dims; d++) capacity[d] += m.capacity[d] ?? 0;
  let tasks = 0;
  for await (const b of workload.taskBatches()) {
    for (let i = 0; i < b.count; i++) {
      const t = b.submitTime[i];
      if (t >= windowUs) continue;
      const left = windowUs - t;
      const dur = b.duration[i];
      const run = Number.isNaN(dur) ? left : Math.min(dur, left);
      for (let d = 0; d < dims; d++) {
        const r = b.request[i * dims + d];
        if (!Number.isNaN(r)) demand[d] += r * run;
      }
      tasks++;
    }
  }
  const load = Array.from(demand, (x, d) => (capacity[d] > 0 ? x / (capacity[d] * windowUs) : NaN));
  return { load, tasks, windowUs };
}
