import { crc32 } from 'node:zlib';
import { Float32, Float64, Int32, makeData, RecordBatch, Struct, type Data, type Schema } from 'apache-arrow';
import type { TaskBatch } from '../../model/task-batch.js';
import type { ColumnSpec } from './schema.js';

/** The array a column is written from; per-dimension columns are split out of the flat vector. */
export type ColumnArray = Float64Array | Float32Array | Int32Array;

/** Default for an optional column a source batch lacks: the value that means "absent" (NaN / -1). */
function absent(spec: ColumnSpec, n: number): ColumnArray {
  return spec.type === 'int32' ? new Int32Array(n).fill(-1) : new Float64Array(n).fill(NaN);
}

/**
 * The column's values for the first `n` tasks of `b`. Scalar columns are views of the batch's own
 * arrays (no copy); per-dimension columns are copied out of the flat `i·dims + d` vector.
 */
export function columnFromBatch(b: TaskBatch, spec: ColumnSpec, dims: number): ColumnArray {
  const n = b.count;
  const src = b[spec.source] as ColumnArray | undefined;
  if (src === undefined) return absent(spec, n);
  if (spec.dim === undefined) {
    if (src.length < n) throw new Error(`TaskBatch.${spec.source} has ${src.length} values for ${n} tasks`);
    return src.subarray(0, n);
  }
  if (src.length < n * dims) throw new Error(`TaskBatch.${spec.source} has ${src.length} values for ${n} tasks × ${dims} dimensions`);
  if (dims === 1) return src.subarray(0, n);
  const out = src instanceof Float32Array ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0, j = spec.dim; i < n; i++, j += dims) out[i] = src[j];
  return out;
}

/** CRC-32 of a column's bytes as stored (little-endian values), for corruption checks on read. */
export function columnCrc(a: ColumnArray): number {
  return crc32(a);
}

export function arrowColumn(spec: ColumnSpec, values: ColumnArray): Data {
  const props = { length: values.length, nullCount: 0 };
  if (spec.type === 'int32') return makeData({ type: new Int32(), data: values as Int32Array, ...props });
  if (spec.type === 'float32') return makeData({ type: new Float32(), data: values as Float32Array, ...props });
  return makeData({ type: new Float64(), data: values as Float64Array, ...props });
}

/** A RecordBatch of `schema` from column data in schema order (no copy). */
export function recordBatch(schema: Schema, length: number, children: Data[]): RecordBatch {
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length, nullCount: 0, children }));
}
