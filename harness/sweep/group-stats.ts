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
 * Groups come in the order their first cell has in the grid.
 */
export function groupStats(cells: readonly SweepCellResult[]): SweepGroupStat[] {
  const groups = new Map<string, SweepCellResult[]>();
  for (const c of cells) {
    const k = JSON.stringify([c.workload, c.nodes, c.dynamics, c.overcommit, c.policy]);
    const g = groups.get(k);
    if (g) g.push(c);
    else groups.set(k, [c]);
  }
  const out: SweepGroupStat[] = [];
  for (const g of groups.values()) {
    const { workload, policy, overcommit, nodes, dynamics } = g[0];
    for (const m of SWEEP_METRICS) {
      const values = g.map((c) => m.of(c.summary)).filter((v): v is number => v !== null && Number.isFinite(v));
      const missing = g.length - values.length;
      if (values.length === 0) {
        out.push({ workload, policy, overcommit, nodes, dynamics, metric: m.name, unit: m.unit, n: 0, missing, mean: null, sd: null, ci95Low: null, ci95High: null });
        continue;
      }
      const ci = meanInterval(values);
      out.push({ workload, policy, overcommit, nodes, dynamics, metric: m.name, unit: m.unit, n: ci.n, missing, mean: ci.mean, sd: ci.sd, ci95Low: ci.low, ci95High: ci.high });
    }
  }
  return out;
}
