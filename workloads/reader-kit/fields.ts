import { BadRowTally, type OnBadRow } from './bad-rows.js';
import { InputError } from '../../model/errors.js';

/** Where a row is: enough for InputError to name the file and line. */
export interface RowPlace {
  file: string;
  /** 1-based line number in the decompressed file. */
  line: number;
}

export interface NumberRule {
  /** Column index (0-based, as in the format tables) and its name. */
  column: number;
  field: string;
  /** Empty text (or one of `missing`) gives NaN instead of an error. */
  optional?: boolean;
  /** Texts that mean "missing" besides the empty string (SWF's -1, Alibaba's -1/101). */
  missing?: readonly string[];
  integer?: boolean;
  min?: number;
  max?: number;
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** Parses one numeric field or throws an InputError naming file, line, column and expectation. */
export function parseNumber(text: string | undefined, at: RowPlace, rule: NumberRule): number {
  const t = text === undefined ? '' : text.trim();
  if (t === '' || (rule.missing !== undefined && rule.missing.includes(t))) {
    if (rule.optional) return NaN;
    throw new InputError({
      file: at.file,
      line: at.line,
      column: rule.column,
      field: rule.field,
      expected: rule.integer ? 'an integer' : 'a number',
      got: t,
      reason: `${rule.field}: missing`,
    });
  }
  // Infinity (a text such as 1e999) is not a value any trace field can hold.
  const v = NUMBER.test(t) ? Number(t) : NaN;
  const expected = describeRule(rule);
  if (!Number.isFinite(v) || (rule.integer && !Number.isInteger(v))) {
    throw new InputError({
      file: at.file,
      line: at.line,
      column: rule.column,
      field: rule.field,
      expected,
      got: t,
      reason: `${rule.field}: not ${rule.integer ? 'an integer' : 'a number'}`,
    });
  }
  if ((rule.min !== undefined && v < rule.min) || (rule.max !== undefined && v > rule.max)) {
    throw new InputError({
      file: at.file,
      line: at.line,
      column: rule.column,
      field: rule.field,
      expected,
      got: t,
      reason: `${rule.field}: out of range`,
    });
  }
  return v;
}

function describeRule(r: NumberRule): string {
  const what = r.integer ? 'an integer' : 'a number';
  if (r.min !== undefined && r.max !== undefined) return `${what} ${r.min}–${r.max}`;
  if (r.min !== undefined) return `${what} ≥ ${r.min}`;
  if (r.max !== undefined) return `${what} ≤ ${r.max}`;
  return what;
}

/** A required, non-empty text field. */
export function parseText(text: string | undefined, at: RowPlace, column: number, field: string): string {
  const t = text === undefined ? '' : text.trim();
  if (t === '') {
    throw new InputError({ file: at.file, line: at.line, column, field, expected: 'a non-empty value', got: t, reason: `${field}: missing` });
  }
  return t;
}

/** Checks the number of fields of a row. */
export function checkFieldCount(fields: readonly string[], at: RowPlace, expected: number | readonly number[], table: string): void {
  const ok = typeof expected === 'number' ? fields.length === expected : expected.includes(fields.length);
  if (!ok) {
    const want = typeof expected === 'number' ? String(expected) : expected.join(' or ');
    throw new InputError({
      file: at.file,
      line: at.line,
      problem: `expected ${want} fields (${table}), got ${fields.length}`,
      reason: `${table}: wrong number of fields`,
    });
  }
}

/**
 * What a reader does with a bad row, per table: 'fail' rethrows the InputError, 'skip' counts it
 * by reason. Anything that is not an InputError is a bug and always propagates.
 */
export class BadRows {
  readonly tally = new BadRowTally();
  constructor(
    readonly table: string,
    readonly onBadRow: OnBadRow,
  ) {}

  handle(e: unknown): void {
    if (!(e instanceof InputError) || this.onBadRow === 'fail') throw e;
    this.tally.add(e);
  }

  /** Adds this table's counts to SourceStats.badRows (keys `table: reason`) and notes. */
  report(badRows: Record<string, number>, notes: string[]): void {
    for (const { reason, count } of this.tally.entries()) {
      const key = `${this.table}: ${reason}`;
      badRows[key] = (badRows[key] ?? 0) + count;
    }
    notes.push(...this.tally.describe(this.table));
  }
}

/** The BadRows of every table a reader opens, reported together at the end. */
export class TableBadRows {
  private readonly all: BadRows[] = [];
  constructor(private readonly onBadRow: OnBadRow) {}

  /** A fresh counter for one table. */
  table(name: string): BadRows {
    const b = new BadRows(name, this.onBadRow);
    this.all.push(b);
    return b;
  }

  /** Adds every table's counts to SourceStats.badRows and the notes. */
  report(badRows: Record<string, number>, notes: string[]): void {
    for (const b of this.all) b.report(badRows, notes);
  }
}
