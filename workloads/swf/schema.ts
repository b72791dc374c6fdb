import { displayPath } from '../../model/errors.js';

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

/** The field number the SWF definition uses (1-based) for a 0-based index. */
export function swfFieldNumber(index: number): number {
  return index + 1;
}

/** Field indices (0-based; the format page numbers them from 1, and so do messages: see swfFieldNumber). */
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
  /** Where each used header was read (file and line), for messages. */
  at: Record<string, { file: string; line: number }>;
  /** Headers that were unreadable or implausible, one message each; such a header is not used. */
  warnings: string[];
}

export function emptySwfHeader(): SwfHeader {
  return { header: {}, at: {}, warnings: [] };
}

/**
 * The most processors (or nodes) a header may claim: 2^24 = 16,777,216. Larger than any machine
 * built (the largest TOP500 systems have about 10–11 million cores), so a bigger MaxProcs (the
 * 2^31 or 10^12 seen in converted logs) is a placeholder, not a machine.
 */
export const MAX_PLAUSIBLE_PROCS = 2 ** 24;

/**
 * The most memory per processor a `MaxMemory` header (KB) may claim: 2^30 KB = 1 TiB per processor.
 * The largest shared-memory servers hold a few tens of TiB for hundreds of cores, far under 1 TiB
 * a core; a value above it (hundreds of TiB) is a placeholder.
 */
export const MAX_PLAUSIBLE_MEMORY_KB = 2 ** 30;

const HEADER = /^;\s*([A-Za-z][A-Za-z0-9_]*)\s*:\s*(.*)$/;
const WHOLE = /^\d+$/;
const DECIMAL = /^\d+(\.\d+)?([eE][-+]?\d+)?$/;

/**
 * Reads a `; Name: value` comment into `h`; returns false for other comments. MaxProcs, MaxNodes
 * and MaxMemory that are not positive numbers, or beyond the plausible limits above, are not used:
 * a warning naming the header, file and line goes to `h.warnings`.
 */
export function readHeaderLine(text: string, h: SwfHeader, where: { file: string; line: number } = { file: '', line: 0 }): boolean {
  const m = HEADER.exec(text);
  if (m === null) return false;
  const [, name, raw] = m;
  const value = raw.trim();
  if (name in h.header) return true;
  h.header[name] = value;
  const first = value.split(/\s+/)[0];
  const place = `${where.file ? `${displayPath(where.file)} line ${where.line}: ` : ''}SWF header ${name}`;
  if (name === 'MaxProcs' || name === 'MaxNodes') {
    const n = WHOLE.test(first) ? Number(first) : NaN;
    if (!(n > 0)) h.warnings.push(`${place}: "${value}" is not a positive whole number; the header is not used`);
    else if (n > MAX_PLAUSIBLE_PROCS) {
      h.warnings.push(`${place}: ${n.toLocaleString('en-US')} is implausible (more than ${MAX_PLAUSIBLE_PROCS.toLocaleString('en-US')}, larger than any machine built); the header is not used`);
    } else {
      if (name === 'MaxProcs') h.maxProcs = n;
      else h.maxNodes = n;
      h.at[name] = where;
    }
  } else if (name === 'MaxMemory') {
    const n = DECIMAL.test(first) ? Number(first) : NaN;
    if (!(n > 0)) h.warnings.push(`${place}: "${value}" is not a positive number (KB per processor); the header is not used`);
    else if (n > MAX_PLAUSIBLE_MEMORY_KB) {
      h.warnings.push(
        `${place}: ${n.toLocaleString('en-US')} KB per processor (${+(n / 2 ** 30).toPrecision(3)} TiB) is implausible (more than 1 TiB per processor); the header is not used`,
      );
    } else {
      h.maxMemory = n;
      h.at[name] = where;
    }
  } else if (name === 'UnixStartTime') {
    const n = Number(first);
    h.unixStartTime = first !== '' && Number.isFinite(n) ? n : undefined;
  }
  return true;
}

/** Does a line look like an SWF job line (18 numeric fields)? For format detection. */
export function looksLikeSwfJob(text: string): boolean {
  const f = text.trim().split(/\s+/);
  return f.length === SWF_FIELD_COUNT && f.every((x) => /^-?\d+(\.\d+)?$/.test(x));
}
