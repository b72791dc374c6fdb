import { open, rm, stat, type FileHandle } from 'node:fs/promises';
import { RecordBatchReader, type Data } from 'apache-arrow';
import { beginOutput, commitOutput } from '../../model/atomic-output.js';
import type { Workload } from '../../model/workload.js';
import { ChunkFileWriter } from './chunk-file-writer.js';
import { arrowColumn, columnCrc, columnFromBatch, recordBatch } from './column-data.js';
import { buildMetadata, type BatchEntry } from './metadata.js';
import {
  arrowSchema,
  checkResourceNames,
  OPTIONAL_COLUMNS,
  taskColumns,
  type OptionalColumn,
} from './schema.js';

export interface NativeWriteResult {
  file: string;
  tasks: number;
  batches: number;
  bytes: number;
}

/**
 * Writes `workload` as a native file (format: schema.ts / SCHEMA.md), streaming: one source batch
 * in memory at a time.
 *
 * Why two steps: an Arrow IPC file starts with its schema, and the schema carries the metadata —
 * but job and user tables, job constraints and notes grow while a source streams its batches (the
 * synthetic generator appends notes at the end). So the batches are first written to a staging
 * Arrow file (with every optional column), then copied batch by batch into the final file, whose
 * schema now holds the complete metadata and only the optional columns some source batch had.
 * The copy reuses the staged column buffers (no re-encoding of values).
 *
 * Atomic: both files are hidden temporaries next to `file` (model/atomic-output.ts), the final one
 * renamed into place at the end. An error from the source (or Ctrl-C) leaves no file behind and an
 * older `file` untouched.
 */
export async function writeNativeWorkload(workload: Workload, file: string): Promise<NativeWriteResult> {
  const bad = checkResourceNames(workload.resources);
  if (bad !== null) throw new Error(`cannot write ${workload.name} as a native file: ${bad}`);
  const dims = workload.resources.names.length;
  const stagedColumns = taskColumns(workload.resources, OPTIONAL_COLUMNS);

  const tmp = beginOutput(file);
  const staging = beginOutput(`${file}.tasks`);
  const handles: FileHandle[] = [];
  const openW = async (p: string) => {
    const fh = await open(p, 'w');
    handles.push(fh);
    return fh;
  };
  try {
    // Step 1: stage the batches, noting which optional columns exist and each column's CRC-32.
    const stagingSchema = arrowSchema(stagedColumns);
    const stagingWriter = new ChunkFileWriter(await openW(staging));
    stagingWriter.begin(stagingSchema);
    const present = new Set<OptionalColumn>();
    /** Per staged batch: its rows and the CRC-32 of each staged column. */
    const staged: Array<{ rows: number; crcs: number[] }> = [];
    let tasks = 0;
    for await (const b of workload.taskBatches()) {
      const n = b.count;
      if (!(Number.isInteger(n) && n >= 0)) throw new Error(`${workload.name}: a TaskBatch has count ${n}`);
      if (n === 0) continue;
      for (const o of OPTIONAL_COLUMNS) if (b[o] !== undefined) present.add(o);
      const children: Data[] = [];
      const batchCrcs: number[] = [];
      for (const spec of stagedColumns) {
        const values = columnFromBatch(b, spec, dims);
        children.push(arrowColumn(spec, values));
        batchCrcs.push(columnCrc(values));
      }
      stagingWriter.writeBatch(recordBatch(stagingSchema, n, children));
      // Written before the next batch is pulled: the chunks are views of this batch's arrays.
      await stagingWriter.flush();
      staged.push({ rows: n, crcs: batchCrcs });
      tasks += n;
    }
    await stagingWriter.end();
    await closeAll(handles);

    // Step 2: the final file, metadata complete now that the source is exhausted.
    const finalColumns = taskColumns(
      workload.resources,
      OPTIONAL_COLUMNS.filter((o) => present.has(o)),
    );
    const keep = finalColumns.map((c) => stagedColumns.findIndex((s) => s.name === c.name));
    const batches: BatchEntry[] = staged.map((s) => [s.rows, keep.map((k) => s.crcs[k])]);
    const stagingIn = await open(staging, 'r');
    handles.push(stagingIn);
    const reader = await RecordBatchReader.from(stagingIn);
    await reader.open();
    let bi = 0;

    const metadata = buildMetadata(withDroppedUsageNote(workload), tasks, batches);
    const finalSchema = arrowSchema(finalColumns, metadata);
    const out = await openW(tmp);
    const writer = new ChunkFileWriter(out);
    writer.begin(finalSchema);
    for await (const rb of reader) {
      if (rb.numRows === 0) continue; // Arrow's placeholder when a file has no batches
      if (rb.numRows !== batches[bi]?.[0]) throw new Error(`staging file ${staging}: batch ${bi} changed size`);
      const children = keep.map((k) => rb.data.children[k]);
      writer.writeBatch(recordBatch(finalSchema, rb.numRows, children));
      await writer.flush();
      bi++;
    }
    if (bi !== batches.length) throw new Error(`staging file ${staging}: read ${bi} batches back, wrote ${batches.length}`);
    await writer.end();
    await out.datasync();
    await closeAll(handles);
    await rm(staging, { force: true });
    commitOutput(tmp, file);
    return { file, tasks, batches: batches.length, bytes: (await stat(file)).size };
  } catch (e) {
    await closeAll(handles);
    await rm(tmp, { force: true });
    await rm(staging, { force: true });
    throw e;
  }
}

/**
 * Format version 1 has no place for usage series (Workload.usageSeries, TaskBatch.usageSeries and
 * usageScale): they are not stored, and the stored notes say so, with a "warning:" prefix, so a
 * replay of the file shows it (nothing silently dropped). The per-task mean usage and variation
 * columns are stored as always.
 */
export function droppedUsageWarning(w: Workload): string | undefined {
  const s = w.usageSeries;
  if (s === undefined) return undefined;
  return (
    `warning: the source's usage series (${s.count.toLocaleString('en-US')} series from ${s.source}) are not stored in the native file (format version 1 has no place for them): ` +
    'a replay of it has each task\'s mean usage and variation only'
  );
}

function withDroppedUsageNote(w: Workload): Workload {
  const warning = droppedUsageWarning(w);
  return warning === undefined ? w : { ...w, notes: [...w.notes, warning] };
}

async function closeAll(handles: FileHandle[]): Promise<void> {
  while (handles.length > 0) {
    const fh = handles.pop()!;
    await fh.close().catch(() => {});
  }
}
