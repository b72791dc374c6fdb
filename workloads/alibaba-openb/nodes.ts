import { InputError } from '../../model/errors.js';
import { FieldReader, readCsvTable } from './csv-table.js';
import { OPENB_NODE_COLUMNS } from './schema.js';

/**
 * An openb node list (`openb_node_list_all_node.csv` or `openb_node_list_gpu_node.csv`) as columns.
 * CPU-only nodes have gpu = 0 and an empty model; every GPU node names its model (G1/G2/G3 are
 * undisclosed codes, kept as they are).
 */
export interface OpenbNodes {
  file: string;
  count: number;
  ids: string[];
  /** Milli-cores. */
  cpuMilli: Float64Array;
  /** MiB. */
  memoryMib: Float64Array;
  /** Number of GPU devices. */
  gpus: Int32Array;
  /** GPU model, '' for CPU-only nodes. */
  model: string[];
  /** Sum of gpus. */
  totalGpus: number;
}

/** Largest device count accepted on one node (the data has at most 8). */
export const MAX_GPUS_PER_NODE = 64;

export function readOpenbNodes(file: string): OpenbNodes {
  const table = readCsvTable(file, [OPENB_NODE_COLUMNS], 'openb node list');
  const n = table.rows.length;
  const out: OpenbNodes = {
    file,
    count: n,
    ids: new Array<string>(n),
    cpuMilli: new Float64Array(n),
    memoryMib: new Float64Array(n),
    gpus: new Int32Array(n),
    model: new Array<string>(n),
    totalGpus: 0,
  };
  const f = new FieldReader(table);
  const seen = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    f.at(i);
    const sn = f.text(0);
    if (sn === '') f.invalid(0, 'a node name');
    const prev = seen.get(sn);
    if (prev !== undefined) {
      throw new InputError({ file, line: table.lines[i], column: 0, field: 'sn', problem: `node ${sn} is listed twice (first on line ${table.lines[prev]})` });
    }
    seen.set(sn, i);
    out.ids[i] = sn;
    out.cpuMilli[i] = f.int(1, 0, Number.MAX_SAFE_INTEGER);
    out.memoryMib[i] = f.int(2, 0, Number.MAX_SAFE_INTEGER);
    const g = f.int(3, 0, MAX_GPUS_PER_NODE);
    out.gpus[i] = g;
    out.totalGpus += g;
    const model = f.text(4).trim();
    if (g > 0 && model === '') f.invalid(4, 'a GPU model for a node with GPUs');
    if (g === 0 && model !== '') f.invalid(4, 'an empty model for a node without GPUs');
    out.model[i] = model;
  }
  return out;
}
