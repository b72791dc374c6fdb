import type { ChartSpec } from './chart-spec.js';
import { InputError } from '../../model/errors.js';
import { readCsvColumns } from '../csv-columns.js';
import { baseSpec, round6 } from './vega-lite-base.js';

/**
 * The FGD experiment's figure (Weng et al., USENIX ATC'23, Fig. 9(a); protocol in
 * ../shared/docs/experiments.md): allocated share of the cluster's GPU capacity against the
 * arrived GPU demand (0, 1, …, max % of capacity), one line per policy — the mean over seeds —
 * with the min–max range over seeds as a band, and the diagonal where every arrived GPU is
 * allocated. The records are what `experiment fgd` produces (harness/experiments/fgd-experiment.ts
 * FgdExperimentResult: curves[seed][percent]) or its --out curves.csv read back.
 */
export interface FgdCurves {
  seeds: readonly number[];
  results: ReadonlyArray<{ policy: string; curves: ReadonlyArray<ArrayLike<number>> }>;
}

export function fgdAllocationChart(res: FgdCurves): ChartSpec {
  const values: Array<{ policy: string; arrived_pct: number; mean_pct: number; min_pct: number; max_pct: number }> = [];
  let maxPercent = 0;
  for (const r of res.results) {
    const len = Math.min(...r.curves.map((c) => c.length));
    maxPercent = Math.max(maxPercent, len - 1);
    for (let x = 0; x < len; x++) {
      let sum = 0, min = Infinity, max = -Infinity;
      for (const c of r.curves) {
        sum += c[x];
        min = Math.min(min, c[x]);
        max = Math.max(max, c[x]);
      }
      values.push({ policy: r.policy, arrived_pct: x, mean_pct: round6((100 * sum) / r.curves.length), min_pct: round6(100 * min), max_pct: round6(100 * max) });
    }
  }
  const policies = res.results.map((r) => r.policy);
  const x = { field: 'arrived_pct', type: 'quantitative', title: 'arrived GPU demand (% of cluster GPU capacity)', scale: { domain: [0, maxPercent] } };
  const color = { field: 'policy', type: 'nominal', title: 'policy', sort: policies };
  const seeds = res.seeds.length;
  return {
    name: 'fgd-allocation',
    title: 'GPU allocation as demand arrives',
    caption: `Allocated share of GPU capacity against arrived GPU demand, mean over ${seeds} seed${seeds === 1 ? '' : 's'} per policy (band: min–max over seeds); dashed: every arrived GPU allocated.`,
    spec: baseSpec('GPU allocation as demand arrives', values, {
      width: 600,
      height: 320,
      // The band's legend is off; with the layers' legends shared, that would hide the lines' too.
      resolve: { legend: { color: 'independent' } },
      layer: [
        {
          data: { values: [{ arrived_pct: 0, ideal_pct: 0 }, { arrived_pct: Math.min(100, maxPercent), ideal_pct: Math.min(100, maxPercent) }] },
          mark: { type: 'line', strokeDash: [4, 4], color: '#999999' },
          encoding: { x, y: { field: 'ideal_pct', type: 'quantitative' } },
        },
        { mark: { type: 'area', opacity: 0.2 }, encoding: { x, y: { field: 'min_pct', type: 'quantitative', stack: null }, y2: { field: 'max_pct' }, color: { ...color, legend: null } } },
        {
          mark: 'line',
          encoding: { x, y: { field: 'mean_pct', type: 'quantitative', title: 'allocated GPUs (% of cluster GPU capacity)', scale: { domain: [0, 100] } }, color },
        },
      ],
    }),
  };
}

/** `experiment fgd --out DIR`'s curves.csv (policy, seed, arrived_gpu_percent, allocated_gpu_share) back into curves. */
export function readFgdCurvesCsv(file: string): FgdCurves {
  const t = readCsvColumns(file, [
    { name: 'policy', kind: 'text', required: true },
    { name: 'seed', kind: 'number', required: true },
    { name: 'arrived_gpu_percent', kind: 'number', required: true },
    { name: 'allocated_gpu_share', kind: 'number', required: true },
  ]);
  const policy = t.texts.get('policy')!;
  const seed = t.numbers.get('seed')!;
  const pct = t.numbers.get('arrived_gpu_percent')!;
  const share = t.numbers.get('allocated_gpu_share')!;
  const byPolicy = new Map<string, Map<number, number[]>>();
  const seeds: number[] = [];
  for (let i = 0; i < t.length; i++) {
    const p = policy[i]!;
    let bySeed = byPolicy.get(p);
    if (!bySeed) byPolicy.set(p, (bySeed = new Map()));
    let curve = bySeed.get(seed[i]);
    if (!curve) bySeed.set(seed[i], (curve = []));
    if (!seeds.includes(seed[i])) seeds.push(seed[i]);
    if (pct[i] !== curve.length) {
      throw new InputError({ file, line: i + 2, field: 'arrived_gpu_percent', expected: `${curve.length} (each curve runs 0, 1, 2, … in order)`, got: String(pct[i]) });
    }
    if (!(share[i] >= 0 && share[i] <= 1)) throw new InputError({ file, line: i + 2, field: 'allocated_gpu_share', expected: 'a share from 0 to 1', got: String(share[i]) });
    curve.push(share[i]);
  }
  if (t.length === 0) throw new InputError({ file, problem: 'no curve rows' });
  return { seeds, results: [...byPolicy].map(([p, bySeed]) => ({ policy: p, curves: [...bySeed.values()] })) };
}
