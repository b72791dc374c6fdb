import { readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import { UsageError } from '../../../model/errors.js';
import { readSweepConfig, type CheckedSweepConfig } from '../sweep-config.js';
import { CELL_SCHEMA, sweepCells, type SweepCell } from '../sweep-grid.js';
import { CELLS_FOLDER, CellStore } from '../cell-store.js';
import { CellRunner } from '../sweep-pool.js';
import type { SweepCellResult } from '../group-stats.js';
import { cellLabel, coordinates, finishSweep, makeFolders, hasSweepMarker, markerText, openSweepFolder, SWEEP_MARKER, type SweepResult } from '../sweep.js';

/** The status of a folder written cell by cell by `--cell-index` runs, until `--collect` merges it. */
export const CELLS_STATUS = 'cells';

export interface CellIndexResult {
  cell: SweepCell;
  total: number;
  /** False when the cell's file was already there (a retried pod): nothing was rerun. */
  ran: boolean;
  wallSeconds: number;
}

/**
 * `schedlab sweep --config F --cell-index I --out DIR`: runs cell I of the grid alone (grid order,
 * 0-based: a Kubernetes Indexed Job's completion index) and stores it as DIR/cells/<key>.json,
 * unless that file is already there. Many such runs write one folder at once (the pods of a Job on
 * one volume), so the folder is opened shared (cell-store.ts) and its marker — the checked
 * config with everything `--collect` needs to rebuild the grid — is written whole under a name no
 * other process uses, then renamed into place (every run writes the same bytes).
 */
export async function runCellIndex(configFile: string, index: number, out: string, version: string): Promise<CellIndexResult> {
  const c = await readSweepConfig(configFile);
  const cells = sweepCells(c);
  if (!Number.isInteger(index) || index < 0 || index >= cells.length) {
    throw new UsageError(`--cell-index: expected 0 to ${cells.length - 1} (the sweep has ${cells.length} cells), got ${index}`);
  }
  openSharedFolder(out);
  writeShared(out, SWEEP_MARKER, markerText(c, cells.length, version, CELLS_STATUS, { grid: c }));
  const store = new CellStore(out, { shared: true });
  const cell = cells[index];
  if (store.get(cell.key) !== undefined) return { cell, total: cells.length, ran: false, wallSeconds: 0 };
  const runner = new CellRunner(1);
  try {
    const outcome = await runner.run(cell.spec);
    store.put({ schema: CELL_SCHEMA, ...coordinates(cell), schedlab: version, spec: cell.spec, summary: outcome.summary });
    return { cell, total: cells.length, ran: true, wallSeconds: outcome.wallSeconds };
  } catch (e) {
    const err = e as Error;
    if (err instanceof UsageError || err.name === 'InputError') {
      throw new UsageError(`${cellLabel(cell)} (--cell-index ${index}): ${err.message}`);
    }
    throw err;
  } finally {
    await runner.close();
  }
}

/**
 * `schedlab sweep --collect DIR`: merges a folder of cells written by `--cell-index` runs (a copy
 * of a Kubernetes Job's results volume) into the sweep's tables, charts and report — the same
 * finishSweep a local sweep ends with, so the same config gives the same bytes. The grid comes from
 * the folder's marker; a cell without its file is a UsageError naming how many and which indexes.
 */
export async function collectSweep(dir: string, version: string, report = true): Promise<SweepResult> {
  const started = performance.now();
  let marker: { command?: unknown; status?: unknown; schedlab?: unknown; grid?: CheckedSweepConfig };
  try {
    marker = JSON.parse(readFileSync(join(dir, SWEEP_MARKER), 'utf8')) as typeof marker;
  } catch {
    throw new UsageError(`--collect: '${dir}' has no readable ${SWEEP_MARKER}: expected the results folder of a sweep's --cell-index runs (a copy of the Job's volume)`);
  }
  if (marker === null || typeof marker !== 'object' || marker.command !== 'sweep') {
    throw new UsageError(`--collect: '${dir}/${SWEEP_MARKER}' is not a sweep's marker`);
  }
  if (marker.grid === undefined || marker.grid === null || typeof marker.grid !== 'object') {
    if (marker.status === 'complete') throw new UsageError(`--collect: '${dir}' is already merged (cells.csv, groups.csv and the report are there)`);
    throw new UsageError(`--collect: '${dir}' was not written by --cell-index runs (its ${SWEEP_MARKER} holds no grid); a local or queue sweep is finished by rerunning it with --config and --out`);
  }
  if (marker.schedlab !== version) {
    throw new UsageError(`--collect: the cells in '${dir}' were made by schedlab ${String(marker.schedlab)}, this is schedlab ${version}: collect with the version that ran them`);
  }
  const c = marker.grid;
  const cells = sweepCells(c);
  openSweepFolder(dir);
  const store = new CellStore(dir);
  const results: SweepCellResult[] = [];
  const missing: number[] = [];
  for (const cell of cells) {
    const stored = store.get(cell.key);
    if (stored === undefined) missing.push(cell.index);
    else results.push({ ...coordinates(cell), summary: stored.summary });
  }
  if (missing.length > 0) {
    const shown = missing.slice(0, 20).join(', ') + (missing.length > 20 ? `, … (${missing.length - 20} more)` : '');
    throw new UsageError(
      `--collect: ${missing.length} of ${cells.length} cells have no result in ${join(dir, CELLS_FOLDER)} (indexes ${shown}); rerun those indexes (schedlab sweep --config F --cell-index I --out ${dir}) or wait for the Job to finish`,
    );
  }
  const extra = new Set(readdirSync(join(dir, CELLS_FOLDER)).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)));
  for (const cell of cells) extra.delete(cell.key);
  const timing = { command: 'sweep', threads: 0, mode: 'collect', ran: 0, resumed: cells.length, cellReplaySeconds: 0, ...(extra.size > 0 ? { ignoredCellFiles: extra.size } : {}) };
  const groups = await finishSweep(dir, c, results, version, report, started, timing);
  return { out: dir, cells: results, groups, ran: 0, resumed: cells.length, mode: 'collect', threads: 0, wallSeconds: (performance.now() - started) / 1000 };
}

/**
 * The output folder of a `--cell-index` run: made when absent (another pod may make it at the same
 * moment: fine), and refused when it holds anything but a sweep's marker, its cells folder and
 * temporaries — schedlab never writes into a folder it did not make.
 */
function openSharedFolder(dir: string): void {
  try {
    makeFolders(dir);
  } catch (e) {
    // A pod that lost the race to create it finds it made.
    if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw e;
  }
  const foreign = readdirSync(dir).filter((f) => f !== SWEEP_MARKER && f !== CELLS_FOLDER && !/^\..*\.partial-\d+$/.test(f));
  if (foreign.length > 0 && !hasSweepMarker(dir)) {
    throw new UsageError(`--out: '${dir}' is a folder schedlab's sweep did not write (no ${SWEEP_MARKER} marker); choose another path`);
  }
}

/** Writes a file whole in a folder other processes write at once: a temporary no other process names, renamed into place. */
function writeShared(dir: string, name: string, text: string): void {
  const tmp = join(dir, `.${name}.partial-${process.pid}${String(randomInt(1e9)).padStart(9, '0')}`);
  writeFileSync(tmp, text);
  renameSync(tmp, join(dir, name));
}
