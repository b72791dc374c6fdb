import { InputError } from '../../model/errors.js';

/**
 * Byte-level field parsing shared by the Google 2011 table parsers: numbers are read straight from
 * the decompressed Buffer (ASCII), without creating substrings.
 */

/** 2^63-1, the trace's "after the end of the window" time, as text (a JS number cannot hold it). */
export const END_OF_TIME_TEXT = '9223372036854775807';
const END_OF_TIME_BYTES = Buffer.from(END_OF_TIME_TEXT, 'latin1');

/** Exact powers of ten (10^0 … 10^22 are exactly representable doubles). */
const POW10 = new Float64Array(23);
for (let i = 0, p = 1; i < 23; i++, p *= 10) POW10[i] = p;

/**
 * Parses a decimal integer (optional leading '-') in buf[s, e). Returns NaN when the text is not an
 * integer, +Infinity when it is too large to hold exactly (> 2^53 - 1, which includes 2^63-1).
 * Callers check for an empty field (s === e) first.
 */
export function parseIntAt(buf: Uint8Array, s: number, e: number): number {
  let i = s;
  let neg = false;
  if (buf[i] === 45) {
    neg = true;
    i++;
  }
  if (i >= e) return NaN;
  let v = 0;
  for (; i < e; i++) {
    const c = buf[i] - 48;
    if (c < 0 || c > 9) return NaN;
    v = v * 10 + c;
  }
  if (v > Number.MAX_SAFE_INTEGER) return Infinity;
  return neg ? -v : v;
}

/** True when buf[s, e) is exactly "9223372036854775807". */
export function isEndOfTime(buf: Uint8Array, s: number, e: number): boolean {
  if (e - s !== END_OF_TIME_BYTES.length) return false;
  for (let i = 0; i < END_OF_TIME_BYTES.length; i++) if (buf[s + i] !== END_OF_TIME_BYTES[i]) return false;
  return true;
}

/**
 * Parses a decimal float ("0.125", "4.292e-05", "1", "-.5") in buf[s, e); NaN when malformed. The
 * common case (≤ 15 significant digits, |exponent| ≤ 22) is one exact integer and one correctly
 * rounded multiply/divide by an exact power of ten, so the result equals Number(text) bit for bit;
 * anything else falls back to Number() on the substring.
 */
export function parseFloatAt(buf: Uint8Array, s: number, e: number): number {
  let i = s;
  let neg = false;
  const c0 = buf[i];
  if (c0 === 45 || c0 === 43) {
    neg = c0 === 45;
    i++;
  }
  let mant = 0;
  let digits = 0;
  let frac = 0;
  let dot = false;
  for (; i < e; i++) {
    const c = buf[i];
    if (c >= 48 && c <= 57) {
      mant = mant * 10 + (c - 48);
      digits++;
      if (dot) frac++;
    } else if (c === 46 && !dot) dot = true;
    else break;
  }
  if (digits === 0) return NaN;
  let exp = 0;
  if (i < e) {
    const c = buf[i];
    if (c !== 101 && c !== 69) return NaN;
    i++;
    let eneg = false;
    if (buf[i] === 45 || buf[i] === 43) {
      eneg = buf[i] === 45;
      i++;
    }
    if (i >= e) return NaN;
    for (; i < e; i++) {
      const d = buf[i] - 48;
      if (d < 0 || d > 9) return NaN;
      exp = exp * 10 + d;
      if (exp > 100000) exp = 100000;
    }
    if (eneg) exp = -exp;
  }
  const p = exp - frac;
  let v: number;
  if (digits <= 15 && p >= -22 && p <= 22) {
    v = p === 0 ? mant : p < 0 ? mant / POW10[-p] : mant * POW10[p];
  } else {
    v = Number(Buffer.from(buf.buffer, buf.byteOffset + s, e - s).toString('latin1'));
    return v;
  }
  return neg ? -v : v;
}

