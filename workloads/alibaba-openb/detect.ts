import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { OPENB_NODE_COLUMNS, OPENB_POD_COLUMNS, OPENB_POD_COLUMNS_SHORT } from './schema.js';

/** The first line of a (small, plain-text) file, without its line end and BOM. */
function headLine(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(512);
    const n = readSync(fd, buf, 0, buf.length, 0);
    let s = buf.subarray(0, n).toString('utf8');
    if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    const end = s.search(/\r?\n/);
    return end < 0 ? s : s.slice(0, end);
  } finally {
    closeSync(fd);
  }
}

const HEADERS = [OPENB_POD_COLUMNS, OPENB_POD_COLUMNS_SHORT, OPENB_NODE_COLUMNS].map((h) => h.join(','));

/** What kind of openb table a file is, from its header: 'pods', 'nodes' or null. */
export function openbTableKind(file: string): 'pods' | 'nodes' | null {
  if (!existsSync(file) || !statSync(file).isFile()) return null;
  const h = headLine(file).trim();
  if (h === HEADERS[0] || h === HEADERS[1]) return 'pods';
  if (h === HEADERS[2]) return 'nodes';
  return null;
}

/**
 * True when `p` is an openb pod list (by its header) or a folder holding
 * `openb_pod_list_*.csv` files. Synchronous and cheap (reads at most 512 bytes per file), so a
 * format registry can call it before any other sniffing.
 */
export function looksLikeOpenb(p: string): boolean {
  if (!existsSync(p)) return false;
  if (statSync(p).isDirectory()) {
    return readdirSync(p).some((f) => /^openb_pod_list_.*\.csv$/.test(f) && openbTableKind(path.join(p, f)) === 'pods');
  }
  return openbTableKind(p) === 'pods';
}
