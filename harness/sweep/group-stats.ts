import { meanInterval } from './confidence-interval.js';
import { SWEEP_METRICS } from './sweep-metrics.js';
import type { CellCoordinates } from './sweep-grid.js';
import type { RunSummary } from '../../reports/summary.js';
import type { SweepGroupStat } from '../../reports/charts/sweep-charts.js';

/** A finished cell: its coordinates and its replay's summary. */
export interface SweepCellResult extends CellCoordinates {
  key: string;
  summary: RunSummary;
}

/**
 * Per group — every coordinate but the seed — and metric: the number of seeds, the mean and its
 * 95 % t interval (confidence-interval.ts). A metric a cell did not model (null) is left out of
 * that group's figure and counted in `missing`, so the table says when a mean rests on fewer seeds.
 * Groups come in the order their first cell has in the grid. Each non-baseline group also gets the
 * paired difference with the baseline policy, seed by seed (SweepGroupStat.baseline): the test a
 * comparison of policies needs, since one seed's workload moves every policy alike.
 */
export function groupStats(cells: readonly SweepCellResult[]): SweepGroupStat[] {
  const groups = new Map<string, SweepCellResult[]>();
  for (const c of cells) {
    const k = JSON.stringify([c.workload, c.nodes, c.dynamics, c.overcommit, c.policy]);
    const g = groups.get(k);
    if (g) g.push(c);
    else groups.set(k, [c]);
  }
  // The baseline of each workload × size × dynamics × overcommit: the policy of its first group (the config's first policy).
  const baselines = new Map<string, SweepCellResult[]>();
  for (const g of groups.values()) {
    const k = JSON.stringify([g[0].workload, g[0].nodes, g[0].dynamics, g[0].overcommit]);
    if (!baselines.has(k)) baselines.set(k, g);
  }
  const value = (c: SweepCellResult | undefined, of: (s: RunSummary) => number | null): number | null => {
    const v = c === undefined ? null : of(c.summary);
    return v !== null && Number.isFinite(v) ? v : null;
  };
  const out: SweepGroupStat[] = [];
  for (const g of groups.values()) {
    const { workload, policy, overcommit, nodes, dynamics } = g[0];
    const base = baselines.get(JSON.stringify([workload, nodes, dynamics, overcommit]))!;
    const isBase = base === g;
    const baseBySeed = new Map(base.map((c) => [c.seed, c]));
    for (const m of SWEEP_METRICS) {
      const values = g.map((c) => value(c, m.of)).filter((v): v is number => v !== null);
      const missing = g.length - values.length;
      const ci = values.length === 0 ? null : meanInterval(values);
      // Paired by seed: only seeds where both runs measured the metric.
      const diffs = isBase ? [] : g.flatMap((c) => {
        const a = value(c, m.of);
        const b = value(baseBySeed.get(c.seed), m.of);
        return a !== null && b !== null ? [a - b] : [];
      });
      const d = diffs.length >= 2 ? meanInterval(diffs) : null;
      out.push({
        workload, policy, overcommit, nodes, dynamics, metric: m.name, unit: m.unit,
        n: ci?.n ?? 0, missing, mean: ci?.mean ?? null, sd: ci?.sd ?? null, ci95Low: ci?.low ?? null, ci95High: ci?.high ?? null,
        baseline: isBase ? null : base[0].policy,
        diffN: diffs.length,
        diffMean: d?.mean ?? null,
        diffCi95Low: d?.low ?? null,
        diffCi95High: d?.high ?? null,
      });
    }
  }
  return out;
}
