/**
 * The Standard Workload Format (SWF) v2.2 of the Parallel Workloads Archive
 * (Feitelson, Tsafrir & Krakov, "Experience with using the Parallel Workloads Archive",
 * JPDC 74(10), 2014; format page: cs.huji.ac.il/labs/parallel/workload/swf.html).
 *
 * One job per line, 18 whitespace-separated fields, -1 = missing/irrelevant. Lines starting with ';'
 * are comments; the header comments (`; MaxProcs: 128`) describe the machine.
 */
export const SWF_FIELDS = [
  'job number',
  'submit time',
  'wait time',
  'run time',
  'allocated processors',
  'average CPU time used',
  'used memory',
  'requested processors',
  'requested time',
  'requested memory',
  'status',
  'user ID',
  'group ID',
  'executable number',
  'queue number',
  'partition number',
  'preceding job number',
  'think time',
] as const;

export const SWF_FIELD_COUNT = SWF_FIELDS.length;

/** Field indices (0-based: the format page numbers them from 1). */
export const F = {
  job: 0,
  submit: 1,
  wait: 2,
  run: 3,
  allocProcs: 4,
  avgCpu: 5,
  usedMem: 6,
  reqProcs: 7,
  reqTime: 8,
  reqMem: 9,
  status: 10,
  user: 11,
  group: 12,
  executable: 13,
  queue: 14,
  partition: 15,
  preceding: 16,
  think: 17,
} as const;

/** Status codes (field 11): 2–4 describe the parts of a checkpointed/swapped job. */
export const SWF_STATUS: Record<number, string> = {
  [-1]: 'unknown',
  0: 'failed',
  1: 'completed',
  2: 'partial (continued)',
  3: 'last partial, completed',
  4: 'last partial, failed',
  5: 'cancelled',
};

/** Header comments the reader uses; every `; Name: value` line is kept in `header`. */
export interface SwfHeader {
  header: Record<string, string>;
  maxProcs?: number;
  maxNodes?: number;
  /** Memory per processor, KB (`MaxMemory`), when the log gives it. */
  maxMemory?: number;
  unixStartTime?: number;
}

const HEADER = /^;\s*([A-Za-z][A-Za-z0-9_]*)\s*:\s*(.*)$/;

/** Reads a `; Name: value` comment into `h`; returns false for other comments. */
export function readHeaderLine(text: string, h: SwfHeader): boolean {
  const m = HEADER.exec(text);
  if (m === null) return false;
  const [, name, raw] = m;
  const value = raw.trim();
  if (!(name in h.header)) h.header[name] = value;
  const n = Number(value.split(/\s+/)[0]);
  const pos = Number.isFinite(n) && n > 0 ? n : undefined;
  if (name === 'MaxProcs') h.maxProcs = pos;
  else if (name === 'MaxNodes') h.maxNodes = pos;
  else if (name === 'MaxMemory') h.maxMemory = pos;
  else if (name === 'UnixStartTime') h.unixStartTime = Number.isFinite(n) ? n : undefined;
  return true;
}

/** Does a line look like an SWF job line (18 numeric fields)? For format detection. */
export function looksLikeSwfJob(text: string): boolean {
  const f = text.trim().split(/\s+/);
  return f.length === SWF_FIELD_COUNT && f.every((x) => /^-?\d+(\.\d+)?$/.test(x));
}
