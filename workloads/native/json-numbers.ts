/**
 * JSON for the native format's metadata, exact for every float64: plain JSON has no NaN, no
 * Infinity and no -0 (JSON.stringify writes null, null and 0), and a machine capacity or a horizon
 * may be any of those (NaN = missing). Finite numbers already round-trip exactly through JSON
 * (ECMAScript prints the shortest decimal that parses back to the same double).
 *
 * The special values are written as a one-key object `{"$f64": "NaN" | "Infinity" | "-Infinity" | "-0"}`
 * and turned back into numbers when read. A real object of that exact shape cannot appear in a
 * Workload: label and selector maps hold strings, never the key "$f64" with one of these four values.
 */
const TAG = '$f64';
const SPECIAL = new Set(['NaN', 'Infinity', '-Infinity', '-0']);

function encodeValue(_key: string, v: unknown): unknown {
  if (typeof v !== 'number') return v;
  if (Number.isNaN(v)) return { [TAG]: 'NaN' };
  if (v === Infinity) return { [TAG]: 'Infinity' };
  if (v === -Infinity) return { [TAG]: '-Infinity' };
  if (Object.is(v, -0)) return { [TAG]: '-0' };
  return v;
}

function decodeValue(_key: string, v: unknown): unknown {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === TAG) {
      const s = (v as Record<string, unknown>)[TAG];
      if (typeof s === 'string' && SPECIAL.has(s)) return s === '-0' ? -0 : Number(s);
    }
  }
  return v;
}

/** JSON.stringify that keeps NaN, ±Infinity and -0. `undefined` array entries become null. */
export function stringifyExact(value: unknown): string {
  return JSON.stringify(value, encodeValue);
}

/** Inverse of stringifyExact. Throws SyntaxError on malformed text (the caller reports the file). */
export function parseExact(text: string): unknown {
  return JSON.parse(text, decodeValue);
}
