import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Worker } from 'node:worker_threads';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { ROOT } from './helpers/cli.js';

/**
 * A fuzz pass over every trace reader (workloads/<format>/) and the bin-packing instance readers:
 * real sample rows (the hand-written fixtures) are mutated — fields dropped, numbers garbled, lines
 * truncated, duplicated, swapped or removed, bytes inserted — and read, every task consumed, with
 * --on-bad-row fail and skip. A reader must either return, or throw the project's InputError with
 * a one-line message naming the file (and the line, when it reports one); never another
 * exception, never a hang.
 *
 * The readers run in a worker thread on the compiled dist/ (what the CLI runs), so that a reader
 * stuck in a synchronous loop can be stopped: the worker is terminated after a generous limit and
 * the case reported as a hang.
 */
const SEED = Number(process.env.SCHEDLAB_FUZZ_SEED ?? 7_031_977);
const RUNS_PER_READER = Number(process.env.SCHEDLAB_FUZZ_RUNS ?? 40);
const PER_CASE_MS = 30_000;

const FX = join(ROOT, 'test', 'fixtures');
const DIST = join(ROOT, 'dist');

interface ReaderSpec {
  /** The format name given to the reader, or 'bin-packing' for the instance readers. */
  format: string;
  /** Fixture to copy: a folder (one file mutated) or a single file. */
  sample: string;
  /** Binary file: mutated byte-wise. */
  binary?: boolean;
  /** What to read inside the copied sample folder, when not the folder itself. */
  input?: string;
}

const READERS: ReaderSpec[] = [
  { format: 'google-2011', sample: join(FX, 'google-2011', 'trace') },
  { format: 'google-2019', sample: join(FX, 'google-2019', 'cell') },
  { format: 'alibaba-2018', sample: join(FX, 'alibaba-2018', 'trace') },
  { format: 'alibaba-openb', sample: join(FX, 'alibaba-openb'), input: 'openb_pod_list_tiny.csv' },
  { format: 'azure', sample: join(FX, 'azure', 'v1') },
  { format: 'azure', sample: join(FX, 'azure', 'v2') },
  { format: 'kubernetes', sample: join(FX, 'kubernetes', 'cluster') },
  { format: 'swf', sample: join(FX, 'swf', 'sample.swf') },
  { format: 'native', sample: '<native>', binary: true },
  { format: 'bin-packing', sample: join(FX, 'bin-packing', 'ok-crlf.txt') },
  { format: 'bin-packing', sample: join(FX, 'bin-packing', 'vbp-ok.vbp') },
];

const tmp = mkdtempSync(join(tmpdir(), 'schedlab-reader-fuzz-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let caseSerial = 0;

/** What a mutation does to one file's text. */
type Edit =
  | { kind: 'drop-field'; line: number; field: number }
  | { kind: 'garble-number'; line: number; token: number; value: string }
  | { kind: 'truncate-line'; line: number; at: number }
  | { kind: 'insert'; line: number; at: number; text: string }
  | { kind: 'delete-line'; line: number }
  | { kind: 'duplicate-line'; line: number }
  | { kind: 'swap-lines'; line: number; other: number }
  | { kind: 'truncate-file'; at: number };

const GARBAGE_NUMBERS = ['', 'NaN', '-1', '1e999', '-1e999', 'abc', '0x1F', '9'.repeat(30), '-0', '1.5', ' ', 'null', '"7"', '1,5', '٣'];
const INSERTS = ['\0', '\xff', '"', "'", ',', ';', '\t', ' ', '\n', '\r', '\r\n', '{', '}', '[', ':', '#', '- ', '\u2028', '\ufeff', 'x'.repeat(200)];

const n = fc.nat(1_000_000);
const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('drop-field' as const), line: n, field: n }),
  fc.record({ kind: fc.constant('garble-number' as const), line: n, token: n, value: fc.constantFrom(...GARBAGE_NUMBERS) }),
  fc.record({ kind: fc.constant('truncate-line' as const), line: n, at: n }),
  fc.record({ kind: fc.constant('insert' as const), line: n, at: n, text: fc.oneof(fc.constantFrom(...INSERTS), fc.string({ maxLength: 4 })) }),
  fc.record({ kind: fc.constant('delete-line' as const), line: n }),
  fc.record({ kind: fc.constant('duplicate-line' as const), line: n }),
  fc.record({ kind: fc.constant('swap-lines' as const), line: n, other: n }),
  fc.record({ kind: fc.constant('truncate-file' as const), at: n }),
);

