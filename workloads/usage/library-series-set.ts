import type { ResourceSchema } from '../../model/resources.js';
import type { UsageSeriesSet } from '../../model/usage-series.js';

/** One library series before it is laid out: fractions per named resource, equal lengths. */
export interface NamedSeries {
  readonly name: string;
  /** Resource name ('cpu', 'memory') → fractions, one per point. */
  readonly byResource: Readonly<Record<string, Float64Array>>;
}

/** The usage libraries' grid: 5-minute points (../shared/data/README.md § Usage time series). */
export const LIBRARY_STEP_US = 300e6;

/**
 * Lays series out as a cyclic UsageSeriesSet on the workload's dimensions (found by name; a
 * dimension the library does not have is NaN), sorted by name so the set does not depend on the
 * order files were listed in. Every series starts at 0 (a one-day profile repeated).
 */
export function librarySeriesSet(source: string, series: NamedSeries[], resources: ResourceSchema, step = LIBRARY_STEP_US): UsageSeriesSet {
  const sorted = [...series].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const D = resources.names.length;
  const offsets = new Int32Array(sorted.length + 1);
  for (let s = 0; s < sorted.length; s++) {
    const first = Object.values(sorted[s].byResource)[0];
    offsets[s + 1] = offsets[s] + (first ? first.length : 0);
  }
  const values = new Float32Array(offsets[sorted.length] * D).fill(NaN);
  for (let s = 0; s < sorted.length; s++) {
    for (const [name, v] of Object.entries(sorted[s].byResource)) {
      const d = resources.names.indexOf(name);
      if (d < 0) continue;
      const base = offsets[s];
      for (let p = 0; p < v.length; p++) values[(base + p) * D + d] = v[p];
    }
  }
  return {
    source,
    dims: D,
    step,
    count: sorted.length,
    offsets,
    values,
    start: new Float64Array(sorted.length),
    cyclic: true,
    names: sorted.map((s) => s.name),
  };
}
