import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';

/** A throwaway Redis on 127.0.0.1 (the distributed sweep's tests and benchmark): no persistence, so a restart loses the queue. */
export interface LocalRedis {
  port: number;
  /** `redis://[:password@]127.0.0.1:port`. */
  url: string;
  /** The running server (replaced by restart). */
  process: () => ChildProcess;
  /** Stops it (SIGTERM, SIGKILL after 5 s) and waits for its exit. */
  stop: () => Promise<void>;
  /** Kills it (SIGKILL, as a crash) and starts a new, empty one on the same port. */
  restart: () => Promise<void>;
}

/** A TCP port nobody listens on now (the OS's pick). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Whether something accepts connections on 127.0.0.1:port. */
export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = connect({ port, host: '127.0.0.1' });
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
}

/**
 * Starts `redis-server --port P --bind 127.0.0.1 --save '' --appendonly no` (no RDB snapshots, no
 * append-only file: nothing written to disk, a restart starts empty), with `--requirepass` when a
 * password is given, and resolves once it accepts connections.
 */
export async function startLocalRedis(binary: string, options: { password?: string } = {}): Promise<LocalRedis> {
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--logfile', ''];
  if (options.password !== undefined) args.push('--requirepass', options.password);
  let child = await launch(binary, args, port);
  const stopChild = async (c: ChildProcess, signal: NodeJS.Signals) => {
    if (c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((r) => c.once('exit', () => r()));
    c.kill(signal);
    const timer = setTimeout(() => c.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  return {
    port,
    url: `redis://${options.password !== undefined ? `:${encodeURIComponent(options.password)}@` : ''}127.0.0.1:${port}`,
    process: () => child,
    stop: () => stopChild(child, 'SIGTERM'),
    restart: async () => {
      await stopChild(child, 'SIGKILL');
      child = await launch(binary, args, port);
    },
  };
}

async function launch(binary: string, args: string[], port: number): Promise<ChildProcess> {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  const deadline = Date.now() + 10_000;
  while (!(await portOpen(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not start on port ${port}: ${log.trim().split('\n').slice(-3).join(' | ')}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return child;
}
