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
 * RFC 4180 as reports/csv-writer.ts writes it. A record without a double quote is split on commas
 * directly (nearly every row schedlab writes: ~10× faster than a general parser, which matters
 * for million-row tasks.csv files); a record holding one — a quoted field, possibly spanning lines —
 * is complete when its quotes balance and is parsed by csv-parse. Records are consumed as they are
 * read, never kept as string arrays.
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

/** Fields of one record holding quotes, by csv-parse. */
function parseQuoted(file: string, record: string, line: number): string[] {
  try {
    const rows = parse(record, { relax_column_count: true }) as string[][];
    if (rows.length !== 1) throw new InputError({ file, line, problem: `expected one record, found ${rows.length}` });
    return rows[0];
  } catch (e) {
    if (e instanceof CsvError) throw new InputError({ file, line, problem: e.message.replace(/ (on|at) line \d+$/, '') });
    throw e;
  }
}

function countQuotes(s: string): number {
  let q = 0;
  for (let i = s.indexOf('"'); i >= 0; i = s.indexOf('"', i + 1)) q++;
  return q;
}

export function readCsvColumns(file: string, columns: readonly ColumnDecl[], extra?: RegExp): CsvColumns {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError({ file, problem: `cannot read: ${(e as Error).message}` });
  }
  const lines = text.split('\n');
  let header: string[] | null = null;
  let decls: Array<ColumnDecl | null> = [];
  const numbers = new Map<string, Float64Array>();
  const texts = new Map<string, Array<string | null>>();
  let slots: Array<Float64Array | Array<string | null> | null> = [];
  let n = 0;
  const fail = (line: number, column: number, d: ColumnDecl, expected: string, got: string): never => {
    throw new InputError({ file, line, column, field: d.name, expected, got });
  };

  const takeHeader = (record: string[], line: number) => {
    header = record;
    const byName = new Map(columns.map((c) => [c.name, c]));
    for (const c of columns) {
      if (!record.includes(c.name)) throw new InputError({ file, line, problem: `missing column '${c.name}' (header: ${record.join(',')})` });
    }
    const rows = lines.length;
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
  };

  const takeRow = (record: string[], line: number) => {
    if (record.length !== decls.length) throw new InputError({ file, line, problem: `expected ${decls.length} fields (as the header), got ${record.length}` });
    for (let c = 0; c < record.length; c++) {
      const d = decls[c];
      if (d === null) continue;
      const v = record[c];
      if (v === '') {
        if (d.required) fail(line, c, d, d.kind === 'number' ? 'a number' : 'a value', v);
        if (d.kind === 'number') (slots[c] as Float64Array)[n] = NaN;
        else (slots[c] as Array<string | null>)[n] = null;
      } else if (d.kind === 'number') {
        const x = Number(v);
        if (!Number.isFinite(x)) fail(line, c, d, 'a number', v);
        (slots[c] as Float64Array)[n] = x;
      } else {
        if (d.kind !== 'text' && !d.kind.oneOf.includes(v)) fail(line, c, d, `one of ${d.kind.oneOf.join(', ')}`, v);
        (slots[c] as Array<string | null>)[n] = v;
      }
    }
    n++;
  };

  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let s = lines[i];
    let record: string[];
    if (s.includes('"')) {
      // A quoted field may hold newlines: extend the record until its quotes balance.
      let q = countQuotes(s);
      while (q % 2 === 1) {
        if (i + 1 >= lines.length) throw new InputError({ file, line: start, problem: 'a quoted field is not closed' });
        s += '\n' + lines[++i];
        q += countQuotes(lines[i]);
      }
      record = parseQuoted(file, s.endsWith('\r') ? s.slice(0, -1) : s, start);
    } else {
      if (s.endsWith('\r')) s = s.slice(0, -1);
      if (s === '') continue;
      record = s.split(',');
    }
    if (header === null) takeHeader(record, start);
    else takeRow(record, start);
  }
  if (header === null) throw new InputError({ file, problem: 'empty file: expected a header line' });
  for (const [k, a] of [...numbers]) numbers.set(k, a.subarray(0, n));
  for (const a of texts.values()) a.length = n;
  return { length: n, header, numbers, texts };
}
