import { statSync } from 'node:fs';
import * as path from 'node:path';
import { UsageError, InputError } from '../model/errors.js';
import { readAlibaba2018, alibaba2018Files } from './alibaba-2018/reader.js';
import { ALIBABA_2018_TABLES } from './alibaba-2018/schema.js';
import { azureFiles, readAzure } from './azure/reader.js';
import { vmCategory } from './azure/schema.js';
import { detectFormat } from './detect-format.js';
import { readGoogle2011 } from './google-2011/reader.js';
import { google2019Files, readGoogle2019 } from './google-2019/reader.js';
import { GOOGLE_2019_TABLES } from './google-2019/schema.js';
import { firstLine, isGlob, listInputFiles, readLines } from './gzip-lines.js';
import { isDir, tableOfFile } from './reader-kit/table-files.js';
import { looksLikeSwfJob } from './swf/schema.js';
import { readSwf, swfFiles } from './swf/reader.js';
import { kubernetesFormat } from './kubernetes/format.js';
import { openbFormat } from './alibaba-openb/format.js';
import { nativeFormat } from './native/format.js';
import type { ReadWorkloadOptions, TraceFormatEntry } from './trace-format.js';
import type { Workload } from '../model/workload.js';

// The format registry: every trace format schedlab reads (trace-format.ts), in tie-break order;
// readWorkloadFromPath detects the format of a path (or takes the one named) and calls its reader.

/** The first `n` non-empty lines of a file (decompressing only what it needs); [] on any error. */
async function headLines(file: string, n: number): Promise<string[]> {
  const out: string[] = [];
  try {
    for await (const { text } of readLines([file])) {
      if (text.trim() === '') continue;
      out.push(text);
      if (out.length >= n) break;
    }
  } catch {
    return out;
  }
  return out;
}

const safe = (f: () => Promise<number>) => async () => {
  try {
    return await f();
  } catch {
    return 0;
  }
};

const isFile = (p: string) => {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
};

/** One file to sniff for a path: the file itself, or the first file of a glob. */
async function sniffFile(input: string): Promise<string | null> {
  if (isFile(input)) return input;
  if (isGlob(input)) return (await listInputFiles(input))[0] ?? null;
  return null;
}

const google2011: TraceFormatEntry = {
  name: 'google-2011',
  describe: 'Google ClusterData 2011 (clusterdata-2011-2): a folder with machine_events/ and task_events/ part files',
  detect: (input) =>
    safe(async () => {
      const d = await detectFormat(input, 'google-2011');
      return d.kind === 'trace-folder' ? 1 : 0.6;
    })(),
  read: async (input, o) => {
    const d = await detectFormat(input, 'google-2011');
    if (d.kind !== 'trace-folder') {
      throw new UsageError(
        `${input} is a single google-2011 table; reading a workload needs the trace folder (with machine_events/ and task_events/ inside)`,
      );
    }
    return readGoogle2011(d.path, { ...o.google2011, onBadRow: o.onBadRow ?? o.google2011?.onBadRow });
  },
};

const google2019: TraceFormatEntry = {
  name: 'google-2019',
  describe: 'Google ClusterData 2019 (v3), one cell as BigQuery NDJSON: collection_events, instance_events, machine_events, instance_usage',
  detect: (input) =>
    safe(async () => {
      if (isDir(input)) {
        const f = google2019Files(input);
        return f.instance_events || f.machine_events || f.collection_events ? 0.95 : 0.5;
      }
      const file = await sniffFile(input);
      if (file === null) return 0;
      const [head] = await headLines(file, 1);
      if (head === undefined || !head.trimStart().startsWith('{')) return 0;
      const o = JSON.parse(head) as Record<string, unknown>;
      if (tableOfFile(file, GOOGLE_2019_TABLES) !== null) return 0.95;
      return 'collection_id' in o || 'machine_id' in o ? 0.7 : 0;
    })(),
  read: (input, o) => readGoogle2019(input, { ...o.google2019, onBadRow: o.onBadRow ?? o.google2019?.onBadRow }),
};

const alibaba2018: TraceFormatEntry = {
  name: 'alibaba-2018',
  describe: 'Alibaba cluster-trace-v2018: machine_meta, machine_usage, container_meta, container_usage, batch_task, batch_instance CSVs',
  detect: (input) =>
    safe(async () => {
      if (isDir(input)) {
        alibaba2018Files(input);
        return 0.9;
      }
      const file = await sniffFile(input);
      if (file === null) return 0;
      const [head] = await headLines(file, 1);
      if (head === undefined) return 0;
      const f = head.split(',');
      if (tableOfFile(file, ALIBABA_2018_TABLES) !== null && f.length >= 7) return 0.9;
      if (/^m_\d+$/.test(f[0]) && (f.length === 7 || f.length === 9)) return 0.7;
      if (/^c_\d+$/.test(f[0]) && (f.length === 8 || f.length === 11)) return 0.7;
      return 0;
    })(),
  read: (input, o) => readAlibaba2018(input, { ...o.alibaba2018, onBadRow: o.onBadRow ?? o.alibaba2018?.onBadRow }),
};

