import type { CommandModule } from 'yargs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nonNegativeInt, path, positiveInt, text } from '../options.js';
import { makeFolders, sweep, type SweepProgress, type SweepResult } from '../../harness/sweep/sweep.js';
import { CELLS_FOLDER } from '../../harness/sweep/cell-store.js';
import { readSweepConfig } from '../../harness/sweep/sweep-config.js';
import { sweepCells } from '../../harness/sweep/sweep-grid.js';
import { writeWhole } from '../../harness/sweep/sweep-tables.js';
import type { QueueState } from '../../harness/sweep/distributed/queue-sweep.js';
import { removePendingOutputs } from '../../model/atomic-output.js';
import { UsageError } from '../../model/errors.js';
import { clearProgress, progressWanted, writeProgress } from '../progress.js';
import { schedlabVersion } from '../version.js';
import { queueUrlOption } from './worker.js';

interface SweepArgs {
  config?: string;
  out?: string;
  threads?: number;
  queue?: string;
  attempts?: number;
  emit?: string;
  parallelism?: number;
  pvc?: string;
  image?: string;
  'job-name'?: string;
  'data-pvc'?: string;
  'data-mount'?: string;
  'cell-index'?: number;
  collect?: string;
  quiet: boolean;
}

/** Options that belong to one mode only: given in another, they are a mistake, not ignored. */
const EMIT_ONLY = ['parallelism', 'pvc', 'image', 'job-name', 'data-pvc', 'data-mount'] as const;

export const sweepCommand: CommandModule<object, SweepArgs> = {
  command: 'sweep',
  describe: 'run the cartesian product of a sweep file (workloads × policies × seeds × overcommit × cluster sizes) in parallel, on this machine or on workers through a Redis queue; resumable; tables with 95% confidence intervals, charts, report',
  builder: (y) =>
    y
      .option('config', { type: 'string', coerce: path('--config'), describe: 'sweep file (YAML): the grid and the settings every cell shares (see README, Sweeps)' })
      .option('out', { type: 'string', coerce: path('--out'), describe: 'sweep folder: one file per finished cell, cells.csv, groups.csv, charts, report; rerun with the same folder to resume (with --emit: where job.yaml goes)' })
      .option('threads', { type: 'string', coerce: positiveInt('threads', 1024), describe: 'worker threads (default: the available cores)' })
      .option('queue', { type: 'string', coerce: queueUrlOption, describe: "run the cells on 'schedlab worker's through this Redis: redis://[:PASSWORD@]HOST[:PORT][/DB], rediss://… for TLS (the password is never printed)" })
      .option('attempts', { type: 'string', coerce: positiveInt('attempts', 100), describe: 'with --queue: tries per cell before it is reported failed (default 3)' })
      .option('emit', { type: 'string', choices: ['k8s-job'], describe: 'write a Kubernetes Indexed Job (one pod per cell) to OUT/job.yaml instead of running' })
      .option('parallelism', { type: 'string', coerce: positiveInt('parallelism', 100_000), describe: 'with --emit: pods at once (default: the cell count, at most 16)' })
      .option('pvc', { type: 'string', coerce: text('pvc'), describe: "with --emit: the PersistentVolumeClaim the pods write their cells to (default 'schedlab-results')" })
      .option('image', { type: 'string', coerce: text('image'), describe: "with --emit: a container image with this schedlab installed (default 'schedlab:VERSION')" })
      .option('job-name', { type: 'string', coerce: text('job-name'), describe: "with --emit: the Job's name (default from the sweep's name)" })
      .option('data-pvc', { type: 'string', coerce: text('data-pvc'), describe: 'with --emit: a claim holding the inputs (traces, policy files), mounted read-only at --data-mount' })
      .option('data-mount', { type: 'string', coerce: path('--data-mount'), describe: 'with --emit: where --data-pvc is mounted in the pods (default /data)' })
      .option('cell-index', { type: 'string', coerce: nonNegativeInt('cell-index'), describe: "run only cell I of the grid (0-based; a Kubernetes Job's completion index) and store it in OUT/cells" })
      .option('collect', { type: 'string', coerce: path('--collect'), describe: 'merge a folder of cells written by --cell-index runs into the tables, charts and report' })
      .option('quiet', { type: 'boolean', default: false, describe: 'no progress on stderr' })
      .example('$0 sweep --config sweep.yaml --out results/sweep', 'run (or resume) a sweep')
      .example('$0 sweep --config sweep.yaml --out results/sweep --queue redis://queue-host:6379', "run it on 'schedlab worker's")
      .example('$0 sweep --config sweep.yaml --emit k8s-job --out k8s', 'write a Kubernetes Indexed Job; then schedlab sweep --collect DIR') as never,
  handler: async (a) => {
    checkModes(a);
    const version = schedlabVersion();
    if (a.collect !== undefined) {
      const { collectSweep } = await import('../../harness/sweep/distributed/indexed-cells.js');
      const result = await collectSweep(a.collect, version);
      process.stdout.write(`schedlab sweep: ${result.cells.length} cells collected from ${join(a.collect, CELLS_FOLDER)}\nresults written to ${a.collect} (cells.csv, groups.csv, report.html)\n`);
      return;
    }
    const config = a.config!;
    const out = a.out!;
    if (a.emit !== undefined) return emitJob(a, config, out, version);
    if (a['cell-index'] !== undefined) {
      const { runCellIndex } = await import('../../harness/sweep/distributed/indexed-cells.js');
      const r = await runCellIndex(config, a['cell-index'], out, version);
      const file = join(out, CELLS_FOLDER, `${r.cell.key}.json`);
      process.stdout.write(`schedlab sweep: cell ${r.cell.index} of ${r.total} ${r.ran ? `done in ${r.wallSeconds.toFixed(1)} s` : 'already done, not rerun'}: ${file}\n`);
      return;
    }
    await runSweep(a, config, out, version);
  },
};

