import type { TaskBatch } from '../../model/task-batch.js';
import type { TaskColumns } from './task-columns.js';

/**
 * Per task of a TaskColumns store (in push order): the usage series it reads (an index into
 * Workload.usageSeries, -1 = none) and, optionally, the scale its usage fractions are relative to
 * (flat, `task * dims + d`; NaN = its request). Tasks pushed after the arrays were made (beyond
 * their length) have none.
 */
export interface TaskUsageSeries {
  series: Int32Array;
  scale?: Float64Array;
}

/**
 * The store's batches (TaskColumns.batches, submit-time order) with TaskBatch.usageSeries and
 * usageScale filled from `usage`. The order is recomputed with TaskColumns.order(), the same stable
 * sort batches() uses, so row k of a batch is task order[from + k].
 */
export function* batchesWithUsageSeries(cols: TaskColumns, batchSize: number, usage: TaskUsageSeries | undefined): Generator<TaskBatch> {
  if (usage === undefined) {
    yield* cols.batches(batchSize);
    return;
  }
  const order = cols.order();
  const D = cols.dims;
  let from = 0;
  for (const b of cols.batches(batchSize)) {
    const n = b.count;
    const series = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      const i = order[from + k];
      series[k] = i < usage.series.length ? usage.series[i] : -1;
    }
    b.usageSeries = series;
    if (usage.scale !== undefined) {
      const scale = new Float64Array(n * D);
      for (let k = 0; k < n; k++) {
        const i = order[from + k];
        for (let d = 0; d < D; d++) scale[k * D + d] = i * D + d < usage.scale.length ? usage.scale[i * D + d] : NaN;
      }
      b.usageScale = scale;
    }
    from += n;
    yield b;
  }
}
