/**
 * Usage over time as step-wise constant series on a fixed grid: a set of series (from a trace, a
 * usage library of real series, or a synthetic process), each point holding one value per
 * resource dimension. Values are fractions of the task's usage scale (TaskBatch.usageScale, by
 * default its request): 1 = using exactly the request. They may exceed 1 (memory growing past a
 * request, CPU demand past a limit); NaN = this dimension unknown at this point.
 *
 * Time: point p of series s covers [start[s] + p·step, start[s] + (p+1)·step) µs. A `cyclic` set
 * (a one-day library profile) repeats with its length; a non-cyclic one (a trace's readings) is
 * unknown (NaN) outside its points.
 */
export interface UsageSeriesSet {
  /** Where the series come from, for the report, e.g. 'library:gcd', 'trace:vm_cpu_readings'. */
  readonly source: string;
  /** Dimensions per point (the workload's resource schema). */
  readonly dims: number;
  /** Grid step, µs (300e6 for the 5-minute series of the traces and the library). */
  readonly step: number;
  /** Series count. */
  readonly count: number;
  /** Series s has points offsets[s] .. offsets[s+1]-1 (offsets.length = count + 1). */
  readonly offsets: Int32Array;
  /** Point values, `(point * dims + d)`, fractions of the usage scale. */
  readonly values: Float32Array;
  /** Absolute time (µs) of each series' first point. */
  readonly start: Float64Array;
  readonly cyclic: boolean;
  /** Optional names (file or VM id), for errors and reports. */
  readonly names?: readonly string[];
}
