import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Table, tableToIPC, vectorFromArray } from 'apache-arrow';
import { writeNativeWorkload } from '../workloads/native/writer.js';
import { looksLikeNative, readNativeWorkload } from '../workloads/native/reader.js';
import { InputError } from '../model/errors.js';
import { failingAfter, flatten, handmadeWorkload } from './fixtures/native/workloads.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.join(HERE, '..');
const dir = mkdtempSync(path.join(tmpdir(), 'schedlab-native-err-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let goodFile: string | undefined;
async function good(): Promise<string> {
  if (goodFile === undefined) {
    goodFile = path.join(dir, 'good.schedlab.arrow');
    await writeNativeWorkload(handmadeWorkload(5), goodFile);
  }
  return goodFile;
}

/** A copy of the good file with `edit` applied to its bytes. */
async function damaged(name: string, edit: (b: Buffer) => Buffer): Promise<string> {
  const file = path.join(dir, `${name}.schedlab.arrow`);
  writeFileSync(file, edit(readFileSync(await good())));
  return file;
}

/** Opening and reading every batch; resolves to the error thrown, if any. */
async function readAll(file: string): Promise<unknown> {
  try {
    await flatten(await readNativeWorkload(file));
    return undefined;
  } catch (e) {
    return e;
  }
}

describe('native format: bad files are InputErrors', () => {
  it('truncated files (cut anywhere) name the file and say truncated', async () => {
    const size = readFileSync(await good()).length;
    for (const keep of [10, Math.floor(size / 2), size - 1]) {
      const file = await damaged(`cut-${keep}`, (b) => b.subarray(0, keep));
      const e = await readAll(file);
      expect(e, `kept ${keep} bytes`).toBeInstanceOf(InputError);
      expect((e as InputError).message).toMatch(/truncated/);
      expect((e as InputError).file).toBe(file);
      expect(await looksLikeNative(file)).toBe(false);
    }
  });

  it('a flipped bit in a task column fails the column checksum', async () => {
    const w = handmadeWorkload(5);
    const first = (await flatten(w)).columns.duration.subarray(0, 8);
    const file = await damaged('flipped-body', (b) => {
      const at = b.indexOf(first);
      expect(at).toBeGreaterThan(0);
      const c = Buffer.from(b);
      c[at] ^= 1;
      return c;
    });
    const e = await readAll(file);
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).message).toMatch(/batch 0, column duration: checksum mismatch/);
  });

  it('an edited metadata value fails the metadata checksum', async () => {
    const file = await damaged('flipped-meta', (b) => {
      const at = b.lastIndexOf('appended when the stream ended'); // the footer's copy of the schema
      expect(at).toBeGreaterThan(0);
      const c = Buffer.from(b);
      c[at] = 'A'.charCodeAt(0);
      return c;
    });
    const e = await readAll(file);
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).message).toMatch(/checksum mismatch/);
  });

  it('garbage between valid magic bytes', async () => {
    const file = await damaged('garbage', (b) => {
      const c = Buffer.from(b);
      c.fill(0x5a, 8, c.length - 10);
      return c;
    });
    expect(await readAll(file)).toBeInstanceOf(InputError);
  });

  it('a CSV file, a missing file, a folder', async () => {
    const csv = path.join(dir, 'x.csv');
    writeFileSync(csv, 'a,b\n1,2\n');
    for (const f of [csv, path.join(dir, 'nope.schedlab.arrow'), dir]) {
      const e = await readAll(f);
      expect(e, f).toBeInstanceOf(InputError);
      expect(await looksLikeNative(f)).toBe(false);
    }
    expect(((await readAll(csv)) as Error).message).toMatch(/not an Arrow IPC file/);
  });

  it('an Arrow file that is not a schedlab workload', async () => {
    const file = path.join(dir, 'foreign.arrow');
    writeFileSync(file, tableToIPC(new Table({ a: vectorFromArray([1, 2, 3]) }), 'file'));
    const e = await readAll(file);
    expect(e).toBeInstanceOf(InputError);
    expect((e as Error).message).toMatch(/not a schedlab workload/);
    expect(await looksLikeNative(file)).toBe(false);
    expect(await looksLikeNative(await good())).toBe(true);
  });
});

describe('native format: interrupted writes leave nothing', () => {
  it('a source that fails midway: no target, no temporaries', async () => {
    const sub = path.join(dir, 'failing');
    mkdirSync(sub);
    const target = path.join(sub, 'w.schedlab.arrow');
    await expect(writeNativeWorkload(failingAfter(handmadeWorkload(1), 2), target)).rejects.toThrow('source failed midway');
    expect(readdirSync(sub)).toEqual([]);
  });

  it('a failed rewrite keeps the previous file intact', async () => {
    const sub = path.join(dir, 'rewrite');
    mkdirSync(sub);
    const target = path.join(sub, 'w.schedlab.arrow');
    copyFileSync(await good(), target);
    const before = readFileSync(target);
    await expect(writeNativeWorkload(failingAfter(handmadeWorkload(2), 1), target)).rejects.toThrow('source failed midway');
    expect(readdirSync(sub)).toEqual(['w.schedlab.arrow']);
    expect(readFileSync(target).equals(before)).toBe(true);
  });

  it('Ctrl-C during a write: the process exits 130 and leaves no file', async () => {
    const sub = path.join(dir, 'sigint');
    mkdirSync(sub);
    const target = path.join(sub, 'big.schedlab.arrow');
    const child = spawn(process.execPath, ['--import', 'jiti/register', path.join(HERE, 'fixtures', 'native', 'convert-child.ts'), target], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => {
      child.stdout.on('data', (d) => {
        stdout += d;
        if (stdout.includes('started')) child.kill('SIGINT');
      });
      child.on('exit', (c) => resolve(c));
    });
    expect(stdout, stderr).toContain('started');
    expect(stdout).not.toContain('finished');
    expect(code).toBe(130);
    expect(readdirSync(sub)).toEqual([]);
  }); // the suite's 120 s timeout: startup through jiti takes seconds under load
});
