/**
 * The distributed sweep's benchmark (issue 15), on a throwaway local Redis (no persistence) and
 * `schedlab worker` processes of the compiled CLI:
 *   1. a 200-cell sweep of small cells with 1 and with 2 workers, ABBA order (1, 2, 2, 1), each into
 *      a fresh folder, with default and with single-threaded workers; target: 2 workers' wall ≤ 0.6 ×
 *      1 worker's on this 2-core machine;
 *   2. the queue's overhead per cell for trivial cells: enqueue → result collected, one cell at a
 *      time with an idle worker, minus the cell's own replay time; target: median < 20 ms;
 *   3. the dispatch rate of Redis + BullMQ for empty jobs (a no-op processor in this process),
 *      and the Redis CPU time per job and per sweep cell — Redis runs commands on one thread, so
 *      1 / (Redis CPU seconds per cell) is the most cells per second one Redis can dispatch.
 * Skipped (with a line saying so) where redis-server is not installed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { packageRoot } from '../model/package-root.js';
import { sweep } from '../harness/sweep/sweep.js';
import { validateSweepConfig } from '../harness/sweep/sweep-config.js';
import { sweepCells } from '../harness/sweep/sweep-grid.js';
import { startLocalRedis, type LocalRedis } from '../harness/sweep/distributed/local-redis.js';
import { parseQueueUrl } from '../harness/sweep/distributed/queue-url.js';
import { runCellsOnQueue } from '../harness/sweep/distributed/queue-sweep.js';

const REDIS_SERVER = '/usr/bin/redis-server';
/**
 * 4 policies × 50 seeds = 200 small cells (50–80 ms of replay each on the 2-core machine: cells of a few
 * milliseconds would time the sweep's own per-cell work, not the workers); `seeds` set per run.
 */
const SWEEP = { name: 'queue-bench', policies: ['first-fit', 'best-fit', 'worst-fit', 'kube-default'], nodes: 50, tasks: 5000, hours: 8 };
/** Trivial cells: a replay of a few milliseconds, so what is timed is the queue; `seeds` set per run. */
const TRIVIAL = { policies: ['first-fit'], nodes: 2, tasks: 10, hours: 1, dynamics: false };
const EMPTY_JOBS = 5000;

/** The benchmark's sizes; `npm run bench` uses these, a smoke run (to see that it works) smaller ones. */
export interface QueueBenchSizes {
  /** Seeds per policy of the timed sweep (4 policies). */
  seeds: number;
  /** Trivial cells timed one at a time. */
  trivial: number;
  /** Empty jobs per dispatch run. */
  emptyJobs: number;
}
const FULL: QueueBenchSizes = { seeds: 50, trivial: 100, emptyJobs: EMPTY_JOBS };

const loads = (): string => loadavg().map((x) => x.toFixed(2)).join(' / ');
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const quantile = (xs: number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

/** Redis's own CPU seconds so far (INFO cpu: used_cpu_user + used_cpu_sys). */
async function redisCpu(client: Redis): Promise<number> {
  const info = await client.info('cpu');
  const get = (k: string) => Number(new RegExp(`${k}:([0-9.]+)`).exec(info)?.[1] ?? 0);
  return get('used_cpu_user') + get('used_cpu_sys');
}

/** `schedlab worker` processes, resolved once each waits for cells. */
async function startWorkers(url: string, n: number, singleThreaded: boolean): Promise<ChildProcess[]> {
  const cli = join(packageRoot(), 'dist', 'cli', 'main.js');
  return Promise.all(
    Array.from({ length: n }, () =>
      new Promise<ChildProcess>((resolve, reject) => {
        const w = spawn(process.execPath, [cli, 'worker', '--queue', url, '--quiet', ...(singleThreaded ? ['--single-threaded'] : [])], { stdio: ['ignore', 'ignore', 'pipe'] });
        let err = '';
        w.stderr!.on('data', (d) => {
          err += d;
          if (err.includes('waiting for cells')) resolve(w);
        });
        w.once('exit', (code) => reject(new Error(`queue bench: a worker exited (${code}): ${err.trim()}`)));
      }),
    ),
  );
}

async function stopWorkers(workers: ChildProcess[]): Promise<void> {
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve) => {
          w.removeAllListeners('exit');
          if (w.exitCode !== null || w.signalCode !== null) return resolve();
          w.once('exit', () => resolve());
          w.kill('SIGTERM');
        }),
    ),
  );
}

