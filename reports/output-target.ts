import { lstatSync, readdirSync, readFileSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../model/errors.js';
import { abandonOutput, beginOutput, protectTarget } from '../model/atomic-output.js';
import { isReportFile } from './report/write-report.js';
import { COMPARE_FILE, COMPARE_RUNS_FOLDER } from './report/compare-folder.js';

/**
 * The one guard in front of every `--out`: schedlab never deletes or overwrites anything it did
 * not write.
 *
 * - Nothing at the target, or an empty folder (for a results folder): written.
 * - An earlier schedlab output: replaced only with `--force`; without it the run stops before it
 *   starts, with one line saying so.
 * - Anything else (a file where a folder goes, a folder holding other files, a symbolic link, a
 *   file that is not a schedlab native file): refused, with or without `--force`.
 *
 * A results folder is recognized by its marker, `run.json` with schedlab's `schedlab` (version)
 * and `command` fields, and it must hold nothing but the files schedlab writes there. A native
 * file is recognized by content (the Arrow schema's `schedlab.native` key), not by its name.
 *
 * The check runs before the work (so a refusal costs nothing) together with a probe that the
 * location accepts new entries, and again right before the replacement (model/atomic-output.ts):
 * the target must still be what was approved, unchanged.
 */
export type OutputTargetKind = 'results-folder' | 'native-file';

export interface OutputTargetRequest {
  /** The path the user gave. */
  path: string;
  kind: OutputTargetKind;
  /** The user passed --force: an earlier schedlab output may be replaced. */
  force: boolean;
  /** The option that named the path, for messages (default '--out'). */
  option?: string;
  /** Recognizes a schedlab native file by content (async: it opens the Arrow file). */
  isNativeFile?: (path: string) => Promise<boolean>;
}

/** Every file a schedlab results folder may hold (replay: the first three, events.csv with node dynamics or reactions, availability.csv with workload controllers, each table also as .parquet, and schema.json; experiment fgd: run.json, summary.json and curves.csv; both: timing.json). */
export const RESULTS_FOLDER_FILES: readonly string[] = [
  'run.json', 'tasks.csv', 'timeseries.csv', 'events.csv', 'summary.json', 'curves.csv', 'timing.json',
  'tasks.parquet', 'timeseries.parquet', 'events.parquet', 'schema.json', 'availability.csv', 'availability.parquet',
];

/** Throws UsageError when writing `req.path` could destroy what schedlab did not write, or cannot work at all. */
export async function checkOutputTarget(req: OutputTargetRequest): Promise<void> {
  const option = req.option ?? '--out';
  const noun = req.kind === 'results-folder' ? 'folder' : 'file';
  if (req.path.trim() === '') throw new UsageError(`${option}: expected a ${noun} path, got '${req.path}'`);
  const found = lstatOrNull(req.path, option);
  const approved = found === null ? null : await approveExisting(req, found, option);
  probe(req.path, req.kind === 'results-folder' ? 'folder' : 'file', option);
  protectTarget(req.path, () => {
    const now = lstatOrNull(req.path, option);
    if (!sameEntry(approved, now)) {
      throw new UsageError(`${option}: '${req.path}' changed while schedlab was running; nothing was replaced (the results were not written)`);
    }
  });
}

/** Why an existing entry may (returns its stat) or may not (throws) be replaced. */
async function approveExisting(req: OutputTargetRequest, st: Stats, option: string): Promise<Stats> {
  const p = req.path;
  const never = `schedlab never replaces what it did not write; choose another path`;
  if (st.isSymbolicLink()) throw new UsageError(`${option}: '${p}' is a symbolic link; give the path it points to, or another path`);
  if (req.kind === 'results-folder') {
    if (!st.isDirectory()) throw new UsageError(`${option}: '${p}' is a file, not a results folder; ${never}`);
    const entries = readdirSync(p);
    if (entries.length === 0) return st;
    if (hasCompareMarker(p)) {
      const foreign = foreignCompareEntries(p, entries);
      if (foreign.length > 0) {
        throw new UsageError(`${option}: '${p}' is a schedlab compare folder that also holds files schedlab did not write (${listed(foreign)}); ${never}`);
      }
      if (!req.force) throw new UsageError(`${option}: '${p}' holds an earlier schedlab compare folder; add --force to replace it, or choose another path`);
      return st;
    }
    if (!hasRunMarker(p)) {
      throw new UsageError(`${option}: '${p}' is a folder schedlab did not write (no run.json marker; it holds ${listed(entries)}); ${never}`);
    }
    const foreign = foreignEntries(p, entries);
    if (foreign.length > 0) {
      throw new UsageError(`${option}: '${p}' is a schedlab results folder that also holds files schedlab did not write (${listed(foreign)}); ${never}`);
    }
    if (!req.force) throw new UsageError(`${option}: '${p}' holds an earlier schedlab results folder; add --force to replace it, or choose another path`);
    return st;
  }
  if (st.isDirectory()) throw new UsageError(`${option}: expected a file path, got '${p}' (a folder)`);
  const native = st.isFile() && st.size > 0 && (await (req.isNativeFile?.(p) ?? Promise.resolve(false)));
  if (!native) throw new UsageError(`${option}: '${p}' is a file that is not a schedlab native file; ${never}`);
  if (!req.force) throw new UsageError(`${option}: '${p}' holds an earlier schedlab native file; add --force to replace it, or choose another path`);
  return st;
}

/** A folder holding a schedlab run.json marker and nothing but files schedlab writes there. */
export function isResultsFolder(dir: string): boolean {
  return hasRunMarker(dir) && foreignEntries(dir, readdirSync(dir)).length === 0;
}

/** run.json with the fields every schedlab run record has: `schedlab` (version) and `command`. */
function hasRunMarker(dir: string): boolean {
  try {
    const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as Record<string, unknown> | null;
    return run !== null && typeof run === 'object' && typeof run.schedlab === 'string' && typeof run.command === 'string';
  } catch {
    return false;
  }
}

/** Entries that are not one of the regular files schedlab writes in a results folder (its report's included: reports/report/). */
function foreignEntries(dir: string, entries: string[]): string[] {
  return entries.filter((e) => !(RESULTS_FOLDER_FILES.includes(e) || isReportFile(e)) || lstatOrNull(join(dir, e), '--out')?.isFile() !== true);
}

/** compare.json with schedlab's `schedlab` (version) and `command: 'compare'`: a `compare --out` folder. */
function hasCompareMarker(dir: string): boolean {
  try {
    const rec = JSON.parse(readFileSync(join(dir, COMPARE_FILE), 'utf8')) as Record<string, unknown> | null;
    return rec !== null && typeof rec === 'object' && typeof rec.schedlab === 'string' && rec.command === 'compare';
  } catch {
    return false;
  }
}

/** What a compare folder holds besides compare.json, its report and runs/ — a folder of results folders. */
function foreignCompareEntries(dir: string, entries: string[]): string[] {
  return entries.filter((e) => {
    const st = lstatOrNull(join(dir, e), '--out');
    if (e === COMPARE_RUNS_FOLDER) {
      if (st?.isDirectory() !== true) return true;
      const runs = join(dir, e);
      return readdirSync(runs).some((r) => lstatOrNull(join(runs, r), '--out')?.isDirectory() !== true || !isResultsFolder(join(runs, r)));
    }
    return !(e === COMPARE_FILE || isReportFile(e)) || st?.isFile() !== true;
  });
}

/** Creates and removes a temporary next to the target: fails now, not after the run, when the location refuses new entries. */
function probe(path: string, kind: 'file' | 'folder', option: string): void {
  try {
    abandonOutput(beginOutput(path, kind));
  } catch (e) {
    if (e instanceof UsageError) throw new UsageError(`${option}: ${e.message}`);
    throw e;
  }
}

function sameEntry(a: Stats | null, b: Stats | null): boolean {
  if (a === null || b === null) return a === b;
  return a.dev === b.dev && a.ino === b.ino && a.mtimeMs === b.mtimeMs && a.size === b.size;
}

function listed(entries: string[]): string {
  const shown = entries.slice().sort().slice(0, 3).map((e) => `'${e}'`).join(', ');
  return entries.length > 3 ? `${shown} and ${entries.length - 3} more` : shown;
}

function lstatOrNull(p: string, option: string): Stats | null {
  try {
    return lstatSync(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // ENOTDIR: a parent is a file; the probe names it.
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw new UsageError(`${option}: cannot use '${p}': ${code?.toLowerCase() ?? (e as Error).message}`);
  }
}
