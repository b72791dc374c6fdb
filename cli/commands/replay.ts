import type { CommandModule } from 'yargs';
import { dynamicsOptions, dynamicsSpecFromArgs, reactionsOptions, reactionsSpecFromArgs, whatIf, forceOption, text, workloadOptions, specFromArgs } from '../options.js';
import { runSpec } from '../../harness/replay-spec.js';
import { writeReplayFolder } from '../../harness/replay-folder.js';
import { renderSummary } from '../../reports/summary-table.js';
import { ResultsSpool } from '../../reports/results-spool.js';
import { checkOutputTarget } from '../../reports/output-target.js';
import { progressReporter } from '../progress.js';
import { schedlabVersion } from '../version.js';
import { architectureOptions, checkNoArchitectureOptions } from '../architecture-options.js';
import type { ReplayArgs } from './replay-args.js';
import { replayArchitecture } from './replay-architecture.js';


export const replayCommand: CommandModule<object, ReplayArgs> = {
  command: 'replay',
  describe: 'replay a workload against a modeled cluster under one policy; print utilization and cost',
  builder: (y) =>
    y
      .options(workloadOptions)
      .options(dynamicsOptions)
      .options(reactionsOptions)
      .options(architectureOptions)
      .option('overcommit', {
        type: 'string',
        coerce: text('overcommit'),
        describe: "overcommit: a ratio for CPU and memory (1.5), per resource (cpu=2,memory=1.2), borg, koordinator[:pct], peak:<predictor> (borg-default, rc-like, n-sigma, max, oracle, learned), or a module file (default none)",
      })
      .option('policy', { type: 'string', default: 'kube-default', describe: 'built-in policy name or a .ts/.js policy file' })
      .option('json', { type: 'boolean', default: false, describe: 'print the summary as JSON' })
      .option('out', { type: 'string', describe: 'write a results folder (run.json, tasks.csv, timeseries.csv, events.csv with dynamics; wall time and host in timing.json; the charts, report.html and report.md); an earlier one is replaced only with --force' })
      .option('force', forceOption)
      .example('$0 replay', 'synthetic Borg-like workload, 100 × m5.2xlarge, kube-default')
      .example('$0 replay --policy best-fit --nodes 50 --seed 7 --out results/bf', 'write a results folder')
      .example('$0 replay --policy ./examples/my-policy.ts', 'your own policy')
      .example('$0 replay --overcommit memory=1.3 --out results/oc', 'memory overcommit: evictions and OOM kills in the summary and events.csv')
      .example('$0 replay --architecture shared-state --schedulers 2 --t-job 1', 'Omega shared state: two batch schedulers and a service scheduler, 1 s per job')
      .example('$0 replay --no-dynamics', 'reservation-only: placed tasks hold their requests, nothing else happens') as never,
  handler: async (a) => {
    if (a.architecture !== undefined) return replayArchitecture(a);
    checkNoArchitectureOptions(a);
    const spec = { ...specFromArgs(a, a.policy), dynamics: dynamicsSpecFromArgs(a, a.overcommit), reactions: reactionsSpecFromArgs(a), ...whatIf(a) };
    if (a.out !== undefined) await checkOutputTarget({ path: a.out, kind: 'results-folder', force: a.force });
    const progress = progressReporter('replay', a.quiet);
    // Task rows and dynamics events spooled as they leave memory, for the results folder (--retain-tasks).
    const spool = a.out !== undefined ? new ResultsSpool(a.out) : undefined;
    try {
      const run = await runSpec(spec, progress.update, spool?.sinks);
      const { summary, workload, wallSeconds } = run;
      progress.done();
      const events = Object.values(summary.events).reduce((x, y) => x + y, 0);
      const eventsPerSecond = Math.round(events / Math.max(wallSeconds, 1e-9));
      if (a.out !== undefined) await writeReplayFolder(a.out, spec, run, schedlabVersion(), spool);
      if (a.json) {
        process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
      } else {
        process.stdout.write(renderSummary(summary));
        for (const n of workload.notes) process.stdout.write(`note: ${n}\n`);
        if (a.out !== undefined) process.stdout.write(`results written to ${a.out}\n`);
        // The seed line comes last, after success: a user error stays a single line on stderr.
        process.stderr.write(`schedlab replay: seed ${spec.seed}, replayed in ${wallSeconds.toFixed(2)} s (${eventsPerSecond.toLocaleString('en-US')} events/s)\n`);
      }
    } finally {
      spool?.dispose();
    }
  },
};
