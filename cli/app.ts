import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { replayCommand } from './commands/replay.js';
import { compareCommand } from './commands/compare.js';
import { policiesCommand } from './commands/policies.js';
import { costCommand } from './commands/cost.js';
import { traceCommand } from './commands/trace.js';
import { packCommand } from './commands/pack.js';
import { experimentCommand } from './commands/experiment.js';
import { reportError } from './report-error.js';

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
    await yargs(hideBin(argv))
      .scriptName('schedlab')
      .command(replayCommand)
      .command(compareCommand)
      .command(policiesCommand)
      .command(costCommand)
      .command(traceCommand)
      .command(packCommand)
      .command(experimentCommand)
      .demandCommand(1, 'give a command: replay, compare, policies, cost, trace, pack, experiment')
      .strict()
      .help()
      .fail((msg, err) => {
        throw err ?? new CliUsage(`${msg} (see schedlab --help)`);
      })
      .parseAsync();
    return 0;
  } catch (e) {
    // A progress line on a terminal is cleared first, so the error stands on its own line.
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    return reportError(e, CliUsage);
  }
}

class CliUsage extends Error {}
