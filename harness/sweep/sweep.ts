import { availableParallelism } from 'node:os';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '../../model/errors.js';
import { readSweepConfig, validateSweepConfig, type CheckedSweepConfig, type SweepConfig } from './sweep-config.js';
import { CELL_SCHEMA, sweepCells, type SweepCell } from './sweep-grid.js';
import { CellStore } from './cell-store.js';
import { runOnPool } from './sweep-pool.js';
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
}

export interface SweepProgress {
  total: number;
  /** Cells found finished in the folder (not rerun). */
  resumed: number;
  /** Cells run so far by this call. */
  ran: number;
}

export interface SweepResult {
  out: string;
  cells: SweepCellResult[];
  groups: SweepGroupStat[];
  /** Cells replayed by this call, and cells taken from an earlier (interrupted) run. */
  ran: number;
  resumed: number;
  mode: 'workers' | 'in-process';
  threads: number;
  wallSeconds: number;
}

/** The sweep folder's marker: version, config, cell count, status; written first (so an interrupted sweep can be resumed) and marked complete at the end. */
export const SWEEP_MARKER = 'sweep.json';

/**
 * Runs every cell of a sweep (harness/sweep/sweep-grid.ts) not already finished in `options.out`,
 * in parallel worker threads, storing each as it finishes (cell-store.ts); then writes the tidy
 * table of all cells (cells.csv), the per-group means and 95 % t intervals (groups.csv), the charts
 * with error bars and the report. `config`: a sweep file's path, or the config as plain data
 * with the file's keys (SweepConfig; checked as a file is, fields named without a line). Same config, same tables, whatever the thread count or interruptions.
 */
export async function sweep(config: string | SweepConfig, options: SweepOptions): Promise<SweepResult> {
  const started = performance.now();
  const c = typeof config === 'string' ? await readSweepConfig(config) : await validateSweepConfig(config);
  const cells = sweepCells(c);
  openSweepFolder(options.out);
  const store = new CellStore(options.out);
  const version = options.version ?? 'unknown';
  const record = (extra: Record<string, unknown>) =>
    writeWhole(options.out, SWEEP_MARKER, JSON.stringify({ schedlab: version, command: 'sweep', config: { ...c, given: undefined }, cells: cells.length, ...extra }, null, 2) + '\n');
  record({ status: 'running' });

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
  options.onProgress?.({ total: cells.length, resumed, ran });
  const threads = Math.max(1, options.threads ?? availableParallelism());
  const mode = await runOnPool(
    todo.map((t) => t.spec),
    threads,
    (i, outcome) => {
      const cell = todo[i];
      store.put({ schema: CELL_SCHEMA, ...coordinates(cell), schedlab: version, spec: cell.spec, summary: outcome.summary });
      cellSeconds += outcome.wallSeconds;
      done.set(cell.index, { ...coordinates(cell), summary: outcome.summary });
      ran++;
      options.onProgress?.({ total: cells.length, resumed, ran });
    },
    (i) => {
      const t = todo[i];
      return `cell ${t.workload}, ${t.nodes} nodes, dynamics ${t.dynamics ? 'on' : 'off'}, overcommit ${t.overcommit}, ${t.policy}, seed ${t.seed}`;
    },
  );
  const results = cells.map((cell) => done.get(cell.index)!);
  const groups = groupStats(results);
  writeWhole(options.out, SWEEP_TABLES.cells, cellsCsv(results));
  writeWhole(options.out, SWEEP_TABLES.groups, groupsCsv(groups));
  await writeSweepParquet(options.out, results, groups);
  if (options.report !== false) await writeReport(options.out, sweepReport(c, results, groups));
  const wallSeconds = (performance.now() - started) / 1000;
  // Timings and what this call ran go to timing.json alone: every other file is the same for the same config, interrupted or not.
  const timing = { command: 'sweep', finishedAt: new Date().toISOString(), wallSeconds, threads, mode, ran, resumed, cellReplaySeconds: cellSeconds, host: hostInfo() };
  writeWhole(options.out, TIMING_FILE, JSON.stringify(timing, null, 2) + '\n');
  record({ status: 'complete' });
  return { out: options.out, cells: results, groups, ran, resumed, mode, threads, wallSeconds };
}

function coordinates(cell: SweepCell): Omit<SweepCellResult, 'summary'> {
  const { key, workload, policy, seed, overcommit, nodes, dynamics } = cell;
  return { key, workload, policy, seed, overcommit, nodes, dynamics };
}

/**
 * The output folder: created when absent; resumed when it holds a sweep's marker (sweep.json of
 * command 'sweep'); refused when it holds anything else, so a sweep never writes into a folder
 * schedlab did not make.
 */
function openSweepFolder(dir: string): void {
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
  let marker: unknown = null;
  try {
    marker = JSON.parse(readFileSync(join(dir, SWEEP_MARKER), 'utf8'));
  } catch {
    marker = null;
  }
  if (marker === null || typeof marker !== 'object' || (marker as { command?: unknown }).command !== 'sweep') {
    throw new UsageError(`--out: '${dir}' is a folder schedlab's sweep did not write (no ${SWEEP_MARKER} marker); choose another path, or an earlier sweep's folder to resume it`);
  }
  // Temporaries of a killed run (never a finished file) are removed.
  for (const e of entries) if (/^\..*\.partial-\d+/.test(e)) rmSync(join(dir, e), { recursive: true, force: true });
}

/**
 * Creates `dir` and its missing parents one level at a time: Node's recursive mkdir retries
 * forever on a virtual file system such as /proc (see model/atomic-output.ts).
 */
function makeFolders(dir: string): void {
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
