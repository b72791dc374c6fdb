import { parentPort, workerData } from 'node:worker_threads';
import type { ReplaySpec } from './replay-spec.js';
import { runWithOutput, type RunOutput } from './compare.js';
import { UsageError } from '../model/errors.js';

/** One run's replay (a policy, with its overcommit setting when compare has that dimension) inside a worker thread of `compare`. */
try {
  const { spec, output } = workerData as { spec: ReplaySpec; output?: RunOutput };
  const outcome = await runWithOutput(spec, output);
  parentPort!.postMessage({ summary: outcome.summary });
} catch (e) {
  const err = e as Error;
  // The name travels so the CLI reports input and option mistakes (InputError, UsageError) as such.
  parentPort!.postMessage({ error: { message: err.message, name: err.name, usage: e instanceof UsageError } });
}
