import type { FileHandle } from 'node:fs/promises';
import { RecordBatchFileWriter, util, type RecordBatch, type Schema } from 'apache-arrow';

/**
 * An Arrow IPC file writer with backpressure. apache-arrow's writer pushes encoded bytes into an
 * in-memory queue that is drained by whoever iterates it; a producer that never yields to I/O (the
 * synthetic generator) would queue the whole file in memory. This subclass takes the bytes out at
 * each `_write` (a protected extension point of RecordBatchWriter) and `flush()` writes them to the
 * file before the caller pulls the next source batch, so at most one batch is ever buffered.
 * The chunks are views of the batch's own column arrays (Arrow writes bodies zero-copy), which is
 * why flush() must finish before those arrays are reused.
 */
export class ChunkFileWriter extends RecordBatchFileWriter {
  private chunks: Uint8Array[] = [];
  /** Bytes written to the file so far. */
  bytes = 0;

  constructor(private readonly fh: FileHandle) {
    super({ autoDestroy: true });
  }

  protected override _write(chunk: Parameters<typeof util.toUint8Array>[0]): this {
    if (!this._started) return this;
    const u8 = util.toUint8Array(chunk) as Uint8Array;
    if (u8.byteLength > 0) {
      this.chunks.push(u8);
      this._position += u8.byteLength;
    }
    return this;
  }

  /** Writes the schema (and the leading magic) now, so even a file with no batches is complete. */
  begin(schema: Schema): void {
    this.reset(undefined, schema);
  }

  writeBatch(batch: RecordBatch): void {
    this.write(batch);
  }

  /** Writes every pending chunk to the file. */
  async flush(): Promise<void> {
    if (this.chunks.length === 0) return;
    const chunks = this.chunks;
    this.chunks = [];
    let total = 0;
    for (const c of chunks) total += c.byteLength;
    let { bytesWritten } = await this.fh.writev(chunks);
    // writev may write less than asked (rare, large writes): finish the rest chunk by chunk.
    if (bytesWritten < total) {
      let skip = bytesWritten;
      for (const c of chunks) {
        if (skip >= c.byteLength) {
          skip -= c.byteLength;
          continue;
        }
        let rest = c.subarray(skip);
        skip = 0;
        while (rest.byteLength > 0) {
          const r = await this.fh.write(rest);
          rest = rest.subarray(r.bytesWritten);
        }
      }
      bytesWritten = total;
    }
    this.bytes += bytesWritten;
  }

  /** Writes the footer and the trailing magic, then flushes. */
  async end(): Promise<void> {
    this.close();
    await this.flush();
  }
}
