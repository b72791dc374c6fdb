import { createWriteStream } from 'node:fs';
import { Writable } from 'node:stream';
import { createRequire } from 'node:module';
import type * as ArrowModule from 'apache-arrow';
import type { DataType, Schema, Utf8 } from 'apache-arrow';
import type * as ParquetWasm from 'parquet-wasm';
import type { ColumnSpec } from './data-dictionary.js';

/** Rows per record batch (one Parquet row group each): bounded memory whatever the table's length. */
/**
 * parquet-wasm loads with the first Parquet table written, not with the module: every `schedlab`
 * command would otherwise pay its start-up. Its Node build is CommonJS, so `require` gives the same
 * module an `import` would.
 */
let parquetModule: typeof ParquetWasm | undefined;
let arrowModule: typeof ArrowModule | undefined;
/**
 * apache-arrow, also loaded with the first table, as CommonJS: its objects here only become IPC
 * bytes for parquet-wasm, so they never meet the ones of the native trace reader's import.
 */
function arrow(): typeof ArrowModule {
  arrowModule ??= createRequire(import.meta.url)('apache-arrow') as typeof ArrowModule;
  return arrowModule;
}
function parquetWasm(): typeof ParquetWasm {
  parquetModule ??= createRequire(import.meta.url)('parquet-wasm') as typeof ParquetWasm;
  return parquetModule;
}

export const PARQUET_BATCH_ROWS = 65_536;

const ARROW_TYPES: Record<ColumnSpec['type'], () => DataType> = {
  int32: () => new (arrow().Int32)(),
  float64: () => new (arrow().Float64)(),
  string: () => new (arrow().Utf8)(),
};

/** The Arrow schema of a table from its dictionary columns: names, types, nullability. */
export function arrowSchema(columns: readonly ColumnSpec[]): Schema {
  const { Schema: ArrowSchema, Field } = arrow();
  return new ArrowSchema(columns.map((c) => new Field(c.name, ARROW_TYPES[c.type](), c.nullable)));
}

type Cell = string | number | null | undefined;

/** One column's values for the batch being filled, with its validity bits. */
interface ColumnBuffer {
  spec: ColumnSpec;
  nums: Int32Array | Float64Array | null;
  strs: Array<string | null> | null;
  valid: Uint8Array;
  nulls: number;
}

const encoder = new TextEncoder();

/**
 * Streams a table to a Parquet file: rows are gathered into Arrow record batches of
 * PARQUET_BATCH_ROWS, each handed (as Arrow IPC) to parquet-wasm's streaming writer, whose output
 * goes to the file as it is produced. Memory stays at about two batches, so a table of millions
 * of rows never becomes one array. Values follow the CSV writer's rules (reports/csv-writer.ts):
 * null, undefined or a non-finite number is missing (a null; an empty CSV cell), and so is an
 * empty string, which a CSV cannot tell from missing. A missing value in a column the dictionary
 * calls not nullable, a non-integer in an int32 column or a non-number in a numeric one is a bug
 * in the writer of the rows, and throws. Snappy compression: every Parquet reader has it (R's
 * arrow, DuckDB, DuckDB-Wasm in Observable, pandas' engines).
 */
export class ParquetTableWriter {
  private readonly schema: Schema;
  private readonly columns: ColumnBuffer[];
  private length = 0;
  private readonly ready: RecordBatchQueue;
  private readonly done: Promise<void>;
  private readonly file: ReturnType<typeof createWriteStream>;

  constructor(path: string, specs: readonly ColumnSpec[]) {
    this.schema = arrowSchema(specs);
    this.columns = specs.map((spec) => freshColumn(spec));
    this.ready = new RecordBatchQueue();
    const parquet = parquetWasm();
    const props = new parquet.WriterPropertiesBuilder().setCompression(parquet.Compression.SNAPPY).build();
    // The file's errors go to the web stream from the start (none is left unhandled), and from it to close().
    this.file = createWriteStream(path);
    const sink = Writable.toWeb(this.file);
    this.done = parquet.transformParquetStream(this.ready.stream, props).then((out) => out.pipeTo(sink));
    // Surfaced by close(); until then a failed writer must not leave row() waiting for a reader.
    this.done.catch(() => this.ready.abandon());
  }

  /** Appends one row, its values in the dictionary's column order. */
  async row(values: readonly Cell[]): Promise<void> {
    const i = this.length;
    for (let c = 0; c < this.columns.length; c++) put(this.columns[c], i, values[c]);
    this.length++;
    if (this.length === PARQUET_BATCH_ROWS) await this.flush();
  }

  /** Writes the last batch and the Parquet footer; resolves when the file is complete. */
  async close(): Promise<void> {
    // A table without rows still gets one empty batch: a file with its schema, which loads.
    if (this.length > 0 || this.ready.batches === 0) await this.flush();
    this.ready.end();
    await this.done;
  }

  /** Gives up on the file (after a failed row or a failed run): stops the stream, leaves the partial file for the caller to remove. */
  async abort(): Promise<void> {
    this.ready.fail(new Error('parquet: write abandoned'));
    this.file.destroy();
    await this.done.catch(() => undefined);
  }

