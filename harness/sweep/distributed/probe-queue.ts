import { Redis } from 'ioredis';
import { UsageError } from '../../../model/errors.js';
import type { QueueTarget } from './queue-url.js';

/** Oldest Redis the queue is run on: BullMQ's scripts use commands of 6.2 (e.g. the GETDEL / ZRANGE BYSCORE forms). */
export const MIN_REDIS = [6, 2] as const;

/**
 * One connection attempt before a sweep or a worker starts: an unreachable host, a refused
 * port, a wrong password or a Redis older than 6.2 is a one-line UsageError (exit 2) within
 * `timeoutMs`, instead of the endless reconnecting BullMQ does (rightly) once running. The
 * message names the URL with its password hidden. Resolves to the server's version.
 */
export async function probeQueue(target: QueueTarget, option = '--queue', timeoutMs = 3000): Promise<string> {
  const client = new Redis({
    ...target.connection,
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  // connect() rejects with a bare 'Connection is closed'; the cause (ECONNREFUSED, ENOTFOUND, WRONGPASS) comes as an error event.
  let cause: Error | undefined;
  client.on('error', (e: Error) => {
    cause ??= e;
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const info = await Promise.race([
      client.connect().then(() => client.info('server')),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
      }),
    ]);
    const version = /redis_version:([0-9.]+)/.exec(info)?.[1] ?? '0';
    const [major, minor] = version.split('.').map(Number);
    if (major < MIN_REDIS[0] || (major === MIN_REDIS[0] && minor < MIN_REDIS[1])) {
      throw new UsageError(`${option} ${target.shown}: Redis ${version} is too old; the queue needs Redis ${MIN_REDIS.join('.')} or later`);
    }
    return version;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const err = (cause ?? e) as NodeJS.ErrnoException;
    const why = (err.message || err.code || String(e)).split('\n')[0];
    throw new UsageError(target.redact(`${option} ${target.shown}: cannot reach Redis (${why}); start it, or check the host, port and password`));
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}
