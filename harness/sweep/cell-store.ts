import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomInt } from 'node:crypto';
import type { RunSummary } from '../../reports/summary.js';
import type { CellCoordinates, SweepCell } from './sweep-grid.js';
import { CELL_SCHEMA } from './sweep-grid.js';

/** What one finished cell's file holds: enough to rebuild the tables without rerunning it (no wall time: the file is reproducible, timing.json has the timings). */
export interface StoredCell extends CellCoordinates {
  schema: string;
  key: string;
  schedlab: string;
  spec: SweepCell['spec'];
  summary: RunSummary;
}

/** The folder of finished cells inside a sweep's output folder. */
export const CELLS_FOLDER = 'cells';

const PARTIAL = /^\..*\.partial-\d+$/;

/**
 * One file per finished cell, `cells/<key>.json`, written whole or not at all: the JSON goes to a
 * hidden `.<key>.json.partial-<pid>` and is renamed into place in the same synchronous step, so a
 * Ctrl-C (handled between event-loop turns) never sees half a file; a temporary left by a killed
 * process (SIGKILL, power loss) is removed when the folder is opened again.
 *
 * `shared`: the folder is written by several processes at once (the pods of a Kubernetes Job on
 * one volume, each storing its own cell): opening it tolerates a folder another process has just
 * made and leaves the temporaries alone (one may be another process's file in the making; they
 * are cleared when the folder is opened unshared, by `--collect`), and each temporary's name
 * carries a random part besides the pid (pods on different machines may share a pid).
 */
export class CellStore {
  readonly dir: string;
  private readonly shared: boolean;

  constructor(outDir: string, options: { shared?: boolean } = {}) {
    this.dir = join(outDir, CELLS_FOLDER);
    this.shared = options.shared === true;
    // The sweep folder exists (sweep.ts made it): one level, never a recursive mkdir.
    try {
      if (!existsSync(this.dir)) mkdirSync(this.dir);
    } catch (e) {
      if (!this.shared || (e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (this.shared) return;
    for (const f of readdirSync(this.dir)) if (PARTIAL.test(f)) rmSync(join(this.dir, f), { force: true });
  }

  /** The stored cell of this key, or undefined when absent or unreadable (an unreadable file is rerun, then replaced). */
  get(key: string): StoredCell | undefined {
    let text: string;
    try {
      text = readFileSync(join(this.dir, `${key}.json`), 'utf8');
    } catch {
      return undefined;
    }
    try {
      const c = JSON.parse(text) as StoredCell;
      return c.schema === CELL_SCHEMA && c.key === key && c.summary !== undefined ? c : undefined;
    } catch {
      return undefined;
    }
  }

  put(cell: StoredCell): void {
    const target = join(this.dir, `${cell.key}.json`);
    const tmp = join(this.dir, `.${cell.key}.json.partial-${process.pid}${this.shared ? String(randomInt(1e9)).padStart(9, '0') : ''}`);
    writeFileSync(tmp, JSON.stringify(cell) + '\n');
    renameSync(tmp, target);
  }
}
