import * as path from 'node:path';

// The mistakes a user is shown as one line and exit code 2, never a stack trace: in what they asked
// for (UsageError) and in an input file (InputError).

/**
 * A mistake in what the user asked for (an option, a file): the CLI prints the message alone and
 * exits with code 2, no stack trace.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * A problem in an input file, precise enough to fix by hand: which file, which line, which column,
 * what was expected and what was there. The message is one line, e.g.
 *
 *   task_events/part-00003-of-00500.csv.gz line 1234, column 9 (CPU request): expected a number, got "abc"
 *
 * Column numbers are 0-based, as in the trace schemas (../shared/docs/trace-formats.md). Line numbers are
 * 1-based, counted in the decompressed text of that one file.
 */
export interface InputErrorDetails {
  /** Path of the offending file (the message shows its last two segments, unless `pathAsGiven`). */
  file: string;
  /** Show `file` whole, as the user gave it (inputs named one by one, such as manifests), not its last two segments. */
  pathAsGiven?: boolean;
  /** 1-based line number; omitted for file-level problems (empty, truncated, unknown format). */
  line?: number;
  /** 0-based column index. */
  column?: number;
  /** Column name, e.g. 'CPU request'. */
  field?: string;
  /** What a valid value looks like, e.g. 'a number' or 'an integer 0–11'. */
  expected?: string;
  /** The text found (quoted in the message, shortened when long). */
  got?: string;
  /** Free text used instead of `expected ... got ...` (file-level problems, column counts). */
  problem?: string;
  /**
   * Short category used to count skipped rows, e.g. 'CPU request: not a number'. Defaults to the
   * field name plus the expectation.
   */
  reason?: string;
}

export class InputError extends Error {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly field?: string;
  readonly expected?: string;
  readonly got?: string;
  readonly reason: string;

  constructor(details: InputErrorDetails) {
    super(formatInputError(details));
    this.name = 'InputError';
    this.file = details.file;
    this.line = details.line;
    this.column = details.column;
    this.field = details.field;
    this.expected = details.expected;
    this.got = details.got;
    this.reason =
      details.reason ??
      (details.field !== undefined
        ? `${details.field}: expected ${details.expected ?? 'a valid value'}`
        : (details.problem ?? 'invalid input'));
  }
}

/** `table/file` — the last two path segments, enough to find a part file among many. */
export function displayPath(file: string): string {
  const parts = file.split(path.sep).filter((p) => p !== '');
  return parts.slice(-2).join('/') || file;
}

const MAX_GOT = 60;

/** Shortens and quotes a found value for a message. */
export function quoteGot(got: string): string {
  const s = got.length > MAX_GOT ? `${got.slice(0, MAX_GOT)}…` : got;
  return JSON.stringify(s);
}

export function formatInputError(d: InputErrorDetails): string {
  let where = d.pathAsGiven ? d.file : displayPath(d.file);
  if (d.line !== undefined) where += ` line ${d.line}`;
  if (d.column !== undefined) {
    where += `, column ${d.column}`;
    if (d.field !== undefined) where += ` (${d.field})`;
  } else if (d.field !== undefined) {
    where += ` (${d.field})`;
  }
  let what: string;
  if (d.problem !== undefined) what = d.problem;
  else what = `expected ${d.expected ?? 'a valid value'}, got ${d.got === undefined ? 'nothing' : quoteGot(d.got)}`;
  return `${where}: ${what}`;
}
