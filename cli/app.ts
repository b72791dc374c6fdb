import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { replayCommand } from './commands/replay.js';
import { compareCommand } from './commands/compare.js';
import { policiesCommand } from './commands/policies.js';
import { costCommand } from './commands/cost.js';
import { traceCommand } from './commands/trace.js';
import { packCommand } from './commands/pack.js';
import { experimentCommand } from './commands/experiment.js';
import { sweepCommand } from './commands/sweep.js';
import { reportCommand } from './commands/report.js';
import { trainCommand } from './commands/train.js';
import { workerCommand } from './commands/worker.js';
import { reportError } from './report-error.js';
import { UsageError } from '../model/errors.js';
import { redactSecret } from '../harness/sweep/distributed/redact-secret.js';

/** The schedlab command line (see README): parses `argv` and runs the command; returns the exit code. */
export async function runCli(argv: string[]): Promise<number> {
  // `schedlab ... | head` closes the pipe early: that is not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(0);
      throw e;
    });
  }
  try {
    checkFlagValues(hideBin(argv));
    await yargs(hideBin(argv))
      .scriptName('schedlab')
      .command(replayCommand)
      .command(compareCommand)
      .command(policiesCommand)
      .command(costCommand)
      .command(traceCommand)
      .command(packCommand)
      .command(experimentCommand)
      .command(sweepCommand)
      .command(reportCommand)
      .command(trainCommand)
      .command(workerCommand)
      .middleware(rejectRepeatedOptions)
      .demandCommand(1, 'give a command: replay, compare, policies, cost, trace, pack, experiment, sweep, report, train, worker')
      .strict()
      .help()
      .fail((msg, err) => {
        throw err ?? new CliUsage(usageMessage(msg, argv));
      })
      .parseAsync();
    return 0;
  } catch (e) {
    // A progress line on a terminal is cleared first, so the error stands on its own line.
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    // A Redis URL's password (--queue, or one typed where another argument was expected) is never printed.
    if (e instanceof Error) {
      e.message = redactSecret(e.message);
      if (e.stack !== undefined) e.stack = redactSecret(e.stack);
    }
    return reportError(e, CliUsage);
  }
}

class CliUsage extends Error {}

/** Arguments that take several values by design (pack's instance files, zone outages). */
const ARRAY_ARGUMENTS = new Set(['files', 'dirs', 'zone-outage']);

/** An option given twice reaches the handler as an array; the coercers catch numbers, this the rest. */
function rejectRepeatedOptions(argv: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(argv)) {
    // Skipped: yargs' camelCase and one-letter alias copies of the same option.
    if (k === '_' || k === '$0' || k.length === 1 || /[A-Z]/.test(k) || ARRAY_ARGUMENTS.has(k) || !Array.isArray(v)) continue;
    throw new UsageError(`--${k}: given more than once (${v.map((x) => `'${String(x)}'`).join(', ')}); give it once`);
  }
}

const FLAGS = ['json', 'quiet', 'force', 'allow-negative', 'dynamics', 'controllers'];

/** `--json=maybe` would silently mean false: a flag takes no value, or exactly true / false. */
function checkFlagValues(args: string[]): void {
  for (const a of args) {
    if (a === '--') break;
    const m = /^--(?:no-)?([a-z-]+)=(.*)$/.exec(a);
    if (m && FLAGS.includes(m[1]) && m[2] !== 'true' && m[2] !== 'false') {
      throw new UsageError(`--${m[1]}: a flag takes no value (or true / false), got '${m[2]}'`);
    }
  }
}

/** What each command's positional arguments are, for yargs' 'Not enough non-option arguments'. */
const POSITIONALS: Record<string, string> = {
  '': 'a command: replay, compare, policies, cost, trace, pack, experiment, sweep, report, train, worker',
  trace: 'a trace subcommand: inspect, convert',
  'trace inspect': 'the <path> of a trace to inspect',
  'trace convert': "the <input> to convert (a trace folder or file, or 'synthetic')",
  pack: 'one or more instance <files..> (.txt BPPLIB, .vbp VPSolver)',
  experiment: 'the experiment <name>: fgd',
  report: 'one or more results folders <dirs..> (replay --out, compare --out)',
  train: 'what to train <what>: placement',
};

/** Positional arguments with fixed choices. */
const POSITIONAL_NAMES = ['name', 'what'];
const COMMANDS = ['replay', 'compare', 'policies', 'cost', 'trace', 'pack', 'experiment', 'sweep', 'report', 'train', 'worker'];
const TRACE_SUBCOMMANDS = ['inspect', 'convert'];

/**
 * yargs' own messages, reworded into one line that names the option (`--out`, not `out`) or the
 * missing argument, with the --help that explains it.
 */
function usageMessage(msg: string, argv: string[]): string {
  const args = hideBin(argv);
  const words: string[] = [];
  if (COMMANDS.includes(args[0])) words.push(args[0]);
  if (args[0] === 'trace' && TRACE_SUBCOMMANDS.includes(args[1])) words.push(args[1]);
  const command = words.join(' ');
  const help = `(see schedlab ${command ? `${command} ` : ''}--help)`;
  const missing = /^Missing required arguments?: (.+)$/.exec(msg);
  if (missing) return `${missing[1].split(', ').map((o) => `--${o}`).join(', ')}: required ${help}`;
  if (/^Not enough non-option arguments/.test(msg)) return `${command ? `${command}: ` : ''}give ${POSITIONALS[command] ?? 'the missing argument'} ${help}`;
  const unknown = /^Unknown arguments?: (.+)$/.exec(msg);
  if (unknown) {
    const given = new Map(args.filter((a) => a.startsWith('-')).map((a) => [a.replace(/^-+/, '').split('=')[0], /^-+/.exec(a)?.[0] ?? '--']));
    const what = unknown[1].split(', ').map((u) => (given.has(u) ? `${given.get(u)}${u}: unknown option` : `unexpected argument '${u}'`));
    return `${what.join('; ')} ${help}`;
  }
  const invalid = [...msg.matchAll(/Argument: (\S+), Given: (.+?), Choices: (.+)/g)];
  if (invalid.length > 0) {
    // A positional (experiment <name>) is named as in the usage line, an option with its dashes.
    const label = (o: string) => (POSITIONAL_NAMES.includes(o) ? `${command}: <${o}>` : `--${o}`);
    const what = invalid.map(([, o, g, c]) => `${label(o)}: expected one of ${c.replace(/"/g, '')}, got '${g.replace(/^"|"$/g, '')}'`);
    return `${what.join('; ')} ${help}`;
  }
  return `${msg.trim().replace(/\s*\n\s*/g, '; ')} ${help}`;
}
