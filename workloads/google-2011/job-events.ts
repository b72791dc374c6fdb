import { BadRowTally } from '../reader-kit/bad-rows.js';
import { InputError } from '../../model/errors.js';
import { readLines } from '../gzip-lines.js';
import { isBadField, RowChecker } from './fields.js';
import type { ReadTableOptions } from './machine-events.js';
import { EVENT_TYPE_NAMES, JOB_EVENT_COLUMNS } from './schema.js';

/**
 * job_events, summarized while streaming (the rows themselves are not kept: 29 days are a few
 * million rows). schedlab's Workload does not need job rows: a task's job comes from task_events.
 */
export interface JobEventsSummary {
  files: string[];
  lines: number;
  rows: number;
  /** Distinct job IDs. */
  jobs: number;
  /** First time > 0 and last finite time, µs (NaN when none). */
  firstTime: number;
  lastTime: number;
  rowsAtTimeZero: number;
  /** Rows by event type code 0–8. */
  eventCounts: number[];
  /** Rows by missing-info code 0–2 (empty = normal, not counted). */
  missingInfo: number[];
  rowsWithoutUser: number;
  badRows: BadRowTally;
}

export async function summarizeJobEvents(files: string[], options: ReadTableOptions = {}): Promise<JobEventsSummary> {
  const onBadRow = options.onBadRow ?? 'fail';
  const badRows = options.badRows ?? new BadRowTally();
  const check = new RowChecker(JOB_EVENT_COLUMNS);
  const jobs = new Set<number>();
  const s: JobEventsSummary = {
    files,
    lines: 0,
    rows: 0,
    jobs: 0,
    firstTime: NaN,
    lastTime: NaN,
    rowsAtTimeZero: 0,
    eventCounts: new Array(EVENT_TYPE_NAMES.length).fill(0),
    missingInfo: [0, 0, 0],
    rowsWithoutUser: 0,
    badRows,
  };
  let lastTime = -Infinity;
  for await (const { file, line, text } of readLines(files)) {
    s.lines++;
    let ok = false;
    let time = 0;
    let missing = -1;
    let job = 0;
    let type = 0;
    if (check.start(file, line, text)) {
      try {
        time = check.time(0);
        if (time < lastTime) {
          check.fail(0, `a time ≥ ${lastTime} (the previous row's; parts are time-ordered)`, 'went backwards');
        }
        missing = check.code(1, 2, false);
        job = check.id(2, true);
        type = check.code(3, 8, true, 'unknown code');
        check.code(5, 3, false);
        ok = true;
      } catch (e) {
        if (!isBadField(e)) throw e;
      }
    }
    if (!ok) {
      const err = check.error as InputError;
      if (onBadRow === 'fail') throw err;
      badRows.add(err);
      continue;
    }
    lastTime = time;
    s.rows++;
    jobs.add(job);
    s.eventCounts[type]++;
    if (missing >= 0) s.missingInfo[missing]++;
    if (check.text(4) === '') s.rowsWithoutUser++;
    if (time === 0) s.rowsAtTimeZero++;
    else {
      if (!(s.firstTime === s.firstTime)) s.firstTime = time;
      if (time !== Infinity) s.lastTime = time;
    }
  }
  s.jobs = jobs.size;
  return s;
}
