/**
 * The Alibaba cluster-trace-gpu-v2023 "openb" CSV tables (alibaba/clusterdata,
 * `cluster-trace-gpu-v2023/csv/`), as described in ../shared/docs/trace-formats.md §1.3. Both tables carry a
 * header row; the reader insists on it, column for column, so a shifted or foreign file is caught
 * on line 1 instead of producing nonsense requests.
 */
export const OPENB_NODE_COLUMNS = ['sn', 'cpu_milli', 'memory_mib', 'gpu', 'model'] as const;

export const OPENB_POD_COLUMNS = [
  'name',
  'cpu_milli',
  'memory_mib',
  'num_gpu',
  'gpu_milli',
  'gpu_spec',
  'qos',
  'pod_phase',
  'creation_time',
  'deletion_time',
  'scheduled_time',
] as const;

/** The `multigpu*` pod lists carry only the first five columns (no constraints, no times). */
export const OPENB_POD_COLUMNS_SHORT = OPENB_POD_COLUMNS.slice(0, 5);

export const OPENB_QOS = ['LS', 'BE', 'Burstable', 'Guaranteed'] as const;
export const OPENB_PHASES = ['Running', 'Failed', 'Pending', 'Succeeded'] as const;

/** One GPU device holds 1000 milli-GPU (openb's `gpu_milli` unit). */
export const MILLI_PER_GPU = 1000;
/** Largest `num_gpu` the format allows. */
export const MAX_GPUS_PER_POD = 8;
