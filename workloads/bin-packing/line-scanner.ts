import { instanceError } from './input-error.js';

/**
 * Splits a text file into lines (LF or CRLF) and hands out whitespace-separated tokens with their
 * 1-based line numbers, so readers can report exactly where a file is malformed.
 */
export class LineScanner {
  private readonly lines: string[];
  private lineIdx = 0;
  private tokens: string[] = [];
  private tokIdx = 0;
  private curLine = 1;

  constructor(
    readonly file: string,
    text: string,
  ) {
    this.lines = text.split(/\r?\n/);
  }

  /** 1-based number of the line the last token came from (at end of file: the last non-blank line). */
  get line(): number {
    return this.curLine;
  }

  /** Advances to the next non-blank line and returns all its tokens, or null at end of file. */
  nextLineTokens(): string[] | null {
    this.tokens = [];
    this.tokIdx = 0;
    while (this.lineIdx < this.lines.length) {
      const raw = this.lines[this.lineIdx++];
      const t = raw.trim();
      if (t.length === 0) continue;
      this.curLine = this.lineIdx;
      return t.split(/\s+/);
    }
    return null;
  }

  /** Next token across line breaks, or null at end of file. */
  nextToken(): string | null {
    while (this.tokIdx >= this.tokens.length) {
      const toks = this.nextLineTokens();
      if (toks === null) return null;
      this.tokens = toks;
      this.tokIdx = 0;
    }
    return this.tokens[this.tokIdx++];
  }

  /** True when tokens remain on the current line. */
  hasMoreOnLine(): boolean {
    return this.tokIdx < this.tokens.length;
  }

  /** Reads a token that must be an integer within [min, max]. */
  int(field: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
    const tok = this.nextToken();
    if (tok === null) throw instanceError(this.file, this.line, field, `an integer >= ${min}`, 'end of file');
    return parseIntToken(this.file, this.line, field, tok, min, max);
  }

  /** Fails if any non-blank content remains. */
  expectEnd(what: string): void {
    const tok = this.nextToken();
    if (tok !== null) throw instanceError(this.file, this.line, 'end of file', `nothing after ${what}`, tok);
  }
}

/** Parses one token as a (safe) integer in [min, max], or throws InputError naming file and line. */
export function parseIntToken(
  file: string,
  line: number,
  field: string,
  tok: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (!/^[+-]?\d+$/.test(tok)) throw instanceError(file, line, field, 'an integer', tok);
  const v = Number(tok);
  if (!Number.isSafeInteger(v)) throw instanceError(file, line, field, `an integer below 2^53`, tok);
  if (v < min) throw instanceError(file, line, field, min === 0 ? 'a non-negative integer' : min === 1 ? 'a positive integer' : `an integer >= ${min}`, tok);
  if (v > max) throw instanceError(file, line, field, `an integer <= ${max}`, tok);
  return v;
}
