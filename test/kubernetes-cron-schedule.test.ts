import { describe, expect, it } from 'vitest';
import { CronSyntaxError, nextCronRun, parseCronSchedule } from '../workloads/kubernetes/cron-schedule.js';

/**
 * CronJob schedules as robfig/cron v3 ParseStandard reads them (the parser Kubernetes validates and
 * schedules with), in UTC. Expected times are worked out by hand on the calendar: 1970-01-01 was
 * a Thursday, so 01-02 is a Friday, 01-04 a Sunday, 01-05 a Monday.
 */
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString().replace('.000Z', 'Z'));

/** The first `n` runs strictly after `from`. */
function runs(spec: string, from: string, n: number): Array<string | undefined> {
  const s = parseCronSchedule(spec);
  const out: Array<string | undefined> = [];
  let t = at(from);
  for (let i = 0; i < n; i++) {
    const next = nextCronRun(s, t);
    out.push(iso(next));
    if (next === undefined) break;
    t = next;
  }
  return out;
}

const error = (spec: string) => {
  try {
    parseCronSchedule(spec);
  } catch (e) {
    expect(e).toBeInstanceOf(CronSyntaxError);
    return (e as Error).message;
  }
  throw new Error(`${spec} parsed`);
};

describe('cron fields: values, ranges, steps, lists, names', () => {
  it('a step from a star: every 15 minutes, the first strictly after the start', () => {
    expect(runs('*/15 * * * *', '1970-01-01T00:00:00Z', 5)).toEqual(['1970-01-01T00:15:00Z', '1970-01-01T00:30:00Z', '1970-01-01T00:45:00Z', '1970-01-01T01:00:00Z', '1970-01-01T01:15:00Z']);
  });

  it('N/step means N-max/step; a range with a step; a step larger than the range keeps its first value', () => {
    expect(runs('5/20 * * * *', '1970-01-01T00:00:00Z', 4)).toEqual(['1970-01-01T00:05:00Z', '1970-01-01T00:25:00Z', '1970-01-01T00:45:00Z', '1970-01-01T01:05:00Z']);
    expect(runs('10-20/5 3 * * *', '1970-01-01T00:00:00Z', 4)).toEqual(['1970-01-01T03:10:00Z', '1970-01-01T03:15:00Z', '1970-01-01T03:20:00Z', '1970-01-02T03:10:00Z']);
    expect(runs('*/90 * * * *', '1970-01-01T00:00:00Z', 2)).toEqual(['1970-01-01T01:00:00Z', '1970-01-01T02:00:00Z']);
  });

  it('lists (empty items dropped), and ? as *', () => {
    expect(runs('1,,40 * * * *', '1970-01-01T00:00:00Z', 3)).toEqual(['1970-01-01T00:01:00Z', '1970-01-01T00:40:00Z', '1970-01-01T01:01:00Z']);
    expect(runs('? ? ? ? ?', '1970-01-01T00:00:00Z', 2)).toEqual(['1970-01-01T00:01:00Z', '1970-01-01T00:02:00Z']);
  });

  it('month and weekday names, any case, in lists and ranges', () => {
    // January or March, Sundays (day of month is a star: both must match).
    expect(runs('30 6 * JAN,mar Sun', '1970-01-01T00:00:00Z', 2)).toEqual(['1970-01-04T06:30:00Z', '1970-01-11T06:30:00Z']);
    // Weekdays at 09:00: Thursday 01-01, Friday 01-02, then Monday 01-05.
    expect(runs('0 9 * * MON-FRI', '1970-01-01T00:00:00Z', 3)).toEqual(['1970-01-01T09:00:00Z', '1970-01-02T09:00:00Z', '1970-01-05T09:00:00Z']);
  });

  it('day of month and day of week: either matches when neither is a star, both when one is', () => {
    // The 13th or a Friday: Fri 01-02, Fri 01-09, Tue 01-13, Fri 01-16.
    expect(runs('0 0 13 * FRI', '1970-01-01T00:00:00Z', 4)).toEqual(['1970-01-02T00:00:00Z', '1970-01-09T00:00:00Z', '1970-01-13T00:00:00Z', '1970-01-16T00:00:00Z']);
    expect(runs('0 0 13 * *', '1970-01-01T00:00:00Z', 2)).toEqual(['1970-01-13T00:00:00Z', '1970-02-13T00:00:00Z']);
    // */2 is not a star (its step clears the star bit): odd days or Mondays, so Monday 01-12 counts.
    expect(runs('0 0 */2 * 1', '1970-01-10T00:00:00Z', 3)).toEqual(['1970-01-11T00:00:00Z', '1970-01-12T00:00:00Z', '1970-01-13T00:00:00Z']);
    // */1 keeps the star: Mondays only.
    expect(runs('0 0 */1 * 1', '1970-01-10T00:00:00Z', 2)).toEqual(['1970-01-12T00:00:00Z', '1970-01-19T00:00:00Z']);
  });

  it('the next run is the next whole minute after a time inside a minute', () => {
    expect(runs('* * * * *', '1970-01-01T00:00:30Z', 1)).toEqual(['1970-01-01T00:01:00Z']);
    expect(runs('* * * * *', '1970-01-01T00:00:59.500Z', 1)).toEqual(['1970-01-01T00:01:00Z']);
  });

  it('crosses months, years and leap days', () => {
    expect(runs('0 12 29 2 *', '1970-01-01T00:00:00Z', 2)).toEqual(['1972-02-29T12:00:00Z', '1976-02-29T12:00:00Z']);
    expect(runs('59 23 31 12 *', '1999-12-31T23:59:00Z', 1)).toEqual(['2000-12-31T23:59:00Z']);
  });

  it('an impossible date has no run (robfig searches five years past the start)', () => {
    expect(runs('0 0 30 2 *', '1970-01-01T00:00:00Z', 1)).toEqual([undefined]);
  });
});

