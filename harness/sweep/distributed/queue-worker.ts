import { hostname } from 'node:os';
import { Worker, type Job } from 'bullmq';
import { CellRunner, isUserError } from '../sweep-pool.js';
import { checkCellJob, type CellJobData, type CellJobResult } from './cell-job.js';
import { CELL_QUEUE, type QueueTarget } from './queue-url.js';
import { reconnecting } from './reconnect.js';

export interface QueueWorkerOptions {
  /** Cells run at once (each on its own thread). */
  concurrency: number;
  /** schedlab's version: a cell made by another version is refused. */
  version: string;
  /**
   * How long a cell's lock lasts without renewal (ms): a worker that dies (SIGKILL, power loss,
   * network cut) keeps its cell this long before another worker may take it. BullMQ renews
   * the lock every half of it while the cell runs. Default 30 s (BullMQ's).
   */
  lockMs?: number;
  /** How often this worker looks for cells whose lock expired, to put them back in the queue (ms). Default 30 s (BullMQ's). */
  stalledCheckMs?: number;
  /** This worker's name, stored on each job it takes (BullMQ's processedBy) and in each result. Default host-pid. */
  name?: string;
  /** One line per event (a cell started, finished, failed; the queue lost or back); the password is already hidden. */
  log?: (line: string) => void;
}

/** A running worker. */
export interface QueueWorker {
  name: string;
  /** Cells running now. */
  running: () => number;
  /**
   * Stops taking cells. Graceful (`force` false): the running cells finish and their results are
   * stored first. Forced: they are abandoned unfinished — their locks lapse and other workers
   * redo them (BullMQ's stalled-job recovery), so nothing is lost, only redone.
   */
  close: (force?: boolean) => Promise<void>;
}

/** A cell whose worker vanished is handed out again this many times; the next time it is failed (a cell that kills its worker would otherwise loop). */
export const MAX_STALLED = 2;

/**
 * `schedlab worker`: takes sweep cells from the queue (BullMQ's Worker: at-least-once delivery
 * with a lock per cell, https://docs.bullmq.io/guide/workers), checks each (cell-job.ts: schedlab
 * version, key, module-file hashes), replays it through the same CellRunner a local sweep uses,
 * and returns the summary as the job's result — results travel back through Redis, so workers
 * need no shared folder. A cell's error (bad input, a refused cell) fails that job with a
 * one-line reason that names this worker (`on host-pid: …`: the machine whose file, input or
 * version differs); the sweep's attempts bound the retries.
 */
export async function startQueueWorker(target: QueueTarget, options: QueueWorkerOptions): Promise<QueueWorker> {
  const name = options.name ?? `${hostname()}-${process.pid}`;
  const log = (line: string) => options.log?.(target.redact(line));
  const runner = new CellRunner(options.concurrency);
  // The cell threads load the replay's modules before the first cell is taken, not while it holds
  // its lock; and before any Redis connection opens, so a thread that cannot load leaves nothing open.
  try {
    await runner.start();
  } catch (e) {
    await runner.close();
    throw e;
  }
  let running = 0;
  const processor = async (job: Job): Promise<CellJobResult> => {
    const id = String(job.id);
    let cell: CellJobData;
    try {
      cell = checkCellJob(job.data, options.version);
    } catch (e) {
      const reason = oneLine((e as Error).message);
      log(`cell ${id.slice(0, 12)} refused: ${reason}`);
      // The reason the sweep reports names the worker: the machine whose file or version differs.
      throw new Error(`on ${name}: ${reason}`);
    }
    running++;
    log(`cell ${id.slice(0, 12)} started (attempt ${job.attemptsMade + 1}): ${cell.label}`);
    try {
      const outcome = await runner.run(cell.spec);
      log(`cell ${id.slice(0, 12)} done in ${outcome.wallSeconds.toFixed(2)} s`);
      return { key: cell.key, schedlab: options.version, summary: outcome.summary, wallSeconds: outcome.wallSeconds, worker: name };
    } catch (e) {
      const err = e as Error;
      // The reason the sweep reports: one line; a bug says so (a user error is the input's fault).
      const reason = oneLine(`${isUserError(err) ? '' : 'internal error: '}${err.message}`);
      log(`cell ${id.slice(0, 12)} failed: ${reason}`);
      throw new Error(`on ${name}: ${reason}`);
    } finally {
      running--;
    }
  };
  const worker = new Worker(CELL_QUEUE, processor, {
    connection: { ...target.connection, retryStrategy: reconnecting },
    concurrency: Math.max(1, options.concurrency),
    lockDuration: options.lockMs ?? 30_000,
    stalledInterval: options.stalledCheckMs ?? 30_000,
    maxStalledCount: MAX_STALLED,
    name,
    autorun: false,
  });
  let down = false;
  worker.on('error', (e) => {
    const message = e.message.split('\n')[0];
    // A lost connection is said once per outage; anything else (a job's key gone after a Redis restart) each time.
    if (!isConnectionError(e)) return log(`queue error: ${message}`);
    if (down) return;
    down = true;
    log(`queue ${target.shown} unreachable (${message}); reconnecting`);
  });
  worker.on('ready', () => {
    if (down) log(`queue ${target.shown} reachable again`);
    down = false;
  });
  void worker.run().catch((e: Error) => log(`worker stopped: ${e.message}`));
  await worker.waitUntilReady();
  return {
    name,
    running: () => running,
    close: async (force = false) => {
      await worker.close(force);
      await runner.close();
    },
  };
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, '; ');
}

/** A socket-level failure (refused, reset, closed, timed out, unresolvable), as opposed to an error Redis or BullMQ answered. */
export function isConnectionError(e: Error): boolean {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  return /^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH)$/.test(code) || /Connection is closed|connect ETIMEDOUT|Stream isn't writeable/i.test(e.message);
}
