import { existsSync, statSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { RecordBatchReader, type Data, type RecordBatch, type Schema } from 'apache-arrow';
import { InputError, quoteGot } from '../../model/errors.js';
import type { TaskBatch } from '../../model/task-batch.js';
import type { Workload } from '../../model/workload.js';
import { columnCrc, type ColumnArray } from './column-data.js';
import { checkBatchMessage, checkFileFooter } from './ipc-bounds.js';
import { MetadataProblem, parseMetadata, type NativeMetadata } from './metadata.js';
import {
  arrowTypeName,
  checkResourceNames,
  FORMAT_VERSION,
  NATIVE_KEY,
  OPTIONAL_COLUMNS,
  taskColumns,
  type ColumnSpec,
  type OptionalColumn,
} from './schema.js';

/** "ARROW1": the magic at both ends of an Arrow IPC file (followed/preceded by padding). */
const MAGIC = Buffer.from('ARROW1', 'latin1');
/** Magic + 2 padding bytes at the start, footer length (4) + magic at the end, at least. */
const MIN_SIZE = 8 + 4 + 6;

async function hasArrowMagic(fh: FileHandle, size: number): Promise<{ head: boolean; tail: boolean }> {
  const head = Buffer.alloc(6);
  const tail = Buffer.alloc(6);
  await fh.read(head, 0, 6, 0);
  if (size >= 6) await fh.read(tail, 0, 6, size - 6);
  return { head: head.equals(MAGIC), tail: tail.equals(MAGIC) };
}

/** Error from Arrow or from a metadata check → one InputError naming the file. */
function corrupt(file: string, problem: string, field?: string): InputError {
  // One line, whatever bytes of a damaged file an Arrow or metadata message quotes.
  return new InputError({ file, field, problem: problem.replace(/[\u0000-\u001f\u007f]+/g, ' '), reason: 'corrupted native file' });
}

/** Opens the file's footer: the schema with all metadata. The handle stays open for batches. */
async function openReader(file: string): Promise<{ fh: FileHandle; reader: RecordBatchReader; schema: Schema }> {
  if (!existsSync(file)) throw new InputError({ file, problem: 'no such file' });
  if (!statSync(file).isFile()) throw new InputError({ file, problem: 'not a file (a native workload is one .schedlab.arrow file)' });
  const fh = await open(file, 'r');
  try {
    const { size } = await fh.stat();
    const magic = await hasArrowMagic(fh, size);
    if (!magic.head) throw new InputError({ file, problem: 'not an Arrow IPC file (no ARROW1 magic at the start)' });
    if (size < MIN_SIZE || !magic.tail) {
      throw corrupt(file, 'truncated: an Arrow IPC file that does not end with its footer and ARROW1 magic (an interrupted copy?)');
    }
    const footer = await checkFileFooter(fh, size);
    if (footer !== null) throw corrupt(file, `damaged Arrow footer: ${footer}`);
    let reader: RecordBatchReader;
    try {
      reader = await RecordBatchReader.from(fh);
      await reader.open();
    } catch (e) {
      throw corrupt(file, `unreadable Arrow footer (${e instanceof Error ? e.message : String(e)})`);
    }
    if (!reader.isFile()) throw corrupt(file, 'not an Arrow IPC file');
    return { fh, reader, schema: reader.schema };
  } catch (e) {
    await fh.close();
    throw e;
  }
}

/** The expected task columns for the file's resources and optional columns, checked against its schema. */
function checkColumns(file: string, schema: Schema, meta: NativeMetadata): ColumnSpec[] {
  const names = schema.fields.map((f) => f.name);
  const optional = OPTIONAL_COLUMNS.filter((o) => names.includes(o)) as OptionalColumn[];
  const expected = taskColumns(meta.resources, optional);
  const got = schema.fields;
  if (got.length !== expected.length || expected.some((c, i) => got[i].name !== c.name)) {
    // Names quoted and shortened: in a damaged file they can hold any bytes, line breaks included.
    throw corrupt(file, `unexpected columns: expected ${expected.map((c) => c.name).join(', ')}; got ${names.map((x) => quoteGot(String(x))).join(', ')}`);
  }
  expected.forEach((c, i) => {
    if (String(got[i].type) !== arrowTypeName(c.type)) {
      throw corrupt(file, `column ${c.name}: expected ${arrowTypeName(c.type)}, got ${String(got[i].type)}`, c.name);
    }
  });
  return expected;
}

/** The values of one column of a record batch, a view of Arrow's buffer (no copy). */
function columnValues(file: string, batch: number, spec: ColumnSpec, d: Data, rows: number): ColumnArray {
  if (d.length !== rows || d.nullCount > 0 || d.values === undefined) {
    throw corrupt(file, `batch ${batch}, column ${spec.name}: ${d.length} values, ${d.nullCount} nulls for ${rows} rows`, spec.name);
  }
  const v = d.values as ColumnArray;
  if (v.length < d.offset + rows) throw corrupt(file, `batch ${batch}, column ${spec.name}: buffer too short`, spec.name);
  return v.subarray(d.offset, d.offset + rows) as ColumnArray;
}

/**
 * One record batch → TaskBatch. Scalar columns are zero-copy views of the buffer Arrow read the
 * batch into (its body is 8-byte aligned, so typed views are legal); per-dimension columns are
 * interleaved into TaskBatch's flat `i·dims + d` vectors (one copy). Each column's CRC-32 is
 * checked against the footer's list first, so a flipped byte is an InputError, never a silent
 * change in the replay.
 */
function toTaskBatch(file: string, index: number, rb: RecordBatch, columns: ColumnSpec[], crcs: number[], dims: number): TaskBatch {
  const n = rb.numRows;
  const children = rb.data.children;
  const values = columns.map((spec, i) => {
    const v = columnValues(file, index, spec, children[i], n);
    if (columnCrc(v) !== crcs[i]) throw corrupt(file, `batch ${index}, column ${spec.name}: checksum mismatch (the file is corrupted)`, spec.name);
    return v;
  });
  const flat = <T extends Float64Array | Float32Array>(make: (len: number) => T, source: string): T => {
    const cols = columns.map((c, i) => (c.source === source ? i : -1)).filter((i) => i >= 0);
    if (dims === 1) return values[cols[0]] as T;
    const out = make(n * dims);
    cols.forEach((ci, d) => {
      const v = values[ci];
      for (let i = 0, j = d; i < n; i++, j += dims) out[j] = v[i];
    });
    return out;
  };
  const scalar = <T extends ColumnArray>(source: string): T | undefined => {
    const i = columns.findIndex((c) => c.source === source);
    return i < 0 ? undefined : (values[i] as T);
  };
  const b: TaskBatch = {
    count: n,
    submitTime: scalar<Float64Array>('submitTime')!,
    duration: scalar<Float64Array>('duration')!,
    request: flat((k) => new Float64Array(k), 'request'),
    limit: flat((k) => new Float64Array(k), 'limit'),
    priority: scalar<Int32Array>('priority')!,
    job: scalar<Int32Array>('job')!,
    taskIndex: scalar<Int32Array>('taskIndex')!,
    user: scalar<Int32Array>('user')!,
    usageFraction: flat((k) => new Float32Array(k), 'usageFraction'),
    usageVariation: scalar<Float32Array>('usageVariation')!,
  };
  const kill = scalar<Float64Array>('killTime');
  if (kill) b.killTime = kill;
  const rs = scalar<Float64Array>('recordedStart');
  if (rs) b.recordedStart = rs;
  const rm = scalar<Int32Array>('recordedMachine');
  if (rm) b.recordedMachine = rm;
  return b;
}

/**
 * Reads a native workload file (`*.schedlab.arrow`, written by writeNativeWorkload). Metadata is
 * read at once (from the footer); each taskBatches() call reads the record batches one at a time,
 * so memory holds one batch. Anything wrong with the file — not Arrow, truncated, a foreign Arrow
 * file, a newer format version, corrupted metadata or column bytes — is an InputError.
 */
export async function readNativeWorkload(file: string): Promise<Workload> {
  const { fh, schema } = await openReader(file);
  await fh.close();
  const version = schema.metadata.get(NATIVE_KEY);
  if (version === undefined) {
    throw new InputError({ file, problem: `an Arrow file, but not a schedlab workload (no '${NATIVE_KEY}' schema metadata)` });
  }
  if (version !== FORMAT_VERSION) {
    throw new InputError({ file, problem: `schedlab native format version ${quoteGot(version)}; this schedlab reads version ${FORMAT_VERSION}` });
  }
  let meta: NativeMetadata;
  try {
    meta = parseMetadata(schema.metadata);
  } catch (e) {
    if (e instanceof MetadataProblem) throw corrupt(file, `metadata ${e.key}: ${e.message}`, e.key);
    throw e;
  }
  const bad = checkResourceNames(meta.resources);
  if (bad !== null) throw corrupt(file, `metadata schedlab.resources: ${bad}`);
  const columns = checkColumns(file, schema, meta);
  for (const [i, b] of meta.batches.entries()) {
    if (b[1].length !== columns.length) throw corrupt(file, `metadata schedlab.batches: batch ${i} lists ${b[1].length} checksums for ${columns.length} columns`);
  }
  const dims = meta.resources.names.length;

  async function* taskBatches(): AsyncGenerator<TaskBatch> {
    const { fh: h, reader } = await openReader(file);
    try {
      // Batch by batch through the footer's block list, not Arrow's iterator: when a damaged block
      // points at a message that is not a record batch, the iterator re-reads that block forever
      // (apache-arrow 21); readRecordBatch(i) throws instead.
      if (!reader.isFile()) throw corrupt(file, 'not an Arrow IPC file');
      const count = reader.numRecordBatches;
      if (count !== meta.batches.length) throw corrupt(file, `${count} record batches, the metadata lists ${meta.batches.length}`);
      for (let index = 0; index < count; index++) {
        const block = reader.footer?.getRecordBatch(index) ?? null;
        if (block === null) throw corrupt(file, `batch ${index}: missing from the footer`);
        const bad = await checkBatchMessage(h, block.offset, block.metaDataLength, columns.length);
        if (bad !== null) throw corrupt(file, `batch ${index}: ${bad}`);
        let rb: RecordBatch | null;
        try {
          rb = await reader.readRecordBatch(index); // a Promise: the reader reads a file handle
        } catch (e) {
          throw corrupt(file, `batch ${index}: unreadable (${e instanceof Error ? e.message : String(e)})`);
        }
        if (rb === null) throw corrupt(file, `batch ${index}: unreadable (no record batch at its offset)`);
        const entry = meta.batches[index];
        if (rb.numRows !== entry[0]) throw corrupt(file, `batch ${index}: ${rb.numRows} rows, the metadata says ${entry[0]}`);
        yield toTaskBatch(file, index, rb, columns, entry[1], dims);
      }
    } finally {
      await h.close().catch(() => {});
    }
  }

  return {
    name: meta.name,
    resources: meta.resources,
    machines: meta.machines,
    machineEvents: meta.machineEvents,
    jobs: meta.jobs,
    users: meta.users,
    taskBatches,
    notes: meta.notes,
    jobConstraints: meta.jobConstraints,
    machineIds: meta.machineIds,
    sourceStats: meta.sourceStats,
    expectedTasks: meta.tasks,
    horizon: meta.horizon,
    ...(meta.start !== undefined ? { start: meta.start } : {}),
    ...(meta.priorityScale !== undefined ? { priorityScale: meta.priorityScale } : {}),
    ...(meta.controllers !== undefined ? { controllers: meta.controllers } : {}),
    ...(meta.resubmitDelays !== undefined ? { resubmitDelays: meta.resubmitDelays } : {}),
  };
}

/**
 * Whether `file` is a schedlab native workload: an Arrow IPC file (ARROW1 magic at both ends)
 * whose schema metadata has the `schedlab.native` key. Never throws; for the format registry.
 */
export async function looksLikeNative(file: string): Promise<boolean> {
  try {
    const { fh, schema } = await openReader(file);
    await fh.close();
    return schema.metadata.has(NATIVE_KEY);
  } catch {
    return false;
  }
}
