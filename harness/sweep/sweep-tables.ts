import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvField } from '../../reports/csv-writer.js';
import { SWEEP_METRICS } from './sweep-metrics.js';
import type { SweepCellResult } from './group-stats.js';
import type { SweepGroupStat } from '../../reports/charts/sweep-charts.js';

/** The tables a sweep writes in its folder. */
export const SWEEP_TABLES = { cells: 'cells.csv', groups: 'groups.csv' } as const;

const COORDINATES = ['workload', 'nodes', 'dynamics', 'overcommit', 'policy', 'seed'] as const;

/** cells.csv's header: the cell's key, its coordinates, then one column per metric (unit in the name). */
export function cellsHeader(): string[] {
  return ['cell', ...COORDINATES, ...SWEEP_METRICS.map((m) => m.name)];
}

/** cells.csv: one row per cell in grid order (tidy: one observation per row, one variable per column; empty = not modeled). */
export function cellsCsv(cells: readonly SweepCellResult[]): string {
  const lines = [cellsHeader().join(',')];
  for (const c of cells) {
    const row: Array<string | number | null> = [c.key, c.workload, c.nodes, String(c.dynamics), c.overcommit, c.policy, c.seed, ...SWEEP_METRICS.map((m) => m.of(c.summary))];
    lines.push(row.map(csvField).join(','));
  }
  return lines.join('\n') + '\n';
}

export const GROUPS_HEADER = ['workload', 'nodes', 'dynamics', 'overcommit', 'policy', 'metric', 'unit', 'n', 'missing', 'mean', 'sd', 'ci95_low', 'ci95_high', 'baseline', 'diff_n', 'diff_mean', 'diff_ci95_low', 'diff_ci95_high'];

/** A groups.csv / groups.parquet row, in GROUPS_HEADER order. */
export function groupRow(g: SweepGroupStat): Array<string | number | null> {
  return [g.workload, g.nodes, String(g.dynamics), g.overcommit, g.policy, g.metric, g.unit, g.n, g.missing, g.mean, g.sd, g.ci95Low, g.ci95High, g.baseline, g.diffN, g.diffMean, g.diffCi95Low, g.diffCi95High];
}

/** groups.csv: per group × metric, the seeds counted, mean, sample sd and 95 % t interval, and the paired difference with the baseline policy (long format). */
export function groupsCsv(stats: readonly SweepGroupStat[]): string {
  const lines = [GROUPS_HEADER.join(',')];
  for (const g of stats) {
    lines.push(groupRow(g).map(csvField).join(','));
  }
  return lines.join('\n') + '\n';
}

/** Writes `text` to dir/name through a hidden temporary renamed into place (one synchronous step: Ctrl-C never leaves half a file). */
export function writeWhole(dir: string, name: string, text: string): void {
  const tmp = join(dir, `.${name}.partial-${process.pid}`);
  writeFileSync(tmp, text);
  renameSync(tmp, join(dir, name));
}
