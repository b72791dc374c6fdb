import { BadRowTally, type OnBadRow } from '../reader-kit/bad-rows.js';
import { InputError } from '../../model/errors.js';
import { FieldReader, readCsvTable } from './csv-table.js';
import {
  MAX_GPUS_PER_POD,
  MILLI_PER_GPU,
  OPENB_PHASES,
  OPENB_POD_COLUMNS,
  OPENB_POD_COLUMNS_SHORT,
  OPENB_QOS,
} from './schema.js';

/**
 * An openb pod list (`openb_pod_list_*.csv`) as columns. A pod asks for either a share of ONE GPU
 * (num_gpu = 1, gpu_milli < 1000) or num_gpu whole GPUs (gpu_milli = 1000 each), or no GPU
 * (num_gpu = 0, gpu_milli = 0); anything else (e.g. two half GPUs) is rejected, because the
 * format documents no such shape. Times are the trace's seconds; NaN where the field is empty or
 * the list is a short (5-column) one.
 */
export interface OpenbPods {
  file: string;
  count: number;
  names: string[];
  cpuMilli: Float64Array;
  memoryMib: Float64Array;
  numGpu: Int32Array;
  /** Per GPU: 1..1000 for GPU pods, 0 for CPU-only pods. */
  gpuMilli: Int32Array;
  /** Index into `specs` (allowed GPU models), -1 = any model. */
  spec: Int32Array;
  specs: string[][];
  /** Index into OPENB_QOS, 255 = not given (short lists). */
  qos: Uint8Array;
  /** Index into OPENB_PHASES, 255 = not given (short lists). */
  phase: Uint8Array;
  creation: Float64Array;
  deletion: Float64Array;
  scheduled: Float64Array;
  /** Whether the list has the constraint/time columns. */
  hasTimes: boolean;
  /** Rows dropped under onBadRow 'skip'. */
  badRows: BadRowTally;
}

export interface OpenbPodReadOptions {
  onBadRow?: OnBadRow;
}

/** Total milli-GPU a pod requests (num_gpu × gpu_milli). */
export function podGpuTotal(pods: OpenbPods, i: number): number {
  return pods.numGpu[i] * pods.gpuMilli[i];
}

export function readOpenbPods(file: string, options: OpenbPodReadOptions = {}): OpenbPods {
  const table = readCsvTable(file, [OPENB_POD_COLUMNS, OPENB_POD_COLUMNS_SHORT], 'openb pod list');
  const hasTimes = table.header.length === OPENB_POD_COLUMNS.length;
  const cap = table.rows.length;
  const pods: OpenbPods = {
    file,
    count: 0,
    names: [],
    cpuMilli: new Float64Array(cap),
    memoryMib: new Float64Array(cap),
    numGpu: new Int32Array(cap),
    gpuMilli: new Int32Array(cap),
    spec: new Int32Array(cap).fill(-1),
    specs: [],
    qos: new Uint8Array(cap).fill(255),
    phase: new Uint8Array(cap).fill(255),
    creation: new Float64Array(cap).fill(NaN),
    deletion: new Float64Array(cap).fill(NaN),
    scheduled: new Float64Array(cap).fill(NaN),
    hasTimes,
    badRows: new BadRowTally(),
  };
  const specIndex = new Map<string, number>();
  const f = new FieldReader(table);
  const MAXI = Number.MAX_SAFE_INTEGER;
  for (let r = 0; r < cap; r++) {
    f.at(r);
    const i = pods.count;
    try {
      const name = f.text(0);
      if (name === '') f.invalid(0, 'a pod name');
      const cpu = f.int(1, 0, MAXI);
      const mem = f.int(2, 0, MAXI);
      const ng = f.int(3, 0, MAX_GPUS_PER_POD);
      const gm = f.int(4, 0, MILLI_PER_GPU);
      if (ng === 0 && gm !== 0) f.invalid(4, '0 for a pod with num_gpu 0');
      if (ng > 0 && gm === 0) f.invalid(4, `1–${MILLI_PER_GPU} for a pod with num_gpu ${ng}`);
      if (ng > 1 && gm !== MILLI_PER_GPU) f.invalid(4, `${MILLI_PER_GPU} for a pod with num_gpu ${ng} (only single-GPU pods share a GPU)`);
      let spec = -1;
      let qos = 255;
      let phase = 255;
      let creation = NaN;
      let deletion = NaN;
      let scheduled = NaN;
      if (hasTimes) {
        const specText = f.text(5).trim();
        if (specText !== '') {
          const models = specText.split('|').map((m) => m.trim());
          if (models.some((m) => m === '')) f.invalid(5, "GPU models separated by '|' (e.g. V100M16|V100M32)");
          const key = models.join('|');
          let k = specIndex.get(key);
          if (k === undefined) {
            k = pods.specs.length;
            pods.specs.push(models);
            specIndex.set(key, k);
          }
          spec = k;
        }
        qos = OPENB_QOS.indexOf(f.choice(6, OPENB_QOS));
        phase = OPENB_PHASES.indexOf(f.choice(7, OPENB_PHASES));
        creation = f.int(8, 0, MAXI);
        deletion = f.int(9, 0, MAXI);
        scheduled = f.optionalInt(10, 0, MAXI);
        if (deletion < creation) f.invalid(9, `a time ≥ creation_time (${creation})`);
        if (scheduled < creation || scheduled > deletion) f.invalid(10, `empty or a time between creation_time (${creation}) and deletion_time (${deletion})`);
      }
      pods.names.push(name);
      pods.cpuMilli[i] = cpu;
      pods.memoryMib[i] = mem;
      pods.numGpu[i] = ng;
      pods.gpuMilli[i] = gm;
      pods.spec[i] = spec;
      pods.qos[i] = qos;
      pods.phase[i] = phase;
      pods.creation[i] = creation;
      pods.deletion[i] = deletion;
      pods.scheduled[i] = scheduled;
      pods.count++;
    } catch (e) {
      if (options.onBadRow === 'skip' && e instanceof InputError) pods.badRows.add(e);
      else throw e;
    }
  }
  return pods;
}

/** Counts by phase, QoS and num_gpu, in the vocabulary of the source (for notes and tests). */
export function openbPodCounts(pods: OpenbPods): { phase: Record<string, number>; qos: Record<string, number>; numGpu: Record<string, number> } {
  const phase: Record<string, number> = {};
  const qos: Record<string, number> = {};
  const numGpu: Record<string, number> = {};
  for (let i = 0; i < pods.count; i++) {
    if (pods.phase[i] !== 255) phase[OPENB_PHASES[pods.phase[i]]] = (phase[OPENB_PHASES[pods.phase[i]]] ?? 0) + 1;
    if (pods.qos[i] !== 255) qos[OPENB_QOS[pods.qos[i]]] = (qos[OPENB_QOS[pods.qos[i]]] ?? 0) + 1;
    const k = String(pods.numGpu[i]);
    numGpu[k] = (numGpu[k] ?? 0) + 1;
  }
  return { phase, qos, numGpu };
}
