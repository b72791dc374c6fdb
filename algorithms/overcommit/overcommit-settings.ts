import { UsageError } from '../../model/errors.js';

/**
 * The `--overcommit` value's settings text (`key=value,key=value`), parsed and checked: every
 * mistake is a UsageError naming `--overcommit`, the spec as given and what was expected, so the
 * CLI prints one line and exits 2.
 */
export const OVERCOMMIT_OPTION = '--overcommit';

/** What a numeric setting accepts. */
export interface NumberSetting {
  /** Default when the key is absent. */
  readonly value: number;
  readonly min: number;
  readonly max: number;
  /** min itself excluded (ratios and durations must be > 0). */
  readonly exclusiveMin?: boolean;
  /** Words for the message, e.g. 'a percentage in (0, 100]'. */
  readonly expected: string;
}

/** A UsageError about `spec`: `--overcommit 'spec': message`. */
export function overcommitError(spec: string, message: string): UsageError {
  return new UsageError(`${OVERCOMMIT_OPTION} '${spec}': ${message}`);
}

/** Splits `a=1,b=2` into ordered [key, value] pairs; undefined or '' → none. */
export function keyValues(spec: string, settings: string | undefined, keysExpected: string): Array<[string, string]> {
  if (settings === undefined || settings === '') return [];
  const out: Array<[string, string]> = [];
  const seen = new Set<string>();
  for (const part of settings.split(',')) {
    const eq = part.indexOf('=');
    const key = (eq < 0 ? part : part.slice(0, eq)).trim();
    if (eq < 0 || key === '') throw overcommitError(spec, `expected key=value settings (${keysExpected}), got '${part}'`);
    if (seen.has(key)) throw overcommitError(spec, `'${key}' given twice`);
    seen.add(key);
    out.push([key, part.slice(eq + 1).trim()]);
  }
  return out;
}

/** A plain decimal number (no hex, no empty string, no Infinity); NaN otherwise. */
export function parseNumber(text: string): number {
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : NaN;
}

/**
 * Numeric settings by name: `known` gives each key's default and bounds; an unknown key, a value
 * that is not a number or out of bounds is an error naming the key and the bound.
 */
export function numberSettings<K extends string>(spec: string, settings: string | undefined, known: Readonly<Record<K, NumberSetting>>): Record<K, number> {
  const names = Object.keys(known) as K[];
  const out = {} as Record<K, number>;
  for (const k of names) out[k] = known[k].value;
  for (const [key, raw] of keyValues(spec, settings, names.map((k) => `${k}=...`).join(', '))) {
    if (!(names as string[]).includes(key)) {
      throw overcommitError(spec, `unknown setting '${key}'; expected ${names.length === 0 ? 'none' : names.join(', ')}`);
    }
    const s = known[key as K];
    const v = parseNumber(raw);
    const low = s.exclusiveMin ? v > s.min : v >= s.min;
    if (!(low && v <= s.max)) throw overcommitError(spec, `${key}: expected ${s.expected}, got '${raw}'`);
    out[key as K] = v;
  }
  return out;
}
