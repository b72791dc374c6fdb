import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The Mommessin et al. 2025 vector benchmark beside the clone, and small readers of its tables. */
export const ROOT = join(import.meta.dirname, '..', '..');
export const BASE = join(ROOT, '..', 'shared', 'data', 'binpacking-vector', 'mommessin2025');
export const present = existsSync(join(BASE, 'index.csv'));

export type Row = Record<string, string>;
export function table(path: string, sep: string): Row[] {
  const lines = readFileSync(path, 'utf8').trim().split(/\r?\n/);
  const head = lines[0].split(sep);
  return lines.slice(1).map((l) => Object.fromEntries(l.split(sep).map((v, i) => [head[i], v])));
}
export const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
/** Standard error of the mean of xs (sample standard deviation / √n). */
export const standardError = (xs: number[]) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1) / xs.length);
};
