import type { CommandModule } from 'yargs';
import { dynamicsOptions, dynamicsSpecFromArgs, overcommitChoices, text, workloadOptions, specFromArgs, type DynamicsArgs, type WorkloadArgs } from '../options.js';
import { compareRuns, compareSpecs } from '../../harness/compare.js';
import { loadPolicy } from '../../harness/load-policy.js';
import { fleetLines, renderTable, summaryRows } from '../../reports/summary-table.js';
import { savingsPerYear } from '../../reports/savings.js';
import { formatDollars } from '../../reports/cost.js';

interface CompareArgs extends WorkloadArgs, DynamicsArgs {
  policies: string;
  overcommit?: string;
  'overcommit-predictors'?: string;
  json: boolean;
}

export const compareCommand: CommandModule<object, CompareArgs> = {
  command: 'compare',
  describe: 'replay the same workload under several policies (in parallel) and compare them side by side',
  builder: (y) =>
    y
      .options(workloadOptions)
      .options(dynamicsOptions)
      .option('policies', { type: 'string', default: 'first-fit,best-fit,kube-default', describe: 'comma-separated policy names or files; the first is the baseline' })
      .option('overcommit', {
        type: 'string',
        coerce: text('overcommit'),
        describe: "overcommit settings as a dimension, each a column per policy: bare ratios for CPU and memory (1,1.5,2), per-resource ratios (cpu=2,memory=1.2; separate two of them with ';'), borg, koordinator[:pct], peak:<predictor>",
      })
      .option('overcommit-predictors', {
        type: 'string',
        coerce: text('overcommit-predictors'),
        describe: 'peak-prediction predictors as columns (each is peak:<name>): borg-default, rc-like, n-sigma, max, oracle',
      })
      .option('json', { type: 'boolean', default: false, describe: 'print summaries and savings as JSON' })
      .example('$0 compare --policies first-fit,best-fit,kube-default', 'savings of each against first-fit')
      .example('$0 compare --policies kube-default --overcommit 1,1.5,2', 'fewer nodes against more evictions, OOM kills and violations')
      .example('$0 compare --policies best-fit --overcommit-predictors borg-default,max,oracle', 'peak-prediction overcommit, one column per predictor') as never,
  handler: async (a) => {
    const policies = a.policies.split(',').map((p) => p.trim()).filter(Boolean);
    const overcommits = overcommitChoices(a.overcommit, a['overcommit-predictors']);
    const base = { ...specFromArgs(a, ''), dynamics: dynamicsSpecFromArgs(a) };
    // Checked here, before any worker starts, so a mistake names --policies (workers would say --policy).
    for (const p of policies) await loadPolicy(p, '--policies');
    const runs = compareRuns(base, policies, overcommits);
    const { summaries } = await compareSpecs(runs.map((r) => r.spec));
    const labels = runs.map((r) => r.label);
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
    // The seed line comes last, after success: a user error stays a single line on stderr.
    const what = overcommits.length > 0 ? `${policies.length} policies × ${overcommits.length} overcommit settings` : `${policies.length} policies`;
    process.stderr.write(`schedlab compare: seed ${base.seed}, ${what}\n`);
  },
};
