import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ReplaySpec } from '../../replay-spec.js';
import type { RunSummary } from '../../../reports/summary.js';
import { isPolicyPath } from '../../load-policy.js';
import { cellKey } from '../cell-key.js';
import { CELL_SCHEMA, type SweepCell } from '../sweep-grid.js';

/** Bumped when the job's data changes shape; a worker refuses a job of another schema. */
export const CELL_JOB_SCHEMA = 'schedlab-cell-job/1';

/** A module file a cell loads (a policy or an overcommit module), by path and content hash. */
export interface ModuleFile {
  role: 'policy file' | 'overcommit module';
  path: string;
  sha256: string;
}

/**
 * A cell as it travels through the queue: data only. The spec is the same ReplaySpec a local
 * sweep runs; code a cell needs (a user's policy or overcommit module) is never shipped — it is
 * named by path, and the worker loads its own copy only when that copy's SHA-256 equals the one the
 * sweep computed, so a worker runs what the sweep's owner reviewed or nothing.
 */
export interface CellJobData {
  schema: typeof CELL_JOB_SCHEMA;
  /** Content hash of the spec (cell-key.ts): the job id and the result file's name. */
  key: string;
  cellSchema: string;
  /** schedlab's version on the sweep's machine: a worker of another version refuses the cell (another version may compute other figures). */
  schedlab: string;
  spec: ReplaySpec;
  files: ModuleFile[];
  /** The cell's coordinates in words, for the workers' log lines. */
  label: string;
}

/** What a worker returns for a finished cell; BullMQ stores it as the job's return value, and the sweep collects it. */
export interface CellJobResult {
  key: string;
  schedlab: string;
  summary: RunSummary;
  wallSeconds: number;
  /** The worker that ran it (host-pid). */
  worker: string;
}

/** The module files a spec loads: a policy path, an overcommit module path. */
export function moduleFilesOf(spec: ReplaySpec): Array<Omit<ModuleFile, 'sha256'>> {
  const out: Array<Omit<ModuleFile, 'sha256'>> = [];
  if (isPolicyPath(spec.policy)) out.push({ role: 'policy file', path: spec.policy });
  const oc = spec.dynamics?.overcommit;
  if (typeof oc === 'string' && /\.(ts|mts|js|mjs)$/.test(oc.trim())) out.push({ role: 'overcommit module', path: oc.trim() });
  return out;
}

/** SHA-256 (hex) of a file's bytes; undefined when it cannot be read. */
export function fileSha256(path: string): string | undefined {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return undefined;
  }
}

/** The job of one sweep cell; the module files are hashed here, on the sweep's machine (they were loaded when the config was checked). */
export function cellJobData(cell: SweepCell, version: string, label: string): CellJobData {
  const files = moduleFilesOf(cell.spec).map((f) => ({ ...f, sha256: fileSha256(f.path) ?? 'unreadable' }));
  return { schema: CELL_JOB_SCHEMA, key: cell.key, cellSchema: CELL_SCHEMA, schedlab: version, spec: cell.spec, files, label };
}

/** A cell a worker will not run, with the one-line reason (reported as the cell's error). */
export class CellRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CellRefused';
  }
}

/**
 * The worker's checks before running a job: it is a schedlab cell of this job schema, made by this
 * schedlab version, whose key is its spec's hash (nothing altered on the way), and whose module
 * files here have the sweep's content. Returns the checked job; throws CellRefused.
 */
export function checkCellJob(data: unknown, version: string): CellJobData {
  const d = data as Partial<CellJobData> | null;
  if (d === null || typeof d !== 'object' || d.schema !== CELL_JOB_SCHEMA || typeof d.key !== 'string' || d.spec === null || typeof d.spec !== 'object' || !Array.isArray(d.files)) {
    throw new CellRefused(`not a schedlab cell of schema ${CELL_JOB_SCHEMA} (job data ${d !== null && typeof d === 'object' ? `of schema ${String(d.schema)}` : typeof d}); refused`);
  }
  if (d.schedlab !== version) {
    throw new CellRefused(`made by schedlab ${String(d.schedlab)}, this worker runs schedlab ${version}: run one schedlab version on the sweep's machine and every worker`);
  }
  if (d.cellSchema !== CELL_SCHEMA || cellKey(d.spec, CELL_SCHEMA) !== d.key) {
    throw new CellRefused(`the cell's key is not the hash of its spec (altered on the way, or made by another schedlab); refused`);
  }
  for (const f of d.files) {
    const here = fileSha256(f.path);
    if (here === undefined) throw new CellRefused(`${f.role} ${f.path}: missing on this worker (copy the sweep's file to the same path on every worker)`);
    if (here !== f.sha256) {
      throw new CellRefused(`${f.role} ${f.path}: content differs from the sweep's (SHA-256 ${here.slice(0, 12)}… here, ${f.sha256.slice(0, 12)}… expected); refused — copy the same file to every worker`);
    }
  }
  // The spec's module files must be exactly those listed (a job cannot slip in an unhashed one).
  const listed = new Set(d.files.map((f) => `${f.role}\0${f.path}`));
  for (const f of moduleFilesOf(d.spec)) {
    if (!listed.has(`${f.role}\0${f.path}`)) throw new CellRefused(`${f.role} ${f.path}: no content hash in the job; refused`);
  }
  return d as CellJobData;
}
