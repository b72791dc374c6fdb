import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../model/errors.js';
import { firstLine, listInputFiles } from './gzip-lines.js';
import { GOOGLE_2011_COLUMN_COUNTS, GOOGLE_2011_TABLES, type Google2011Table } from './google-2011/schema.js';

/** Trace formats schedlab can recognize. */
export const TRACE_FORMATS = ['google-2011'] as const;
export type TraceFormat = (typeof TRACE_FORMATS)[number];

/**
 * What a path holds: a whole trace folder (one subfolder per table) or one table (a file, a folder
 * of parts, or a glob). `tables` maps each table found to its files, in reading order.
 */
export interface DetectedInput {
  format: TraceFormat;
  path: string;
  kind: 'trace-folder' | 'table';
  tables: Partial<Record<Google2011Table, string[]>>;
}

const INT = /^\d+$/;
const NUM = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const isCode = (s: string, max: number) => INT.test(s) && Number(s) <= max;
const optNum = (s: string) => s === '' || NUM.test(s);

/** The Google 2011 table a first row looks like, or null. */
export function sniffGoogle2011Table(line: string): Google2011Table | null {
  const f = line.split(',');
  if (!INT.test(f[0] ?? '')) return null;
  switch (f.length) {
    case 13:
      return INT.test(f[2]) && INT.test(f[3]) && isCode(f[5], 8) && isCode(f[8], 11) ? 'task_events' : null;
    case 8:
      return INT.test(f[2]) && isCode(f[3], 8) ? 'job_events' : null;
    case 6:
      if (INT.test(f[1]) && isCode(f[2], 2) && !INT.test(f[3]) && optNum(f[4]) && optNum(f[5])) return 'machine_events';
      if (INT.test(f[1]) && INT.test(f[2]) && isCode(f[3], 3)) return 'task_constraints';
      return null;
    case 5:
      return INT.test(f[1]) ? 'machine_attributes' : null;
    case 20:
      return INT.test(f[1]) && INT.test(f[2]) && INT.test(f[3]) ? 'task_usage' : null;
    default:
      return null;
  }
}

function describeKnown(): string {
  return GOOGLE_2011_TABLES.map((t) => `${t} (${GOOGLE_2011_COLUMN_COUNTS[t]} columns)`).join(', ');
}

/**
 * Recognizes `input`: a Google 2011 trace folder (with task_events/, machine_events/, ... inside),
 * or a single table given as a file, a folder of part files or a glob. The table is recognized from
 * its first row (checked against the folder name when that is a table name). `format` restricts
 * the answer; anything unrecognized throws InputError.
 */
export async function detectFormat(input: string, format?: string): Promise<DetectedInput> {
  if (format !== undefined && !(TRACE_FORMATS as readonly string[]).includes(format)) {
    throw new InputError({
      file: input,
      problem: `unknown format '${format}' (known: ${TRACE_FORMATS.join(', ')})`,
    });
  }
  // A whole trace folder?
  if (existsSync(input) && statSync(input).isDirectory()) {
    const present = GOOGLE_2011_TABLES.filter((t) => {
      const p = path.join(input, t);
      return existsSync(p) && statSync(p).isDirectory();
    });
    if (present.length > 0) {
      const tables: DetectedInput['tables'] = {};
      for (const t of present) tables[t] = await listInputFiles(path.join(input, t));
      return { format: 'google-2011', path: input, kind: 'trace-folder', tables };
    }
  }
  const files = await listInputFiles(input);
  const head = await firstLine(files[0]);
  const sniffed = sniffGoogle2011Table(head);
  if (sniffed === null) {
    const cols = head === '' ? 0 : head.split(',').length;
    throw new InputError({
      file: files[0],
      line: 1,
      problem:
        `not a recognized trace format: the first line has ${cols} column${cols === 1 ? '' : 's'} ` +
        `(${JSON.stringify(head.slice(0, 80))}); known: google-2011 ${describeKnown()}`,
    });
  }
  // A folder named after a table must hold that table.
  const folder = path.basename(existsSync(input) && statSync(input).isDirectory() ? input : path.dirname(files[0]));
  const named = (GOOGLE_2011_TABLES as readonly string[]).includes(folder) ? (folder as Google2011Table) : null;
  if (named !== null && named !== sniffed) {
    throw new InputError({
      file: files[0],
      line: 1,
      problem: `the folder is named ${named} but the first row looks like ${sniffed}`,
    });
  }
  return { format: 'google-2011', path: input, kind: 'table', tables: { [sniffed]: files } };
}
