import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { PackingInstance } from '../../model/packing-instance.js';
import { type ReadOptions, readBpplib, stem } from './bpplib-reader.js';
import { readVbp } from './vbp-reader.js';

/** Reads an instance file, choosing the format from the extension: `.vbp` = VPSolver, else BPPLIB. */
export function readInstance(path: string, opts: ReadOptions = {}): PackingInstance {
  return path.toLowerCase().endsWith('.vbp') ? readVbp(path, opts) : readBpplib(path, opts);
}

/** What a benchmark's side file says about one instance. */
export interface KnownInstanceInfo {
  /** Proven optimum, when known. */
  opt?: number;
  /** Published lower bound, when given. */
  lb?: number;
  /** Benchmark class (e.g. 'Falkenauer_U', 'Panigrahy/class4'). */
  cls?: string;
  /** The side file it came from. */
  from: string;
}

const tableCache = new Map<string, Map<string, (KnownInstanceInfo & { path?: string })[]>>();

/** Minimal CSV split (the side files have no quoted fields). */
function parseCsv(text: string): string[][] {
  return text
    .split(/\r?\n/)
    .filter((l) => l.trim().length > 0)
    .map((l) => l.split(','));
}

function loadTable(file: string): Map<string, (KnownInstanceInfo & { path?: string })[]> {
  let t = tableCache.get(file);
  if (t) return t;
  t = new Map();
  const rows = parseCsv(readFileSync(file, 'utf8'));
  const head = rows[0] ?? [];
  const col = (name: string) => head.indexOf(name);
  const iName = col('instance');
  const iOpt = col('opt') >= 0 ? col('opt') : col('OPT');
  const iLb = col('LB') >= 0 ? col('LB') : col('L2_MT');
  const iSet = col('set') >= 0 ? col('set') : col('benchmark');
  const iCls = col('cls');
  const iPath = col('path');
  if (iName >= 0) {
    for (const r of rows.slice(1)) {
      const num = (k: number) => {
        if (k < 0 || r[k] === undefined || r[k] === '') return undefined;
        const v = Number(r[k]);
        return Number.isFinite(v) && v >= 0 ? v : undefined; // -1 = unknown in index.csv
      };
      let cls: string | undefined;
      if (iSet >= 0 && r[iSet]) cls = head[iSet] === 'benchmark' && iCls >= 0 && r[iCls] ? `${r[iSet]}/${r[iCls]}` : r[iSet];
      const list = t.get(r[iName]) ?? [];
      list.push({ opt: num(iOpt), lb: num(iLb), cls, from: file, path: iPath >= 0 ? r[iPath] : undefined });
      t.set(r[iName], list);
    }
  }
  tableCache.set(file, t);
  return t;
}

/**
 * Looks for `optima.csv` (BPPLIB set) or `index.csv` (vector sets) in the instance's folder and up
 * to three folders above it, and returns what it says about this instance (matched by file stem).
 */
export function lookupKnown(path: string): KnownInstanceInfo | undefined {
  const name = stem(path);
  let dir = dirname(resolve(path));
  for (let up = 0; up < 4; up++) {
    for (const f of ['optima.csv', 'index.csv']) {
      const p = join(dir, f);
      if (existsSync(p)) {
        const hits = loadTable(p).get(name);
        if (hits && hits.length > 0) {
          // Names repeat across benchmarks (Panigrahy and New both have class1_20_3_0): prefer the
          // row whose path column is a suffix of this file's path.
          const full = resolve(path).split(sep).join('/');
          const exact = hits.find((h) => h.path && full.endsWith('/' + h.path.replace(/^\.?\//, '')));
          const hit = exact ?? (hits.length === 1 ? hits[0] : undefined);
          if (hit) {
            const { path: _p, ...info } = hit;
            return info;
          }
        }
      }
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

/** A class label for summaries: the side file's class, else the instance's parent folder name. */
export function classOf(path: string, known?: KnownInstanceInfo): string {
  if (known?.cls) return known.cls;
  return basename(dirname(resolve(path)));
}
