import type { CommandModule } from 'yargs';
import { join } from 'node:path';
import { path, positiveInt } from '../options.js';
import { sweep, type SweepProgress } from '../../harness/sweep/sweep.js';
import { CELLS_FOLDER } from '../../harness/sweep/cell-store.js';
import { removePendingOutputs } from '../../model/atomic-output.js';
import { clearProgress, progressWanted, writeProgress } from '../progress.js';
import { schedlabVersion } from '../version.js';

interface SweepArgs {
  config: string;
  out: string;
  threads?: number;
  quiet: boolean;
}

export const sweepCommand: CommandModule<object, SweepArgs> = {
  command: 'sweep',
  describe: 'run the cartesian product of a sweep file (workloads × policies × seeds × overcommit × cluster sizes) in parallel; resumable; tables with 95% confidence intervals, charts, report',
  builder: (y) =>
    y
      .option('config', { type: 'string', demandOption: true, coerce: path('--config'), describe: 'sweep file (YAML): the grid and the settings every cell shares (see README, Sweeps)' })
      .option('out', { type: 'string', demandOption: true, coerce: path('--out'), describe: 'sweep folder: one file per finished cell, cells.csv, groups.csv, charts, report; rerun with the same folder to resume' })
      .option('threads', { type: 'string', coerce: positiveInt('threads', 1024), describe: 'worker threads (default: the available cores)' })
      .option('quiet', { type: 'boolean', default: false, describe: 'no progress on stderr' })
      .example('$0 sweep --config sweep.yaml --out results/sweep', 'run (or resume) a sweep') as never,
  handler: async (a) => {
    const showProgress = progressWanted(a.quiet);
    let state: SweepProgress | undefined;
    let last = 0;
    const started = Date.now();
    // Ctrl-C: finished cells are already stored whole; say so (and how to resume) instead of "no results were written".
    for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
      process.prependOnceListener(signal, () => {
        removePendingOutputs();
        const what = state === undefined
          ? 'before any cell ran (rerun the same command to start again)'
          : `${state.resumed + state.ran} of ${state.total} cells finished and kept in ${join(a.out, CELLS_FOLDER)}; rerun the same command to resume`;
        process.stderr.write(`\ninterrupted: ${what}\n`);
        process.exit(code);
      });
    }
    const result = await sweep(a.config, {
      out: a.out,
      threads: a.threads,
      version: schedlabVersion(),
      onProgress: (p) => {
        state = p;
        if (!showProgress) return;
        const now = Date.now();
        const finished = p.resumed + p.ran === p.total;
        if (now - last < 250 && !finished && p.ran > 0) return;
        last = now;
        const secs = (now - started) / 1000;
        const eta = p.ran > 0 ? ` eta ${Math.round((secs / p.ran) * (p.total - p.resumed - p.ran))} s` : '';
        writeProgress(`sweep: ${bar(p)} ${p.resumed + p.ran}/${p.total} cells (${p.resumed} resumed, ${p.ran} run)${eta}`);
      },
    });
    if (showProgress) clearProgress();
    process.stdout.write(
      `schedlab sweep: ${result.cells.length} cells (${result.ran} run, ${result.resumed} resumed from ${join(a.out, CELLS_FOLDER)}), ${result.threads} threads, ${result.wallSeconds.toFixed(1)} s\n` +
        `results written to ${a.out} (cells.csv, groups.csv, report.html)\n`,
    );
  },
};

/** A 20-character bar of the finished share. */
function bar(p: SweepProgress): string {
  const f = p.total === 0 ? 1 : (p.resumed + p.ran) / p.total;
  const n = Math.round(f * 20);
  return `[${'#'.repeat(n)}${'.'.repeat(20 - n)}]`;
}
