import { parentPort, workerData } from 'node:worker_threads';
import { runSpec, type ReplaySpec } from './replay-spec.js';
import { UsageError } from './usage-error.js';

/** One policy's replay inside a worker thread of `compare`. */
try {
  const { summary } = await runSpec(workerData as ReplaySpec);
  parentPort!.postMessage({ summary });
} catch (e) {
  parentPort!.postMessage({ error: { message: (e as Error).message, usage: e instanceof UsageError } });
}
