import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ParquetTableWriter } from '../../reports/parquet/parquet-table-writer.js';
import type { ColumnSpec } from '../../reports/parquet/data-dictionary.js';
import { abandonOutput, beginOutput, commitOutput } from '../../model/atomic-output.js';
import { SWEEP_METRICS } from './sweep-metrics.js';
import type { SweepCellResult } from './group-stats.js';
import type { SweepGroupStat } from '../../reports/charts/sweep-charts.js';
import { cellsHeader, groupRow, GROUPS_HEADER } from './sweep-tables.js';

const col = (name: string, type: ColumnSpec['type'], unit: string, nullable: boolean, meaning: string): ColumnSpec => ({ name, type, unit, nullable, meaning });

const COORDINATE_COLUMNS: readonly ColumnSpec[] = [
  col('workload', 'string', '', false, "'synthetic' or the trace path"),
  col('nodes', 'int32', 'nodes', false, "generated nodes of the cell; 0 = the trace's own machines"),
  col('dynamics', 'string', '', false, 'node dynamics on (true) or off (false)'),
  col('overcommit', 'string', '', false, "overcommit setting as --overcommit takes it; 'none' = no overcommit"),
  col('policy', 'string', '', false, 'placement policy'),
];

/** cells.csv / cells.parquet: the cell's key and coordinates, then every metric (sweep-metrics.ts). */
export const CELLS_COLUMNS: readonly ColumnSpec[] = [
  col('cell', 'string', '', false, "SHA-256 of the cell's full replay spec: its file cells/<cell>.json"),
  ...COORDINATE_COLUMNS,
  col('seed', 'float64', '', false, 'random seed (up to 2^32 − 1: stored as a double, exact)'),
  ...SWEEP_METRICS.map((m) => col(m.name, 'float64', m.unit, true, m.meaning)),
];

/** groups.csv / groups.parquet: per group and metric, the mean over seeds and its 95 % t interval. */
export const GROUPS_COLUMNS: readonly ColumnSpec[] = [
  ...COORDINATE_COLUMNS,
  col('metric', 'string', '', false, 'a cells.csv metric column'),
  col('unit', 'string', '', false, "the metric's unit"),
  col('n', 'int32', 'seeds', false, 'seeds the mean is over'),
  col('missing', 'int32', 'seeds', false, "seeds of the group whose run did not model the metric (left out of the mean)"),
  col('mean', 'float64', 'the unit', true, 'mean over the n seeds; empty when n = 0'),
  col('sd', 'float64', 'the unit', true, 'sample standard deviation (n − 1); empty when n < 2'),
  col('ci95_low', 'float64', 'the unit', true, '95 % confidence interval of the mean, t distribution: mean − t(0.975, n−1)·sd/√n; empty when n < 2'),
  col('ci95_high', 'float64', 'the unit', true, 'upper end of the same interval'),
  col('baseline', 'string', '', true, "the policy this group is compared with, seed by seed (the sweep's first policy at the same workload, nodes, dynamics, overcommit); empty for the baseline"),
  col('diff_n', 'int32', 'seeds', false, 'seeds where both this group and the baseline measured the metric'),
  col('diff_mean', 'float64', 'the unit', true, 'mean over those seeds of (this value − the baseline value); empty for the baseline or fewer than 2 pairs'),
  col('diff_ci95_low', 'float64', 'the unit', true, '95 % t confidence interval of that mean difference (paired): an interval excluding 0 is a difference the seeds support'),
  col('diff_ci95_high', 'float64', 'the unit', true, 'upper end of the same interval'),
];

/**
 * Writes cells.parquet and groups.parquet (reports/parquet/parquet-table-writer.ts, typed by the
 * columns above, which must match the CSV headers) and schema.json, their data dictionary; each
 * file through a registered temporary renamed into place (model/atomic-output.ts), so an interrupt
 * leaves none behind.
 */
export async function writeSweepParquet(dir: string, cells: readonly SweepCellResult[], groups: readonly SweepGroupStat[]): Promise<void> {
  check(cellsHeader(), CELLS_COLUMNS);
  check(GROUPS_HEADER, GROUPS_COLUMNS);
  await writeTable(join(dir, 'cells.parquet'), CELLS_COLUMNS, cells.map((c) => [c.key, c.workload, c.nodes, String(c.dynamics), c.overcommit, c.policy, c.seed, ...SWEEP_METRICS.map((m) => m.of(c.summary))]));
  await writeTable(join(dir, 'groups.parquet'), GROUPS_COLUMNS, groups.map(groupRow));
  const schema = {
    description: 'schedlab sweep tables: every table is NAME.csv and NAME.parquet with these columns (empty CSV cell = Parquet null = not measured)',
    tables: {
      cells: { files: ['cells.csv', 'cells.parquet'], rows: cells.length, columns: CELLS_COLUMNS },
      groups: { files: ['groups.csv', 'groups.parquet'], rows: groups.length, columns: GROUPS_COLUMNS },
    },
  };
  const target = join(dir, 'schema.json');
  const tmp = beginOutput(target, 'file');
  try {
    writeFileSync(tmp, JSON.stringify(schema, null, 2) + '\n');
    commitOutput(tmp, target);
  } catch (e) {
    abandonOutput(tmp);
    throw e;
  }
}

async function writeTable(target: string, columns: readonly ColumnSpec[], rows: ReadonlyArray<ReadonlyArray<string | number | null>>): Promise<void> {
  const tmp = beginOutput(target, 'file');
  try {
    const w = new ParquetTableWriter(tmp, columns);
    for (const r of rows) await w.row(r);
    await w.close();
    commitOutput(tmp, target);
  } catch (e) {
    abandonOutput(tmp);
    throw e;
  }
}

/** The Parquet columns are the CSV's, in order: a column added to one and not the other is a bug, caught at once. */
function check(header: readonly string[], columns: readonly ColumnSpec[]): void {
  const names = columns.map((c) => c.name);
  if (names.join(',') !== header.join(',')) throw new Error(`sweep tables: the CSV header (${header.join(',')}) differs from the Parquet columns (${names.join(',')})`);
}
