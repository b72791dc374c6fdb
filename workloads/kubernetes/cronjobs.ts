import type { Fields } from './fields.js';
import { CronSyntaxError, nextCronRun, parseCronSchedule, type CronSchedule } from './cron-schedule.js';
import { secondsToMicros } from './durations.js';

/**
 * CronJob (batch/v1): which Jobs its schedule makes within the replay window, as the CronJob
 * controller would (pkg/controller/cronjob cronjob_controllerv2.go, utils.go), in UTC:
 * - the first run is the first schedule time strictly after the CronJob's creation (the window's
 *   start: manifests have no creation time); then each schedule time in the window
 *   (cron-schedule.ts); `suspend: true` makes none;
 * - concurrencyPolicy Allow: every run makes a Job. Forbid: a run whose time comes while the
 *   previous Job is still active is not started; when that Job ends the controller starts the
 *   most recent missed run at once (the older ones are lost), unless `startingDeadlineSeconds` has
 *   passed since its schedule time. Replace: a run that comes while the previous Job is active
 *   deletes it (its pods are killed then) and starts.
 *   "Still active" needs the Job's run time, which the reader knows only from the duration
 *   annotation (or the jobDurationSeconds option): a Job is taken to run from its start for its
 *   longest pod's run time (its pods starting at once; a real run that queues runs longer),
 *   capped by its activeDeadlineSeconds; without a known run time it never ends, so under Forbid
 *   only the first run starts and under Replace each run replaces the previous one.
 * - `startingDeadlineSeconds` matters only for Forbid's late starts: the simulated controller is
 *   never late otherwise. `timeZone`: only UTC (and its aliases) is modeled; unset is read as UTC
 *   (Kubernetes uses kube-controller-manager's local zone).
 */

export type ConcurrencyPolicy = 'Allow' | 'Forbid' | 'Replace';

export interface CronJobSpecRead {
  schedule: CronSchedule;
  scheduleText: string;
  concurrencyPolicy: ConcurrencyPolicy;
  suspend: boolean;
  /** µs; undefined = none. */
  startingDeadline?: number;
  timeZone?: string;
}

/** IANA names for UTC itself (links to Etc/UTC or Etc/GMT: offset 0, no daylight saving). */
export const UTC_ZONES = ['UTC', 'Etc/UTC', 'Etc/UCT', 'UCT', 'Etc/Universal', 'Universal', 'Etc/Zulu', 'Zulu', 'GMT', 'Etc/GMT', 'Etc/GMT+0', 'Etc/GMT-0', 'Etc/GMT0', 'GMT+0', 'GMT-0', 'GMT0', 'Etc/Greenwich', 'Greenwich'];

/** Reads a CronJob's own fields (InputError naming file, line and field when invalid or not modeled). */
export function readCronJobSpec(f: Fields): CronJobSpecRead {
  const p = ['spec', 'schedule'];
  const scheduleText = f.requiredString(p, 'a cron schedule such as "*/15 * * * *" or "@hourly"');
  if (scheduleText.includes('TZ')) throw f.at.error(p, 'a schedule without TZ or CRON_TZ (cannot use TZ or CRON_TZ in schedule, use timeZone field instead)', scheduleText);
  let schedule: CronSchedule;
  try {
    schedule = parseCronSchedule(scheduleText);
  } catch (e) {
    if (e instanceof CronSyntaxError) throw f.at.problem(p, `invalid schedule ${JSON.stringify(scheduleText)}: ${e.message}`);
    throw e;
  }
  const timeZone = f.string(['spec', 'timeZone']);
  if (timeZone !== undefined && !UTC_ZONES.includes(timeZone)) {
    throw f.at.error(['spec', 'timeZone'], 'UTC (or unset): other time zones, with their daylight saving, are not modeled', timeZone);
  }
  const concurrencyPolicy = f.oneOf(['spec', 'concurrencyPolicy'], ['Allow', 'Forbid', 'Replace'] as const) ?? 'Allow';
  const suspend = f.bool(['spec', 'suspend']) ?? false;
  const deadline = f.int(['spec', 'startingDeadlineSeconds'], 0, Number.MAX_SAFE_INTEGER);
  f.int(['spec', 'successfulJobsHistoryLimit'], 0, 2_147_483_647);
  f.int(['spec', 'failedJobsHistoryLimit'], 0, 2_147_483_647);
  const out: CronJobSpecRead = { schedule, scheduleText, concurrencyPolicy, suspend };
  if (deadline !== undefined) out.startingDeadline = secondsToMicros(deadline);
  if (timeZone !== undefined) out.timeZone = timeZone;
  return out;
}

