import { closeSync, lstatSync, mkdirSync, openSync, renameSync, rmdirSync, rmSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from './errors.js';

/**
 * Output that appears whole or not at all: everything is written to a hidden sibling folder or
 * file, renamed into place at the end. Pending temporaries — and any parent folders made for
 * them — are removed if the run fails or is interrupted (Ctrl-C, SIGTERM), so an interrupted run
 * leaves nothing behind.
 *
 * Folders are made one level at a time, never with `mkdirSync(..., { recursive: true })`: on a
 * virtual file system such as /proc, mkdir fails with ENOENT although the parent exists, and
 * Node's recursive mkdir answers ENOENT by recreating the parent and retrying — forever, inside
 * one synchronous call, so not even Ctrl-C or SIGTERM handlers get to run.
 */
export type OutputKind = 'file' | 'folder';

/** Temporaries not yet committed, each with the parent folders made for it (deepest last). */
const pending = new Map<string, string[]>();
/** Checks to run just before an existing target is replaced (see protectTarget). */
const replaceChecks = new Map<string, () => void>();
/** Targets committed by this process, for the interrupt message. */
const committed: string[] = [];
let handlersInstalled = false;

/** Installs the Ctrl-C / SIGTERM cleanup (idempotent); the CLI calls it first thing. */
export function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      removePendingOutputs();
      // Honest even when a synchronous stretch delayed this handler past a commit.
      const done = committed.length === 0 ? 'no results were written' : `results already written to ${committed.join(', ')}; nothing else was`;
      process.stderr.write(`\ninterrupted: ${done}\n`);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
  process.once('exit', removePendingOutputs);
}

/** Removes every uncommitted temporary and the (still empty) parent folders made for them. */
export function removePendingOutputs(): void {
  for (const tmp of [...pending.keys()]) abandonOutput(tmp);
}

/**
 * A new hidden temporary (file or folder) next to `target`, created empty and registered for
 * cleanup. Missing parent folders are created (and removed again if the output is abandoned). An
 * existing entry is never reused or deleted: a name already taken gets a numbered suffix.
 * Throws UsageError (`cannot write 'target': why`) when the location does not accept it.
 */
export function beginOutput(target: string, kind: OutputKind = 'file'): string {
  installHandlers();
  const parent = dirname(target) || '.';
  const made = makeFolders(parent, target);
  for (let n = 0; ; n++) {
    const tmp = join(parent, `.${basename(target)}.partial-${process.pid}${n === 0 ? '' : `-${n}`}`);
    try {
      if (kind === 'folder') mkdirSync(tmp);
      else closeSync(openSync(tmp, 'wx'));
    } catch (e) {
      if (errnoOf(e) === 'EEXIST' && n < 1000) continue;
      removeFolders(made);
      throw writeError(target, e);
    }
    pending.set(tmp, made);
    return tmp;
  }
}

/**
 * Registers `check` to run right before commitOutput replaces an existing `target`: it throws
 * when the target is no longer something that may be replaced (see reports/output-target.ts).
 */
export function protectTarget(target: string, check: () => void): void {
  replaceChecks.set(resolve(target), check);
}

/** Moves the finished temporary into place, replacing an earlier result at `target`. */
export function commitOutput(tmp: string, target: string): void {
  const exists = lstatOrNull(target) !== null;
  if (exists) replaceChecks.get(resolve(target))?.();
  if (exists && lstatSync(tmp).isDirectory()) {
    // rename(2) cannot replace a non-empty folder: move the old one aside first.
    const old = `${tmp}.old`;
    renameSync(target, old);
    renameSync(tmp, target);
    rmSync(old, { recursive: true, force: true });
  } else {
    renameSync(tmp, target);
  }
  pending.delete(tmp);
  committed.push(target);
}

/** Removes an uncommitted temporary and the parent folders made for it, if still empty. */
export function abandonOutput(tmp: string): void {
  const made = pending.get(tmp);
  rmSync(tmp, { recursive: true, force: true });
  pending.delete(tmp);
  if (made) removeFolders(made);
}

/** Creates `dir` and its missing ancestors one level at a time; returns those made (outermost first). */
function makeFolders(dir: string, target: string): string[] {
  const missing: string[] = [];
  let d = resolve(dir);
  for (;;) {
    const st = statOrNull(d, target);
    if (st !== null) {
      if (!st.isDirectory()) throw new UsageError(`cannot write '${target}': '${d}' is a file, not a folder`);
      break;
    }
    missing.unshift(d);
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  const made: string[] = [];
  for (const m of missing) {
    try {
      mkdirSync(m);
    } catch (e) {
      removeFolders(made);
      throw writeError(target, e);
    }
    made.push(m);
  }
  return made;
}

/** Removes folders made by makeFolders, deepest first, stopping at the first that is not empty. */
function removeFolders(made: string[]): void {
  for (let i = made.length - 1; i >= 0; i--) {
    try {
      rmdirSync(made[i]);
    } catch {
      return;
    }
  }
}

function lstatOrNull(p: string): Stats | null {
  try {
    return lstatSync(p);
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return null;
    throw writeError(p, e);
  }
}

/** stat (following symbolic links, so a linked folder counts as a folder); null when absent. */
function statOrNull(p: string, target: string): Stats | null {
  try {
    return statSync(p);
  } catch (e) {
    // ENOTDIR: an ancestor is a file; walking up finds it and names it.
    if (errnoOf(e) === 'ENOENT' || errnoOf(e) === 'ENOTDIR') return null;
    throw writeError(target, e);
  }
}

function errnoOf(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOENT: 'the folder does not accept new entries (a virtual file system such as /proc?)',
  ENOTDIR: 'a parent in the path is a file, not a folder',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links in the path',
  EEXIST: 'an entry of that name appeared while creating it',
  EINVAL: 'the file system does not accept this name',
};

/** A file-system refusal as a user error: one line naming the target and the reason. */
function writeError(target: string, e: unknown): Error {
  const code = errnoOf(e);
  if (code === undefined) return e as Error;
  return new UsageError(`cannot write '${target}': ${REASONS[code] ?? code.toLowerCase()}`);
}
