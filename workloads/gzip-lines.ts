import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { createGunzip, type ZlibOptions } from 'node:zlib';
import { InputError } from '../model/errors.js';

/**
 * Streaming input for trace tables: a file (plain or gzip), a folder of `part-*` files, or a glob
 * over file names (`dir/part-0000[0-4]*`), always read in name order and never loaded whole.
 *
 * Decompression runs in libuv's thread pool (node:zlib streams are asynchronous), so a parser that
 * consumes `readChunks` on the main thread overlaps with gunzip of the next chunk: the gunzip stream
 * is given a large readable buffer so it keeps inflating while the previous chunk is parsed.
 */

const READ_CHUNK = 1 << 20;
const INFLATE_CHUNK = 1 << 18;
const INFLATE_BUFFER = 8 << 20;

/** True when `p` contains glob characters in its last segment. */
export function isGlob(p: string): boolean {
  return /[*?[]/.test(path.basename(p));
}

function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close < 0) re += '\\[';
      else {
        let body = pattern.slice(i + 1, close);
        if (body.startsWith('!')) body = '^' + body.slice(1);
        re += `[${body.replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

const byName = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/**
 * The files behind an input path, in reading order: the file itself; for a folder, its `part-*`
 * files (or, when it has none, every `.csv`/`.csv.gz` file); for a glob, the matching files. Throws
 * InputError when nothing matches.
 */
export async function listInputFiles(input: string): Promise<string[]> {
  if (isGlob(input)) {
    const dir = path.dirname(input);
    const re = globToRegExp(path.basename(input));
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      throw new InputError({ file: input, problem: `folder ${dir} does not exist` });
    }
    const files = names.filter((n) => re.test(n)).sort(byName).map((n) => path.join(dir, n));
    if (files.length === 0) throw new InputError({ file: input, problem: 'no file matches this pattern' });
    return files;
  }
  let st;
  try {
    st = await stat(input);
  } catch {
    throw new InputError({ file: input, problem: 'no such file or folder' });
  }
  if (st.isFile()) return [input];
  if (!st.isDirectory()) throw new InputError({ file: input, problem: 'not a file or folder' });
  const names = (await readdir(input)).filter((n) => !n.startsWith('.'));
  let chosen = names.filter((n) => n.startsWith('part-'));
  if (chosen.length === 0) chosen = names.filter((n) => /\.csv(\.gz)?$/i.test(n));
  if (chosen.length === 0) {
    throw new InputError({ file: input, problem: 'folder has no part-* or .csv/.csv.gz files' });
  }
  return chosen.sort(byName).map((n) => path.join(input, n));
}

/** True when the file starts with the gzip magic bytes (1f 8b). Throws InputError on an empty file. */
export async function isGzipFile(file: string): Promise<boolean> {
  const fh = await open(file, 'r').catch(() => {
    throw new InputError({ file, problem: 'cannot open file' });
  });
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await fh.read(head, 0, 2, 0);
    if (bytesRead === 0) throw new InputError({ file, problem: 'empty file' });
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/**
 * The decompressed bytes of one file as a stream of Buffers (chunk boundaries fall anywhere, even
 * inside a line). Gzip is recognized by its magic bytes, whatever the file name. An empty file, a
 * gzip file that holds no data, or a truncated/corrupt gzip stream throws InputError.
 */
export async function* readChunks(file: string): AsyncGenerator<Buffer> {
  const gz = await isGzipFile(file);
  const raw = createReadStream(file, { highWaterMark: READ_CHUNK });
  let total = 0;
  if (!gz) {
    try {
      for await (const chunk of raw as AsyncIterable<Buffer>) {
        total += chunk.length;
        yield chunk;
      }
    } catch (e) {
      throw new InputError({ file, problem: `cannot read file (${(e as Error).message})` });
    } finally {
      raw.destroy();
    }
    return;
  }
  // highWaterMark is a stream option zlib passes on to its Transform (not in ZlibOptions' type).
  const gunzip = createGunzip({ chunkSize: INFLATE_CHUNK, highWaterMark: INFLATE_BUFFER } as ZlibOptions & {
    highWaterMark: number;
  });
  raw.on('error', (e) => gunzip.destroy(e));
  raw.pipe(gunzip);
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      total += chunk.length;
      yield chunk;
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    const msg = (e as Error).message ?? String(e);
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && !code.startsWith('Z_') && 'syscall' in (e as object)) {
      throw new InputError({ file, problem: `cannot read file (${msg})` });
    }
    const truncated = code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(msg);
    throw new InputError({
      file,
      problem: truncated
        ? `truncated gzip file (${msg}) after ${total} decompressed bytes`
        : `corrupt gzip file (${msg}) after ${total} decompressed bytes`,
    });
  } finally {
    raw.destroy();
    gunzip.destroy();
  }
  if (total === 0) throw new InputError({ file, problem: 'gzip file holds no data' });
}

export interface Line {
  file: string;
  /** 1-based line number within the file. */
  line: number;
  /** The line without its terminator (a trailing CR is removed too). */
  text: string;
}

/**
 * Every line of every file behind `input` (see listInputFiles), in order, as strings. Convenient
 * for small tables; hot paths should parse `readChunks` buffers directly instead.
 */
export async function* readLines(input: string | string[]): AsyncGenerator<Line> {
  const files = Array.isArray(input) ? input : await listInputFiles(input);
  for (const file of files) {
    let carry = '';
    let lineNo = 0;
    for await (const chunk of readChunks(file)) {
      const text = carry + chunk.toString('latin1');
      let start = 0;
      for (;;) {
        const nl = text.indexOf('\n', start);
        if (nl < 0) break;
        let end = nl;
        if (end > start && text.charCodeAt(end - 1) === 13) end--;
        yield { file, line: ++lineNo, text: text.slice(start, end) };
        start = nl + 1;
      }
      carry = text.slice(start);
    }
    if (carry.length > 0) {
      const end = carry.charCodeAt(carry.length - 1) === 13 ? carry.length - 1 : carry.length;
      yield { file, line: ++lineNo, text: carry.slice(0, end) };
    }
  }
}

/** The first line of a file (decompressing only what it needs), or '' if the file has no newline. */
export async function firstLine(file: string): Promise<string> {
  let acc = '';
  for await (const chunk of readChunks(file)) {
    acc += chunk.toString('latin1');
    const nl = acc.indexOf('\n');
    if (nl >= 0) return acc.slice(0, nl).replace(/\r$/, '');
    if (acc.length > 1 << 20) break;
  }
  return acc.replace(/\r$/, '');
}
