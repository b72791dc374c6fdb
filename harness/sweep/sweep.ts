import { availableParallelism } from 'node:os';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '../../model/errors.js';
import { readSweepConfig, validateSweepConfig, type CheckedSweepConfig, type SweepConfig } from './sweep-config.js';
import { CELL_SCHEMA, sweepCells, type SweepCell } from './sweep-grid.js';
import { CELLS_FOLDER, CellStore } from './cell-store.js';
import { runOnPool } from './sweep-pool.js';
import { parseQueueUrl } from './distributed/queue-url.js';
import type { QueueState, QueueSweepStats } from './distributed/queue-sweep.js';
import { groupStats, type SweepCellResult } from './group-stats.js';
import { cellsCsv, groupsCsv, SWEEP_TABLES, writeWhole } from './sweep-tables.js';
import { SWEEP_METRICS } from './sweep-metrics.js';
import { writeSweepParquet } from './sweep-parquet.js';
import { sweepCharts, type SweepGroupStat } from '../../reports/charts/sweep-charts.js';
import { writeReport } from '../../reports/report/write-report.js';
import type { ReportTable } from '../../reports/report/report-input.js';
import { hostInfo, TIMING_FILE } from '../../reports/timing-file.js';

export interface SweepOptions {
  /** The sweep's folder: finished cells, tables, charts, report. Reusing it resumes the sweep. */
  out: string;
  /** Worker threads (default: os.availableParallelism()). */
  threads?: number;
  /** schedlab's version, stored with each cell and in sweep.json. */
  version?: string;
  /** After each finished or resumed cell. */
  onProgress?: (p: SweepProgress) => void;
  /** Charts and report.html / report.md (default true). */
  report?: boolean;
  /**
   * Run the cells on `schedlab worker`s through the Redis queue at this URL (`redis://[:PASS@]HOST:PORT[/DB]`,
   * `rediss://` for TLS) instead of local threads: harness/sweep/distributed/. Same tables.
   */
  queueUrl?: string;
  /** Queue mode: tries per cell before it is reported failed (default 3). */
  attempts?: number;
  /** Queue mode: a cell that failed all its tries, in words, with the reason (one line). The sweep goes on. */
  onCellFailed?: (line: string) => void;
  /** Queue mode: cells running on workers, Redis unreachable. */
  onQueueState?: (s: QueueState) => void;
  /** Queue mode: things worth a line (cells re-enqueued after a lost queue). */
  onNote?: (line: string) => void;
}

export interface SweepProgress {
  total: number;
  /** Cells found finished in the folder (not rerun). */
  resumed: number;
  /** Cells run so far by this call. */
  ran: number;
  /** Queue mode: cells that failed all their tries so far. */
  failed?: number;
}

export interface SweepResult {
  out: string;
  cells: SweepCellResult[];
  groups: SweepGroupStat[];
  /** Cells replayed by this call, and cells taken from an earlier (interrupted) run. */
  ran: number;
  resumed: number;
  mode: 'workers' | 'in-process' | 'queue' | 'collect';
  threads: number;
  wallSeconds: number;
  /** Queue mode: the queue (password hidden), the workers that delivered results, duplicates dropped, cells re-enqueued. */
  queue?: { url: string } & QueueSweepStats;
}

/** The sweep folder's marker: version, config, cell count, status; written first (so an interrupted sweep can be resumed) and marked complete at the end. */
export const SWEEP_MARKER = 'sweep.json';

/** Does `dir` hold the marker a sweep writes (SWEEP_MARKER with command 'sweep')? Only such folders are written into. */
export function hasSweepMarker(dir: string): boolean {
  try {
    const marker = JSON.parse(readFileSync(join(dir, SWEEP_MARKER), 'utf8')) as { command?: unknown } | null;
    return marker !== null && typeof marker === 'object' && marker.command === 'sweep';
  } catch {
    return false;
  }
}

