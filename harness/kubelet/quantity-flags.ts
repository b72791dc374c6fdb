import { UsageError } from '../../model/errors.js';
import { parseQuantity, type Quantity } from '../../workloads/kubernetes/quantity.js';

/**
 * The kubelet's own flag syntax, read exactly as the kubelet reads it (every failure is a one-line
 * UsageError naming the flag):
 *
 * - map flags: `--eviction-hard` / `--eviction-soft` are k8s.io/component-base/cli/flag
 *   LangleSeparatedMapStringString (`memory.available<100Mi,nodefs.available<10%`); the grace
 *   period, minimum reclaim and reserved flags are MapStringString (`memory.available=1m30s`,
 *   `cpu=100m,memory=1Gi`). Pairs split on `,`, empty pairs are skipped, key and value are trimmed,
 *   the pair splits at the first separator. One difference: the kubelet keeps the last of a key
 *   given twice; schedlab rejects it (nothing silently dropped).
 * - durations: Go's time.ParseDuration (`5m`, `1m30s`, `1.5h`, `300ms`, `0`).
 * - quantities: resource.Quantity (workloads/kubernetes/quantity.ts), with the sign read here so a
 *   negative value gets its own message.
 * - percentages: eviction/helpers.go parsePercentage, `strconv.ParseFloat(trimRight(v, "%"), 32) / 100`
 *   in float32, kept as that float32 value so thresholds match the kubelet's to the byte.
 */

/** A flag's `key<value` or `key=value` pairs in the order given (keys unique). */
export function parseFlagMap(flag: string, text: string, separator: '<' | '=', example: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split(',')) {
    if (raw.length === 0) continue;
    const at = raw.indexOf(separator);
    if (at < 0) {
      const hint = separator === '<' && raw.includes('>') ? ' (thresholds use "<": the signal falls below it)' : '';
      throw new UsageError(`${flag}: malformed pair ${JSON.stringify(raw)}, expected key${separator}value such as ${example}${hint}`);
    }
    const key = raw.slice(0, at).trim();
    const value = raw.slice(at + 1).trim();
    if (key === '') throw new UsageError(`${flag}: pair ${JSON.stringify(raw)} has no name before "${separator}", expected e.g. ${example}`);
    if (out.has(key)) throw new UsageError(`${flag}: ${key} is given twice`);
    out.set(key, value);
  }
  return out;
}

const US_PER_NS = 1e-3;
/** Go's duration units, in nanoseconds (time.ParseDuration's unitMap). */
const DURATION_UNITS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  'µs': 1e3, // U+00B5 micro sign
  'μs': 1e3, // U+03BC Greek mu
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};
const DURATION_PART = /(\d*\.?\d*)(ns|us|µs|μs|ms|s|m|h)/y;
/** Go's limit: a Duration is an int64 of nanoseconds. */
const MAX_DURATION_NS = 2 ** 63 - 1;

export const DURATION_EXPECTED = 'a duration such as 90s, 1m30s, 5m or 1h';

/**
 * A Go duration (time.ParseDuration) in integer microseconds, or null when the text is not one:
 * `[-+]` then one or more `number unit` (units ns, us, µs, ms, s, m, h; a number may have a
 * fraction), or a bare `0`. Sub-microsecond parts are rounded to the nearest microsecond
 * (schedlab's time unit). Negative results are returned as such (callers reject them).
 */
export function parseGoDuration(text: string): number | null {
  let s = text;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return null;
  let ns = 0;
  let at = 0;
  while (at < s.length) {
    DURATION_PART.lastIndex = at;
    const m = DURATION_PART.exec(s);
    if (m === null) return null;
    const number = m[1];
    // Go requires a digit before or after the dot ("." alone, or no number, is invalid).
    if (!/\d/.test(number)) return null;
    ns += Number(number) * DURATION_UNITS[m[2]];
    at = DURATION_PART.lastIndex;
  }
  if (!(ns <= MAX_DURATION_NS)) return null;
  return sign * Math.round(ns * US_PER_NS);
}

/** A quantity that may carry a sign: null when it is not a quantity at all. */
export function parseSignedQuantity(text: string): { negative: boolean; quantity: Quantity } | null {
  const t = text.trim();
  const negative = t.startsWith('-');
  const q = parseQuantity(negative ? t.slice(1) : t);
  if (q === null || (negative && (t[1] === '-' || t[1] === '+'))) return null;
  return { negative: negative && q.num !== 0n, quantity: { ...q, text: t } };
}

/**
 * A percentage as the kubelet reads it (`10%` → 0.1 in float32), or null when the text before
 * the `%` is not a number. `strings.TrimRight(v, "%")` removes every trailing `%`.
 */
export function parsePercentage(text: string): number | null {
  const body = text.replace(/%+$/, '');
  // strconv.ParseFloat: decimal or exponent notation, optional sign (inf/nan rejected here).
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(body)) return null;
  const value = Math.fround(Number(body));
  if (!Number.isFinite(value)) return null;
  return Math.fround(value / 100);
}