/** One mode per call: --collect, --emit, --cell-index or a run (local, or --queue); each mode's options only with it. */
function checkModes(a: SweepArgs): void {
  const given = (k: keyof SweepArgs) => a[k] !== undefined;
  if (given('collect')) {
    for (const k of ['config', 'out', 'threads', 'queue', 'attempts', 'emit', 'cell-index', ...EMIT_ONLY] as const) {
      if (given(k)) throw new UsageError(`--${k}: does not apply with --collect (which takes the grid from the folder's sweep.json)`);
    }
    return;
  }
  const missing = (['config', 'out'] as const).filter((k) => !given(k));
  if (missing.length > 0) throw new UsageError(`${missing.map((k) => `--${k}`).join(', ')}: required (see schedlab sweep --help)`);
  if (given('emit')) {
    for (const k of ['threads', 'queue', 'attempts', 'cell-index'] as const) if (given(k)) throw new UsageError(`--${k}: does not apply with --emit (which writes a Job and runs nothing)`);
  } else {
    for (const k of EMIT_ONLY) if (given(k)) throw new UsageError(`--${k}: applies only with --emit k8s-job`);
  }
  if (given('data-mount') && !given('data-pvc')) throw new UsageError('--data-mount: applies only with --data-pvc');
  if (given('cell-index')) {
    for (const k of ['threads', 'queue', 'attempts'] as const) if (given(k)) throw new UsageError(`--${k}: does not apply with --cell-index (which runs one cell here)`);
  }
  if (given('attempts') && !given('queue')) throw new UsageError('--attempts: applies only with --queue');
  if (given('queue') && given('threads')) throw new UsageError("--threads: does not apply with --queue (each worker's --concurrency sets its threads)");
}

/** `--emit k8s-job`: the Indexed Job and its ConfigMap, in OUT/job.yaml. */
async function emitJob(a: SweepArgs, config: string, out: string, version: string): Promise<void> {
  const { jobName, k8sJobManifest } = await import('../../harness/sweep/distributed/k8s-job.js');
  const c = await readSweepConfig(config);
  const cells = sweepCells(c).length;
  const name = jobName(a['job-name'] ?? `schedlab-${c.name ?? 'sweep'}`);
  if (a['job-name'] !== undefined && name !== a['job-name']) {
    throw new UsageError(`--job-name: '${a['job-name']}' is not a Kubernetes name (lower-case letters, digits and '-', at most 52 characters); e.g. '${name}'`);
  }
  const pvc = a.pvc ?? 'schedlab-results';
  const image = a.image ?? `schedlab:${version}`;
  const parallelism = a.parallelism ?? Math.min(cells, 16);
  const manifest = k8sJobManifest({ name, configText: readFileSync(config, 'utf8'), cells, parallelism, image, pvc, dataPvc: a['data-pvc'], dataMount: a['data-mount'] });
  makeFolders(out);
  writeWhole(out, 'job.yaml', manifest);
  process.stdout.write(
    `schedlab sweep: wrote ${join(out, 'job.yaml')}: Indexed Job '${name}' of ${cells} cells, ${Math.min(parallelism, cells)} at a time, image ${image}, results to claim '${pvc}'\n` +
      `then: kubectl apply -f ${join(out, 'job.yaml')}; when it completes, copy the claim's contents to DIR and run: schedlab sweep --collect DIR\n`,
  );
}

