import { existsSync, rmSync, renameSync, mkdirSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';

/**
 * Output that appears whole or not at all: everything is written to a hidden sibling folder or
 * file, renamed into place at the end. Pending temporaries are removed if the process is
 * interrupted (Ctrl-C, SIGTERM), so an interrupted run leaves nothing half-written.
 */
const pending = new Set<string>();
let handlersInstalled = false;

/** Installs the Ctrl-C / SIGTERM cleanup (idempotent); the CLI calls it at start. */
export function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      removePendingOutputs();
      process.stderr.write(`\ninterrupted: no results were written\n`);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
  process.once('exit', removePendingOutputs);
}

export function removePendingOutputs(): void {
  for (const p of pending) rmSync(p, { recursive: true, force: true });
  pending.clear();
}

/** A temporary path next to `target`, registered for cleanup. */
export function beginOutput(target: string): string {
  installHandlers();
  mkdirSync(dirname(target) || '.', { recursive: true });
  const tmp = join(dirname(target), `.${basename(target)}.partial-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  pending.add(tmp);
  return tmp;
}

/** Moves the finished temporary into place, replacing an older result at `target`. */
export function commitOutput(tmp: string, target: string): void {
  if (existsSync(target)) {
    const old = `${tmp}.old`;
    renameSync(target, old);
    renameSync(tmp, target);
    rmSync(old, { recursive: true, force: true });
  } else {
    renameSync(tmp, target);
  }
  pending.delete(tmp);
}
