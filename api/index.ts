/**
 * schedlab as a library — `import { replay, compare, sweep } from 'schedlab'` (package.json
 * `exports`; types in dist/api/index.d.ts). The same functions the commands run, with the
 * commands' defaults, for a TypeScript/JavaScript notebook or script:
 *
 *   const run = await replay({ policy: 'best-fit', nodes: 50, tasks: 5000, seed: 7, out: 'results/bf' });
 *   run.summary.cost.busyPerYear;
 *   const cmp = await compare({ policies: ['first-fit', 'best-fit'], nodes: 50, tasks: 5000 });
 *   const sw = await sweep('sweep.yaml', { out: 'results/sweep' });
 *
 * This folder is the top of the library, beside cli/: it may import the layers below, and
 * nothing in them imports it (README.md § Layout, .dependency-cruiser.cjs).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runSpec, type ReplaySpec } from '../harness/replay-spec.js';
import { comparePolicies, type CompareOutcome } from '../harness/compare.js';
import type { DynamicsSpec } from '../harness/dynamics-spec.js';
import { writeReplayFolder } from '../harness/replay-folder.js';
import { ResultsSpool } from '../reports/results-spool.js';
import { checkOutputTarget } from '../reports/output-target.js';
import type { RunSummary } from '../reports/summary.js';
import { packageRoot } from '../model/package-root.js';
import { UsageError } from '../model/errors.js';

export { sweep, type SweepOptions, type SweepProgress, type SweepResult } from '../harness/sweep/sweep.js';
export type { SweepConfig } from '../harness/sweep/sweep-config.js';
export { readResultsFolder, chartsForRuns, type LoadedRun } from '../reports/results-reader.js';
export { renderChart, writeCharts } from '../reports/charts/render.js';
export type { ChartSpec } from '../reports/charts/chart-spec.js';
export { tasksColumns, TIMESERIES_COLUMNS, EVENTS_COLUMNS, type ColumnSpec, type SchemaFile } from '../reports/parquet/data-dictionary.js';
export { UsageError, InputError } from '../model/errors.js';
export type { RunSummary } from '../reports/summary.js';
export type { ReplaySpec } from '../harness/replay-spec.js';
export type { DynamicsSpec } from '../harness/dynamics-spec.js';
export type { CompareOutcome } from '../harness/compare.js';
export type { PolicyModule, ClusterView, TaskView, PolicyOptions } from '../algorithms/policy.js';

/** The commands' defaults for the synthetic workload (cli/options.ts WORKLOAD_DEFAULTS; a test keeps them equal). */
export const DEFAULTS = { workload: 'synthetic', policy: 'kube-default', seed: 1, nodes: 100, tasks: 20_000, hours: 24, instance: 'm5.2xlarge' } as const;

/** What to replay: any field of a ReplaySpec (the rest take the commands' defaults), node dynamics as a switch or a spec. */
export interface ReplayRequest extends Partial<Omit<ReplaySpec, 'dynamics' | 'explicit'>> {
  /** Node dynamics: on by default (as `schedlab replay`), off under placement 'recorded'; false = `--no-dynamics`. */
  dynamics?: boolean | DynamicsSpec;
  /** As `--overcommit` (needs dynamics on). */
  overcommit?: string;
  /** Write a results folder here (as `--out`): run.json, the tables as CSV and Parquet, schema.json, charts, report. */
  out?: string;
  /** Replace an earlier schedlab results folder at `out` (as `--force`). */
  force?: boolean;
}

export interface ReplayRun {
  /** The full spec replayed (what run.json stores as config). */
  spec: ReplaySpec;
  summary: RunSummary;
  /** The workload's notes: unit mappings, assumptions, counts of what was skipped. */
  notes: string[];
  wallSeconds: number;
  /** The results folder, when `out` was given. */
  out?: string;
}

/** The spec a request stands for: the commands' defaults where it says nothing. */
export function replaySpec(req: ReplayRequest = {}): ReplaySpec {
  const { dynamics, overcommit, out: _out, force: _force, ...rest } = req;
  const given = (['nodes', 'instance', 'tasks', 'hours'] as const).filter((k) => rest[k] !== undefined);
  const spec: ReplaySpec = {
    ...rest,
    workload: rest.workload ?? DEFAULTS.workload,
    policy: rest.policy ?? DEFAULTS.policy,
    seed: rest.seed ?? DEFAULTS.seed,
    nodes: rest.nodes ?? DEFAULTS.nodes,
    tasks: rest.tasks ?? DEFAULTS.tasks,
    hours: rest.hours ?? DEFAULTS.hours,
    instance: rest.instance ?? DEFAULTS.instance,
    explicit: given,
  };
  const on = typeof dynamics === 'object' ? dynamics : { enabled: dynamics ?? spec.placement !== 'recorded' };
  spec.dynamics = overcommit !== undefined ? { ...on, overcommit } : on;
  return spec;
}

/** One replay, as `schedlab replay` (with `out`: `--out`, the same folder, charts and report). */
export async function replay(req: ReplayRequest = {}): Promise<ReplayRun> {
  const spec = replaySpec(req);
  if (spec.dynamics && !spec.dynamics.enabled && spec.dynamics.overcommit !== undefined) {
    throw new UsageError('overcommit: applies to node dynamics, which are off (dynamics: false or placement recorded)');
  }
  if (req.out !== undefined) await checkOutputTarget({ path: req.out, kind: 'results-folder', force: req.force ?? false, option: 'out' });
  // Task rows and dynamics events spooled as they leave memory, for the results folder (retainTasks).
  const spool = req.out !== undefined ? new ResultsSpool(req.out) : undefined;
  try {
    const run = await runSpec(spec, undefined, spool?.sinks);
    if (req.out !== undefined) await writeReplayFolder(req.out, spec, run, version(), spool);
    const { summary, workload, wallSeconds } = run;
    return { spec, summary, notes: workload.notes, wallSeconds, out: req.out };
  } finally {
    spool?.dispose();
  }
}

export interface CompareRequest extends Omit<ReplayRequest, 'policy' | 'out' | 'force'> {
  /** The policies, the first the savings baseline. */
  policies: string[];
}

/** The same workload under several policies, in parallel worker threads (as `schedlab compare`, without `--out`). */
export async function compare(req: CompareRequest): Promise<CompareOutcome> {
  const { policies, ...rest } = req;
  const { policy: _p, ...base } = replaySpec(rest);
  return comparePolicies(base, policies);
}

/** schedlab's version (package.json), as run.json records it. */
export function version(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
