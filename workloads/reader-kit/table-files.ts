import { readdirSync, statSync, existsSync } from 'node:fs';
import * as path from 'node:path';

const byName = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

function isDir(p: string): boolean {
  return existsSync(p) && statSync(p).isDirectory();
}

/**
 * The files of one table inside a trace folder, in name order, for layouts the public traces use:
 * a subfolder named after the table (`vm_cpu_readings/…-file-1-of-195.csv.gz`), or files beside
 * each other whose names start with the table name (`instance_events-000000000000.json.gz`,
 * `machine_usage.subset.csv`). `ext` filters by extension (e.g. /\.csv(\.gz)?$/). [] = absent.
 */
export function findTableFiles(dir: string, table: string, ext: RegExp): string[] {
  const sub = path.join(dir, table);
  if (isDir(sub)) {
    return readdirSync(sub)
      .filter((n) => !n.startsWith('.') && ext.test(n) && statSync(path.join(sub, n)).isFile())
      .sort(byName)
      .map((n) => path.join(sub, n));
  }
  if (!isDir(dir)) return [];
  const prefix = new RegExp(`^${table.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([-_.].*)?$`);
  return readdirSync(dir)
    .filter((n) => prefix.test(n) && ext.test(n) && statSync(path.join(dir, n)).isFile())
    .sort(byName)
    .map((n) => path.join(dir, n));
}

/** The table a single file belongs to, from its name (or its folder's name), among `tables`. */
export function tableOfFile(file: string, tables: readonly string[]): string | null {
  const base = path.basename(file);
  const folder = path.basename(path.dirname(file));
  // Longest names first, so machine_usage is not taken for machine_meta's prefix and vice versa.
  const sorted = [...tables].sort((a, b) => b.length - a.length);
  for (const t of sorted) if (base === t || base.startsWith(`${t}.`) || base.startsWith(`${t}-`) || base.startsWith(`${t}_`)) return t;
  for (const t of sorted) if (folder === t) return t;
  return null;
}

export { isDir };
