import { spawn } from 'node:child_process';

/** V8's flag that keeps its garbage collector and optimizing compiler on the thread that runs the code. */
export const SINGLE_THREADED_FLAG = '--single-threaded';

/** Set in the environment of the child rerunSingleThreaded starts. */
const CHILD_MARK = 'SCHEDLAB_SINGLE_THREADED_CHILD';

/** True when this process was started with V8's helper threads off. */
export function runningSingleThreaded(): boolean {
  return process.execArgv.includes(SINGLE_THREADED_FLAG);
}

/**
 * Runs this same command line again in a child Node with `--single-threaded` and becomes its
 * shadow: signals are passed on, the child's exit code (or signal) is this process's. V8 flags
 * are fixed when the VM starts (setting this one later crashes V8), hence a child, not a switch.
 *
 * Why a worker wants it: by default V8 compiles and collects garbage on helper threads, so one
 * schedlab process replaying small cells keeps about 1.9 cores busy (48 cells of 5,000 tasks: 3.3 s
 * wall, 6.4 s of CPU on a 2-core machine). On a machine whose every core already runs a worker
 * those threads only compete: single-threaded, each worker does its cells on one core and the
 * machine finishes more of them.
 *
 * The child runs in its own process group (a Ctrl-C on the terminal reaches it once, through this
 * process) and holds an IPC channel to this process; it exits when that closes, so a parent killed
 * with SIGKILL leaves no worker behind (its cells' locks lapse and other workers redo them).
 */
export function rerunSingleThreaded(): Promise<never> {
  const child = spawn(process.execPath, [SINGLE_THREADED_FLAG, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, [CHILD_MARK]: '1' },
    // Its own process group: a terminal's Ctrl-C reaches this process alone, which passes it on
    // once (in the terminal's group the child would get it twice, and a second signal means "now").
    detached: true,
  });
  for (const s of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(s);
    process.on(s, () => child.kill(s));
  }
  return new Promise<never>(() => {
    child.on('exit', (code, signal) => {
      if (signal !== null) {
        process.removeAllListeners(signal);
        process.kill(process.pid, signal);
      }
      process.exit(code ?? 1);
    });
    child.on('error', (e) => {
      process.stderr.write(`schedlab: could not start a single-threaded child: ${e.message}\n`);
      process.exit(1);
    });
  });
}

/** True in the child rerunSingleThreaded started (its parent has already checked the command's input). */
export function isSingleThreadedChild(): boolean {
  return process.env[CHILD_MARK] === '1' && typeof process.send === 'function';
}

/** In the child of rerunSingleThreaded: exit at once when the parent goes (its IPC channel closes). */
export function exitWithParent(onGone: () => void): void {
  if (!isSingleThreadedChild()) return;
  process.on('disconnect', onGone);
  // The channel must not keep the process alive once the work is done.
  process.channel?.unref();
}
