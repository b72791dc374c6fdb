import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { abandonOutput, beginOutput, commitOutput } from '../reports/atomic-output.js';
import { UsageError } from '../harness/usage-error.js';
import { schedlab } from './helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'schedlab-output-safety-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
/** A fresh empty folder for one test. */
const fresh = () => {
  const d = join(root, `case-${n++}`);
  rmSync(d, { recursive: true, force: true });
  return mkdtempSync(d);
};

const SMALL_REPLAY = ['replay', '--tasks', '200', '--nodes', '5', '--quiet'];

describe('atomic output: where it cannot write', () => {
  it.skipIf(!existsSync('/proc/self'))('--out under /proc (a virtual file system) exits 2 at once instead of hanging', () => {
    for (const out of ['/proc/x', '/proc/schedlab-x/results']) {
      const r = schedlab([...SMALL_REPLAY, '--out', out], { timeoutMs: 60_000 });
      expect(r.timedOut, `${out}: the run hung`).toBe(false);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`cannot write '${out}': the folder does not accept new entries`));
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('--out under a path whose parent is a file exits 2 naming the file, and leaves the file alone', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'notes.txt'), 'my notes\n');
    for (const out of ['notes.txt/results', 'notes.txt/a/b']) {
      const r = schedlab([...SMALL_REPLAY, '--out', join(dir, out)]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/notes\.txt' is a file, not a folder/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('my notes\n');
    expect(readdirSync(dir)).toEqual(['notes.txt']);
  });

  it('a temporary that cannot be created is a UsageError and the parent folders made for it are removed again', () => {
    const dir = fresh();
    const target = join(dir, 'new1', 'new2', 'x'.repeat(300));
    expect(() => beginOutput(target, 'folder')).toThrow(UsageError);
    expect(() => beginOutput(target, 'folder')).toThrow(/the name is too long/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('an abandoned output removes its temporary and the parents made for it; a committed one keeps them', () => {
    const dir = fresh();
    const tmp = beginOutput(join(dir, 'a', 'b', 'res'), 'folder');
    expect(existsSync(tmp)).toBe(true);
    abandonOutput(tmp);
    expect(readdirSync(dir)).toEqual([]);
    const tmp2 = beginOutput(join(dir, 'a', 'b', 'res.txt'));
    writeFileSync(tmp2, 'done\n');
    commitOutput(tmp2, join(dir, 'a', 'b', 'res.txt'));
    expect(readdirSync(join(dir, 'a', 'b'))).toEqual(['res.txt']);
  });

  it('never reuses or deletes an existing entry that happens to carry the temporary name', () => {
    const dir = fresh();
    const target = join(dir, 'res');
    const squatter = join(dir, `.res.partial-${process.pid}`);
    writeFileSync(squatter, 'not schedlab output\n');
    const tmp = beginOutput(target, 'folder');
    expect(tmp).not.toBe(squatter);
    abandonOutput(tmp);
    expect(readFileSync(squatter, 'utf8')).toBe('not schedlab output\n');
  });
});
