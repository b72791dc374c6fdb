import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ColumnSpec, ResultsTableName, SchemaFile } from './data-dictionary.js';

/** schema.json's file name in a results folder. */
export const SCHEMA_FILE = 'schema.json';

/** The tables one results folder holds: their dictionary columns and row counts. */
export type WrittenTables = Partial<Record<ResultsTableName, { columns: readonly ColumnSpec[]; rows: number }>>;

/** Writes schema.json: per table, its two files, row count and columns (name, type, unit, nullable, meaning). */
export function writeSchemaFile(dir: string, tables: WrittenTables): void {
  const out: SchemaFile = {
    description: 'schedlab results folder: each table is NAME.csv and NAME.parquet with the same rows and columns; an empty CSV cell is a Parquet null',
    tables: {},
  };
  for (const name of ['tasks', 'timeseries', 'events', 'availability'] as const) {
    const t = tables[name];
    if (t) out.tables[name] = { files: [`${name}.csv`, `${name}.parquet`], rows: t.rows, columns: t.columns.map((c) => ({ ...c })) };
  }
  writeFileSync(join(dir, SCHEMA_FILE), JSON.stringify(out, null, 2) + '\n');
}
