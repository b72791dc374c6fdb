/**
 * CronJob schedules as Kubernetes reads them: `cron.ParseStandard` of github.com/robfig/cron/v3
 * (the parser kube-apiserver validates `spec.schedule` with and the CronJob controller schedules
 * by), in UTC. Grammar (robfig/cron v3 parser.go, spec.go):
 *
 *   schedule  ::= descriptor | minute hour day-of-month month day-of-week   (split on whitespace)
 *   field     ::= range {"," range}            (empty items are dropped: "1,,2" is "1,2")
 *   range     ::= ("*" | "?" | value ["-" value]) ["/" step]
 *
 * - bounds: minute 0–59, hour 0–23, day of month 1–31, month 1–12 or JAN–DEC, day of week 0–6
 *   or SUN–SAT (names case-insensitive; 7 is out of range, not Sunday);
 * - `N/step` means `N-max/step`; a step larger than the range keeps only its first value; step 0
 *   is an error; `?` is `*` in any field;
 * - day of month and day of week: when either field holds a `*` (or `?`) range without a step
 *   above 1 (the "star bit"), both must match; otherwise either may (classic cron's OR);
 * - descriptors: `@yearly` `@annually` `@monthly` `@weekly` `@daily` `@midnight` `@hourly`,
 *   and `@every <Go duration>` (at least 1 s, truncated to whole seconds, counted from the
 *   previous run);
 * - the next run is the first matching minute strictly after the given time (seconds are 0),
 *   searched up to five years past the start's year; none found = no further run.
 * Error messages are robfig's, as the API server shows them for an invalid schedule.
 */

export type CronSchedule =
  | {
      kind: 'fields';
      /** Allowed values per field, 1 = allowed (index = the value). */
      minute: Uint8Array;
      hour: Uint8Array;
      dom: Uint8Array;
      month: Uint8Array;
      dow: Uint8Array;
      /** The field holds a `*` or `?` range without a step above 1 (robfig's star bit). */
      domStar: boolean;
      dowStar: boolean;
    }
  | { kind: 'every'; delayMs: number };

/** A schedule text that robfig's standard parser rejects; `message` is its error text. */
export class CronSyntaxError extends Error {}

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MONTH_NAMES: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const DOW_NAMES: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const MINUTES: Bounds = { min: 0, max: 59 };
const HOURS: Bounds = { min: 0, max: 23 };
const DOM: Bounds = { min: 1, max: 31 };
const MONTHS: Bounds = { min: 1, max: 12, names: MONTH_NAMES };
const DOW: Bounds = { min: 0, max: 6, names: DOW_NAMES };

/** strconv.Atoi then robfig's non-negative check. */
function parseNumber(expr: string): number {
  if (!/^[+-]?\d+$/.test(expr)) throw new CronSyntaxError(`failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: invalid syntax`);
  const n = Number(expr);
  if (!Number.isSafeInteger(n)) throw new CronSyntaxError(`failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: value out of range`);
  if (n < 0) throw new CronSyntaxError(`negative number (${n}) not allowed: ${expr}`);
  return n;
}

function parseValue(expr: string, b: Bounds): number {
  const named = b.names?.[expr.toLowerCase()];
  return named ?? parseNumber(expr);
}

/** One comma-separated item into `bits`; returns whether it sets the star bit. */
function addRange(expr: string, b: Bounds, bits: Uint8Array): boolean {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0].split('-');
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    // robfig looks no further: "*-5" is "*".
    start = b.min;
    end = b.max;
    star = true;
  } else {
    start = parseValue(lowAndHigh[0], b);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseValue(lowAndHigh[1], b);
    else throw new CronSyntaxError(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = parseNumber(rangeAndStep[1]);
    if (lowAndHigh.length === 1) end = b.max;
    if (step > 1) star = false;
  } else if (rangeAndStep.length > 2) {
    throw new CronSyntaxError(`too many slashes: ${expr}`);
  }
  if (start < b.min) throw new CronSyntaxError(`beginning of range (${start}) below minimum (${b.min}): ${expr}`);
  if (end > b.max) throw new CronSyntaxError(`end of range (${end}) above maximum (${b.max}): ${expr}`);
  if (start > end) throw new CronSyntaxError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new CronSyntaxError(`step of range should be a positive number: ${expr}`);
  for (let v = start; v <= end; v += step) bits[v] = 1;
  return star;
}

function parseField(field: string, b: Bounds): { bits: Uint8Array; star: boolean } {
  const bits = new Uint8Array(b.max + 1);
  let star = false;
  for (const item of field.split(',')) if (item !== '' && addRange(item, b, bits)) star = true;
  return { bits, star };
}

const all = (b: Bounds) => {
  const bits = new Uint8Array(b.max + 1);
  bits.fill(1, b.min);
  return bits;
};
const only = (b: Bounds, v: number) => {
  const bits = new Uint8Array(b.max + 1);
  bits[v] = 1;
  return bits;
};

/** A Go duration (time.ParseDuration) in milliseconds, or undefined when the text is not one. */
export function parseGoDurationMs(text: string): number | undefined {
  const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1e3, m: 60e3, h: 3600e3 };
  let s = text;
  let sign = 1;
  if (s[0] === '-' || s[0] === '+') {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return undefined;
  const part = /(\d*\.?\d*)(ns|us|µs|μs|ms|s|m|h)/y;
  let ms = 0;
  let at = 0;
  while (at < s.length) {
    part.lastIndex = at;
    const m = part.exec(s);
    if (m === null || !/\d/.test(m[1])) return undefined;
    ms += Number(m[1]) * UNITS[m[2]];
    at = part.lastIndex;
  }
  return sign * ms;
}

