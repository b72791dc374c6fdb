/**
 * Resource dimensions. Vectors are flat Float64Arrays indexed `item * dims + d`, so a cluster of
 * 12,500 nodes or a workload of millions of tasks is a handful of contiguous arrays, not objects.
 */
export interface ResourceSchema {
  /** Dimension names, e.g. ['cpu', 'memory', 'gpu']. Extensible: readers may add 'disk', 'ports'... */
  readonly names: readonly string[];
  /** Unit of each dimension, e.g. ['millicores', 'bytes', 'milli-gpu']. */
  readonly units: readonly string[];
}

/** CPU in millicores, memory in bytes, GPU in thousandths of a device (openb's milli-GPU). */
export const DEFAULT_RESOURCES: ResourceSchema = {
  names: ['cpu', 'memory', 'gpu'],
  units: ['millicores', 'bytes', 'milli-gpu'],
};

export function dimIndex(schema: ResourceSchema, name: string): number {
  const i = schema.names.indexOf(name);
  if (i < 0) throw new Error(`unknown resource '${name}'; this workload has: ${schema.names.join(', ')}`);
  return i;
}
