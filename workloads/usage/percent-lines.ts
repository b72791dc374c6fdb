import { InputError } from '../../model/errors.js';

/**
 * One usage-library file: `expectedLines` lines, each `fields.length` whitespace-separated
 * percentages (the GCD files: `<cpu%> <mem%>`; PlanetLab: one integer CPU %), read as fractions
 * (percent / 100). A value that is not a number, negative, not an integer where one is required,
 * or a line with the wrong field count is an InputError naming file, line and field.
 */
export interface PercentField {
  /** Field name for messages, e.g. 'CPU %'. */
  readonly name: string;
  /** Whole percentages only, at most `max` (PlanetLab). */
  readonly integer?: boolean;
  readonly max?: number;
}

export interface PercentFileOptions {
  /** Shown in errors (InputError shows its last two path segments unless `fileAsGiven`). */
  readonly file: string;
  readonly fileAsGiven?: boolean;
  readonly fields: readonly PercentField[];
  /** Exact number of lines (288 = one day of 5-minute points). */
  readonly expectedLines: number;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;

/** Parses `text`; returns one Float64Array of fractions per field, `expectedLines` long. */
export function parsePercentFile(text: string, o: PercentFileOptions): Float64Array[] {
  const out = o.fields.map(() => new Float64Array(o.expectedLines));
  const where = { file: o.file, pathAsGiven: o.fileAsGiven };
  // One trailing newline (or CRLF) ends the last line; it is not an empty extra line.
  const body = text.endsWith('\r\n') ? text.slice(0, -2) : text.endsWith('\n') ? text.slice(0, -1) : text;
  const lines = body === '' ? [] : body.split('\n');
  if (lines.length !== o.expectedLines) {
    throw new InputError({
      ...where,
      problem: `expected ${o.expectedLines} lines (one day of 5-minute points), got ${lines.length}`,
      reason: 'wrong line count',
    });
  }
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    const tokens = line === '' ? [] : line.split(/\s+/);
    if (tokens.length !== o.fields.length) {
      throw new InputError({
        ...where,
        line: i + 1,
        problem: `expected ${o.fields.length} field${o.fields.length === 1 ? '' : 's'} (${o.fields.map((f) => `<${f.name}>`).join(' ')}), got ${tokens.length}`,
        reason: 'wrong field count',
      });
    }
    for (let c = 0; c < tokens.length; c++) {
      const f = o.fields[c];
      const tok = tokens[c];
      const expected = f.integer ? `an integer percentage 0–${f.max ?? 100}` : `a non-negative number (percent)${f.max !== undefined ? ` at most ${f.max}` : ''}`;
      const v = (f.integer ? INTEGER : NUMBER).test(tok) ? Number(tok) : NaN;
      if (!Number.isFinite(v) || v < 0 || (f.max !== undefined && v > f.max)) {
        throw new InputError({ ...where, line: i + 1, column: c, field: f.name, expected, got: tok });
      }
      out[c][i] = v / 100;
    }
  }
  return out;
}