/** One Job a CronJob makes: its schedule time, when it is created, and when it is deleted (Replace). */
export interface CronRun {
  /** µs from the window start: the schedule time (names the Job). */
  scheduled: number;
  /** µs: when the Job is created (the schedule time, or later for Forbid's late start). */
  arrival: number;
  /** µs: when a later run replaces it (Replace), NaN = never. */
  killAt: number;
}

export interface CronRunsResult {
  runs: CronRun[];
  /** Schedule times in the window. */
  scheduleTimes: number;
  /** Forbid: schedule times never run (a later one ran instead, or none before the window's end). */
  skipped: number;
  /** Forbid: late starts dropped because startingDeadlineSeconds had passed. */
  missedDeadline: number;
  /** Forbid: runs started late, when the previous Job ended. */
  late: number;
  /** Replace: Jobs deleted by the next run. */
  replaced: number;
}

/** More schedule times than this in the window is a typo or a mismatched window, not a workload. */
export const MAX_CRON_RUNS = 1_000_000;

/** Too many runs: the caller names the field. */
export class TooManyCronRuns extends Error {}

/**
 * The Jobs of one CronJob in [0, horizon) µs of a window starting at wall-clock `startMs` (Unix
 * ms, UTC). `jobLength` is a Job's estimated run time in µs (Infinity = never ends).
 */
export function cronRuns(spec: CronJobSpecRead, startMs: number, horizon: number, jobLength: number): CronRunsResult {
  const out: CronRunsResult = { runs: [], scheduleTimes: 0, skipped: 0, missedDeadline: 0, late: 0, replaced: 0 };
  if (spec.suspend) return out;
  let prevEnd = -Infinity;
  let missed: number | undefined;
  const create = (scheduled: number, arrival: number) => {
    out.runs.push({ scheduled, arrival, killAt: NaN });
    prevEnd = arrival + jobLength;
  };
  // Forbid: the active Job ended before `before`; the controller starts the latest missed run then.
  const catchUp = (before: number) => {
    if (missed === undefined || !(prevEnd < before)) return;
    const s = missed;
    missed = undefined;
    if (spec.startingDeadline !== undefined && prevEnd - s > spec.startingDeadline) {
      out.missedDeadline++;
      return;
    }
    out.late++;
    create(s, prevEnd);
  };
  let wall = startMs;
  for (;;) {
    const next = nextCronRun(spec.schedule, wall);
    if (next === undefined) break;
    const s = (next - startMs) * 1000;
    if (!(s < horizon)) break;
    wall = next;
    if (++out.scheduleTimes > MAX_CRON_RUNS) throw new TooManyCronRuns(`more than ${MAX_CRON_RUNS.toLocaleString('en-US')} runs in the ${horizon / 1e6}-s window`);
    if (spec.concurrencyPolicy === 'Forbid') {
      // The active Job ended before s: the latest missed run starts then (and may still run at s).
      catchUp(s);
      if (s < prevEnd) {
        if (missed !== undefined) out.skipped++;
        missed = s;
        continue;
      }
      if (missed !== undefined) {
        // The Job ended exactly at s: the controller runs s, the most recent time; the missed one is lost.
        out.skipped++;
        missed = undefined;
      }
      create(s, s);
    } else if (spec.concurrencyPolicy === 'Replace') {
      if (s < prevEnd) {
        out.runs[out.runs.length - 1].killAt = s;
        out.replaced++;
      }
      create(s, s);
    } else {
      create(s, s);
    }
  }
  if (spec.concurrencyPolicy === 'Forbid') {
    catchUp(horizon);
    if (missed !== undefined) out.skipped++;
  }
  return out;
}
