import type { UsageSeriesSet } from '../../model/usage-series.js';
import type { ResourceSchema } from '../../model/resources.js';
import { quantileTableFromSorted } from '../synthetic/quantile-table.js';
import { spearmanToNormal } from '../synthetic/copula.js';
import { decomposeSeries } from './series-decomposition.js';
import { BURST_SHAPE_COMPONENTS, COMPONENTS, FIT_GRID, type UsageProcessFit } from './usage-process-model.js';

/**
 * Fits the synthetic usage process on a usage library set: decomposes every series of each named
 * resource (series-decomposition.ts), takes each component's empirical quantiles at FIT_GRID
 * (Hyndman & Fan type 7) as its marginal (burst-shape components over the series with bursts,
 * BURST_SHAPE_COMPONENTS), and the Spearman rank correlation (average ranks for ties) between
 * every two components, over the series both are measured on, mapped to the normal-score correlation of a Gaussian
 * copula by r = 2 sin(π ρ_s / 6) (Kruskal 1958). Deterministic: the same set gives the same fit.
 * Run once on ../shared/data/usage to produce usage-process-fit.ts; test/usage-fit.test.ts refits.
 */
export function fitUsageProcess(
  profile: string,
  set: UsageSeriesSet,
  schema: ResourceSchema,
  resources: readonly string[],
  /** The measurement's upper bound, if it has one (UsageProcessFit.ceiling). */
  ceiling?: number,
): UsageProcessFit {
  const columns: Float64Array[] = [];
  let points = 0;
  for (const name of resources) {
    const d = schema.names.indexOf(name);
    if (d < 0) throw new Error(`fitUsageProcess: the set has no resource '${name}'`);
    const comps = COMPONENTS.map(() => new Float64Array(set.count));
    for (let s = 0; s < set.count; s++) {
      const from = set.offsets[s];
      const len = set.offsets[s + 1] - from;
      points = Math.max(points, len);
      const x = new Float64Array(len);
      for (let p = 0; p < len; p++) x[p] = set.values[(from + p) * set.dims + d];
      const c = decomposeSeries(x);
      COMPONENTS.forEach((k, i) => (comps[i][s] = c[k]));
    }
    columns.push(...comps);
  }
  // Which series a parameter is measured over: all, or (burst shape) those with bursts of its resource.
  const K = COMPONENTS.length;
  const hasBursts = resources.map((_, r) => Array.from(columns[r * K + COMPONENTS.indexOf('burstRate')], (v) => v > 0));
  const needs = columns.map((_, i) => (BURST_SHAPE_COMPONENTS.has(COMPONENTS[i % K]) ? Math.floor(i / K) : -1));
  const rows = (i: number, j: number): number[] => {
    const out: number[] = [];
    for (let s = 0; s < set.count; s++) {
      if ((needs[i] < 0 || hasBursts[needs[i]][s]) && (needs[j] < 0 || hasBursts[needs[j]][s])) out.push(s);
    }
    return out;
  };
  const marginals = columns.map((c, i) => {
    const sel = Float64Array.from(rows(i, i), (s) => c[s]).sort();
    return quantileTableFromSorted(sel.length > 0 ? sel : new Float64Array(1), FIT_GRID);
  });
  const correlation = columns.map((a, i) =>
    columns.map((b, j) => {
      if (i === j) return 1;
      const sel = rows(i, j);
      if (sel.length < 3) return 0;
      return spearmanToNormal(pearson(averageRanks(Float64Array.from(sel, (s) => a[s])), averageRanks(Float64Array.from(sel, (s) => b[s]))));
    }),
  );
  return { profile, seriesCount: set.count, points, resources: [...resources], marginals, correlation, ...(ceiling !== undefined ? { ceiling } : {}) };
}

/** Ranks 1..n, ties given their average rank. */
function averageRanks(v: Float64Array): Float64Array {
  const idx = Array.from(v, (_, i) => i).sort((a, b) => v[a] - v[b]);
  const r = new Float64Array(v.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && v[idx[j + 1]] === v[idx[i]]) j++;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) r[idx[k]] = avg;
    i = j + 1;
  }
  return r;
}

function pearson(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}