/** The text of buf[s, e) for error messages. */
export function textAt(buf: Uint8Array, s: number, e: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + s, e - s).toString('latin1');
}

/** Interns strings (user hashes, job names) to dense indexes: the shared reader-kit table. */
export { StringTable } from '../reader-kit/string-table.js';

/** Thrown inside RowChecker methods; caught per row by the table readers. */
class BadField extends Error {}

/**
 * Strict field checks for the small tables (machine_events, job_events), which are read as strings
 * line by line: each method validates one field of the current row or records an InputError.
 */
export class RowChecker {
  file = '';
  line = 0;
  fields: string[] = [];
  /** The error for the current row, if any (set before BadField is thrown). */
  error: InputError | null = null;

  constructor(readonly columns: readonly string[]) {}

  /** Splits a line; returns false (with `error` set) when the column count is wrong. */
  start(file: string, line: number, text: string): boolean {
    this.file = file;
    this.line = line;
    this.error = null;
    this.fields = text.split(',');
    if (this.fields.length !== this.columns.length) {
      this.error = new InputError({
        file,
        line,
        problem:
          text === ''
            ? `expected ${this.columns.length} columns, got an empty line`
            : `expected ${this.columns.length} columns, got ${this.fields.length}`,
        reason: 'wrong column count',
      });
      return false;
    }
    return true;
  }

  fail(col: number, expected: string, kind: string): never {
    const field = this.columns[col];
    this.error = new InputError({
      file: this.file,
      line: this.line,
      column: col,
      field,
      expected,
      got: this.fields[col],
      reason: `${field}: ${kind}`,
    });
    throw new BadField();
  }

  /** A time in µs: non-negative integer, +Infinity for 2^63-1. Mandatory. */
  time(col: number): number {
    const s = this.fields[col];
    if (s === '') this.fail(col, 'a time in µs', 'missing');
    if (s === END_OF_TIME_TEXT) return Infinity;
    const v = /^\d+$/.test(s) ? Number(s) : NaN;
    if (!(v <= Number.MAX_SAFE_INTEGER)) this.fail(col, 'a time in µs (a non-negative integer)', 'not a time');
    return v;
  }

  /** A non-negative integer ID below 2^53; NaN when empty and optional. */
  id(col: number, mandatory: boolean): number {
    const s = this.fields[col];
    if (s === '') {
      if (mandatory) this.fail(col, 'an integer ID', 'missing');
      return NaN;
    }
    const v = /^\d+$/.test(s) ? Number(s) : NaN;
    if (!(v <= Number.MAX_SAFE_INTEGER)) this.fail(col, 'an integer ID', 'not an integer');
    return v;
  }

  /** A small integer code 0–max; -1 when empty and optional. */
  code(col: number, max: number, mandatory: boolean, kind = 'out of range'): number {
    const s = this.fields[col];
    if (s === '') {
      if (mandatory) this.fail(col, `an integer 0–${max}`, 'missing');
      return -1;
    }
    if (!/^-?\d+$/.test(s)) this.fail(col, `an integer 0–${max}`, 'not an integer');
    const v = Number(s);
    if (!(v >= 0 && v <= max)) this.fail(col, `an integer 0–${max}`, kind);
    return v;
  }

  /** A normalized amount in [0, 1]; NaN when empty. */
  fraction(col: number): number {
    const s = this.fields[col];
    if (s === '') return NaN;
    const b = Buffer.from(s, 'latin1');
    const v = parseFloatAt(b, 0, b.length);
    if (v !== v) this.fail(col, 'a number', 'not a number');
    if (!(v >= 0 && v <= 1)) this.fail(col, 'a normalized amount in [0, 1]', 'out of range');
    return v;
  }

  /** An opaque string (hash); '' when empty. */
  text(col: number): string {
    return this.fields[col];
  }
}

/** True for the exception RowChecker methods throw; the error itself is in `checker.error`. */
export function isBadField(e: unknown): boolean {
  return e instanceof BadField;
}
