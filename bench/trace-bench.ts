/**
 * Trace benchmarks (issue 3): how fast schedlab reads the Google 2011 sample, how long the whole
 * 19.5-hour window takes to replay on its 12.5k machines, and what the native columnar file
 * (workloads/native/) saves on repeated replays. `traceSection()` returns the BENCHMARKS.md
 * section; `node dist/bench/trace-bench.js` prints it alone.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../model/package-root.js';
import { listInputFiles, readChunks } from '../workloads/gzip-lines.js';
import { readGoogle2011 } from '../workloads/google-2011/reader.js';
import { writeNativeWorkload } from '../workloads/native/writer.js';
import { benchCsvParse, benchGoogle2011Parse, benchGunzipOnly, type ParseBenchResult } from './trace-parse-bench.js';
import type { TraceRunResult, TraceRunSpec } from './trace-replay-child.js';

const POLICY = 'kube-default';
const TARGET_PARSE_ROWS_PER_S = 1_000_000;
const TARGET_REPLAY_S = 30;
const TARGET_SPEEDUP = 3;

/**
 * Baseline: the naive parser — gunzip, cut lines at '\n', `line.split(',')`, and convert the same
 * fields the csv-parse baseline converts (no validation, no quoting). What a quick script would do.
 */
export async function benchPlainSplit(dir: string): Promise<ParseBenchResult> {
  const sub = path.join(dir, 'task_events');
  const files = await listInputFiles(existsSync(sub) ? sub : dir);
  const start = process.hrtime.bigint();
  let rows = 0;
  let bytes = 0;
  let check = 0;
  for (const file of files) {
    let rest = '';
    for await (const chunk of readChunks(file)) {
      bytes += chunk.length;
      const text = rest + chunk.toString('latin1');
      let from = 0;
      let nl = text.indexOf('\n');
      while (nl >= 0) {
        const f = text.slice(from, nl).split(',');
        rows++;
        check += Number(f[5]) + Number(f[0]) * 0 + (f[9] === '' ? 0 : Number(f[9]));
        from = nl + 1;
        nl = text.indexOf('\n', from);
      }
      rest = text.slice(from);
    }
    if (rest !== '') rows++;
  }
  if (Number.isNaN(check)) throw new Error('unexpected NaN');
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { rows, bytes, seconds, rowsPerSecond: rows / seconds, mbPerSecond: bytes / 1e6 / seconds };
}

