import { readFileSync, statSync } from 'node:fs';
import { InputError } from '../../model/errors.js';

/**
 * The text of an instance file, or an InputError naming the file and what is wrong with the path
 * (missing, a folder, unreadable) — a user's mistake, reported in one line like a malformed file.
 */
export function readInstanceText(path: string): string {
  try {
    if (statSync(path).isDirectory()) throw new InputError({ file: path, problem: 'is a folder; expected an instance file (.txt BPPLIB or .vbp VPSolver)' });
    return readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'ENOTDIR' ? 'a parent in the path is a file' : (code?.toLowerCase() ?? (e as Error).message);
    throw new InputError({ file: path, problem: `cannot read the instance file: ${why}` });
  }
}
