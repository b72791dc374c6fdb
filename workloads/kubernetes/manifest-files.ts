import { readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { InputError } from '../../model/errors.js';

/** File name endings read as manifests (JSON is read by the YAML parser: JSON is YAML 1.2). */
export const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'] as const;

const isManifestName = (name: string) => MANIFEST_EXTENSIONS.some((e) => name.toLowerCase().endsWith(e));
const byName = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

async function walk(dir: string, out: string[]): Promise<void> {
  const names = (await readdir(dir)).filter((n) => !n.startsWith('.')).sort(byName);
  for (const n of names) {
    // The folder as the user gave it (path.join would normalize it away), so messages name files their way.
    const p = dir.endsWith(path.sep) || dir.endsWith('/') ? dir + n : dir + path.sep + n;
    const st = await stat(p);
    if (st.isDirectory()) await walk(p, out);
    else if (st.isFile() && isManifestName(n)) out.push(p);
  }
}

/**
 * The manifest files behind the given paths, in reading order: a file as given (whatever its
 * name: the user chose it), a folder's .yaml/.yml/.json files recursively in name order (hidden
 * entries skipped, so `.git` is never read). The order matters: pods arrive in file order.
 */
export async function listManifestFiles(paths: string | string[]): Promise<string[]> {
  const list = Array.isArray(paths) ? paths : [paths];
  if (list.length === 0) throw new InputError({ file: '(none)', pathAsGiven: true, problem: 'no manifest file or folder given' });
  const out: string[] = [];
  for (const p of list) {
    let st;
    try {
      st = await stat(p);
    } catch {
      throw new InputError({ file: p, pathAsGiven: true, problem: 'no such file or folder' });
    }
    if (st.isFile()) out.push(p);
    else if (st.isDirectory()) {
      const before = out.length;
      await walk(p, out);
      if (out.length === before) {
        throw new InputError({ file: p, pathAsGiven: true, problem: `folder has no ${MANIFEST_EXTENSIONS.join('/')} files` });
      }
    } else throw new InputError({ file: p, pathAsGiven: true, problem: 'not a file or folder' });
  }
  return out;
}
