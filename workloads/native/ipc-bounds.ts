import type { FileHandle } from 'node:fs/promises';

/**
 * Bounds checks of an Arrow IPC file's flatbuffers — the footer and each record batch's message
 * header — before Arrow decodes them. Arrow (21) trusts the lengths it finds there: a damaged
 * vector length (one flipped bit turns 16 entries into 2^28) sends its decoder through hundreds of
 * millions of iterations in one synchronous call, a hang that not even Ctrl-C interrupts. The
 * native format's checksums cover the column values, not these headers, so they are checked here.
 *
 * Layout (Arrow IPC: format/File.fbs, Schema.fbs, Message.fbs; FlatBuffers binary format): a
 * table starts with an int32 offset back to its vtable, whose uint16 entries locate its fields;
 * offsets to tables, vectors and strings are uint32, relative to where they are stored; a vector
 * or string is a uint32 count followed by its elements. Every position, vector and string must
 * lie inside the buffer; nesting (a field's children) is bounded.
 *
 * - Footer: version, schema (endianness, fields [Field], custom_metadata [KeyValue], features
 *   [int64]), dictionaries [Block], recordBatches [Block], custom_metadata [KeyValue]. A Block is
 *   a 24-byte struct. Field: name, nullable, type_type, type, dictionary, children [Field],
 *   custom_metadata [KeyValue]. KeyValue: key, value.
 * - Record batch message, at a block's offset: a 0xFFFFFFFF continuation marker, the int32 length
 *   of the flatbuffer; a Message (version, header_type, header, bodyLength, custom_metadata) whose
 *   header is a RecordBatch (length, nodes [16-byte FieldNode], buffers [16-byte Buffer],
 *   compression, variadicBufferCounts [int64]); its node count must be the number of columns.
 *
 * Each function returns null when the flatbuffer is sound, else what is wrong (for an InputError).
 */
const MAX_DEPTH = 32;
const HEADER_RECORD_BATCH = 3;

class Flatbuffer {
  constructor(private readonly b: Buffer) {}

  private within(pos: number, size: number): boolean {
    return Number.isSafeInteger(pos) && pos >= 0 && size >= 0 && pos + size <= this.b.length;
  }

  /** The table an offset at `pos` points to. */
  deref(pos: number): number {
    if (!this.within(pos, 4)) throw new Bound('an offset outside the buffer');
    return pos + this.b.readUInt32LE(pos);
  }

  /** Position of field `i` of the table at `table`, or -1 when the field is absent. */
  field(table: number, i: number): number {
    if (!this.within(table, 4)) throw new Bound('a table outside the buffer');
    const vtable = table - this.b.readInt32LE(table);
    if (!this.within(vtable, 4)) throw new Bound('a vtable outside the buffer');
    const size = this.b.readUInt16LE(vtable);
    if (size < 4 || !this.within(vtable, size)) throw new Bound('a vtable outside the buffer');
    if (4 + 2 * i + 2 > size) return -1;
    const o = this.b.readUInt16LE(vtable + 4 + 2 * i);
    return o === 0 ? -1 : table + o;
  }

  /** The position of the first element and the count of vector (or string) field `i`; count 0 when absent. */
  vector(table: number, i: number, elementSize: number): { start: number; count: number } {
    const f = this.field(table, i);
    if (f < 0) return { start: 0, count: 0 };
    const v = this.deref(f);
    if (!this.within(v, 4)) throw new Bound('a vector outside the buffer');
    const count = this.b.readUInt32LE(v);
    if (!this.within(v + 4, count * elementSize)) throw new Bound(`a vector of ${count} entries runs past the buffer`);
    return { start: v + 4, count };
  }

  byte(pos: number): number {
    if (!this.within(pos, 1)) throw new Bound('a field outside the buffer');
    return this.b.readUInt8(pos);
  }

