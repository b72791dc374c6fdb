import { basename, extname } from 'node:path';
import type { PackingInstance } from '../../model/packing-instance.js';
import { instanceError } from './input-error.js';
import { readInstanceText } from './read-text.js';
import { LineScanner, parseIntToken } from './line-scanner.js';

/** Options shared by the instance readers. */
export interface ReadOptions {
  /**
   * Accept items larger than the bin (the instance is then infeasible and solvers say so).
   * Default false: such a file is rejected as malformed.
   */
  allowOversized?: boolean;
  /**
   * Accept negative sizes. Default false (rejected as malformed). Some published files have them:
   * 34 of the Caprara triplet `.vbp` files in Mommessin et al.'s set carry sizes -1 / -2 (a generator
   * artifact). Heuristics and the MIP handle them (they enlarge the residual); the L2 and clique
   * bounds skip dimensions that have negative sizes, since their arguments need sizes >= 0.
   */
  allowNegative?: boolean;
}

/**
 * Most items an instance may have: far above published benchmarks (BPPLIB and the vector sets stop
 * at tens of thousands), and a bound on what a damaged count or demand (1e15) would allocate.
 */
export const MAX_ITEMS = 10_000_000;

/**
 * Reads a one-dimensional BPPLIB instance (Delorme, Iori & Martello, "BPPLIB: a library for bin
 * packing and cutting stock problems", Optimization Letters 12, 2018): the number of items `n`, the
 * capacity `c`, then `n` integer weights, one per line. LF and CRLF line ends are both accepted.
 */
export function parseBpplib(text: string, file = '<input>', opts: ReadOptions = {}): PackingInstance {
  const sc = new LineScanner(file, text);
  const n = sc.int('item count n', 0, MAX_ITEMS);
  if (sc.hasMoreOnLine()) throw instanceError(file, sc.line, 'item count n', 'a single integer on the line', sc.nextToken() ?? '');
  const c = sc.int('capacity c', 1);
  if (sc.hasMoreOnLine()) throw instanceError(file, sc.line, 'capacity c', 'a single integer on the line', sc.nextToken() ?? '');
  const sizes = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const tok = sc.nextToken();
    if (tok === null) {
      throw instanceError(file, sc.line, `weight ${i + 1} of ${n}`, `${n} weights after the capacity`, `only ${i}`);
    }
    const w = parseIntToken(file, sc.line, `weight ${i + 1} of ${n}`, tok, opts.allowNegative ? -Number.MAX_SAFE_INTEGER : 0);
    if (w > c && !opts.allowOversized) {
      throw instanceError(file, sc.line, `weight ${i + 1} of ${n}`, `a weight <= capacity ${c}`, tok);
    }
    sizes[i] = w;
  }
  sc.expectEnd(`${n} weights (n = ${n})`);
  return { name: stem(file), d: 1, n, capacity: Float64Array.of(c), sizes, source: file };
}

export function readBpplib(path: string, opts: ReadOptions = {}): PackingInstance {
  return parseBpplib(readInstanceText(path), path, opts);
}

export function stem(file: string): string {
  const b = basename(file);
  const e = extname(b);
  return e ? b.slice(0, -e.length) : b;
}
