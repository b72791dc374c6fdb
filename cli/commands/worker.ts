import type { CommandModule } from 'yargs';
import { positiveInt, positiveNumber } from '../options.js';
import { parseQueueUrl } from '../../harness/sweep/distributed/queue-url.js';
import { UsageError } from '../../model/errors.js';
import { schedlabVersion } from '../version.js';
import { exitWithParent, isSingleThreadedChild, rerunSingleThreaded, runningSingleThreaded } from '../single-threaded.js';

interface WorkerArgs {
  queue: string;
  concurrency?: number;
  'lock-seconds'?: number;
  'stalled-check-seconds'?: number;
  'single-threaded': boolean;
  quiet: boolean;
}

/** --queue: one URL; a repeated one is refused without echoing it (it may hold a password). */
export function queueUrlOption(v: unknown): string {
  if (Array.isArray(v)) throw new UsageError('--queue: given more than once; give it once');
  const s = String(v);
  if (typeof v === 'boolean' || s.trim() === '') throw new UsageError('--queue: expected a URL, redis://[:PASSWORD@]HOST[:PORT][/DB]');
  return s;
}

export const workerCommand: CommandModule<object, WorkerArgs> = {
  command: 'worker',
  describe: "run sweep cells from a Redis queue (schedlab sweep --queue) until stopped; start one or more on every machine that can read the sweep's inputs",
  builder: (y) =>
    y
      .option('queue', { type: 'string', demandOption: true, coerce: queueUrlOption, describe: 'the Redis the sweep enqueues to: redis://[:PASSWORD@]HOST[:PORT][/DB], rediss://… for TLS (the password is never printed)' })
      .option('concurrency', { type: 'string', coerce: positiveInt('concurrency', 1024), describe: 'cells at once, one thread each (default 1; one per core the machine gives to schedlab)' })
      .option('lock-seconds', { type: 'string', coerce: positiveNumber('lock-seconds', 86_400), describe: "how long a vanished worker's cell stays locked before another worker redoes it (default 30)" })
      .option('stalled-check-seconds', { type: 'string', coerce: positiveNumber('stalled-check-seconds', 86_400), describe: 'how often this worker looks for such cells (default 30)' })
      .option('single-threaded', { type: 'boolean', default: false, describe: "run with V8's garbage collector and compiler on the cells' own threads (node --single-threaded): more cells per second from a machine whose every core runs a worker, fewer where cores sit idle (README Distributed sweeps)" })
      .option('quiet', { type: 'boolean', default: false, describe: 'no line per cell on stderr (errors still show)' })
      .example('$0 worker --queue redis://queue-host:6379 --concurrency 4', 'run up to 4 cells at once; Ctrl-C finishes them, a second Ctrl-C stops at once') as never,
  handler: async (a) => {
    const target = parseQueueUrl(a.queue);
    // The queue is checked once: by this process, before it reruns itself single-threaded (then the child skips it).
    if (!isSingleThreadedChild()) {
      const { probeQueue } = await import('../../harness/sweep/distributed/probe-queue.js');
      await probeQueue(target);
    }
    if (a['single-threaded'] && !runningSingleThreaded()) return rerunSingleThreaded();
    const { startQueueWorker } = await import('../../harness/sweep/distributed/queue-worker.js');
    const concurrency = a.concurrency ?? 1;
    let name = '';
    const line = (text: string) => process.stderr.write(`worker ${name}: ${text}\n`);
    const worker = await startQueueWorker(target, {
      concurrency,
      version: schedlabVersion(),
      lockMs: a['lock-seconds'] === undefined ? undefined : a['lock-seconds'] * 1000,
      stalledCheckMs: a['stalled-check-seconds'] === undefined ? undefined : a['stalled-check-seconds'] * 1000,
      log: (text) => {
        if (!a.quiet || / failed: | refused: |unreachable|queue error: |stopped: /.test(text)) line(text);
      },
    });
    name = worker.name;
    exitWithParent(() => {
      line('the process that started this one is gone: stopping now; running cells will be redone by other workers');
      void worker.close(true).finally(() => process.exit(1));
    });
    line(`waiting for cells on ${target.shown} (schedlab ${schedlabVersion()}, concurrency ${concurrency}${runningSingleThreaded() ? ', single-threaded' : ''})`);
    // Signals: the first finishes the running cells (their results are stored) and exits 0; a second exits at once — those cells' locks lapse and other workers redo them.
    await new Promise<void>((resolve) => {
      let stopping = false;
      const stop = (signal: NodeJS.Signals) => {
        if (stopping) {
          line(`${signal} again: stopping now; ${worker.running()} running cell(s) will be redone by other workers`);
          void worker.close(true).finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
          return;
        }
        stopping = true;
        line(`${signal}: taking no more cells; finishing ${worker.running()} running cell(s) (${signal} again to stop now)`);
        void worker.close(false).then(() => {
          line('stopped');
          resolve();
        });
      };
      // The CLI's default handlers exit at once; a worker's first signal is a graceful stop instead.
      for (const s of ['SIGINT', 'SIGTERM'] as const) {
        process.removeAllListeners(s);
        process.on(s, () => stop(s));
      }
    });
    process.exit(0);
  },
};
