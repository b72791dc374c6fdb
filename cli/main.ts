#!/usr/bin/env node
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
import { installHandlers } from '../reports/atomic-output.js';

/** The schedlab command line: a thin layer over library functions (see README). */
async function main(): Promise<void> {
  installHandlers();
  // `schedlab ... | head` closes the pipe early: that is not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(0);
      throw e;
    });
  }
  await yargs(hideBin(process.argv))
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
}

class CliUsage extends Error {}

main().catch((e: unknown) => process.exit(reportError(e, CliUsage)));
