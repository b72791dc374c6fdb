import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { InputError } from '../model/errors.js';
import { listInputFiles, readLines } from '../workloads/gzip-lines.js';
import { parseTaskEvents, TaskEventParser } from '../workloads/google-2011/task-event-parser.js';

const FIX = path.join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures', 'google-2011');
const PART0 = path.join(FIX, 'trace', 'task_events', 'part-00000-of-00002.csv');

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'schedlab-gz-'));
  const text = readFileSync(PART0);
  const gz = gzipSync(text);
  mkdirSync(path.join(dir, 'task_events'));
  writeFileSync(path.join(dir, 'task_events', 'part-00000-of-00001.csv.gz'), gz);
  writeFileSync(path.join(dir, 'truncated.csv.gz'), gz.subarray(0, gz.length - 12));
  writeFileSync(path.join(dir, 'empty.csv.gz'), Buffer.alloc(0));
  writeFileSync(path.join(dir, 'empty.csv'), Buffer.alloc(0));
  writeFileSync(path.join(dir, 'nothing.csv.gz'), gzipSync(Buffer.alloc(0)));
  mkdirSync(path.join(dir, 'order'));
  for (const n of ['part-10.csv', 'part-2.csv', 'part-1.csv', '.hidden', 'README']) {
    writeFileSync(path.join(dir, 'order', n), `${n}\n`);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function errorOf(p: Promise<unknown>): Promise<InputError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError');
}

async function allLines(input: string): Promise<string[]> {
  const out: string[] = [];
  for await (const l of readLines(input)) out.push(`${path.basename(l.file)}:${l.line}:${l.text}`);
  return out;
}

async function countRows(input: string): Promise<number> {
  const parser = new TaskEventParser();
  for await (const _ of await parseTaskEvents(input, parser)) void _;
  return parser.rows;
}

describe('gzip-lines', () => {
  it('reads a .gz the same as the plain file', async () => {
    const plain = (await allLines(PART0)).map((l) => l.split(':').slice(1).join(':'));
    const gz = (await allLines(path.join(dir, 'task_events', 'part-00000-of-00001.csv.gz'))).map((l) =>
      l.split(':').slice(1).join(':'),
    );
    expect(gz).toEqual(plain);
    expect(plain.length).toBe(7);
    expect(await countRows(path.join(dir, 'task_events'))).toBe(7);
  });

  it('a truncated gzip file is an InputError', async () => {
    const err = await errorOf(countRows(path.join(dir, 'truncated.csv.gz')));
    expect(err.message).toMatch(/^[^/]+\/truncated\.csv\.gz: truncated gzip file/);
    await errorOf(allLines(path.join(dir, 'truncated.csv.gz')));
  });

  it('an empty file is an InputError', async () => {
    expect((await errorOf(countRows(path.join(dir, 'empty.csv.gz')))).message).toMatch(/empty\.csv\.gz: empty file$/);
    expect((await errorOf(allLines(path.join(dir, 'empty.csv')))).message).toMatch(/empty\.csv: empty file$/);
    expect((await errorOf(countRows(path.join(dir, 'nothing.csv.gz')))).message).toMatch(/gzip file holds no data/);
  });

  it('a folder reads its part-* files in numeric order; a glob selects files', async () => {
    expect((await listInputFiles(path.join(dir, 'order'))).map((f) => path.basename(f))).toEqual([
      'part-1.csv',
      'part-2.csv',
      'part-10.csv',
    ]);
    expect(await allLines(path.join(dir, 'order'))).toEqual(['part-1.csv:1:part-1.csv', 'part-2.csv:1:part-2.csv', 'part-10.csv:1:part-10.csv']);
    expect((await listInputFiles(path.join(dir, 'order', 'part-1*'))).map((f) => path.basename(f))).toEqual([
      'part-1.csv',
      'part-10.csv',
    ]);
    expect((await errorOf(listInputFiles(path.join(dir, 'order', 'nope-*')))).message).toMatch(/no file matches/);
    expect((await errorOf(listInputFiles(path.join(dir, 'missing')))).message).toMatch(/no such file or folder/);
  });
});
