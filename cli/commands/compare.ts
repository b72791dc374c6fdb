import type { CommandModule } from 'yargs';
import { workloadOptions, specFromArgs, type WorkloadArgs } from '../options.js';
import { comparePolicies } from '../../harness/compare.js';
import { loadPolicy } from '../../harness/load-policy.js';
import { fleetLines, renderTable, summaryRows } from '../../reports/summary-table.js';
import { savingsPerYear } from '../../reports/savings.js';
import { formatDollars } from '../../reports/cost.js';

interface CompareArgs extends WorkloadArgs {
  policies: string;
  json: boolean;
}

export const compareCommand: CommandModule<object, CompareArgs> = {
  command: 'compare',
  describe: 'replay the same workload under several policies (in parallel) and compare them side by side',
  builder: (y) =>
    y
      .options(workloadOptions)
      .option('policies', { type: 'string', default: 'first-fit,best-fit,kube-default', describe: 'comma-separated policy names or files; the first is the baseline' })
      .option('json', { type: 'boolean', default: false, describe: 'print summaries and savings as JSON' })
      .example('$0 compare --policies first-fit,best-fit,kube-default', 'savings of each against first-fit') as never,
  handler: async (a) => {
    const policies = a.policies.split(',').map((p) => p.trim()).filter(Boolean);
    const base = specFromArgs(a, '');
    // Checked here, before any worker starts, so a mistake names --policies (workers would say --policy).
    for (const p of policies) await loadPolicy(p, '--policies');
    const { summaries } = await comparePolicies(base, policies);
    const savings = summaries.map((s) => savingsPerYear(summaries[0], s));
    if (a.json) {
      process.stdout.write(JSON.stringify({ seed: base.seed, baseline: policies[0], savingsPerYear: Object.fromEntries(policies.map((p, i) => [p, savings[i]])), summaries }, null, 2) + '\n');
      return;
    }
    const s0 = summaries[0];
    process.stdout.write(`schedlab compare — workload ${s0.workload}, seed ${s0.seed}\n${fleetLines(s0).join('\n')}\n\n`);
    const rows = summaryRows(summaries);
    rows.push([`savings/yr vs ${policies[0]}`, ...savings.map((x) => formatDollars(x))]);
    process.stdout.write(renderTable(['', ...policies], rows) + '\n');
    process.stdout.write(
      `\nsavings/yr: busy-node cost (each machine at its own price) per unit of CPU work placed, against ${policies[0]}, priced and scaled to a year (see README)\n`,
    );
    // The seed line comes last, after success: a user error stays a single line on stderr.
    process.stderr.write(`schedlab compare: seed ${base.seed}, ${policies.length} policies\n`);
  },
};