interface SweepRun {
  workers: number;
  singleThreaded: boolean;
  /** CPU seconds of the sweep process itself (enqueue, progress, collecting and writing the results). */
  sweepCpu: number;
  wall: number;
  replay: number;
  redisCpu: number;
  groups: string;
  load: string;
}

/** The same sweep on the local thread pool (no queue), `threads` threads: how far this machine's cores scale at all. */
async function localSweep(threads: number, seeds: number): Promise<{ threads: number; wall: number; replay: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'schedlab-queue-bench-'));
  try {
    process.stderr.write(`bench: local sweep of ${4 * seeds} cells on ${threads} thread(s)...\n`);
    const r = await sweep({ ...SWEEP, seeds }, { out: join(dir, 'out'), threads, report: false });
    const timing = JSON.parse(readFileSync(join(dir, 'out', 'timing.json'), 'utf8')) as { cellReplaySeconds: number };
    return { threads, wall: r.wallSeconds, replay: timing.cellReplaySeconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function timedSweep(redis: LocalRedis, client: Redis, n: number, seeds: number, singleThreaded: boolean): Promise<SweepRun> {
  const dir = mkdtempSync(join(tmpdir(), 'schedlab-queue-bench-'));
  const workers = await startWorkers(redis.url, n, singleThreaded);
  const load = loads();
  try {
    process.stderr.write(`bench: queue sweep of ${4 * seeds} cells on ${n} worker(s)${singleThreaded ? ', single-threaded' : ''}...\n`);
    const cpu0 = await redisCpu(client);
    const own0 = process.cpuUsage();
    const r = await sweep({ ...SWEEP, seeds }, { out: join(dir, 'out'), queueUrl: redis.url, report: false, version: JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')).version });
    const own = process.cpuUsage(own0);
    const cpu = (await redisCpu(client)) - cpu0;
    if (r.ran !== 4 * seeds) throw new Error(`queue bench: expected ${4 * seeds} cells run, got ${r.ran}`);
    const timing = JSON.parse(readFileSync(join(dir, 'out', 'timing.json'), 'utf8')) as { cellReplaySeconds: number };
    return { workers: n, singleThreaded, sweepCpu: (own.user + own.system) / 1e6, wall: r.wallSeconds, replay: timing.cellReplaySeconds, redisCpu: cpu, groups: readFileSync(join(dir, 'out', 'groups.csv'), 'utf8'), load };
  } finally {
    await stopWorkers(workers);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Trivial cells one at a time, an idle worker waiting: enqueue → collected, and that minus the replay. */
async function overhead(redis: LocalRedis, version: string, count: number): Promise<{ latency: number[]; overhead: number[] }> {
  const cells = sweepCells(await validateSweepConfig({ ...TRIVIAL, seeds: count }));
  const workers = await startWorkers(redis.url, 1, false);
  const target = parseQueueUrl(redis.url);
  const latency: number[] = [];
  const over: number[] = [];
  try {
    process.stderr.write(`bench: queue overhead, ${cells.length} trivial cells one at a time...\n`);
    for (const cell of cells) {
      await runCellsOnQueue([cell], {
        target,
        version,
        attempts: 1,
        label: () => 'trivial cell',
        checkEveryMs: 60_000,
        onDone: (_c, r, ms) => {
          latency.push(ms!);
          over.push(ms! - r.wallSeconds * 1000);
        },
        onFailed: (_c, reason) => {
          throw new Error(`queue bench: a trivial cell failed: ${reason}`);
        },
      });
    }
  } finally {
    await stopWorkers(workers);
  }
  // The first cells load the replay's modules in the worker's thread: left out.
  return { latency: latency.slice(5), overhead: over.slice(5) };
}

/** Empty jobs through BullMQ at full speed: `consumers` Worker instances (own connections) in this process, no-op processors. */
async function dispatch(redis: LocalRedis, client: Redis, consumers: number, jobs: number): Promise<{ rate: number; redisCpuPerJob: number }> {
  const connection = parseQueueUrl(redis.url).connection;
  const name = `bench-empty-${consumers}`;
  const queue = new Queue(name, { connection });
  await queue.waitUntilReady();
  for (let i = 0; i < jobs; i += 500) {
    await queue.addBulk(Array.from({ length: Math.min(500, jobs - i) }, (_, j) => ({ name: 'empty', data: { i: i + j }, opts: { jobId: `e${i + j}`, removeOnComplete: true } })));
  }
  let done = 0;
  let finish: () => void = () => undefined;
  const all = new Promise<void>((r) => (finish = r));
  const cpu0 = await redisCpu(client);
  const started = performance.now();
  const workers = Array.from({ length: consumers }, () =>
    new Worker(name, async () => {
      if (++done === jobs) finish();
      return null;
    }, { connection, concurrency: 50 }),
  );
  await all;
  const seconds = (performance.now() - started) / 1000;
  const cpu = (await redisCpu(client)) - cpu0;
  await Promise.all(workers.map((w) => w.close()));
  await queue.obliterate({ force: true });
  await queue.close();
  return { rate: jobs / seconds, redisCpuPerJob: cpu / jobs };
}

export async function queueSection(sizes: QueueBenchSizes = FULL): Promise<string> {
  try {
    accessSync(REDIS_SERVER, constants.X_OK);
  } catch {
    return ['## Distributed sweeps (issue 15)', '', `Skipped: ${REDIS_SERVER} is not installed (apt-get install redis-server).`, ''].join('\n');
  }
  const version = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')).version as string;
  const redis = await startLocalRedis(REDIS_SERVER);
  const client = new Redis(parseQueueUrl(redis.url).connection);
  try {
    const runs: SweepRun[] = [];
    for (const st of [false, true]) for (const n of [1, 2, 2, 1]) runs.push(await timedSweep(redis, client, n, sizes.seeds, st));
    const meanWall = (n: number, st: boolean) => runs.filter((r) => r.workers === n && r.singleThreaded === st).reduce((a, r) => a + r.wall, 0) / 2;
    const ratio = meanWall(2, false) / meanWall(1, false);
    const ratioSt = meanWall(2, true) / meanWall(1, true);
    const cross = meanWall(2, true) / meanWall(1, false);
    const local = [await localSweep(1, sizes.seeds), await localSweep(2, sizes.seeds)];
    const same = runs.every((r) => r.groups === runs[0].groups);
    const cells = 4 * sizes.seeds;
    const redisPerCell = runs.reduce((a, r) => a + r.redisCpu, 0) / (runs.length * cells);
    const o = await overhead(redis, version, sizes.trivial);
    const d1 = await dispatch(redis, client, 1, sizes.emptyJobs);
    const d2 = await dispatch(redis, client, 2, sizes.emptyJobs);
    const ms = (x: number) => x.toFixed(1);
    return [
      '## Distributed sweeps (issue 15)',
      '',
      `A local \`redis-server\` (no persistence) and \`schedlab worker\` processes of the compiled CLI, on this ${availableParallelism()}-core machine.`,
      `Sweep: ${cells} small cells (4 policies × ${sizes.seeds} seeds, ${SWEEP.nodes} nodes, ${SWEEP.tasks.toLocaleString('en-US')} synthetic tasks over ${SWEEP.hours} h), library call \`sweep(config, { out, queueUrl, report: false })\`,`,
      'each run into a fresh folder; workers started (and their modules loaded) before the clock starts.',
      '',
      '| workers | V8 | wall s | cell replay s (sum) | sweep process CPU s | Redis CPU s | load avg at start (1 / 5 / 15 min) |',
      '|---:|---|---:|---:|---:|---:|---|',
      ...runs.map((r) => `| ${r.workers} | ${r.singleThreaded ? '`--single-threaded`' : 'default'} | ${r.wall.toFixed(1)} | ${r.replay.toFixed(1)} | ${r.sweepCpu.toFixed(2)} | ${r.redisCpu.toFixed(2)} | ${r.load} |`),
      '',
      `- \`schedlab worker --single-threaded\` (V8's garbage collector and compiler on the cells' own thread, one core per worker): 2 workers / 1 worker wall (means of the ABBA pairs: ${meanWall(2, true).toFixed(1)} s / ${meanWall(1, true).toFixed(1)} s) = **${ratioSt.toFixed(2)}** (target ≤ 0.60: ${ratioSt <= 0.6 ? 'met' : '**not met**'}).`,
      `- Default V8: ${meanWall(2, false).toFixed(1)} s / ${meanWall(1, false).toFixed(1)} s = ${ratio.toFixed(2)}. One default worker already keeps more than one core busy (V8 compiles and collects on helper threads, which use the idle core), so a second worker has less than a core to gain; across the two, 2 single-threaded workers / 1 default worker = ${cross.toFixed(2)}, the gain a user with two cores sees. groups.csv identical in all ${runs.length} runs: ${same ? 'yes' : 'NO'}.`,
      `- The same sweep on the local thread pool, no queue: 1 thread ${local[0].wall.toFixed(1)} s wall (replay sum ${local[0].replay.toFixed(1)} s), 2 threads ${local[1].wall.toFixed(1)} s (replay sum ${local[1].replay.toFixed(1)} s): ratio ${(local[1].wall / local[0].wall).toFixed(2)}. A cell replays ${(local[1].replay / local[0].replay).toFixed(2)}× slower when two run at once on this machine (queue runs: ${(runs.filter((r) => r.workers === 2).reduce((a, r) => a + r.replay, 0) / runs.filter((r) => r.workers === 1).reduce((a, r) => a + r.replay, 0)).toFixed(2)}×), so its two cores give at most about 1 / ${(local[1].replay / local[0].replay).toFixed(2)} × 2 = ${(2 / (local[1].replay / local[0].replay)).toFixed(2)}× the work of one whatever runs the cells.`,
      `- Queue overhead per trivial cell (${o.latency.length} cells, one at a time, an idle worker; \`runCellsOnQueue\`): enqueue → result collected median ${ms(median(o.latency))} ms (p90 ${ms(quantile(o.latency, 0.9))} ms); minus the cell's own replay: median ${ms(median(o.overhead))} ms (target < 20 ms: ${median(o.overhead) < 20 ? 'met' : '**not met**'}).`,
      `- Redis + BullMQ dispatch of ${sizes.emptyJobs.toLocaleString('en-US')} empty jobs (no-op processor, concurrency 50, consumers in this one process): ${d1.rate.toFixed(0)} jobs/s with 1 consumer (Redis busy ${(100 * d1.rate * d1.redisCpuPerJob).toFixed(0)} % of its one thread), ${d2.rate.toFixed(0)} jobs/s with 2 (${(100 * d2.rate * d2.redisCpuPerJob).toFixed(0)} %);`,
      `  Redis CPU ${(d1.redisCpuPerJob * 1e6).toFixed(0)} µs per empty job, so about ${(1 / d1.redisCpuPerJob).toFixed(0)} jobs/s before Redis itself is the limit.`,
      `- Redis CPU per sweep cell, everything of the sweeps above counted (enqueue, take, lock renewals, result, collect and remove, and the per-second costs: the sweep's checks, idle workers' polling): ${(redisPerCell * 1e6).toFixed(0)} µs.`,
      `  Redis runs commands on one thread, so one Redis dispatches at least about ${(1 / redisPerCell).toFixed(0)} sweep cells/s (more: the per-second costs do not grow with the rate); a default cell replays in ~0.5 s, so about ${(0.5 / redisPerCell).toFixed(0)} busy cores would be needed to make Redis the limit.`,
      '',
    ].join('\n');
  } finally {
    client.disconnect();
    await redis.stop();
  }
}
