import type { CommandModule } from 'yargs';
import { dynamicsOptions, dynamicsSpecFromArgs, reactionsOptions, reactionsSpecFromArgs, spreadChoices, type ReactionsArgs, overcommitChoices, text, workloadOptions, specFromArgs, type DynamicsArgs, type WorkloadArgs } from '../options.js';
import { compareRuns, compareSpecs } from '../../harness/compare.js';
import { loadPolicy } from '../../harness/load-policy.js';
import { fleetLines, renderTable, summaryRows } from '../../reports/summary-table.js';
import { savingsPerYear } from '../../reports/savings.js';
import { formatDollars } from '../../reports/cost.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { forceOption } from '../options.js';
import { checkOutputTarget } from '../../reports/output-target.js';
import { abandonOutput, beginOutput, commitOutput } from '../../model/atomic-output.js';
import { COMPARE_FILE, COMPARE_RUNS_FOLDER, runFolderNames, type CompareRecord } from '../../reports/report/compare-folder.js';
import { runsTable } from '../../reports/report/runs-report.js';
import { loadReportRuns, reportOfRuns } from '../../reports/report/folder-report.js';
import { writeReport } from '../../reports/report/write-report.js';
import type { RunOutput } from '../../harness/compare.js';
import type { RunSummary } from '../../reports/summary.js';
import { schedlabVersion } from '../version.js';

interface CompareArgs extends WorkloadArgs, DynamicsArgs, ReactionsArgs {
  policies: string;
  overcommit?: string;
  'overcommit-predictors'?: string;
  json: boolean;
  out?: string;
  force: boolean;
}

export const compareCommand: CommandModule<object, CompareArgs> = {
  command: 'compare',
  describe: 'replay the same workload under several policies (in parallel) and compare them side by side',
  builder: (y) =>
    y
      .options(workloadOptions)
      .options(dynamicsOptions)
      .options(reactionsOptions)
      .option('policies', { type: 'string', default: 'first-fit,best-fit,kube-default', describe: 'comma-separated policy names or files; the first is the baseline' })
      .option('overcommit', {
        type: 'string',
        coerce: text('overcommit'),
        describe: "overcommit settings as a dimension, each a column per policy: bare ratios for CPU and memory (1,1.5,2), per-resource ratios (cpu=2,memory=1.2; separate two of them with ';'), borg, koordinator[:pct], peak:<predictor>",
      })
      .option('overcommit-predictors', {
        type: 'string',
        coerce: text('overcommit-predictors'),
        describe: 'peak-prediction predictors as columns (each is peak:<name>): borg-default, rc-like, n-sigma, max, oracle, learned',
      })
      .option('json', { type: 'boolean', default: false, describe: 'print summaries and savings as JSON' })
      .option('out', { type: 'string', describe: 'write a compare folder: a results folder per run in DIR/runs/<label>/, compare.json (the table), the charts and report.html / report.md; an earlier one is replaced only with --force' })
      .option('force', forceOption)
      .example('$0 compare --policies first-fit,best-fit,kube-default', 'savings of each against first-fit')
      .example('$0 compare --policies kube-default --overcommit 1,1.5,2', 'fewer nodes against more evictions, OOM kills and violations')
      .example('$0 compare --policies best-fit --overcommit-predictors borg-default,max,oracle', 'peak-prediction overcommit, one column per predictor') as never,
  handler: async (a) => {
    const policies = a.policies.split(',').map((p) => p.trim()).filter(Boolean);
    const overcommits = overcommitChoices(a.overcommit, a['overcommit-predictors']);
    const base = { ...specFromArgs(a, ''), dynamics: dynamicsSpecFromArgs(a), reactions: reactionsSpecFromArgs(a), ...(a['min-replicas'] !== undefined ? { minReplicas: a['min-replicas'] } : {}) };
    // Checked here, before any worker starts, so a mistake names --policies (workers would say --policy).
    for (const p of policies) await loadPolicy(p, '--policies');
    const runs = compareRuns(base, policies, overcommits, spreadChoices(a.spread, true));
    if (a.out !== undefined) await checkOutputTarget({ path: a.out, kind: 'results-folder', force: a.force });
    const labels = runs.map((r) => r.label);
    const folders = runFolderNames(labels);
    // With --out, everything goes into one hidden temporary renamed into place at the end.
    const tmp = a.out === undefined ? undefined : beginOutput(a.out, 'folder');
    let summaries: RunSummary[];
    try {
      let outputs: RunOutput[] | undefined;
      if (tmp !== undefined) {
        // Made before the workers start: two of them creating it at once would collide.
        mkdirSync(join(tmp, COMPARE_RUNS_FOLDER));
        const record = { schedlab: schedlabVersion(), command: 'compare', seed: base.seed };
        outputs = runs.map((r, i) => ({ dir: join(tmp, COMPARE_RUNS_FOLDER, folders[i]), record: { ...record, config: { ...r.spec, label: r.label } } }));
      }
      ({ summaries } = await compareSpecs(runs.map((r) => r.spec), outputs));
      if (tmp !== undefined) {
        const table = runsTable(runs.map((r, i) => ({ label: r.label, summary: summaries[i], workloadNotes: [] })));
        const compare: CompareRecord = {
          schedlab: schedlabVersion(),
          command: 'compare',
          seed: base.seed,
          baseline: labels[0],
          runs: runs.map((r, i) => ({ label: r.label, policy: r.policy, ...(r.overcommit === undefined ? {} : { overcommit: r.overcommit }), folder: folders[i] })),
          savingsPerYear: Object.fromEntries(labels.map((l, i) => [l, savingsPerYear(summaries[0], summaries[i])])),
          table,
        };
        writeFileSync(join(tmp, COMPARE_FILE), JSON.stringify(compare, null, 2) + '\n');
        await writeReport(tmp, reportOfRuns(loadReportRuns([tmp]), undefined, 'compare'));
        commitOutput(tmp, a.out!);
      }
    } catch (e) {
      if (tmp !== undefined) abandonOutput(tmp);
      throw e;
    }
    const savings = summaries.map((s) => savingsPerYear(summaries[0], s));
    if (a.json) {
      const dimension = overcommits.length > 0 ? { runs: runs.map((r) => ({ label: r.label, policy: r.policy, overcommit: r.overcommit })) } : {};
      process.stdout.write(JSON.stringify({ seed: base.seed, baseline: labels[0], ...dimension, savingsPerYear: Object.fromEntries(labels.map((p, i) => [p, savings[i]])), summaries }, null, 2) + '\n');
      return;
    }
    const s0 = summaries[0];
    process.stdout.write(`schedlab compare — workload ${s0.workload}, seed ${s0.seed}\n${fleetLines(s0).join('\n')}\n\n`);
    const rows = summaryRows(summaries);
    rows.push([`savings/yr vs ${labels[0]}`, ...savings.map((x) => formatDollars(x))]);
    process.stdout.write(renderTable(['', ...labels], rows) + '\n');
    process.stdout.write(
      `\nsavings/yr: busy-node cost (each machine at its own price) per unit of CPU work placed, against ${labels[0]}, priced and scaled to a year (see README)\n`,
    );
    if (a.out !== undefined) process.stdout.write(`results written to ${a.out} (report: ${join(a.out, 'report.html')})\n`);
    // The seed line comes last, after success: a user error stays a single line on stderr.
    const what = overcommits.length > 0 ? `${policies.length} policies × ${overcommits.length} overcommit settings` : `${policies.length} policies`;
    process.stderr.write(`schedlab compare: seed ${base.seed}, ${what}\n`);
  },
};
