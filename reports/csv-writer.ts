import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/**
 * Streams a CSV file row by row with back-pressure, buffering rows into large writes so that
 * millions of rows cost little more than their bytes. Values are numbers, strings without commas
 * or quotes (quoted otherwise), or empty for missing.
 */
export class CsvWriter {
  private readonly stream;
  private buf: string[] = [];

  constructor(path: string, header: readonly string[]) {
    this.stream = createWriteStream(path);
    this.buf.push(header.join(','));
  }

  async row(values: ReadonlyArray<string | number | null | undefined>): Promise<void> {
    let line = '';
    for (let i = 0; i < values.length; i++) {
      if (i > 0) line += ',';
      line += csvField(values[i]);
    }
    this.buf.push(line);
    if (this.buf.length >= 8192) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.buf.length === 0) return;
    const chunk = this.buf.join('\n') + '\n';
    this.buf = [];
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
  }
}

export function csvField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