/** Runs one open+replay (or open+read pass) in its own process, so peak RSS is its own. */
function runChild(spec: TraceRunSpec): TraceRunResult {
  const child = fileURLToPath(new URL('./trace-replay-child.js', import.meta.url));
  const r = spawnSync(process.execPath, [child, JSON.stringify(spec)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`trace benchmark ${spec.source}/${spec.mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as TraceRunResult;
}

const fmt = (x: number, digits = 0): string => x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const mib = (b: number): string => fmt(b / 1024 ** 2);
const verdict = (ok: boolean): string => (ok ? 'met' : '**not met**');

export async function traceSection(): Promise<string> {
  const dataDir = path.join(packageRoot(), '..', 'shared', 'data', 'google-2011');
  const title = '## Traces (issue 3)';
  if (!existsSync(path.join(dataDir, 'task_events'))) {
    const msg = `skipped: ${dataDir} is absent (the Google 2011 sample is needed; see ../shared/data/README.md)`;
    process.stderr.write(`bench: traces ${msg}\n`);
    return [title, '', msg, ''].join('\n');
  }
  const log = (s: string) => process.stderr.write(`bench: traces: ${s}\n`);

  // (a) Parse rate.
  const parse: Array<[string, string, ParseBenchResult]> = [];
  log('gunzip only...');
  parse.push(['gunzip only (floor)', 'zlib gunzip, newlines counted', await benchGunzipOnly(dataDir)]);
  log('plain split...');
  parse.push(['plain split', "gunzip, `line.split(',')`, 3 fields to numbers, no checks", await benchPlainSplit(dataDir)]);
  log('csv-parse...');
  parse.push(['csv-parse', 'csv-parse streaming API, 3 fields to numbers', await benchCsvParse(dataDir)]);
  log('schedlab parser...');
  const ours = await benchGoogle2011Parse(dataDir);
  parse.push(['schedlab', 'strict parser: all 13 columns validated and typed into columnar batches', ours]);

  // (b), (c) Replays and read passes, each in its own process.
  const tmp = mkdtempSync(path.join(tmpdir(), 'schedlab-trace-bench-'));
  const nativeFile = path.join(tmp, 'google-2011.schedlab.arrow');
  try {
    log('convert to native...');
    const c0 = performance.now();
    const written = await writeNativeWorkload(await readGoogle2011(dataDir), nativeFile);
    const convertSeconds = (performance.now() - c0) / 1000;
    log('read pass from CSV...');
    const csvRead = runChild({ source: 'csv', path: dataDir, mode: 'read', policy: POLICY });
    log('read pass from native...');
    const natRead = runChild({ source: 'native', path: nativeFile, mode: 'read', policy: POLICY });
    log(`replay from CSV (${POLICY})...`);
    const csvRun = runChild({ source: 'csv', path: dataDir, mode: 'replay', policy: POLICY });
    log(`replay from native (${POLICY})...`);
    const natRun = runChild({ source: 'native', path: nativeFile, mode: 'replay', policy: POLICY });

    const speedup = csvRun.totalSeconds / natRun.totalSeconds;
    const readSpeedup = csvRead.totalSeconds / natRead.totalSeconds;
    const inputShareCsv = (csvRead.totalSeconds / csvRun.totalSeconds) * 100;
    const sameRun = csvRun.scheduled === natRun.scheduled && csvRun.pendingAtEnd === natRun.pendingAtEnd && csvRun.cpuRequested === natRun.cpuRequested;

    const lines = [
      title,
      '',
      `Google ClusterData 2011 sample (\`../shared/data/google-2011\`): task_events parts 0–13, gzip, ${fmt(ours.rows)} rows, ${fmt(ours.bytes / 1e6, 1)} MB decompressed.`,
      '',
      '### Parse rate (one pass over task_events, gunzip included)',
      '',
      '| parser | what it does | rows | s | rows/s | MB/s |',
      '|---|---|---:|---:|---:|---:|',
      ...parse.map(([name, what, r]) => `| ${name} | ${what} | ${fmt(r.rows)} | ${fmt(r.seconds, 2)} | ${fmt(r.rowsPerSecond)} | ${fmt(r.mbPerSecond, 1)} |`),
      '',
      'papaparse is not installed (not a project dependency), so it is not measured.',
      '',
      `- schedlab parser: ${fmt(ours.rowsPerSecond)} rows/s (target ≥ ${fmt(TARGET_PARSE_ROWS_PER_S)} rows/s): ${verdict(ours.rowsPerSecond >= TARGET_PARSE_ROWS_PER_S)}.`,
      '',
      `### Replay of the whole window (${POLICY}, seed 1, ${fmt(csvRun.machines)} machines at t = 0, ${fmt(csvRun.tasks)} tasks)`,
      '',
      `Each run in its own process (\`bench/trace-replay-child.ts\`); "open" = opening the workload (for CSV the reader's first pass over task_events), ` +
        '"run" = the replay, or for the read rows one full pass over the task batches (for CSV that is the second parse).',
      '',
      '| source | what | open s | run s | total s | peak RSS MiB |',
      '|---|---|---:|---:|---:|---:|',
      `| CSV (gzip) | read only | ${fmt(csvRead.openSeconds, 2)} | ${fmt(csvRead.runSeconds, 2)} | ${fmt(csvRead.totalSeconds, 2)} | ${mib(csvRead.peakRssBytes)} |`,
      `| native | read only | ${fmt(natRead.openSeconds, 2)} | ${fmt(natRead.runSeconds, 2)} | ${fmt(natRead.totalSeconds, 2)} | ${mib(natRead.peakRssBytes)} |`,
      `| CSV (gzip) | read + replay | ${fmt(csvRun.openSeconds, 2)} | ${fmt(csvRun.runSeconds, 2)} | ${fmt(csvRun.totalSeconds, 2)} | ${mib(csvRun.peakRssBytes)} |`,
      `| native | read + replay | ${fmt(natRun.openSeconds, 2)} | ${fmt(natRun.runSeconds, 2)} | ${fmt(natRun.totalSeconds, 2)} | ${mib(natRun.peakRssBytes)} |`,
      '',
      `Native file: ${fmt(written.bytes / 1e6, 1)} MB, ${fmt(written.batches)} record batches, written in ${fmt(convertSeconds, 2)} s (\`schedlab trace convert\`, CSV read included). ` +
        `Both sources give the same run: ${sameRun ? `yes (${fmt(csvRun.scheduled ?? 0)} scheduled, ${fmt(csvRun.pendingAtEnd ?? 0)} pending at the end)` : '**no — investigate**'}.`,
      '',
      `- Replay from CSV: ${fmt(csvRun.totalSeconds, 1)} s wall (target < ${TARGET_REPLAY_S} s): ${verdict(csvRun.totalSeconds < TARGET_REPLAY_S)}; peak RSS ${mib(csvRun.peakRssBytes)} MiB.`,
      `- Read + replay, CSV time / native time: ${speedup.toFixed(2)} (target ≥ ${TARGET_SPEEDUP}): ${verdict(speedup >= TARGET_SPEEDUP)}` +
        (Math.abs(speedup - 1) < 0.2 ? ' (equal within run-to-run noise: the replays themselves differ only in noise).' : '.'),,
      `- Read only (open + one full pass over the batches), CSV time / native time: ${readSpeedup.toFixed(1)} (${fmt(csvRead.totalSeconds, 2)} s → ${fmt(natRead.totalSeconds, 2)} s).`,
    ];
    if (speedup < TARGET_SPEEDUP) {
      const simShare = (natRun.runSeconds / natRun.totalSeconds) * 100;
      lines.push(
        inputShareCsv < 50
          ? `- What dominates: the simulation. Reading the CSV is ${fmt(inputShareCsv, 1)} % of the CSV replay's wall time and the simulation ${fmt(simShare, 1)} % ` +
              `of the native one, so no input format can make read + replay ${TARGET_SPEEDUP}× faster here; the native file removes most of the input cost (read-only ratio above).`
          : `- What dominates: reading the input (${fmt(inputShareCsv, 1)} % of the CSV replay's wall time).`,
      );
    }
    lines.push('');
    return lines.join('\n');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const invoked = process.argv[1] !== undefined && /trace-bench\.(js|ts)$/.test(process.argv[1]);
if (invoked) {
  traceSection()
    .then((s) => process.stdout.write(s))
    .catch((e) => {
      console.error(e instanceof Error ? e.stack : e);
      process.exit(1);
    });
}