function applyEdit(text: string, e: Edit): string {
  const lines = text.split('\n');
  const i = 'line' in e ? e.line % lines.length : 0;
  const l = lines[i];
  switch (e.kind) {
    case 'drop-field': {
      const sep = l.includes(',') ? ',' : l.includes('\t') ? '\t' : ' ';
      const parts = l.split(sep);
      parts.splice(e.field % parts.length, 1);
      lines[i] = parts.join(sep);
      break;
    }
    case 'garble-number': {
      const nums = [...l.matchAll(/-?\d+(\.\d+)?(e[-+]?\d+)?/gi)];
      if (nums.length === 0) return text;
      const m = nums[e.token % nums.length];
      lines[i] = l.slice(0, m.index) + e.value + l.slice((m.index ?? 0) + m[0].length);
      break;
    }
    case 'truncate-line':
      lines[i] = l.slice(0, e.at % (l.length + 1));
      break;
    case 'insert': {
      const at = e.at % (l.length + 1);
      lines[i] = l.slice(0, at) + e.text + l.slice(at);
      break;
    }
    case 'delete-line':
      lines.splice(i, 1);
      break;
    case 'duplicate-line':
      lines.splice(i, 0, l);
      break;
    case 'swap-lines': {
      const j = e.other % lines.length;
      [lines[i], lines[j]] = [lines[j], lines[i]];
      break;
    }
    case 'truncate-file':
      return text.slice(0, e.at % (text.length + 1));
  }
  return lines.join('\n');
}

/** Byte-level damage for binary files: flip, overwrite, truncate. */
function applyBinaryEdit(bytes: Buffer, e: Edit): Buffer {
  const b = Buffer.from(bytes);
  const at = ('at' in e ? e.at : 'line' in e ? e.line : 0) % Math.max(1, b.length);
  switch (e.kind) {
    case 'truncate-file':
    case 'truncate-line':
      return b.subarray(0, at);
    case 'insert':
      return Buffer.concat([b.subarray(0, at), Buffer.from(e.text, 'latin1'), b.subarray(at)]);
    case 'delete-line':
      return Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + 8))]);
    default:
      b[at] ^= 1 << ('field' in e ? e.field % 8 : 'token' in e ? e.token % 8 : 3);
      return b;
  }
}

/** How messages show a path (model/errors.ts displayPath): its last two segments. */
const shown = (p: string) => p.split('/').filter(Boolean).slice(-2).join('/');

