import { UsageError } from '../../model/errors.js';
import { DURATION_EXPECTED, parseFlagMap, parseGoDuration } from '../kubelet/quantity-flags.js';

/**
 * The `key=value,...` text of --failures, --zone-outage, --node-lifecycle and --topology, read
 * strictly: every key known, none twice, every value checked; each mistake is one UsageError
 * naming the option and the key.
 */
export class SettingsText {
  private readonly pairs: Map<string, string>;

  constructor(
    readonly option: string,
    text: string,
    known: readonly string[],
    example: string,
  ) {
    this.pairs = parseFlagMap(option, text, '=', example);
    if (this.pairs.size === 0) throw new UsageError(`${option}: expected key=value pairs such as ${example}, got '${text}'`);
    for (const key of this.pairs.keys()) {
      if (!known.includes(key)) throw new UsageError(`${option}: unknown key '${key}' (expected ${known.join(', ')})`);
    }
  }

  has(key: string): boolean {
    return this.pairs.has(key);
  }

  raw(key: string): string | undefined {
    return this.pairs.get(key);
  }

  /** A duration in µs: > 0 (or ≥ 0 with `allowZero`); undefined when absent. */
  duration(key: string, what: string, allowZero = false): number | undefined {
    const v = this.pairs.get(key);
    if (v === undefined) return undefined;
    const us = parseGoDuration(v);
    if (us === null || us < 0 || (!allowZero && us === 0)) {
      throw new UsageError(`${this.option}: ${key} (${what}): expected a ${allowZero ? 'non-negative' : 'positive'} ${DURATION_EXPECTED}, got '${v}'`);
    }
    return us;
  }

  requiredDuration(key: string, what: string, example: string): number {
    const us = this.duration(key, what);
    if (us === undefined) throw new UsageError(`${this.option}: missing ${key} (${what}), e.g. ${key}=${example}`);
    return us;
  }

  /** A decimal number within [min, max] (`minOpen`: > min); undefined when absent. */
  number(key: string, what: string, min: number, max: number, minOpen = false): number | undefined {
    const v = this.pairs.get(key);
    if (v === undefined) return undefined;
    const x = /^[+]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v) ? Number(v) : NaN;
    if (!(minOpen ? x > min : x >= min) || !(x <= max)) {
      const range = `${minOpen ? 'greater than' : 'at least'} ${min}${max < Infinity ? ` and at most ${max}` : ''}`;
      throw new UsageError(`${this.option}: ${key} (${what}): expected a number ${range}, got '${v}'`);
    }
    return x;
  }

  /** A whole number within [min, max]; undefined when absent. */
  integer(key: string, what: string, min: number, max: number): number | undefined {
    const v = this.pairs.get(key);
    if (v === undefined) return undefined;
    const x = /^\+?\d+$/.test(v) ? Number(v) : NaN;
    if (!(Number.isSafeInteger(x) && x >= min && x <= max)) {
      throw new UsageError(`${this.option}: ${key} (${what}): expected a whole number from ${min} to ${max}, got '${v}'`);
    }
    return x;
  }

  /** One of `choices`; undefined when absent. */
  choice<T extends string>(key: string, choices: readonly T[]): T | undefined {
    const v = this.pairs.get(key);
    if (v === undefined) return undefined;
    if (!(choices as readonly string[]).includes(v)) throw new UsageError(`${this.option}: ${key}: expected one of ${choices.join(', ')}, got '${v}'`);
    return v as T;
  }
}

/** `1h30m`-style text of a µs duration, for settings lines (whole seconds shown as such). */
export function formatDuration(us: number): string {
  if (us === 0) return '0s';
  let s = us / 1e6;
  if (!Number.isInteger(s)) return `${s}s`;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return `${h > 0 ? `${h}h` : ''}${m > 0 ? `${m}m` : ''}${s > 0 ? `${s}s` : ''}`;
}
