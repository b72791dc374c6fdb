import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, renameSync, appendFileSync, writeFileSync, existsSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { Queue, QueueEvents } from 'bullmq';
import { CLI, ROOT, schedlab, spawn } from './helpers/cli.js';
import { systemBinary } from './helpers/system-binary.js';
import { freePort, portOpen, startLocalRedis, type LocalRedis } from '../harness/sweep/distributed/local-redis.js';
import { CELL_QUEUE, parseQueueUrl } from '../harness/sweep/distributed/queue-url.js';
import { filesUnder } from './helpers/files-under.js';

const REDIS = systemBinary('/usr/bin/redis-server', 'the distributed sweep tests run a real Redis (Debian package redis-server)');
/** The test Redis's password: it must appear in no output, log or file. */
const PASSWORD = 'tEst-pAss-4417';

/** 2 policies × 21 seeds = 42 cells, each a fraction of a second: long enough to kill a worker in the middle of one. */
const CONFIG = `name: distributed-test
policies: [first-fit, best-fit]
seeds: 21
nodes: 20
tasks: 1500
hours: 6
`;
const CELLS = 42;

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface Running {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  closed: Promise<number | null>;
}

describe.skipIf(REDIS === null)('distributed sweep: a real Redis, BullMQ, compiled CLI workers', () => {
  let redis: LocalRedis;
  let queue: Queue;
  const children: ChildProcess[] = [];

  /** A CLI process, tracked so that none outlives the tests. */
  const run = (args: string[], env: NodeJS.ProcessEnv = {}): Running => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    children.push(child);
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (err += d));
    const closed = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    return { child, out: () => out, err: () => err, closed };
  };
  /** A worker, resolved once it waits for cells; short locks so a killed worker's cell comes back within seconds. */
  const worker = async (extra: string[] = []): Promise<Running> => {
    const w = run(['worker', '--queue', redis.url, '--lock-seconds', '2', '--stalled-check-seconds', '1', ...extra]);
    await until('a worker to start', () => w.err().includes('waiting for cells') || w.child.exitCode !== null);
    expect(w.err()).toContain('waiting for cells on redis://:***@127.0.0.1:');
    return w;
  };
  const stop = async (w: Running) => {
    w.child.kill('SIGTERM');
    expect(await w.closed, w.err()).toBe(0);
  };

  beforeAll(async () => {
    redis = await startLocalRedis(REDIS!, { password: PASSWORD });
    queue = new Queue(CELL_QUEUE, { connection: parseQueueUrl(redis.url).connection });
  }, 30_000);

  afterEach(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await Promise.all(children.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('exit', r)) : undefined)));
    await queue?.close();
    if (redis === undefined) return;
    const port = redis.port;
    await redis.stop();
    // Nothing left behind: every process exited, and the port is closed.
    for (const c of [...children, redis.process()]) expect(c.exitCode !== null || c.signalCode !== null).toBe(true);
    expect(await portOpen(port)).toBe(false);
  }, 30_000);

  it('3 workers, one SIGKILLed in the middle of a cell: every cell completes exactly once, and the tables equal the local thread-pool sweep byte for byte', async () => {
    await (await queue.client).flushdb();
    const dir = mkdtempSync(join(tmpdir(), 'schedlab-distributed-'));
    const config = join(dir, 'sweep.yaml');
    writeFileSync(config, CONFIG);
    // Every completion, activation and stall the queue reports, per cell, seen from outside the sweep.
    const events = new QueueEvents(CELL_QUEUE, { connection: parseQueueUrl(redis.url).connection });
    await events.waitUntilReady();
    const completed = new Map<string, number>();
    const activated = new Map<string, number>();
    const stalled = new Set<string>();
    events.on('completed', ({ jobId }) => completed.set(jobId, (completed.get(jobId) ?? 0) + 1));
    events.on('active', ({ jobId }) => activated.set(jobId, (activated.get(jobId) ?? 0) + 1));
    events.on('stalled', ({ jobId }) => stalled.add(jobId));
    try {
      // The third runs single-threaded (a child node with V8's helper threads off): its cells count the same.
      const workers = await Promise.all([worker(), worker(), worker(['--single-threaded'])]);
      expect(workers[2].err()).toMatch(/concurrency 1, single-threaded\)/);
      const victim = workers[0];
      const victimName = `${hostname()}-${victim.child.pid}`;
      const out = join(dir, 'queued');
      const sweep = run(['sweep', '--config', config, '--out', out, '--queue', redis.url], { SCHEDLAB_PROGRESS: '1' });

      // Kill the victim while the queue says it holds a cell (never a fixed delay).
      let killed: string | undefined;
      await until('the victim to take a cell', async () => {
        const active = await queue.getJobs(['active']);
        killed = active.find((j) => j.processedBy === victimName)?.id;
        return killed !== undefined || sweep.child.exitCode !== null;
      });
      expect(killed, 'the sweep ended before the victim took a cell').toBeDefined();
      victim.child.kill('SIGKILL');
      expect(await victim.closed).toBe(null);
      expect(victim.child.signalCode).toBe('SIGKILL');

      expect(await sweep.closed, sweep.err()).toBe(0);
      expect(sweep.out()).toMatch(new RegExp(`^schedlab sweep: ${CELLS} cells \\(${CELLS} run, 0 resumed from .*cells\\), on [23] workers via redis://:\\*\\*\\*@127\\.0\\.0\\.1:${redis.port}, `));
      expect(sweep.err()).toMatch(/sweep: \[#+\.*\] \d+\/42 cells \(0 resumed, \d+ run\).*; \d running on workers/);

      // Exactly once: one completion per cell, and the killed cell came back (stalled, taken again) and completed once too.
      await until('the last completion events', () => completed.size === CELLS, 5000);
      expect([...completed.values()].every((n) => n === 1), JSON.stringify([...completed])).toBe(true);
      expect(stalled.has(killed!)).toBe(true);
      expect(activated.get(killed!)).toBeGreaterThanOrEqual(2);
      expect(completed.get(killed!)).toBe(1);
      const timing = JSON.parse(readFileSync(join(out, 'timing.json'), 'utf8'));
      expect(timing).toMatchObject({ mode: 'queue', ran: CELLS, resumed: 0, queue: { duplicates: 0, reenqueued: 0, url: `redis://:***@127.0.0.1:${redis.port}` } });
      expect(readdirSync(join(out, 'cells'))).toHaveLength(CELLS);
      // Collected results are removed from Redis: nothing of this sweep is left in the queue.
      expect(await queue.getJobCounts('completed', 'failed', 'waiting', 'active', 'delayed')).toMatchObject({ completed: 0, failed: 0, waiting: 0, active: 0, delayed: 0 });

      // The same config on local threads: every file but timing.json byte-identical.
      const local = join(dir, 'local');
      const threads = schedlab(['sweep', '--config', config, '--out', local, '--threads', '2', '--quiet'], { timeoutMs: 120_000 });
      expect(threads.code, threads.stderr).toBe(0);
      const names = filesUnder(local).filter((f) => f !== 'timing.json').sort();
      expect(filesUnder(out).filter((f) => f !== 'timing.json').sort()).toEqual(names);
      expect(names).toEqual(expect.arrayContaining(['cells.csv', 'groups.csv', 'cells.parquet', 'sweep.json', 'report.html']));
      for (const f of names) expect(readFileSync(join(out, f)).equals(readFileSync(join(local, f))), f).toBe(true);

      for (const w of workers.slice(1)) await stop(w);
      // The password: in no output, log or file.
      const shown = [sweep.out(), sweep.err(), ...workers.map((w) => w.err() + w.out()), ...filesUnder(out).map((f) => readFileSync(join(out, f), 'latin1'))];
      for (const s of shown) expect(s.includes(PASSWORD)).toBe(false);
      expect(workers[1].err() + workers[2].err()).toMatch(/worker .*: cell [0-9a-f]{12} started \(attempt 1\): cell synthetic, 20 nodes, dynamics on, overcommit none, (first|best)-fit, seed \d+/);
    } finally {
      await events.close();
    }
  }, 120_000);

  it('a single-threaded worker whose parent is SIGKILLed leaves no process behind', async () => {
    await (await queue.client).flushdb();
    const w = await worker(['--single-threaded']);
    // The worker's name is host-pid of the child node that runs the cells, not of the process started here.
    const pid = Number(/worker [^ ]+-(\d+): waiting for cells/.exec(w.err())?.[1]);
    expect(pid).toBeGreaterThan(0);
    expect(pid).not.toBe(w.child.pid);
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    expect(alive()).toBe(true);
    w.child.kill('SIGKILL');
    await w.closed;
    await until('the single-threaded child to exit', () => !alive(), 10_000);
  }, 30_000);

  it('bad cells fail alone after bounded tries — a changed policy file, an input missing on the worker, another schedlab version — and a rerun runs only them', async () => {
    await (await queue.client).flushdb();
    const dir = mkdtempSync(join(tmpdir(), 'schedlab-distributed-bad-'));
    copyFileSync(join(ROOT, 'examples', 'my-policy.ts'), join(dir, 'my-policy.ts'));
    cpSync(join(ROOT, 'test', 'fixtures', 'google-2011', 'trace'), join(dir, 'trace'), { recursive: true });
    const config = join(dir, 'sweep.yaml');
    writeFileSync(config, 'policies: [first-fit, ./my-policy.ts]\nworkloads: [synthetic, ./trace]\ndynamics: false\n');
    const out = join(dir, 'out');
    // No worker yet: the cells wait in the queue while the worker's machine "differs" from the sweep's.
    const sweep = run(['sweep', '--config', config, '--out', out, '--queue', redis.url, '--attempts', '2']);
    await until('4 queued cells', async () => (await queue.getWaitingCount()) === 4);
    const policyText = readFileSync(join(dir, 'my-policy.ts'), 'utf8');
    appendFileSync(join(dir, 'my-policy.ts'), '\n// edited after the sweep enqueued its cells\n');
    renameSync(join(dir, 'trace'), join(dir, 'trace-moved'));
    // A job from a schedlab of another version is refused by the worker (one line, its reason).
    const good = (await queue.getJobs(['waiting']))[0];
    const w = await worker();
    await queue.add('cell', { ...good.data, schedlab: '0.0.1-other' }, { jobId: 'other-version', attempts: 1 });

    expect(await sweep.closed, sweep.err()).toBe(2);
    const lines = sweep.err().trim().split('\n');
    const failures = lines.filter((l) => l.startsWith('sweep: cell '));
    expect(failures).toHaveLength(3);
    expect(failures).toEqual(expect.arrayContaining([
      expect.stringMatching(/^sweep: cell synthetic, 100 nodes, dynamics off, overcommit none, .*my-policy\.ts, seed 1: failed: on [^ ]+-\d+: policy file .*my-policy\.ts: content differs from the sweep's \(SHA-256 [0-9a-f]{12}… here, [0-9a-f]{12}… expected\); refused — copy the same file to every worker \(2 attempts\)$/),
      expect.stringMatching(/^sweep: cell .*trace, 0 nodes, dynamics off, overcommit none, first-fit, seed 1: failed: on [^ ]+-\d+: .*trace: no such file or folder \(2 attempts\)$/),
      expect.stringMatching(/^sweep: cell .*trace, 0 nodes, dynamics off, overcommit none, .*my-policy\.ts, seed 1: failed: on [^ ]+-\d+: policy file .*content differs/),
    ]));
    expect(lines.at(-1)).toMatch(/^schedlab: 3 of 4 cells failed, 1 finished and kept in .*cells \(fix the input and rerun the same command: only the missing cells run\): cell /);
    expect(readdirSync(join(out, 'cells'))).toHaveLength(1);
    expect(existsSync(join(out, 'cells.csv'))).toBe(false);
    await until('the foreign job to fail', async () => (await queue.getJob('other-version'))?.failedReason !== undefined);
    expect((await queue.getJob('other-version'))!.failedReason).toBe(`on ${hostname()}-${w.child.pid}: made by schedlab 0.0.1-other, this worker runs schedlab 0.1.0: run one schedlab version on the sweep's machine and every worker`);
    expect(w.err()).toMatch(/cell other-versio refused: made by schedlab 0\.0\.1-other/);

    // The inputs fixed, the same command runs only the three missing cells.
    writeFileSync(join(dir, 'my-policy.ts'), policyText);
    renameSync(join(dir, 'trace-moved'), join(dir, 'trace'));
    const rerun = run(['sweep', '--config', config, '--out', out, '--queue', redis.url]);
    expect(await rerun.closed, rerun.err()).toBe(0);
    expect(rerun.out()).toContain('4 cells (3 run, 1 resumed');
    await stop(w);
  }, 120_000);

  it('a Redis restart loses the queue: the waiting sweep enqueues the missing cells again; a worker stopped by SIGTERM finishes its cell first', async () => {
    await (await queue.client).flushdb();
    const dir = mkdtempSync(join(tmpdir(), 'schedlab-distributed-restart-'));
    const config = join(dir, 'sweep.yaml');
    writeFileSync(config, 'policies: [first-fit]\nseeds: 6\nnodes: 20\ntasks: 800\nhours: 4\n');
    const out = join(dir, 'out');
    const sweep = run(['sweep', '--config', config, '--out', out, '--queue', redis.url]);
    await until('6 queued cells', async () => (await queue.getWaitingCount().catch(() => 0)) === 6);
    // A crash of a Redis without persistence: every job is gone.
    await redis.restart();
    await until('the queue to be empty after the restart', async () => (await queue.getWaitingCount().catch(() => -1)) === 0);
    // SIGTERM while a worker runs a cell: it takes no more cells, finishes that one (its result is kept) and exits 0.
    const first = await worker();
    const firstName = `${hostname()}-${first.child.pid}`;
    let held: string | undefined;
    await until('the worker to take a cell', async () => {
      held = (await queue.getJobs(['active']).catch(() => [])).find((j) => j.processedBy === firstName)?.id;
      return held !== undefined;
    });
    // Redis marks a job active before the worker has it in hand: wait for the worker's own line.
    await until('the worker to start that cell', async () => first.err().includes(`cell ${held!.slice(0, 12)} started`));
    first.child.kill('SIGTERM');
    expect(await first.closed, first.err()).toBe(0);
    expect(first.err()).toMatch(/SIGTERM: taking no more cells; finishing 1 running cell\(s\)/);
    expect(first.err()).toContain(`cell ${held!.slice(0, 12)} done in `);
    const w = await worker();
    expect(await sweep.closed, sweep.err()).toBe(0);
    expect(sweep.err()).toMatch(/sweep: 6 cells missing from the queue \(Redis restarted or the queue was lost\): enqueued again/);
    expect(sweep.out()).toContain('6 cells (6 run, 0 resumed');
    const timing = JSON.parse(readFileSync(join(out, 'timing.json'), 'utf8'));
    expect(timing.queue.reenqueued).toBe(6);
    expect(timing.queue.workers).toEqual([firstName, `${hostname()}-${w.child.pid}`].sort());
    await stop(w);
  }, 90_000);

  it('an unreachable queue is exit 2 and one line within seconds, for the sweep and the worker, password hidden; nothing is written', async () => {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'schedlab-distributed-down-'));
    const config = join(dir, 'sweep.yaml');
    writeFileSync(config, CONFIG);
    const url = `redis://:${PASSWORD}@127.0.0.1:${port}`;
    for (const args of [['sweep', '--config', config, '--out', join(dir, 'out'), '--queue', url], ['worker', '--queue', url]]) {
      const started = Date.now();
      const r = schedlab(args, { timeoutMs: 20_000 });
      expect(r.code, r.stderr).toBe(2);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(r.stderr).toBe(`schedlab: --queue redis://:***@127.0.0.1:${port}: cannot reach Redis (connect ECONNREFUSED 127.0.0.1:${port}); start it, or check the host, port and password\n`);
    }
    expect(readdirSync(dir)).toEqual(['sweep.yaml']);
    // A wrong password: refused by Redis, said in one line, neither password shown.
    const wrong = schedlab(['worker', '--queue', `redis://:not-${PASSWORD}@127.0.0.1:${redis.port}`], { timeoutMs: 20_000 });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/^schedlab: --queue redis:\/\/:\*\*\*@127\.0\.0\.1:\d+: cannot reach Redis \(WRONGPASS[^\n]*\); start it, or check the host, port and password\n$/);
    expect(wrong.stderr.includes(PASSWORD)).toBe(false);
  }, 60_000);
});