/** A sweep on local threads, or on workers through --queue. */
async function runSweep(a: SweepArgs, config: string, out: string, version: string): Promise<void> {
  const showProgress = progressWanted(a.quiet);
  let state: SweepProgress | undefined;
  let queueState: QueueState | undefined;
  let last = 0;
  const started = Date.now();
  // Ctrl-C: finished cells are already stored whole; say so (and how to resume) instead of "no results were written".
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.prependOnceListener(signal, () => {
      removePendingOutputs();
      const what = state === undefined
        ? 'before any cell ran (rerun the same command to start again)'
        : `${state.resumed + state.ran} of ${state.total} cells finished and kept in ${join(out, CELLS_FOLDER)}; rerun the same command to resume`;
      const queued = a.queue !== undefined && state !== undefined ? ' (cells still queued keep running on the workers; a rerun collects their results from Redis)' : '';
      process.stderr.write(`\ninterrupted: ${what}${queued}\n`);
      process.exit(code);
    });
  }
  const show = (force: boolean) => {
    const p = state;
    if (!showProgress || p === undefined) return;
    const now = Date.now();
    const finished = p.resumed + p.ran + (p.failed ?? 0) === p.total;
    if (!force && now - last < 250 && !finished && p.ran > 0) return;
    last = now;
    const secs = (now - started) / 1000;
    const eta = p.ran > 0 ? ` eta ${Math.round((secs / p.ran) * (p.total - p.resumed - p.ran - (p.failed ?? 0)))} s` : '';
    const failed = p.failed ? `, ${p.failed} failed` : '';
    const q = queueState === undefined ? '' : queueState.unreachable !== undefined ? `; queue unreachable (${queueState.unreachable}), retrying` : `; ${queueState.running} running on workers`;
    writeProgress(`sweep: ${bar(p)} ${p.resumed + p.ran}/${p.total} cells (${p.resumed} resumed, ${p.ran} run${failed})${eta}${q}`);
  };
  /** A line that stays (a failed cell, a re-enqueue), above the progress line. */
  const say = (line: string) => {
    if (showProgress) clearProgress();
    process.stderr.write(`sweep: ${line}\n`);
  };
  let result: SweepResult;
  try {
    result = await sweep(config, {
      out,
      threads: a.threads,
      version,
      queueUrl: a.queue,
      attempts: a.attempts,
      onProgress: (p) => {
        state = p;
        show(false);
      },
      onCellFailed: say,
      onNote: (line) => {
        if (!a.quiet) say(line);
      },
      onQueueState: (s) => {
        const changed = (s.unreachable === undefined) !== (queueState?.unreachable === undefined);
        queueState = s;
        show(changed);
      },
    });
  } finally {
    if (showProgress) clearProgress();
  }
  const where = result.queue !== undefined
    ? `on ${result.queue.workers.length} worker${result.queue.workers.length === 1 ? '' : 's'} via ${result.queue.url}`
    : `${result.threads} threads`;
  process.stdout.write(
    `schedlab sweep: ${result.cells.length} cells (${result.ran} run, ${result.resumed} resumed from ${join(out, CELLS_FOLDER)}), ${where}, ${result.wallSeconds.toFixed(1)} s\n` +
      `results written to ${out} (cells.csv, groups.csv, report.html)\n`,
  );
}

/** A 20-character bar of the finished share. */
function bar(p: SweepProgress): string {
  const f = p.total === 0 ? 1 : (p.resumed + p.ran) / p.total;
  const n = Math.round(f * 20);
  return `[${'#'.repeat(n)}${'.'.repeat(20 - n)}]`;
}
