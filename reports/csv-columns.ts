import { readFileSync } from 'node:fs';
import { parse, CsvError } from 'csv-parse/sync';
import { InputError } from '../model/errors.js';

/**
 * Reads a CSV file that schedlab wrote back into typed columns, checking every field: a number
 * column gets a Float64Array (empty field = NaN, allowed unless `required`), a text column a
 * string array (empty = null), an enum column only its listed values. The header must hold every
 * declared column, in any order; columns matching `extra` (e.g. `request_*`) are read as numbers.
 * A bad field is an InputError naming file, line and column and what was expected.
 *
 * The file is parsed with csv-parse (RFC 4180 quoting, as reports/csv-writer.ts writes it);
 * records are consumed as they are parsed and never kept as string arrays, so a million-row
 * tasks.csv costs its columns, not its records.
 */
export type ColumnKind = 'number' | 'text' | { oneOf: readonly string[] };

export interface ColumnDecl {
  name: string;
  kind: ColumnKind;
  /** An empty field is an error (default: allowed, NaN or null). */
  required?: boolean;
}

export interface CsvColumns {
  length: number;
  header: string[];
  numbers: Map<string, Float64Array>;
  texts: Map<string, Array<string | null>>;
}

export function readCsvColumns(file: string, columns: readonly ColumnDecl[], extra?: RegExp): CsvColumns {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError({ file, problem: `cannot read: ${(e as Error).message}` });
  }
  let rows = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) rows++;
  let header: string[] | null = null;
  let decls: Array<ColumnDecl | null> = [];
  const numbers = new Map<string, Float64Array>();
  const texts = new Map<string, Array<string | null>>();
  let slots: Array<Float64Array | Array<string | null> | null> = [];
  let n = 0;
  const fail = (line: number, column: number, d: ColumnDecl, expected: string, got: string): never => {
    throw new InputError({ file, line, column, field: d.name, expected, got });
  };
  try {
    parse(text, {
      relax_column_count: false,
      skip_empty_lines: true,
      on_record: (record: string[], ctx: { lines: number }) => {
        if (header === null) {
          header = record;
          const byName = new Map(columns.map((c) => [c.name, c]));
          for (const c of columns) {
            if (!record.includes(c.name)) throw new InputError({ file, line: 1, problem: `missing column '${c.name}' (header: ${record.join(',')})` });
          }
          decls = record.map((h) => byName.get(h) ?? (extra?.test(h) ? { name: h, kind: 'number' as const } : null));
          slots = decls.map((d) => {
            if (d === null) return null;
            if (d.kind === 'number') {
              const a = new Float64Array(rows);
              numbers.set(d.name, a);
              return a;
            }
            const a: Array<string | null> = new Array(rows);
            texts.set(d.name, a);
            return a;
          });
          return undefined;
        }
        for (let c = 0; c < record.length; c++) {
          const d = decls[c];
          if (d === null) continue;
          const v = record[c];
          if (v === '') {
            if (d.required) fail(ctx.lines, c, d, d.kind === 'number' ? 'a number' : 'a value', v);
            if (d.kind === 'number') (slots[c] as Float64Array)[n] = NaN;
            else (slots[c] as Array<string | null>)[n] = null;
          } else if (d.kind === 'number') {
            const x = Number(v);
            if (!Number.isFinite(x)) fail(ctx.lines, c, d, 'a number', v);
            (slots[c] as Float64Array)[n] = x;
          } else {
            if (d.kind !== 'text' && !d.kind.oneOf.includes(v)) fail(ctx.lines, c, d, `one of ${d.kind.oneOf.join(', ')}`, v);
            (slots[c] as Array<string | null>)[n] = v;
          }
        }
        n++;
        return undefined;
      },
    });
  } catch (e) {
    if (e instanceof CsvError) {
      const line = (e as CsvError & { lines?: number }).lines;
      throw new InputError({ file, line, problem: e.message.replace(/ on line \d+$/, '').replace(/ at line \d+$/, '') });
    }
    throw e;
  }
  if (header === null) throw new InputError({ file, problem: 'empty file: expected a header line' });
  for (const [k, a] of [...numbers]) numbers.set(k, a.subarray(0, n));
  for (const a of texts.values()) a.length = n;
  return { length: n, header, numbers, texts };
}