  /** Each table of a vector of tables (field `i` of `table`). */
  tables(table: number, i: number): number[] {
    const { start, count } = this.vector(table, i, 4);
    return Array.from({ length: count }, (_, k) => this.deref(start + 4 * k));
  }

  keyValues(table: number, i: number): void {
    for (const kv of this.tables(table, i)) {
      this.vector(kv, 0, 1);
      this.vector(kv, 1, 1);
    }
  }
}

class Bound extends Error {}

function checked(f: () => string | null): string | null {
  try {
    return f();
  } catch (e) {
    if (e instanceof Bound) return e.message;
    throw e;
  }
}

/** The footer flatbuffer (the bytes before the file's trailing length and ARROW1 magic). */
export function checkFooter(footer: Buffer): string | null {
  return checked(() => {
    const fb = new Flatbuffer(footer);
    const root = fb.deref(0);
    const schemaPos = fb.field(root, 1);
    if (schemaPos < 0) return 'the footer has no schema';
    const schema = fb.deref(schemaPos);
    let fields = 0;
    const field = (t: number, depth: number): void => {
      if (depth > MAX_DEPTH) throw new Bound(`fields nested deeper than ${MAX_DEPTH}`);
      if (++fields > 1_000_000) throw new Bound('more than a million fields');
      fb.vector(t, 0, 1);
      for (const child of fb.tables(t, 5)) field(child, depth + 1);
      fb.keyValues(t, 6);
    };
    for (const f of fb.tables(schema, 1)) field(f, 0);
    fb.keyValues(schema, 2);
    fb.vector(schema, 3, 8);
    fb.vector(root, 2, 24);
    fb.vector(root, 3, 24);
    fb.keyValues(root, 4);
    return null;
  });
}

/** Reads the footer of an Arrow file of `size` bytes (magic already checked) and checks it. */
export async function checkFileFooter(fh: FileHandle, size: number): Promise<string | null> {
  const tail = Buffer.alloc(4);
  await fh.read(tail, 0, 4, size - 10);
  const length = tail.readInt32LE(0);
  if (length <= 0 || length > size - 18) return `footer length ${length} out of range`;
  const footer = Buffer.alloc(length);
  await fh.read(footer, 0, length, size - 10 - length);
  return checkFooter(footer);
}

/** The message at a record batch block (offset and metadata length from the footer). */
export async function checkBatchMessage(fh: FileHandle, offset: number, metaDataLength: number, columns: number): Promise<string | null> {
  if (!(Number.isSafeInteger(offset) && offset >= 0 && Number.isSafeInteger(metaDataLength) && metaDataLength >= 8 && metaDataLength <= 1 << 26)) {
    return `block at ${offset}: metadata length ${metaDataLength} out of range`;
  }
  const raw = Buffer.alloc(metaDataLength);
  const { bytesRead } = await fh.read(raw, 0, metaDataLength, offset);
  if (bytesRead < metaDataLength) return `block at ${offset}: the file ends inside its message`;
  if (raw.readInt32LE(0) !== -1) return `block at ${offset}: no message continuation marker`;
  const length = raw.readInt32LE(4);
  if (length <= 0 || length > metaDataLength - 8) return `block at ${offset}: message length ${length} out of range`;
  return checked(() => {
    const fb = new Flatbuffer(raw.subarray(8, 8 + length));
    const root = fb.deref(0);
    const typePos = fb.field(root, 1);
    if (typePos < 0 || fb.byte(typePos) !== HEADER_RECORD_BATCH) return `block at ${offset}: not a record batch message`;
    const headerPos = fb.field(root, 2);
    if (headerPos < 0) return `block at ${offset}: a record batch message without its header`;
    const batch = fb.deref(headerPos);
    const nodes = fb.vector(batch, 1, 16).count;
    fb.vector(batch, 2, 16);
    fb.vector(batch, 4, 8);
    if (nodes !== columns) return `block at ${offset}: ${nodes} field nodes for ${columns} columns`;
    return null;
  });
}