/**
 * Runs every cell of a sweep (harness/sweep/sweep-grid.ts) not already finished in `options.out`,
 * in parallel worker threads, storing each as it finishes (cell-store.ts); then writes the tidy
 * table of all cells (cells.csv), the per-group means and 95 % t intervals (groups.csv), the charts
 * with error bars and the report. `config`: a sweep file's path, or the config as plain data
 * with the file's keys (SweepConfig; checked as a file is, fields named without a line). Same config, same tables, whatever the thread count or interruptions.
 * With `queueUrl` the cells run on `schedlab worker`s anywhere instead (distributed/queue-sweep.ts):
 * the same files, the same bytes; a cell that fails all its tries is reported (onCellFailed) and
 * the others go on, then the sweep throws a UsageError naming the failed cells (tables are written
 * only when every cell has its result).
 */
export async function sweep(config: string | SweepConfig, options: SweepOptions): Promise<SweepResult> {
  const started = performance.now();
  const c = typeof config === 'string' ? await readSweepConfig(config) : await validateSweepConfig(config);
  const cells = sweepCells(c);
  const target = options.queueUrl === undefined ? undefined : parseQueueUrl(options.queueUrl);
  // An unreachable queue is a usage error before anything is written.
  if (target !== undefined) await (await import('./distributed/probe-queue.js')).probeQueue(target);
  openSweepFolder(options.out);
  const store = new CellStore(options.out);
  const version = options.version ?? 'unknown';
  writeMarker(options.out, c, cells.length, version, 'running');

  const done = new Map<number, SweepCellResult>();
  const todo: SweepCell[] = [];
  for (const cell of cells) {
    const stored = store.get(cell.key);
    if (stored) done.set(cell.index, { ...coordinates(cell), summary: stored.summary });
    else todo.push(cell);
  }
  const resumed = done.size;
  let ran = 0;
  let cellSeconds = 0;
  const failed: string[] = [];
  options.onProgress?.({ total: cells.length, resumed, ran });
  /** A finished cell: stored whole, then counted; its summary as the file holds it (JSON), as a resumed cell's is. */
  const finish = (cell: SweepCell, summary: SweepCellResult['summary'], wallSeconds: number) => {
    store.put({ schema: CELL_SCHEMA, ...coordinates(cell), schedlab: version, spec: cell.spec, summary });
    cellSeconds += wallSeconds;
    done.set(cell.index, { ...coordinates(cell), summary: JSON.parse(JSON.stringify(summary)) as SweepCellResult['summary'] });
    ran++;
    options.onProgress?.({ total: cells.length, resumed, ran, ...(failed.length > 0 ? { failed: failed.length } : {}) });
  };
  const threads = Math.max(1, options.threads ?? availableParallelism());
  let mode: SweepResult['mode'];
  let queueStats: SweepResult['queue'];
  if (target === undefined) {
    mode = await runOnPool(
      todo.map((t) => t.spec),
      threads,
      (i, outcome) => finish(todo[i], outcome.summary, outcome.wallSeconds),
      (i) => cellLabel(todo[i]),
    );
  } else {
    const { runCellsOnQueue } = await import('./distributed/queue-sweep.js');
    // Every cell already in the folder: nothing to enqueue.
    const stats = todo.length === 0 ? { duplicates: 0, reenqueued: 0, workers: [] } : await runCellsOnQueue(todo, {
      target,
      version,
      attempts: options.attempts ?? 3,
      label: cellLabel,
      onDone: (cell, r) => finish(cell, r.summary, r.wallSeconds),
      onFailed: (cell, reason) => {
        failed.push(`${cellLabel(cell)}: ${reason}`);
        options.onCellFailed?.(`${cellLabel(cell)}: failed: ${reason}`);
        options.onProgress?.({ total: cells.length, resumed, ran, failed: failed.length });
      },
      onQueueState: options.onQueueState,
      onNote: options.onNote,
    });
    mode = 'queue';
    queueStats = { url: target.shown, ...stats };
  }
  if (failed.length > 0) {
    const shown = failed.slice(0, 10).join('; ');
    throw new UsageError(
      `${failed.length} of ${cells.length} cells failed, ${done.size} finished and kept in ${join(options.out, CELLS_FOLDER)} (fix the input and rerun the same command: only the missing cells run): ${shown}${failed.length > 10 ? `; and ${failed.length - 10} more` : ''}`,
    );
  }
  const results = cells.map((cell) => done.get(cell.index)!);
  const timing = { command: 'sweep', threads: target === undefined ? threads : 0, mode, ran, resumed, cellReplaySeconds: cellSeconds, ...(queueStats !== undefined ? { queue: queueStats } : {}) };
  const groups = await finishSweep(options.out, c, results, version, options.report !== false, started, timing);
  const wallSeconds = (performance.now() - started) / 1000;
  return { out: options.out, cells: results, groups, ran, resumed, mode, threads: target === undefined ? threads : 0, wallSeconds, ...(queueStats !== undefined ? { queue: queueStats } : {}) };
}

