import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { InputError } from '../../model/errors.js';

/**
 * A small headed CSV table read whole (the openb files are under 1 MB), with the header checked
 * against the expected column names and every row checked for its column count. Line numbers are
 * kept per row so field errors can point at the exact line.
 */
export interface CsvTable {
  file: string;
  header: string[];
  rows: string[][];
  /** 1-based line number of each row in the file. */
  lines: number[];
}

interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

/**
 * Reads `file` and checks its first line against one of `headers` (exact names, in order).
 * Throws InputError on an unreadable CSV (e.g. an unclosed quote), a wrong header or a row with
 * the wrong number of columns.
 */
export function readCsvTable(file: string, headers: ReadonlyArray<readonly string[]>, what: string): CsvTable {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError({ file, problem: `cannot read ${what}: ${(e as Error).message}` });
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let parsed: ParsedRecord[];
  try {
    parsed = parse(text, { relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as ParsedRecord[];
  } catch (e) {
    const err = e as Error & { lines?: number };
    throw new InputError({ file, line: err.lines, problem: `not a valid CSV file: ${err.message}` });
  }
  if (parsed.length === 0) throw new InputError({ file, problem: `empty file: expected a ${what} with a header row` });
  const header = parsed[0].record.map((h) => h.trim());
  const match = headers.find((h) => h.length === header.length && h.every((name, i) => name === header[i]));
  if (match === undefined) {
    throw new InputError({
      file,
      line: parsed[0].info.lines,
      problem: `not a ${what}: expected the header "${headers[0].join(',')}", got "${header.join(',').slice(0, 120)}"`,
    });
  }
  const rows: string[][] = [];
  const lines: number[] = [];
  for (let i = 1; i < parsed.length; i++) {
    const r = parsed[i];
    if (r.record.length !== header.length) {
      throw new InputError({
        file,
        line: r.info.lines,
        problem: `expected ${header.length} columns (${header.join(',')}), got ${r.record.length}`,
        reason: 'wrong column count',
      });
    }
    rows.push(r.record);
    lines.push(r.info.lines);
  }
  return { file, header, rows, lines };
}

/** Field parsing with the file/line/column context an InputError needs. */
export class FieldReader {
  constructor(
    private readonly table: CsvTable,
    private row = 0,
  ) {}

  at(row: number): this {
    this.row = row;
    return this;
  }

  private fail(col: number, expected: string, got: string): never {
    throw new InputError({
      file: this.table.file,
      line: this.table.lines[this.row],
      column: col,
      field: this.table.header[col],
      expected,
      got,
    });
  }

  /** The raw text of column `col`. */
  text(col: number): string {
    return this.table.rows[this.row][col];
  }

  /** A whole number in [min, max]; empty is an error. */
  int(col: number, min: number, max: number): number {
    const s = this.table.rows[this.row][col];
    if (!/^-?\d+$/.test(s)) this.fail(col, `a whole number ${describeRange(min, max)}`, s);
    const n = Number(s);
    if (n < min || n > max) this.fail(col, `a whole number ${describeRange(min, max)}`, s);
    return n;
  }

  /** Like int, but an empty field is NaN (missing). */
  optionalInt(col: number, min: number, max: number): number {
    return this.table.rows[this.row][col] === '' ? NaN : this.int(col, min, max);
  }

  /** One of `choices`, exactly. */
  choice<T extends string>(col: number, choices: readonly T[]): T {
    const s = this.table.rows[this.row][col];
    if (!(choices as readonly string[]).includes(s)) this.fail(col, `one of ${choices.join(', ')}`, s);
    return s as T;
  }

  /** Reports a value that parsed but breaks a rule across fields. */
  invalid(col: number, expected: string): never {
    this.fail(col, expected, this.table.rows[this.row][col]);
  }
}

function describeRange(min: number, max: number): string {
  if (max === Number.MAX_SAFE_INTEGER) return min === 0 ? '≥ 0' : `≥ ${min}`;
  return `${min}–${max}`;
}
