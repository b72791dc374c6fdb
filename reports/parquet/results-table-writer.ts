import { CsvWriter } from '../csv-writer.js';
import type { ColumnSpec } from './data-dictionary.js';
import { ParquetTableWriter } from './parquet-table-writer.js';

type Cell = string | number | null | undefined;

/**
 * Writes one results table twice from the same rows: NAME.csv (reports/csv-writer.ts) and
 * NAME.parquet beside it, typed by the data dictionary. The CSV header must be the dictionary's
 * column names, in order — a column added to one and not the other stops the write at once
 * instead of shipping a schema.json that lies.
 */
export class ResultsTableWriter {
  private readonly csv: CsvWriter;
  private readonly parquet: ParquetTableWriter;
  rows = 0;

  constructor(csvPath: string, header: readonly string[], columns: readonly ColumnSpec[]) {
    const names = columns.map((c) => c.name);
    if (names.length !== header.length || names.some((n, i) => n !== header[i])) {
      throw new Error(`results table ${csvPath}: the CSV header (${header.join(',')}) differs from the data dictionary (${names.join(',')})`);
    }
    if (!csvPath.endsWith('.csv')) throw new Error(`results table ${csvPath}: expected a .csv path`);
    this.parquet = new ParquetTableWriter(csvPath.slice(0, -'.csv'.length) + '.parquet', columns);
    this.csv = new CsvWriter(csvPath, header);
  }

  async row(values: readonly Cell[]): Promise<void> {
    this.rows++;
    await this.parquet.row(values);
    await this.csv.row(values);
  }

  async close(): Promise<void> {
    await Promise.all([this.csv.close(), this.parquet.close()]);
  }
}