/** A cell's coordinates in words, naming it in error lines. */
export function cellLabel(t: SweepCell): string {
  return `cell ${t.workload}, ${t.nodes} nodes, dynamics ${t.dynamics ? 'on' : 'off'}, overcommit ${t.overcommit}, ${t.policy}, seed ${t.seed}`;
}

/** The sweep folder's marker (sweep.json): the same bytes for the same config, version and status, however the cells ran. */
export function writeMarker(out: string, c: CheckedSweepConfig, cells: number, version: string, status: 'running' | 'complete'): void {
  writeWhole(out, SWEEP_MARKER, markerText(c, cells, version, status));
}

export function markerText(c: CheckedSweepConfig, cells: number, version: string, status: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ schedlab: version, command: 'sweep', config: { ...c, given: undefined }, cells, status, ...extra }, null, 2) + '\n';
}

/**
 * The merge every way of running a sweep ends with (threads, queue, `--collect` of a Kubernetes
 * Job's cells): the tidy table of all cells in grid order (cells.csv), the per-group means and 95 %
 * t intervals (groups.csv), their Parquet copies, the charts and report, timing.json (the only
 * file that tells how the cells ran) and the marker set complete. Resolves to the group rows.
 */
export async function finishSweep(
  out: string,
  c: CheckedSweepConfig,
  results: SweepCellResult[],
  version: string,
  report: boolean,
  started: number,
  timing: Record<string, unknown>,
): Promise<SweepGroupStat[]> {
  const groups = groupStats(results);
  writeWhole(out, SWEEP_TABLES.cells, cellsCsv(results));
  writeWhole(out, SWEEP_TABLES.groups, groupsCsv(groups));
  await writeSweepParquet(out, results, groups);
  if (report) await writeReport(out, sweepReport(c, results, groups));
  const wallSeconds = (performance.now() - started) / 1000;
  // Timings and what this call ran go to timing.json alone: every other file is the same for the same config, interrupted or not.
  const { command, ...rest } = timing;
  writeWhole(out, TIMING_FILE, JSON.stringify({ command, finishedAt: new Date().toISOString(), wallSeconds, ...rest, host: hostInfo() }, null, 2) + '\n');
  writeMarker(out, c, results.length, version, 'complete');
  return groups;
}

export function coordinates(cell: SweepCell): Omit<SweepCellResult, 'summary'> {
  const { key, workload, policy, seed, overcommit, nodes, dynamics } = cell;
  return { key, workload, policy, seed, overcommit, nodes, dynamics };
}

/**
 * The output folder: created when absent; resumed when it holds a sweep's marker (sweep.json of
 * command 'sweep'); refused when it holds anything else, so a sweep never writes into a folder
 * schedlab did not make.
 */