const azure: TraceFormatEntry = {
  name: 'azure',
  describe: 'Azure Public Dataset VM traces V1 (2017) and V2 (2019): vmtable (+ vm_cpu_readings) CSVs',
  detect: (input) =>
    safe(async () => {
      let file: string | null;
      if (isDir(input)) file = azureFiles(input).vmtable[0];
      else file = await sniffFile(input);
      if (file === null) return 0;
      const [head] = await headLines(file, 1);
      if (head === undefined) return 0;
      const f = head.split(',');
      if (f.length === 11 && vmCategory(f[8].trim()) !== undefined) return 0.95;
      return 0;
    })(),
  read: (input, o) => readAzure(input, { ...o.azure, onBadRow: o.onBadRow ?? o.azure?.onBadRow }),
};

const swf: TraceFormatEntry = {
  name: 'swf',
  describe: 'Standard Workload Format (Parallel Workloads Archive): 18 whitespace-separated fields per job, ";" header comments',
  detect: (input) =>
    safe(async () => {
      const files = await swfFiles(input);
      const lines = await headLines(files[0], 50);
      const jobLine = lines.find((l) => !l.trimStart().startsWith(';'));
      const byName = /\.swf(\.gz)?$/i.test(files[0]);
      if (jobLine !== undefined && looksLikeSwfJob(jobLine)) return byName ? 0.95 : 0.85;
      if (jobLine === undefined && lines.length > 0 && lines.every((l) => l.trimStart().startsWith(';'))) return byName ? 0.6 : 0.3;
      return 0;
    })(),
  read: (input, o) => readSwf(input, { ...o.swf, onBadRow: o.onBadRow ?? o.swf?.onBadRow }),
};

/** The registered formats, in tie-break order. */
const REGISTRY: TraceFormatEntry[] = [
  google2011,
  google2019,
  alibaba2018,
  azure,
  swf,
  kubernetesFormat,
  openbFormat,
  nativeFormat,
];

/**
 * Adds (or replaces, by name) a format. Returns a function that undoes it — puts back the entry it
 * replaced, or removes the one it added — so a caller (a test, a plugin) can leave the process-wide
 * registry as it found it.
 */
export function registerFormat(entry: TraceFormatEntry): () => void {
  const i = REGISTRY.findIndex((e) => e.name === entry.name);
  const replaced = i >= 0 ? REGISTRY[i] : undefined;
  if (i >= 0) REGISTRY[i] = entry;
  else REGISTRY.push(entry);
  return () => {
    const j = REGISTRY.indexOf(entry);
    if (j < 0) return;
    if (replaced) REGISTRY[j] = replaced;
    else REGISTRY.splice(j, 1);
  };
}

export function traceFormats(): readonly TraceFormatEntry[] {
  return REGISTRY;
}

export function knownFormatNames(): string[] {
  return REGISTRY.map((e) => e.name);
}

export function formatEntry(name: string, input: string): TraceFormatEntry {
  const e = REGISTRY.find((x) => x.name === name);
  if (e === undefined) {
    throw new InputError({ file: input, problem: `unknown format '${name}' (known: ${knownFormatNames().join(', ')})` });
  }
  return e;
}

/**
 * Surfaces problems of the input itself before detection: a path that does not exist, an empty file,
 * a gzip file that holds nothing or is cut before its first line.
 */
async function checkReadable(input: string): Promise<void> {
  if (isGlob(input)) {
    await listInputFiles(input);
    return;
  }
  let st;
  try {
    st = statSync(input);
  } catch {
    throw new InputError({ file: input, problem: 'no such file or folder' });
  }
  if (st.isFile()) await firstLine(input);
}

/** The format of `input` (or `format`, checked to exist), with the confidence of each candidate. */
export async function detectWorkloadFormat(input: string, format?: string): Promise<{ format: string; confidence: number }> {
  if (format !== undefined) {
    formatEntry(format, input);
    await checkReadable(input);
    return { format, confidence: 1 };
  }
  await checkReadable(input);
  let best: { format: string; confidence: number } | null = null;
  for (const e of REGISTRY) {
    const c = await e.detect(input);
    if (c > 0 && (best === null || c > best.confidence)) best = { format: e.name, confidence: c };
  }
  if (best === null) {
    throw new InputError({
      file: input,
      problem: `not a recognized trace format (known: ${REGISTRY.map((e) => `${e.name} — ${e.describe}`).join('; ')}); pass --format to force one`,
    });
  }
  return best;
}

/** Detects the format of `input` (unless `options.format` names it) and reads it into a Workload. */
export async function readWorkloadFromPath(input: string, options: ReadWorkloadOptions = {}): Promise<Workload> {
  const { format } = await detectWorkloadFormat(input, options.format);
  return formatEntry(format, input).read(path.normalize(input), options);
}