function parseDescriptor(spec: string): CronSchedule {
  const fields = (minute: Uint8Array, hour: Uint8Array, dom: Uint8Array, month: Uint8Array, dow: Uint8Array, domStar: boolean, dowStar: boolean): CronSchedule => ({
    kind: 'fields',
    minute,
    hour,
    dom,
    month,
    dow,
    domStar,
    dowStar,
  });
  switch (spec) {
    case '@yearly':
    case '@annually':
      return fields(only(MINUTES, 0), only(HOURS, 0), only(DOM, 1), only(MONTHS, 1), all(DOW), false, true);
    case '@monthly':
      return fields(only(MINUTES, 0), only(HOURS, 0), only(DOM, 1), all(MONTHS), all(DOW), false, true);
    case '@weekly':
      return fields(only(MINUTES, 0), only(HOURS, 0), all(DOM), all(MONTHS), only(DOW, 0), true, false);
    case '@daily':
    case '@midnight':
      return fields(only(MINUTES, 0), only(HOURS, 0), all(DOM), all(MONTHS), all(DOW), true, true);
    case '@hourly':
      return fields(only(MINUTES, 0), all(HOURS), all(DOM), all(MONTHS), all(DOW), true, true);
  }
  const every = '@every ';
  if (spec.startsWith(every)) {
    const text = spec.slice(every.length);
    const ms = parseGoDurationMs(text);
    if (ms === undefined) throw new CronSyntaxError(`failed to parse duration ${spec}: time: invalid duration ${JSON.stringify(text)}`);
    // robfig Every(): under a second becomes a second; sub-second parts are truncated.
    const delayMs = ms < 1000 ? 1000 : Math.floor(ms / 1000) * 1000;
    return { kind: 'every', delayMs };
  }
  throw new CronSyntaxError(`unrecognized descriptor: ${spec}`);
}

/** Parses a schedule as cron.ParseStandard does (throws CronSyntaxError with robfig's message). */
export function parseCronSchedule(spec: string): CronSchedule {
  if (spec.length === 0) throw new CronSyntaxError('empty spec string');
  if (spec.startsWith('@')) return parseDescriptor(spec);
  const parts = spec.split(/\s+/).filter((p) => p !== '');
  if (parts.length !== 5) throw new CronSyntaxError(`expected exactly 5 fields, found ${parts.length}: [${parts.join(' ')}]`);
  const minute = parseField(parts[0], MINUTES);
  const hour = parseField(parts[1], HOURS);
  const dom = parseField(parts[2], DOM);
  const month = parseField(parts[3], MONTHS);
  const dow = parseField(parts[4], DOW);
  return { kind: 'fields', minute: minute.bits, hour: hour.bits, dom: dom.bits, month: month.bits, dow: dow.bits, domStar: dom.star, dowStar: dow.star };
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/**
 * The first run strictly after `afterMs` (Unix milliseconds, UTC), or undefined when there is
 * none within five years past its year (an impossible date such as 30 February). As robfig's
 * SpecSchedule.Next: month, then day, then hour, then minute, each truncating the smaller fields
 * the first time it moves, and starting over when a field wraps.
 */
export function nextCronRun(s: CronSchedule, afterMs: number): number | undefined {
  // ConstantDelaySchedule.Next: the time without its fraction of a second, plus the delay.
  if (s.kind === 'every') return Math.floor(afterMs / 1000) * 1000 + s.delayMs;
  // The upcoming whole second (robfig adds one second and drops the fraction).
  let t = Math.floor(afterMs / 1000) * 1000 + 1000;
  const yearLimit = new Date(t).getUTCFullYear() + 5;
  let added = false;
  const d = () => new Date(t);
  const dayMatches = () => {
    const x = d();
    const domMatch = s.dom[x.getUTCDate()] === 1;
    const dowMatch = s.dow[x.getUTCDay()] === 1;
    return s.domStar || s.dowStar ? domMatch && dowMatch : domMatch || dowMatch;
  };
  wrap: for (;;) {
    if (d().getUTCFullYear() > yearLimit) return undefined;
    while (s.month[d().getUTCMonth() + 1] !== 1) {
      const x = d();
      if (!added) {
        added = true;
        t = Date.UTC(x.getUTCFullYear(), x.getUTCMonth(), 1);
      }
      const y = d();
      t = Date.UTC(y.getUTCFullYear(), y.getUTCMonth() + 1, 1);
      if (d().getUTCMonth() === 0) continue wrap;
    }
    while (!dayMatches()) {
      const x = d();
      if (!added) {
        added = true;
        t = Date.UTC(x.getUTCFullYear(), x.getUTCMonth(), x.getUTCDate());
      }
      t += 24 * HOUR_MS;
      if (d().getUTCDate() === 1) continue wrap;
    }
    while (s.hour[d().getUTCHours()] !== 1) {
      if (!added) {
        added = true;
        t = Math.floor(t / HOUR_MS) * HOUR_MS;
      }
      t += HOUR_MS;
      if (d().getUTCHours() === 0) continue wrap;
    }
    while (s.minute[d().getUTCMinutes()] !== 1) {
      if (!added) {
        added = true;
        t = Math.floor(t / MINUTE_MS) * MINUTE_MS;
      }
      t += MINUTE_MS;
      if (d().getUTCMinutes() === 0) continue wrap;
    }
    // Seconds: the standard parser allows only second 0; rolling over to the next minute starts over.
    if (t % MINUTE_MS !== 0) {
      t = Math.ceil(t / MINUTE_MS) * MINUTE_MS;
      continue wrap;
    }
    return t;
  }
}