function filesOf(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** Copies the sample, damages one of its files, returns the path to read and the damaged file. */
function damagedCopy(spec: ReaderSpec, sample: string, pick: number, edits: Edit[]): { root: string; input: string; damaged: string } {
  const dir = join(tmp, `case-${caseSerial++}`);
  mkdirSync(dir);
  const isDir = statSync(sample).isDirectory();
  const input = join(dir, basename(sample));
  cpSync(sample, input, { recursive: true });
  const files = isDir ? filesOf(input).filter((f) => !f.endsWith('README.md')) : [input];
  const damaged = files[pick % files.length];
  const raw = readFileSync(damaged);
  if (spec.binary) {
    writeFileSync(damaged, edits.reduce(applyBinaryEdit, raw));
  } else if (damaged.endsWith('.gz')) {
    writeFileSync(damaged, gzipSync(Buffer.from(edits.reduce(applyEdit, gunzipSync(raw).toString('utf8')), 'utf8')));
  } else {
    writeFileSync(damaged, edits.reduce(applyEdit, raw.toString('utf8')));
  }
  return { root: input, input: spec.input === undefined ? input : join(input, spec.input), damaged };
}

/** The worker: reads a workload to the end (or an instance file) and reports what happened. */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
parentPort.on('message', async ({ id, format, input, onBadRow }) => {
  try {
    let tasks = 0;
    if (format === 'bin-packing') {
      const { readInstance } = await import(workerData.readInstance);
      tasks = readInstance(input, {}).n;
    } else {
      const { readWorkloadFromPath } = await import(workerData.registry);
      // Manifests without Node objects (a damaged 10-nodes.yaml) run on generated nodes, as with --nodes 3.
      const kubernetes = { nodes: 3, nodeShape: { cpuMillicores: 8000, memoryBytes: 34359738368, gpus: 0 }, instanceType: 'm5.2xlarge' };
      const w = await readWorkloadFromPath(input, { format, onBadRow, kubernetes });
      for await (const b of w.taskBatches()) tasks += b.count;
    }
    parentPort.postMessage({ id, ok: true, tasks });
  } catch (e) {
    parentPort.postMessage({ id, ok: false, name: e && e.name, message: String(e && e.message), line: e && e.line, stack: String(e && e.stack) });
  }
});
`;

type Outcome = { ok: true; tasks: number } | { ok: false; name: string; message: string; line?: number; stack: string } | { hung: true };

class ReaderWorker {
  private worker: Worker | undefined;
  private serial = 0;

  private start(): Worker {
    this.worker ??= new Worker(WORKER, {
      eval: true,
      workerData: {
        registry: pathToFileURL(join(DIST, 'workloads', 'format-registry.js')).href,
        readInstance: pathToFileURL(join(DIST, 'workloads', 'bin-packing', 'read-instance.js')).href,
      },
    });
    return this.worker;
  }

  read(format: string, input: string, onBadRow: 'fail' | 'skip'): Promise<Outcome> {
    const w = this.start();
    const id = ++this.serial;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        w.removeListener('message', onMessage);
        void w.terminate();
        this.worker = undefined;
        resolve({ hung: true });
      }, PER_CASE_MS);
      const onMessage = (m: Outcome & { id: number }) => {
        if (m.id !== id) return;
        clearTimeout(timer);
        w.removeListener('message', onMessage);
        resolve(m);
      };
      w.on('message', onMessage);
      w.postMessage({ id, format, input, onBadRow });
    });
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
  }
}

const worker = new ReaderWorker();
afterAll(() => worker.close());

/** The native sample: the Google 2011 fixture converted by the compiled writer. */
let nativeSample = '';
beforeAll(async () => {
  nativeSample = join(tmp, 'sample.schedlab.arrow');
  const { readWorkloadFromPath } = await import(pathToFileURL(join(DIST, 'workloads', 'format-registry.js')).href);
  const { writeNativeWorkload } = await import(pathToFileURL(join(DIST, 'workloads', 'native', 'writer.js')).href);
  await writeNativeWorkload(await readWorkloadFromPath(join(FX, 'google-2011', 'trace')), nativeSample);
});

/** Cases the fuzz found (each hung or threw another error before its fix), kept as fixed examples. */
const FOUND: Array<{ reader: number; pick: number; edits: Edit[]; onBadRow: 'fail' | 'skip'; why: string }> = [
  { reader: 8, pick: 0, edits: [{ kind: 'insert', line: 391444, at: 17, text: 'U*=' }], onBadRow: 'fail', why: "Arrow's batch iterator re-read a block that was not a record batch forever" },
  { reader: 8, pick: 0, edits: [{ kind: 'insert', line: 846088, at: 141572, text: '[+N' }], onBadRow: 'skip', why: 'a damaged field-node count sent Arrow through 2^28 iterations in one synchronous call' },
  { reader: 8, pick: 0, edits: [{ kind: 'garble-number', line: 338699, token: 667259, value: '-0' }], onBadRow: 'fail', why: "a flipped bit in the footer sent Arrow's schema decoder through 1.8e9 iterations" },
  { reader: 4, pick: 0, edits: [{ kind: 'garble-number', line: 835136, token: 8858, value: '1e999' }], onBadRow: 'fail', why: 'an infinite core count sized an infinite host pool' },
  { reader: 9, pick: 0, edits: [{ kind: 'garble-number', line: 0, token: 0, value: '9999999999999' }], onBadRow: 'fail', why: 'a huge item count was allocated (RangeError)' },
];

describe.skipIf(!existsSync(join(DIST, 'workloads', 'format-registry.js')))('reader fuzz: damaged sample rows', () => {
  it.each(FOUND)('found by the fuzz: $why — now an InputError', async ({ reader, pick, edits, onBadRow }) => {
    const spec = READERS[reader];
    const sample = spec.sample === '<native>' ? nativeSample : spec.sample;
    const { input } = damagedCopy(spec, sample, pick, edits);
    const r = await worker.read(spec.format, input, onBadRow);
    expect(r, JSON.stringify(r)).toMatchObject({ ok: false, name: 'InputError' });
  });

  it.each(READERS.map((r) => [r.format, relative(ROOT, r.sample), r] as const))(
    '%s (%s): returns, or throws an InputError naming file and line; never another error, never a hang',
    async (_format, _sample, spec) => {
      const sample = spec.sample === '<native>' ? nativeSample : spec.sample;
      // The undamaged sample reads: the mutations below start from valid input.
      const clean = await worker.read(spec.format, spec.input === undefined ? sample : join(sample, spec.input), 'fail');
      expect(clean, JSON.stringify(clean)).toMatchObject({ ok: true });
      await fc.assert(
        fc.asyncProperty(fc.nat(), fc.array(editArb, { minLength: 1, maxLength: 3 }), fc.constantFrom('fail' as const, 'skip' as const), async (pick, edits, onBadRow) => {
          const { root, input, damaged } = damagedCopy(spec, sample, pick, edits);
          const r = await worker.read(spec.format, input, onBadRow);
          const what = `${spec.format} on ${relative(tmp, damaged)} after ${JSON.stringify(edits)} (--on-bad-row ${onBadRow}): ${JSON.stringify(r)}`;
          expect('hung' in r, `hang: ${what}`).toBe(false);
          if ('hung' in r || r.ok) return;
          expect(r.name, `not an InputError: ${what}`).toBe('InputError');
          expect(r.message, `not one line: ${what}`).not.toMatch(/\n/);
          // A file of the input (or the input itself) is named the way messages name it: its last two path segments.
          const names = [root, ...(statSync(root).isDirectory() ? filesOf(root) : [])].map(shown);
          expect(names.some((f) => r.message.includes(f)), `file not named: ${what}`).toBe(true);
          if (r.line !== undefined) expect(r.message, `line not named: ${what}`).toContain(`line ${r.line}`);
        }),
        { seed: SEED, numRuns: RUNS_PER_READER, endOnFailure: true },
      );
    },
    RUNS_PER_READER * PER_CASE_MS,
  );
});
