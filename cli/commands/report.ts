import { readdirSync, lstatSync } from 'node:fs';
import type { CommandModule } from 'yargs';
import { UsageError } from '../../model/errors.js';
import { abandonOutput, beginOutput, commitOutput } from '../../model/atomic-output.js';
import { loadReportRuns, reportOfRuns } from '../../reports/report/folder-report.js';
import { isReportFile, writeReport } from '../../reports/report/write-report.js';
import { forceOption, text } from '../options.js';

interface ReportArgs {
  dirs: string[];
  out?: string;
  charts?: string;
  force: boolean;
}

/**
 * `schedlab report DIR...`: the report (report.html, report.md, the charts' files) of one or more
 * results folders — a replay's, a compare's — written into the first folder, or into `--out`.
 */
export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report <dirs..>',
  describe: 'write report.html (self-contained, opens offline) and report.md with the charts of one or more results folders',
  builder: (y) =>
    y
      .positional('dirs', { type: 'string', array: true, demandOption: true, describe: 'results folders (replay --out, compare --out)' })
      .option('out', { type: 'string', coerce: text('out'), describe: 'folder for the report (default: the first results folder); a new or empty folder, or an earlier report with --force' })
      .option('charts', { type: 'string', coerce: text('charts'), describe: 'comma-separated chart names to include (default all)' })
      .option('force', forceOption)
      .example('$0 report results/bf', 'report.html and report.md in results/bf')
      .example('$0 report results/ff results/bf --out results/ff-vs-bf', 'two replays side by side') as never,
  handler: async (a) => {
    const chartNames = a.charts?.split(',').map((s) => s.trim()).filter((s) => s !== '');
    if (a.out !== undefined) checkReportTarget(a.out, a.force);
    const input = reportOfRuns(loadReportRuns(a.dirs), chartNames, a.dirs.length > 1 ? 'report' : undefined);
    const target = a.out ?? a.dirs[0];
    if (a.out === undefined) {
      await writeReport(target, input);
    } else {
      const tmp = beginOutput(a.out, 'folder');
      try {
        await writeReport(tmp, input);
        commitOutput(tmp, a.out);
      } catch (e) {
        abandonOutput(tmp);
        throw e;
      }
    }
    process.stdout.write(`report written to ${target}/report.html and ${target}/report.md (${input.charts.length} chart${input.charts.length === 1 ? '' : 's'})\n`);
  },
};

/** --out: nothing there, an empty folder, or (with --force) a folder holding only an earlier report's files. */
function checkReportTarget(out: string, force: boolean): void {
  let st;
  try {
    st = lstatSync(out);
  } catch {
    return;
  }
  if (!st.isDirectory()) throw new UsageError(`--out: '${out}' is not a folder; schedlab never replaces what it did not write; choose another path`);
  const entries = readdirSync(out);
  if (entries.length === 0) return;
  const foreign = entries.filter((e) => !isReportFile(e));
  if (foreign.length > 0) throw new UsageError(`--out: '${out}' holds files that are not a schedlab report ('${foreign.sort()[0]}'${foreign.length > 1 ? ` and ${foreign.length - 1} more` : ''}); choose another path`);
  if (!force) throw new UsageError(`--out: '${out}' holds an earlier schedlab report; add --force to replace it, or choose another path`);
}