export function openSweepFolder(dir: string): void {
  let entries: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new UsageError(`--out: '${dir}' is a file, not a sweep folder; choose another path`);
    entries = readdirSync(dir);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    makeFolders(dir);
    return;
  }
  if (entries.length === 0) return;
  if (!hasSweepMarker(dir)) {
    throw new UsageError(`--out: '${dir}' is a folder schedlab's sweep did not write (no ${SWEEP_MARKER} marker); choose another path, or an earlier sweep's folder to resume it`);
  }
  // Temporaries of a killed run (never a finished file) are removed.
  for (const e of entries) if (/^\..*\.partial-\d+/.test(e)) rmSync(join(dir, e), { recursive: true, force: true });
}

/**
 * Creates `dir` and its missing parents one level at a time: Node's recursive mkdir retries
 * forever on a virtual file system such as /proc (see model/atomic-output.ts).
 */
export function makeFolders(dir: string): void {
  const missing: string[] = [];
  for (let d = resolve(dir); ; d = dirname(d)) {
    let st;
    try {
      st = statSync(d);
    } catch {
      missing.unshift(d);
      if (dirname(d) === d) break;
      continue;
    }
    if (!st.isDirectory()) throw new UsageError(`--out: cannot create '${dir}': '${d}' is a file, not a folder`);
    break;
  }
  for (const m of missing) {
    try {
      mkdirSync(m);
    } catch (e) {
      throw new UsageError(`--out: cannot create '${dir}': ${(e as NodeJS.ErrnoException).code?.toLowerCase() ?? (e as Error).message}`);
    }
  }
}

/** The report of a sweep: the charts with error bars, and the group means with their intervals for the key metrics. */
function sweepReport(c: CheckedSweepConfig, cells: readonly SweepCellResult[], groups: readonly SweepGroupStat[]): Parameters<typeof writeReport>[1] {
  const name = c.name ?? 'sweep';
  const key = ['busy_nodes_mean', 'busy_cost_per_year_usd', 'cpu_requested_frac', 'delay_p95_s', 'evictions', 'violation_rate'];
  const fmt = (x: number | null) => (x === null ? 'n/a' : Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(4));
  const tables: ReportTable[] = key.flatMap((metric) => {
    const rows = groups.filter((g) => g.metric === metric);
    if (rows.every((g) => g.mean === null)) return [];
    const m = SWEEP_METRICS.find((x) => x.name === metric)!;
    return [{
      title: `${metric} [${m.unit}]: mean and 95% CI over seeds`,
      header: ['workload', 'nodes', 'dynamics', 'overcommit', 'policy', 'seeds', 'mean', '95% CI', 'paired difference vs baseline (95% CI)'],
      rows: rows.map((g) => [
        g.workload, String(g.nodes), g.dynamics ? 'on' : 'off', g.overcommit, g.policy, String(g.n), fmt(g.mean),
        g.ci95Low === null ? 'n/a' : `${fmt(g.ci95Low)} – ${fmt(g.ci95High)}`,
        g.baseline === null ? 'baseline' : g.diffMean === null ? 'n/a' : `${fmt(g.diffMean)} vs ${g.baseline} (${fmt(g.diffCi95Low)} – ${fmt(g.diffCi95High)})`,
      ]),
    }];
  });
  return {
    title: `schedlab sweep: ${name}`,
    lines: [
      `${cells.length} cells: ${c.workloads.length} workload(s) × ${c.nodes.length} cluster size(s) × ${c.policies.length} policies × ${c.seeds.length} seeds × overcommit ${c.overcommit.join(', ')}${c.dynamics.length > 1 ? ' × dynamics on/off' : c.dynamics[0] ? '' : ', dynamics off'}`,
      'Intervals: mean ± t(0.975, n−1)·s/√n over the seeds of each group; the paired difference is the same interval over the per-seed differences with the first policy (cells.csv has every cell, groups.csv every metric).',
    ],
    charts: sweepCharts(groups, name),
    tables,
  };
}
