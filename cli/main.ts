#!/usr/bin/env node
import { installHandlers } from '../model/atomic-output.js';
import { forcedProgress } from './progress.js';

/**
 * The `schedlab` executable. The Ctrl-C / SIGTERM handlers go in first, before the commands and
 * their dependencies load (about a second), so an interrupt at any moment exits cleanly (code
 * 130 / 143, temporaries removed). With SCHEDLAB_PROGRESS=1 the line `schedlab: started` then
 * says so — the signal scripts and tests wait for instead of guessing a delay.
 */
installHandlers();
if (forcedProgress()) process.stderr.write('schedlab: started\n');
const { runCli } = await import('./app.js');
const code = await runCli(process.argv);
// On failure, exit now: a compare worker still running must not keep the process alive.
if (code !== 0) process.exit(code);
