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

/**
 * Replay options whose meaning depends on the workload. The others (seed, policy, queue, sample
 * period, nodes-to-score, scheduler config, catalog) apply to every workload. `placement recorded`
 * and `on-bad-row skip` are the non-default values of their options.
 */
export const WORKLOAD_OPTIONS = ['nodes', 'instance', 'zones', 'tasks', 'hours', 'machine-scale', 'placement recorded', 'on-bad-row skip'] as const;
export type WorkloadOption = (typeof WORKLOAD_OPTIONS)[number];

const MACHINES_FROM_TRACE = 'the trace defines its machines';
const NO_GENERATED_NODES = 'it has no generated nodes to spread over zones';
const TASKS_FROM_TRACE = 'the trace defines its tasks';
const WINDOW_FROM_TRACE = "the replay window is the trace's own";
const NOT_NORMALIZED = 'its sizes are not normalized to a 1.0 machine (only the Google traces are)';
const NO_RECORDED = 'it records no machine for each task';

/**
 * Which workload options apply to each workload kind: an entry is the reason an option does not
 * apply (used with it, `--option` is a usage error naming that reason); no entry = it applies.
 * `nodes`, `instance` and `zones` apply to Kubernetes manifests and native files only when they
 * hold no machines (their readers check that).
 */
export const OPTION_APPLICABILITY: Readonly<Record<string, Partial<Record<WorkloadOption, string>>>> = {
  synthetic: {
    'machine-scale': 'the synthetic workload is generated in real units (its nodes are --instance)',
    'placement recorded': 'the synthetic workload has no recorded placements',
    'on-bad-row skip': 'the synthetic workload is generated: it has no input rows',
  },
  'google-2011': {
    nodes: `${MACHINES_FROM_TRACE} (machine_events)`,
    instance: `${MACHINES_FROM_TRACE} (machine_events), each priced by its shape`,
    zones: NO_GENERATED_NODES,
    tasks: `${TASKS_FROM_TRACE} (task_events)`,
    hours: `${WINDOW_FROM_TRACE} (its first to its last task_events row)`,
  },
  'google-2019': {
    nodes: `${MACHINES_FROM_TRACE} (machine_events)`,
    instance: `${MACHINES_FROM_TRACE} (machine_events), each priced by its shape`,
    zones: NO_GENERATED_NODES,
    tasks: `${TASKS_FROM_TRACE} (instance_events)`,
    hours: WINDOW_FROM_TRACE,
    'placement recorded': `the Google 2019 reader does not carry machine assignments`,
  },
  'alibaba-2018': {
    nodes: `${MACHINES_FROM_TRACE} (machine_meta; without it, the published 4,034 machines of 96 cores)`,
    instance: `${MACHINES_FROM_TRACE} (machine_meta), each priced by its shape`,
    zones: NO_GENERATED_NODES,
    tasks: TASKS_FROM_TRACE,
    hours: `${WINDOW_FROM_TRACE} (8 days)`,
    'machine-scale': `${NOT_NORMALIZED}; memory is scaled by the reader's machineMemoryBytes`,
    'placement recorded': NO_RECORDED,
  },
  'alibaba-openb': {
    nodes: `${MACHINES_FROM_TRACE} (the node list)`,
    instance: `${MACHINES_FROM_TRACE} (the node list), each priced by its shape`,
    zones: NO_GENERATED_NODES,
    tasks: `${TASKS_FROM_TRACE} (the pod list)`,
    hours: WINDOW_FROM_TRACE,
    'machine-scale': NOT_NORMALIZED,
    'placement recorded': 'the pod lists record when pods started, not on which node',
  },
  azure: {
    zones: NO_GENERATED_NODES,
    tasks: `${TASKS_FROM_TRACE} (one per VM)`,
    hours: `${WINDOW_FROM_TRACE} (vmcreated to vmdeleted)`,
    'machine-scale': NOT_NORMALIZED,
    'placement recorded': NO_RECORDED,
  },
  swf: {
    zones: NO_GENERATED_NODES,
    tasks: `${TASKS_FROM_TRACE} (one job per line)`,
    hours: `${WINDOW_FROM_TRACE} (submit to last end)`,
    'machine-scale': `${NOT_NORMALIZED}: a processor is one core`,
    'placement recorded': NO_RECORDED,
  },
  kubernetes: {
    tasks: 'the manifests define the pods',
    'machine-scale': NOT_NORMALIZED,
    'placement recorded': 'manifests record no placements',
  },
  native: {
    tasks: 'the file defines its tasks',
    hours: 'the file defines its window',
    'machine-scale': 'the file is already in real units (the scale was applied when it was converted)',
  },
};

/**
 * Every workload option given must apply to the workload's format (`synthetic` for the
 * generator): else a UsageError naming the option and why, e.g. "--nodes does not apply to
 * google-2011: the trace defines its machines (machine_events)".
 */
export function checkOptionsApply(format: string, given: readonly WorkloadOption[]): void {
  const table = OPTION_APPLICABILITY[format] ?? {};
  for (const o of given) {
    const why = table[o];
    if (why !== undefined) throw new UsageError(`--${o} does not apply to ${format === 'synthetic' ? 'the synthetic workload' : `${format} workloads`}: ${why}`);
  }
}
