import { parentPort } from 'node:worker_threads';
import { runSpec, type ReplaySpec } from '../replay-spec.js';
import { UsageError } from '../../model/errors.js';
import { THREAD_READY } from './sweep-pool.js';

/**
 * A sweep's worker thread: replays the cells it is sent, one at a time, and answers each with
 * the run's summary. It lives for the whole sweep, so the modules load once per thread, not once
 * per cell (a default-workload replay takes about half a second; loading takes a good part of that).
 */
parentPort!.on('message', async (m: { id: number; spec: ReplaySpec }) => {
  try {
    const { summary, wallSeconds } = await runSpec(m.spec);
    parentPort!.postMessage({ id: m.id, summary, wallSeconds });
  } catch (e) {
    const err = e as Error;
    parentPort!.postMessage({ id: m.id, error: { message: err.message, name: err.name, usage: e instanceof UsageError } });
  }
});
// The static imports above have loaded by now: the runner's start() waits for this.
parentPort!.postMessage(THREAD_READY);
