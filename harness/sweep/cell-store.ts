import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
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
 */
export class CellStore {
  readonly dir: string;

  constructor(outDir: string) {
    this.dir = join(outDir, CELLS_FOLDER);
    // The sweep folder exists (sweep.ts made it): one level, never a recursive mkdir.
    if (!existsSync(this.dir)) mkdirSync(this.dir);
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
    const tmp = join(this.dir, `.${cell.key}.json.partial-${process.pid}`);
    writeFileSync(tmp, JSON.stringify(cell) + '\n');
    renameSync(tmp, target);
  }
}
