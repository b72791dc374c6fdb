import type { Argv, CommandModule } from 'yargs';
import { formatInspectReport, inspect } from '../../workloads/google-2011/inspect.js';
import type { OnBadRow } from '../../workloads/errors.js';

interface InspectArgs {
  path: string;
  json: boolean;
  format?: string;
  'on-bad-row': OnBadRow;
}

/** Replaces NaN/Infinity (not JSON) by null so `--json` output always parses. */
function jsonSafe(_key: string, v: unknown): unknown {
  return typeof v === 'number' && !Number.isFinite(v) ? null : v;
}

const inspectCommand: CommandModule<object, InspectArgs> = {
  command: 'inspect <path>',
  describe: 'summarize a trace (folder, table folder, file or glob) and list its problems',
  builder: (y: Argv<object>) =>
    y
      .positional('path', {
        type: 'string',
        demandOption: true,
        describe: 'a google-2011 folder (machine_events/, task_events/, job_events/ inside), one table folder, a part file or a glob',
      })
      .option('json', { type: 'boolean', default: false, describe: 'print the report as JSON' })
      .option('format', { type: 'string', describe: 'trace format instead of auto-detection (google-2011)' })
      .option('on-bad-row', {
        choices: ['fail', 'skip'] as const,
        default: 'fail' as const,
        describe: 'stop at the first malformed row, or skip malformed rows and count them by reason',
      })
      .example('$0 trace inspect ../shared/data/google-2011', 'all tables of the 2011 trace')
      .example('$0 trace inspect ../shared/data/google-2011/task_events --json', 'one table, as JSON') as unknown as Argv<InspectArgs>,
  handler: async (argv) => {
    const report = await inspect(argv.path, { format: argv.format, onBadRow: argv['on-bad-row'] });
    process.stdout.write(argv.json ? `${JSON.stringify(report, jsonSafe, 2)}\n` : `${formatInspectReport(report)}\n`);
  },
};

/** `schedlab trace <subcommand>`: tools for trace files (for now: inspect). */
export const traceCommand: CommandModule = {
  command: 'trace <command>',
  describe: 'work with trace files (inspect)',
  builder: (y) => y.command(inspectCommand as unknown as CommandModule).demandCommand(1, 'give a trace subcommand: inspect'),
  handler: () => {},
};

export default traceCommand;