describe('cron descriptors', () => {
  it('@hourly, @daily and @midnight, @weekly (Sunday), @monthly, @yearly and @annually', () => {
    const from = '1970-01-01T00:00:00Z';
    expect(runs('@hourly', from, 2)).toEqual(['1970-01-01T01:00:00Z', '1970-01-01T02:00:00Z']);
    expect(runs('@daily', from, 1)).toEqual(['1970-01-02T00:00:00Z']);
    expect(runs('@midnight', from, 1)).toEqual(['1970-01-02T00:00:00Z']);
    expect(runs('@weekly', from, 2)).toEqual(['1970-01-04T00:00:00Z', '1970-01-11T00:00:00Z']);
    expect(runs('@monthly', from, 2)).toEqual(['1970-02-01T00:00:00Z', '1970-03-01T00:00:00Z']);
    expect(runs('@yearly', from, 1)).toEqual(['1971-01-01T00:00:00Z']);
    expect(runs('@annually', from, 1)).toEqual(['1971-01-01T00:00:00Z']);
  });

  it('@every: a Go duration counted from the previous run, at least a second, whole seconds', () => {
    expect(runs('@every 1h30m', '1970-01-01T00:00:00Z', 2)).toEqual(['1970-01-01T01:30:00Z', '1970-01-01T03:00:00Z']);
    expect(runs('@every 500ms', '1970-01-01T00:00:00Z', 1)).toEqual(['1970-01-01T00:00:01Z']);
    expect(runs('@every 1500ms', '1970-01-01T00:00:00Z', 2)).toEqual(['1970-01-01T00:00:01Z', '1970-01-01T00:00:02Z']);
    expect(runs('@every 2.5m', '1970-01-01T00:00:00Z', 1)).toEqual(['1970-01-01T00:02:30Z']);
  });
});

describe('invalid schedules: robfig\'s messages, as the API server shows them', () => {
  it.each([
    ['', 'empty spec string'],
    ['* * * *', 'expected exactly 5 fields, found 4: [* * * *]'],
    ['0 * * * * *', 'expected exactly 5 fields, found 6: [0 * * * * *]'],
    ['61 * * * *', 'end of range (61) above maximum (59): 61'],
    ['* 24 * * *', 'end of range (24) above maximum (23): 24'],
    ['0 0 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['* * * 13 *', 'end of range (13) above maximum (12): 13'],
    ['* * * * 7', 'end of range (7) above maximum (6): 7'],
    ['* * * * SAT-SUN', 'beginning of range (6) beyond end of range (0): SAT-SUN'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['1-2-3 * * * *', 'too many hyphens: 1-2-3'],
    ['*/2/3 * * * *', 'too many slashes: */2/3'],
    ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['@reboot', 'unrecognized descriptor: @reboot'],
    ['@DAILY', 'unrecognized descriptor: @DAILY'],
    ['@every 1d', 'failed to parse duration @every 1d: time: invalid duration "1d"'],
  ])('%j: %s', (spec, message) => {
    expect(error(spec)).toBe(message);
  });

  it('"*-5" is read as "*", as robfig does (it looks no further than the star)', () => {
    expect(runs('*-5 * * * *', '1970-01-01T00:00:00Z', 1)).toEqual(['1970-01-01T00:01:00Z']);
  });
});
