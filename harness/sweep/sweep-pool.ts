import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { runSpec, type ReplaySpec } from '../replay-spec.js';
import type { RunSummary } from '../../reports/summary.js';
import { UsageError } from '../../model/errors.js';

export interface CellOutcome {
  summary: RunSummary;
  wallSeconds: number;
}

interface WorkerAnswer {
  id: number;
  summary?: RunSummary;
  wallSeconds?: number;
  error?: { message: string; name: string; usage: boolean };
}

/**
 * Runs replay specs on `threads` long-lived worker threads (harness/sweep/sweep-worker.ts), each
 * taking the next spec when it finishes one, and calls `onDone` as each finishes (in completion
 * order; `i` says which). Running from TypeScript sources (tests), where a worker would need a TS
 * loader, the specs run one by one in this thread instead. The first failure stops the pool (no
 * new spec is started, the workers are terminated) and is thrown; specs already done stay done.
 */
export async function runOnPool(
  specs: readonly ReplaySpec[],
  threads: number,
  onDone: (i: number, outcome: CellOutcome) => void,
  label: (i: number) => string = (i) => `cell ${i}`,
): Promise<'workers' | 'in-process'> {
  const workerFile = fileURLToPath(new URL('./sweep-worker.js', import.meta.url));
  if (!existsSync(workerFile)) {
    for (let i = 0; i < specs.length; i++) {
      let outcome: CellOutcome;
      try {
        const { summary, wallSeconds } = await runSpec(specs[i]);
        outcome = { summary, wallSeconds };
      } catch (e) {
        if (e instanceof UsageError || (e as Error).name === 'InputError') throw withCell(e as Error, label(i));
        throw e;
      }
      onDone(i, outcome);
    }
    return 'in-process';
  }
  const size = Math.max(1, Math.min(threads, specs.length));
  const workers: Worker[] = [];
  let next = 0;
  let failed = false;
  try {
    await new Promise<void>((resolve, reject) => {
      let running = 0;
      const stop = (e: Error) => {
        if (failed) return;
        failed = true;
        reject(e);
      };
      const feed = (w: Worker) => {
        if (failed) return;
        if (next >= specs.length) {
          if (running === 0) resolve();
          return;
        }
        running++;
        const id = next++;
        w.postMessage({ id, spec: specs[id] });
      };
      for (let k = 0; k < size; k++) {
        const w = new Worker(workerFile);
        workers.push(w);
        w.on('message', (m: WorkerAnswer) => {
          running--;
          if (m.error) {
            const err = m.error.usage ? new UsageError(m.error.message) : new Error(m.error.message);
            if (!m.error.usage) err.name = m.error.name;
            stop(m.error.usage || m.error.name === 'InputError' ? withCell(err, label(m.id)) : err);
            return;
          }
          try {
            onDone(m.id, { summary: m.summary!, wallSeconds: m.wallSeconds! });
          } catch (e) {
            stop(e as Error);
            return;
          }
          feed(w);
        });
        w.on('error', stop);
        w.on('exit', (code) => {
          if (code !== 0) stop(new Error(`sweep worker thread exited with code ${code}`));
        });
        feed(w);
      }
    });
  } finally {
    failed = true;
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return 'workers';
}

/** A user error of one cell, with the cell named first (the rest of the sweep is fine). */
function withCell(e: Error, cell: string): Error {
  const out = e instanceof UsageError ? new UsageError(`${cell}: ${e.message}`) : new Error(`${cell}: ${e.message}`);
  out.name = e.name;
  return out;
}
