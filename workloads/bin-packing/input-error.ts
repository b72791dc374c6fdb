/**
 * A malformed input file: names the file, the 1-based line, the field being read and what was
 * expected, so a user can fix the file without reading the reader's source.
 */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly field: string,
    readonly expected: string,
    readonly found?: string,
  ) {
    super(
      `${file}:${line}: ${field}: expected ${expected}` + (found !== undefined ? `, found ${JSON.stringify(found)}` : ''),
    );
    this.name = 'InputError';
  }
}
