import { Queue, QueueEvents, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { SweepCell } from '../sweep-grid.js';
import { cellJobData, type CellJobResult } from './cell-job.js';
import { CELL_QUEUE, type QueueTarget } from './queue-url.js';
import { reconnecting } from './reconnect.js';

export interface QueueSweepOptions {
  target: QueueTarget;
  /** schedlab's version, put in each job (a worker of another version refuses it). */
  version: string;
  /** Tries per cell before it is reported failed (BullMQ's attempts; a deterministic error fails every try). */
  attempts: number;
  /** A cell's coordinates in words (workers' log, error lines). */
  label: (cell: SweepCell) => string;
  /** A cell's first result; later copies of the same cell are counted as duplicates and dropped. `latencyMs`: from its enqueue by this call to its collection (undefined for a result found already in Redis). */
  onDone: (cell: SweepCell, result: CellJobResult, latencyMs: number | undefined) => void;
  /** A cell that failed all its attempts, with the last reason (one line). */
  onFailed: (cell: SweepCell, reason: string) => void;
  /** After each check of the queue: cells running on workers now, and whether Redis is unreachable (and why, password hidden). */
  onQueueState?: (s: QueueState) => void;
  /** A line worth telling the user (cells re-enqueued after a lost queue); password hidden. */
  onNote?: (line: string) => void;
  /** How often the queue is checked besides its events (ms; default 2 s, longer for very many pending cells). */
  checkEveryMs?: number;
  /** Wait between the tries of a failed cell (ms; default 1 s). */
  retryDelayMs?: number;
}

export interface QueueState {
  running: number;
  waiting: number;
  unreachable?: string;
}

export interface QueueSweepStats {
  /** Results of cells already collected (a duplicate delivery), dropped. */
  duplicates: number;
  /** Cells put back in the queue because their job had vanished (Redis restarted without persistence, queue flushed). */
  reenqueued: number;
  /** Distinct workers that delivered results. */
  workers: string[];
}

/**
 * The sweep's side of a distributed sweep: puts each cell as a BullMQ job (job id = the cell's
 * key, so a cell is in the queue at most once however often it is enqueued), then collects
 * results until every cell is done or failed. Results are the jobs' return values, written by the
 * caller and then removed from Redis; a result for a cell already collected is dropped (the cell
 * file would be rewritten with the same bytes; it is never counted twice).
 *
 * Faults: BullMQ's QueueEvents (a Redis stream) says when a job finishes; a check every few
 * seconds also lists finished jobs (an event missed while disconnected is not lost) and tests that
 * every pending cell's job still exists — after a Redis restart without persistence or a flushed
 * database, the missing cells are enqueued again. Connection errors are reported through
 * onQueueState and retried forever (the caller's Ctrl-C ends the wait; collected cells are kept).
 */
export async function runCellsOnQueue(cells: readonly SweepCell[], options: QueueSweepOptions): Promise<QueueSweepStats> {
  const { target } = options;
  const connection = { ...target.connection, retryStrategy: reconnecting };
  const queue = new Queue(CELL_QUEUE, { connection });
  const events = new QueueEvents(CELL_QUEUE, { connection });
  // A plain client for the existence checks (pipelined EXISTS on the jobs' keys, named by BullMQ's toKey).
  const probe = new Redis({ ...connection, maxRetriesPerRequest: 1 });
  const byKey = new Map(cells.map((c) => [c.key, c]));
  const pending = new Set(byKey.keys());
  const collected = new Map<string, number>();
  const enqueuedAt = new Map<string, number>();
  const stats: QueueSweepStats = { duplicates: 0, reenqueued: 0, workers: [] };
  const workers = new Set<string>();
  const toCheck = new Set<string>();
  let unreachable: string | undefined;
  let wake: (() => void) | undefined;
  const poke = () => wake?.();
  const down = (e: Error) => {
    unreachable = target.redact(e.message.split('\n')[0] || String((e as NodeJS.ErrnoException).code ?? e.name));
    options.onQueueState?.({ running: 0, waiting: 0, unreachable });
    poke();
  };
  queue.on('error', down);
  events.on('error', down);
  probe.on('error', down);
  const finished = ({ jobId }: { jobId: string }) => {
    if (!pending.has(jobId)) return;
    toCheck.add(jobId);
    poke();
  };
  events.on('completed', finished);
  events.on('failed', finished);
  const jobOptions = { attempts: Math.max(1, options.attempts), backoff: { type: 'fixed', delay: options.retryDelayMs ?? 1000 }, removeOnComplete: false, removeOnFail: false };
  const jobOf = (cell: SweepCell) => ({ name: 'cell', data: cellJobData(cell, options.version, options.label(cell)), opts: { ...jobOptions, jobId: cell.key } });

  /** Acts on a job that may have finished: collects a result, reports a final failure, removes the job. */
  const settle = async (job: Job | undefined, key: string): Promise<void> => {
    if (job === undefined) return;
    const state = await job.getState();
    if (state === 'completed') {
      const r = job.returnvalue as CellJobResult | null;
      const stamp = job.timestamp;
      if (pending.has(key)) {
        if (r === null || typeof r !== 'object' || r.key !== key || r.summary === null || typeof r.summary !== 'object') {
          pending.delete(key);
          options.onFailed(byKey.get(key)!, `the worker's result is not a result of this cell`);
        } else {
          pending.delete(key);
          collected.set(key, stamp);
          workers.add(String(r.worker));
          const since = enqueuedAt.get(key);
          options.onDone(byKey.get(key)!, r, since === undefined ? undefined : performance.now() - since);
        }
      } else if (collected.has(key) && collected.get(key) !== stamp) {
        stats.duplicates++;
      }
      await job.remove().catch(() => undefined);
    } else if (state === 'failed') {
      if (pending.has(key)) {
        pending.delete(key);
        const tries = job.attemptsMade;
        options.onFailed(byKey.get(key)!, `${(job.failedReason ?? 'failed').replace(/\s*\n\s*/g, '; ')} (${tries} attempt${tries === 1 ? '' : 's'})`);
      }
      await job.remove().catch(() => undefined);
    }
  };

  /** Cells whose job is gone (or never was) are put in the queue; a failed job of an earlier run is retried. */
  const enqueue = async (keys: string[], first: boolean): Promise<void> => {
    for (let i = 0; i < keys.length; i += 500) {
      const batch = keys.slice(i, i + 500).filter((k) => pending.has(k));
      const jobs = await Promise.all(batch.map((k) => queue.getJob(k) as Promise<Job | undefined>));
      const add: SweepCell[] = [];
      for (let j = 0; j < batch.length; j++) {
        const job = jobs[j];
        if (job === undefined) {
          add.push(byKey.get(batch[j])!);
          continue;
        }
        const state = await job.getState();
        if (state === 'completed') await settle(job, batch[j]);
        else if (state === 'failed' && first) {
          // Left by an earlier run of this sweep: this run tries the cell again (its input may be fixed now).
          await job.remove();
          add.push(byKey.get(batch[j])!);
        } else if (state === 'failed') await settle(job, batch[j]);
        else if (state === 'unknown') add.push(byKey.get(batch[j])!);
      }
      if (add.length > 0) {
        const now = performance.now();
        for (const cell of add) enqueuedAt.set(cell.key, now);
        await queue.addBulk(add.map(jobOf));
        if (!first) {
          stats.reenqueued += add.length;
          options.onNote?.(`${add.length} cell${add.length === 1 ? '' : 's'} missing from the queue (Redis restarted or the queue was lost): enqueued again`);
        }
      }
    }
  };

  /** A full look at the queue: finished jobs the events may have missed, vanished jobs, the running count. */
  const check = async (): Promise<void> => {
    for (let start = 0; ; start += 1000) {
      const finishedJobs = (await queue.getJobs(['completed', 'failed'], start, start + 999, true)) as Job[];
      const ours = finishedJobs.filter((j) => pending.has(String(j.id)));
      for (const j of ours) await settle(j, String(j.id));
      // Collected jobs are removed, so the next page starts where this one ended only if nothing was ours.
      if (finishedJobs.length < 1000) break;
      if (ours.length > 0) start -= ours.length;
    }
    const keys = [...pending];
    const missing: string[] = [];
    for (let i = 0; i < keys.length; i += 5000) {
      const batch = keys.slice(i, i + 5000);
      const pipe = probe.pipeline();
      for (const k of batch) pipe.exists(queue.toKey(k));
      const answers = (await pipe.exec()) ?? [];
      answers.forEach(([err, n], j) => {
        if (err) throw err;
        if (n === 0) missing.push(batch[j]);
      });
    }
    if (missing.length > 0) await enqueue(missing, false);
    const counts = await queue.getJobCounts('active', 'waiting', 'prioritized', 'delayed');
    unreachable = undefined;
    options.onQueueState?.({ running: counts.active ?? 0, waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.delayed ?? 0) });
  };

  try {
    await queue.waitUntilReady();
    // Subscribed before the first job is added: no completion can happen unseen.
    await events.waitUntilReady();
    await enqueue([...pending], true);
    const every = options.checkEveryMs ?? 2000 + pending.size * 0.1;
    // Just enqueued: the first full check is one period away.
    let lastCheck = Date.now();
    while (pending.size > 0) {
      try {
        if (toCheck.size > 0) {
          const keys = [...toCheck];
          toCheck.clear();
          for (const k of keys) if (pending.has(k)) await settle((await queue.getJob(k)) as Job | undefined, k);
        }
        if (pending.size === 0) break;
        if (Date.now() - lastCheck >= every || unreachable !== undefined) {
          lastCheck = Date.now();
          await check();
        }
      } catch (e) {
        down(e as Error);
        await new Promise((r) => setTimeout(r, 1000));
        continue;
      }
      if (pending.size === 0 || toCheck.size > 0) continue;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(10, every - (Date.now() - lastCheck)));
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      wake = undefined;
    }
  } finally {
    probe.disconnect();
    await Promise.allSettled([events.close(), queue.close()]);
  }
  stats.workers = [...workers].sort();
  return stats;
}
