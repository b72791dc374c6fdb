import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { listInputFiles, readChunks } from '../workloads/gzip-lines.js';
import { parseTaskEventFiles, TaskEventParser } from '../workloads/google-2011/task-event-parser.js';

/**
 * Parse-rate benchmarks for the Google 2011 task_events reader. `dir` is a task_events folder (or a
 * google-2011 folder holding one); `maxFiles` limits how many parts are read. Bytes are decompressed
 * CSV bytes; MB = 10^6 bytes.
 */
export interface ParseBenchResult {
  rows: number;
  bytes: number;
  seconds: number;
  rowsPerSecond: number;
  mbPerSecond: number;
}

async function taskEventFiles(dir: string, maxFiles?: number): Promise<string[]> {
  const sub = path.join(dir, 'task_events');
  const files = await listInputFiles(existsSync(sub) ? sub : dir);
  return maxFiles === undefined ? files : files.slice(0, maxFiles);
}

function result(rows: number, bytes: number, start: bigint): ParseBenchResult {
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { rows, bytes, seconds, rowsPerSecond: rows / seconds, mbPerSecond: bytes / 1e6 / seconds };
}

/** schedlab's hand-rolled strict parser (gunzip overlapped with parsing). */
export async function benchGoogle2011Parse(dir: string, options: { maxFiles?: number } = {}): Promise<ParseBenchResult> {
  const files = await taskEventFiles(dir, options.maxFiles);
  const start = process.hrtime.bigint();
  const parser = new TaskEventParser();
  let check = 0;
  for await (const batch of parseTaskEventFiles(files, parser)) {
    for (let i = 0; i < batch.count; i++) check += batch.eventType[i];
  }
  if (check < 0) throw new Error('unreachable');
  return result(parser.rows, parser.bytes, start);
}

/** The floor: gunzip and nothing else. Rows are counted by newlines. */
export async function benchGunzipOnly(dir: string, options: { maxFiles?: number } = {}): Promise<ParseBenchResult> {
  const files = await taskEventFiles(dir, options.maxFiles);
  const start = process.hrtime.bigint();
  let rows = 0;
  let bytes = 0;
  for (const file of files) {
    for await (const chunk of readChunks(file)) {
      bytes += chunk.length;
      let p = chunk.indexOf(10);
      while (p >= 0) {
        rows++;
        p = chunk.indexOf(10, p + 1);
      }
    }
  }
  return result(rows, bytes, start);
}

/** Baseline: csv-parse (streaming API) on the same gunzip stream, fields converted to numbers. */
export async function benchCsvParse(dir: string, options: { maxFiles?: number } = {}): Promise<ParseBenchResult> {
  const { parse } = await import('csv-parse');
  const files = await taskEventFiles(dir, options.maxFiles);
  const start = process.hrtime.bigint();
  let rows = 0;
  let bytes = 0;
  let check = 0;
  for (const file of files) {
    const parser = parse({ relax_column_count: false });
    const feed = (async () => {
      for await (const chunk of readChunks(file)) {
        bytes += chunk.length;
        if (!parser.write(chunk)) await new Promise((r) => parser.once('drain', r));
      }
      parser.end();
    })();
    for await (const rec of parser as AsyncIterable<string[]>) {
      rows++;
      check += Number(rec[5]) + Number(rec[0]) * 0 + (rec[9] === '' ? 0 : Number(rec[9]));
    }
    await feed;
  }
  if (Number.isNaN(check)) throw new Error('unexpected NaN');
  return result(rows, bytes, start);
}

/** Runs the three and prints a table: `node dist/bench/trace-parse-bench.js DIR [maxFiles]`. */
async function main(): Promise<void> {
  const dir = process.argv[2] ?? '../shared/data/google-2011';
  const maxFiles = process.argv[3] !== undefined ? Number(process.argv[3]) : undefined;
  const which = (process.argv[4] ?? 'gunzip,schedlab,csv-parse').split(',');
  const fmt = (name: string, r: ParseBenchResult) =>
    `${name.padEnd(10)} ${r.rows.toLocaleString('en-US').padStart(10)} rows ${(r.bytes / 1e6).toFixed(1).padStart(7)} MB ` +
    `${r.seconds.toFixed(2).padStart(6)} s ${Math.round(r.rowsPerSecond).toLocaleString('en-US').padStart(10)} rows/s ` +
    `${r.mbPerSecond.toFixed(1).padStart(6)} MB/s`;
  if (which.includes('gunzip')) console.log(fmt('gunzip', await benchGunzipOnly(dir, { maxFiles })));
  if (which.includes('schedlab')) console.log(fmt('schedlab', await benchGoogle2011Parse(dir, { maxFiles })));
  if (which.includes('csv-parse')) console.log(fmt('csv-parse', await benchCsvParse(dir, { maxFiles })));
}

const invoked = process.argv[1] !== undefined && /trace-parse-bench\.(js|ts)$/.test(process.argv[1]);
if (invoked) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