  private async flush(): Promise<void> {
    const n = this.length;
    const children = this.columns.map((b) => columnData(b, n));
    const { makeData, Struct, Table, RecordBatch, tableToIPC } = arrow();
    const data = makeData({ type: new Struct(this.schema.fields), length: n, nullCount: 0, children });
    const ipc = tableToIPC(new Table([new RecordBatch(this.schema, data)]), 'stream');
    const wasmTable = parquetWasm().Table.fromIPCStream(ipc);
    const [batch] = wasmTable.recordBatches();
    wasmTable.free();
    this.columns.forEach((b, c) => (this.columns[c] = freshColumn(b.spec)));
    this.length = 0;
    await this.ready.push(batch);
  }
}

function freshColumn(spec: ColumnSpec): ColumnBuffer {
  const n = PARQUET_BATCH_ROWS;
  return {
    spec,
    nums: spec.type === 'int32' ? new Int32Array(n) : spec.type === 'float64' ? new Float64Array(n) : null,
    strs: spec.type === 'string' ? new Array<string | null>(n) : null,
    valid: new Uint8Array(Math.ceil(n / 8)),
    nulls: 0,
  };
}

function put(b: ColumnBuffer, i: number, v: Cell): void {
  const spec = b.spec;
  const missing = v === null || v === undefined || v === '' || (typeof v === 'number' && !Number.isFinite(v));
  if (missing) {
    if (!spec.nullable) throw new Error(`parquet: column '${spec.name}' is not nullable but row ${i} has no value`);
    b.nulls++;
    if (b.strs) b.strs[i] = null;
    return;
  }
  b.valid[i >> 3] |= 1 << (i & 7);
  if (b.strs) {
    b.strs[i] = String(v);
    return;
  }
  if (typeof v !== 'number') throw new Error(`parquet: column '${spec.name}' (${spec.type}) got the string '${v}'`);
  if (spec.type === 'int32' && !(Number.isInteger(v) && v >= -2147483648 && v <= 2147483647)) {
    throw new Error(`parquet: column '${spec.name}' (int32) got ${v}`);
  }
  b.nums![i] = v;
}

/** The Arrow data of one filled column (its first n rows). */
function columnData(b: ColumnBuffer, n: number) {
  const type = ARROW_TYPES[b.spec.type]();
  const nullBitmap = b.nulls > 0 ? b.valid.subarray(0, Math.ceil(n / 8)) : undefined;
  const { makeData } = arrow();
  if (b.nums) return makeData({ type, length: n, nullCount: b.nulls, nullBitmap, data: b.nums.subarray(0, n) } as never);
  // UTF-8 bytes end to end, with offsets: Arrow's string layout. Written into one buffer (3 bytes
  // per UTF-16 unit is the most UTF-8 needs), ASCII by hand: no array per string.
  const strs = b.strs!;
  let units = 0;
  for (let i = 0; i < n; i++) units += strs[i]?.length ?? 0;
  const buf = new Uint8Array(units * 3);
  const valueOffsets = new Int32Array(n + 1);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const s = strs[i];
    if (s !== null) {
      let k = 0;
      for (; k < s.length; k++) {
        const c = s.charCodeAt(k);
        if (c >= 0x80) break;
        buf[at + k] = c;
      }
      at += k;
      if (k < s.length) at += encoder.encodeInto(s.slice(k), buf.subarray(at)).written;
    }
    valueOffsets[i + 1] = at;
  }
  return makeData({ type: type as Utf8, length: n, nullCount: b.nulls, nullBitmap, valueOffsets, data: buf.subarray(0, at) });
}

/**
 * The record batches between the row writer and parquet-wasm: a pull stream holding at most two
 * batches; the writer waits when both are unread (back-pressure, so memory stays bounded).
 */
class RecordBatchQueue {
  readonly stream: ReadableStream<ParquetWasm.RecordBatch>;
  batches = 0;
  private controller!: ReadableStreamDefaultController<ParquetWasm.RecordBatch>;
  private waiting: (() => void) | null = null;
  private abandoned = false;

  constructor() {
    this.stream = new ReadableStream<ParquetWasm.RecordBatch>(
      {
        start: (c) => {
          this.controller = c;
        },
        pull: () => {
          const w = this.waiting;
          this.waiting = null;
          w?.();
        },
      },
      { highWaterMark: 2 },
    );
  }

  async push(batch: ParquetWasm.RecordBatch): Promise<void> {
    this.batches++;
    if (this.abandoned) return;
    this.controller.enqueue(batch);
    if ((this.controller.desiredSize ?? 1) <= 0) await new Promise<void>((resolve) => (this.waiting = resolve));
  }

  end(): void {
    if (!this.abandoned) this.controller.close();
  }

  /** The writer gives up: the reader sees the stream fail (and stops). */
  fail(reason: Error): void {
    if (!this.abandoned) this.controller.error(reason);
    this.abandon();
  }

  /** The reader failed: nothing will pull again; release a waiting writer and take no more batches. */
  abandon(): void {
    this.abandoned = true;
    const w = this.waiting;
    this.waiting = null;
    w?.();
  }
}
