import { parentPort, workerData } from 'node:worker_threads';
import { runSpec, type ReplaySpec } from './replay-spec.js';
import { UsageError } from '../model/errors.js';

/** One run's replay (a policy, with its overcommit setting when compare has that dimension) inside a worker thread of `compare`. */
try {
  const { summary } = await runSpec(workerData as ReplaySpec);
  parentPort!.postMessage({ summary });
} catch (e) {
  const err = e as Error;
  // The name travels so the CLI reports input and option mistakes (InputError, UsageError) as such.
  parentPort!.postMessage({ error: { message: err.message, name: err.name, usage: e instanceof UsageError } });
}
