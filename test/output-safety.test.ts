import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { abandonOutput, beginOutput, commitOutput } from '../model/atomic-output.js';
import { checkOutputTarget } from '../reports/output-target.js';
import { UsageError } from '../model/errors.js';
import { looksLikeNative } from '../workloads/native/reader.js';
import { writeNativeWorkload } from '../workloads/native/writer.js';
import { ROOT, schedlab } from './helpers/cli.js';
import { isReportFile } from '../reports/report/write-report.js';
import { tinyWorkload } from './helpers/tiny-workload.js';

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

/** Every path under `dir` with its content ('<dir>' for folders): what a refused run must leave untouched. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        out[r] = '<dir>';
        walk(join(d, e.name), r);
      } else if (e.isSymbolicLink()) out[r] = `<link>`;
      else out[r] = readFileSync(join(d, e.name), 'utf8');
    }
  };
  walk(dir, '');
  return out;
}

const NEVER = /schedlab never replaces what it did not write/;
const folder = (path: string, force = false) => checkOutputTarget({ path, kind: 'results-folder', force });
const nativeFile = (path: string, force = false) => checkOutputTarget({ path, kind: 'native-file', force, isNativeFile: looksLikeNative });

describe('the --out guard (reports/output-target.ts)', () => {
  it('accepts a new path or an empty folder, and creates nothing while checking', async () => {
    const dir = fresh();
    mkdirSync(join(dir, 'empty'));
    await folder(join(dir, 'new', 'deeper'));
    await folder(join(dir, 'empty'));
    expect(snapshot(dir)).toEqual({ empty: '<dir>' });
  });

  it('refuses a file at the target, with or without --force', async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'results'), 'a file the user keeps\n');
    for (const force of [false, true]) {
      await expect(folder(join(dir, 'results'), force)).rejects.toThrow(UsageError);
      await expect(folder(join(dir, 'results'), force)).rejects.toThrow(/is a file, not a results folder/);
    }
    expect(snapshot(dir)).toEqual({ results: 'a file the user keeps\n' });
  });

  it('refuses a folder holding the user\'s files, with or without --force', async () => {
    const dir = fresh();
    mkdirSync(join(dir, 'notes', 'sub'), { recursive: true });
    writeFileSync(join(dir, 'notes', 'todo.txt'), 'call Bob\n');
    writeFileSync(join(dir, 'notes', 'sub', 'deep.md'), '# deep\n');
    for (const force of [false, true]) {
      await expect(folder(join(dir, 'notes'), force)).rejects.toThrow(/'.*notes' is a folder schedlab did not write \(no run\.json marker; it holds 'sub', 'todo\.txt'\)/);
    }
    // A run.json that is not schedlab's is not the marker.
    writeFileSync(join(dir, 'notes', 'run.json'), '{"name":"my run"}\n');
    await expect(folder(join(dir, 'notes'), true)).rejects.toThrow(NEVER);
    expect(snapshot(dir)['notes/todo.txt']).toBe('call Bob\n');
  });

  it('an earlier results folder is replaced only with --force; one with added user files never', async () => {
    const dir = fresh();
    const res = join(dir, 'res');
    mkdirSync(res);
    writeFileSync(join(res, 'run.json'), JSON.stringify({ schedlab: '0.1.0', command: 'replay', seed: 1 }));
    writeFileSync(join(res, 'tasks.csv'), 'task_id\n');
    await expect(folder(res)).rejects.toThrow(/holds an earlier schedlab results folder; add --force to replace it/);
    await folder(res, true);
    writeFileSync(join(res, 'analysis.ipynb'), '{}');
    await expect(folder(res, true)).rejects.toThrow(/a schedlab results folder that also holds files schedlab did not write \('analysis\.ipynb'\)/);
    mkdirSync(join(res, 'plots'));
    rmSync(join(res, 'analysis.ipynb'));
    await expect(folder(res, true)).rejects.toThrow(/\('plots'\)/);
  });

  it('refuses a symbolic link at the target', async () => {
    const dir = fresh();
    mkdirSync(join(dir, 'real'));
    symlinkSync(join(dir, 'real'), join(dir, 'link'));
    await expect(folder(join(dir, 'link'), true)).rejects.toThrow(/is a symbolic link/);
  });

  it('native files: a new path is fine; an earlier native file needs --force; any other file is never overwritten', async () => {
    const dir = fresh();
    const native = join(dir, 'w.schedlab.arrow');
    await nativeFile(native);
    await writeNativeWorkload(tinyWorkload([[1000, 1 << 30]], [{ submit: 0, duration: 10, cpu: 100, mem: 1000 }]), native);
    await expect(nativeFile(native)).rejects.toThrow(/holds an earlier schedlab native file; add --force/);
    await nativeFile(native, true);
    writeFileSync(join(dir, 'data.csv'), 'a,b\n1,2\n');
    writeFileSync(join(dir, 'empty.arrow'), '');
    for (const f of ['data.csv', 'empty.arrow']) {
      await expect(nativeFile(join(dir, f), true)).rejects.toThrow(/is a file that is not a schedlab native file; schedlab never replaces/);
    }
    await expect(nativeFile(dir, true)).rejects.toThrow(/expected a file path, got '.*' \(a folder\)/);
    expect(readFileSync(join(dir, 'data.csv'), 'utf8')).toBe('a,b\n1,2\n');
  });

  it('rechecks right before replacing: a target that changed during the run is left as it is', async () => {
    const dir = fresh();
    const res = join(dir, 'res');
    mkdirSync(res);
    await folder(res); // empty: approved
    const tmp = beginOutput(res, 'folder');
    writeFileSync(join(res, 'arrived-meanwhile.txt'), 'user data\n');
    expect(() => commitOutput(tmp, res)).toThrow(/changed while schedlab was running; nothing was replaced/);
    abandonOutput(tmp);
    expect(snapshot(dir)).toEqual({ res: '<dir>', 'res/arrived-meanwhile.txt': 'user data\n' });
  });
});

describe('--out end to end: replay, experiment fgd, trace convert', () => {
  it('replay: refuses a folder with user files and a file, keeps both; an earlier results folder needs --force', () => {
    const dir = fresh();
    mkdirSync(join(dir, 'notes'));
    writeFileSync(join(dir, 'notes', 'todo.txt'), 'call Bob\n');
    writeFileSync(join(dir, 'paper.tex'), '\\section{}\n');
    const before = snapshot(dir);
    for (const out of ['notes', 'paper.tex']) {
      for (const force of [[], ['--force']]) {
        const r = schedlab([...SMALL_REPLAY, '--out', join(dir, out), ...force]);
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(NEVER);
        expect(r.stderr).not.toMatch(/\n\s+at /);
      }
    }
    expect(snapshot(dir)).toEqual(before);

    const res = join(dir, 'res');
    expect(schedlab([...SMALL_REPLAY, '--seed', '1', '--out', res]).code).toBe(0);
    const again = schedlab([...SMALL_REPLAY, '--seed', '2', '--out', res]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/--out: '.*res' holds an earlier schedlab results folder; add --force to replace it/);
    expect(JSON.parse(readFileSync(join(res, 'run.json'), 'utf8')).seed).toBe(1);
    expect(schedlab([...SMALL_REPLAY, '--seed', '2', '--out', res, '--force']).code).toBe(0);
    expect(JSON.parse(readFileSync(join(res, 'run.json'), 'utf8')).seed).toBe(2);
    expect(readdirSync(dir).sort()).toEqual(['notes', 'paper.tex', 'res']);
  });

  it('experiment fgd: writes the run.json marker, refuses user folders, replaces its own folder only with --force', () => {
    const dir = fresh();
    const fx = join(ROOT, 'test', 'fixtures', 'alibaba-openb');
    const args = ['experiment', 'fgd', '--pods', join(fx, 'openb_pod_list_tiny.csv'), '--nodes', join(fx, 'openb_node_list_all_node.csv'), '--seeds', '1', '--policies', 'random'];
    const out = join(dir, 'fgd');
    expect(schedlab([...args, '--out', out]).code).toBe(0);
    // The results, then the report of them (reports/report/).
    expect(readdirSync(out).filter((f) => !isReportFile(f)).sort()).toEqual(['curves.csv', 'run.json', 'summary.json', 'timing.json']);
    expect(readdirSync(out)).toContain('report.html');
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(run.command).toBe('experiment fgd');
    expect(run.seeds).toEqual([42]);
    expect(schedlab([...args, '--out', out]).stderr).toMatch(/holds an earlier schedlab results folder; add --force/);
    expect(schedlab([...args, '--out', out, '--force']).code).toBe(0);
    mkdirSync(join(dir, 'mine'));
    writeFileSync(join(dir, 'mine', 'x.txt'), 'x');
    const r = schedlab([...args, '--out', join(dir, 'mine'), '--force']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(NEVER);
    expect(readdirSync(join(dir, 'mine'))).toEqual(['x.txt']);
  });

  it('trace convert: never overwrites a file that is not a native file; replaces a native one only with --force', () => {
    const dir = fresh();
    const conv = (out: string, ...extra: string[]) => schedlab(['trace', 'convert', 'synthetic', '--tasks', '300', '--nodes', '5', '--quiet', '--out', join(dir, out), ...extra]);
    writeFileSync(join(dir, 'trace.csv'), 'my,trace\n');
    for (const force of [[], ['--force']]) {
      const r = conv('trace.csv', ...force);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/is a file that is not a schedlab native file/);
    }
    expect(readFileSync(join(dir, 'trace.csv'), 'utf8')).toBe('my,trace\n');
    expect(conv('w.schedlab.arrow').code).toBe(0);
    expect(conv('w.schedlab.arrow').stderr).toMatch(/holds an earlier schedlab native file; add --force/);
    expect(conv('w.schedlab.arrow', '--force').code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['trace.csv', 'w.schedlab.arrow']);
  });
});
