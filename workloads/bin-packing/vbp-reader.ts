import type { PackingInstance } from '../../model/packing-instance.js';
import { MAX_ITEMS, type ReadOptions, stem } from './bpplib-reader.js';
import { instanceError } from './input-error.js';
import { readInstanceText } from './read-text.js';
import { LineScanner, parseIntToken } from './line-scanner.js';

/**
 * Reads a VPSolver `.vbp` vector bin-packing instance (Brandão & Pedroso, "Bin packing and related
 * problems: general arc-flow formulation with graph compression", C&OR 69, 2016): the dimension `d`;
 * the `d` bin capacities; the number of item types `m`; then `m` lines of `d` integer sizes followed
 * by an integer demand. An item type with demand k becomes k consecutive items.
 */
export function parseVbp(text: string, file = '<input>', opts: ReadOptions = {}): PackingInstance {
  const sc = new LineScanner(file, text);
  const d = sc.int('dimension d', 1, 1_000_000);
  const capacity = new Float64Array(d);
  for (let h = 0; h < d; h++) capacity[h] = sc.int(`capacity ${h + 1} of ${d}`, 1);
  const m = sc.int('item type count m', 0);
  const rows: number[] = [];
  const demands: number[] = [];
  let n = 0;
  for (let t = 0; t < m; t++) {
    const toks = sc.nextLineTokens();
    const field = `item type ${t + 1} of ${m}`;
    if (toks === null) throw instanceError(file, sc.line, field, `${m} item lines (m = ${m})`, `only ${t}`);
    if (toks.length !== d + 1) {
      throw instanceError(file, sc.line, field, `${d} sizes and a demand (${d + 1} integers)`, toks.join(' '));
    }
    for (let h = 0; h < d; h++) {
      const s = parseIntToken(file, sc.line, `${field}, size ${h + 1}`, toks[h], opts.allowNegative ? -Number.MAX_SAFE_INTEGER : 0);
      if (s > capacity[h] && !opts.allowOversized) {
        throw instanceError(file, sc.line, `${field}, size ${h + 1}`, `a size <= capacity ${capacity[h]}`, toks[h]);
      }
      rows.push(s);
    }
    const q = parseIntToken(file, sc.line, `${field}, demand`, toks[d], 0);
    if (n + q > MAX_ITEMS) throw instanceError(file, sc.line, `${field}, demand`, `demands totalling at most ${MAX_ITEMS.toLocaleString('en-US')} items`, toks[d]);
    demands.push(q);
    n += q;
  }
  const rest = sc.nextLineTokens();
  if (rest !== null) throw instanceError(file, sc.line, 'end of file', `nothing after ${m} item lines (m = ${m})`, rest.join(' '));
  const sizes = new Float64Array(n * d);
  let i = 0;
  for (let t = 0; t < m; t++) {
    for (let k = 0; k < demands[t]; k++, i++) {
      for (let h = 0; h < d; h++) sizes[i * d + h] = rows[t * d + h];
    }
  }
  return { name: stem(file), d, n, capacity, sizes, source: file };
}

export function readVbp(path: string, opts: ReadOptions = {}): PackingInstance {
  return parseVbp(readInstanceText(path), path, opts);
}
