import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import type { Google2011Sample } from '../workloads/synthetic/google-2011-sample.js';
import { FIT_PARTS, HOLD_OUT_PARTS, jobsArrivingAfter, parsePartList, partNumber } from '../workloads/synthetic/google-2011-split.js';

const FITTER = fileURLToPath(new URL('../dist/workloads/synthetic/fit-google-2011.js', import.meta.url));
const DATA = fileURLToPath(new URL('../../shared/data/google-2011', import.meta.url));

describe('Google 2011 fit / hold-out split', () => {
  it('fits parts 0–9 and holds out 10–13, disjoint', () => {
    expect(FIT_PARTS).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(HOLD_OUT_PARTS).toEqual([10, 11, 12, 13]);
  });

  it('parses part lists and ranges, and names the option on bad input', () => {
    expect(parsePartList('0-9')).toEqual(FIT_PARTS);
    expect(parsePartList('3,1, 2-4')).toEqual([1, 2, 3, 4]);
    expect(parsePartList('7')).toEqual([7]);
    for (const bad of ['', 'x', '5-2', '1-', '-3', '1.5']) expect(() => parsePartList(bad)).toThrow(/^--parts: expected part numbers such as 0-9/);
    expect(partNumber('/a/b/part-00012-of-00500.csv.gz')).toBe(12);
    expect(() => partNumber('part-12.csv')).toThrow(/not a task_events part file name/);
  });

  it('keeps the jobs arriving after the cut, renumbered, with their tasks and recounted totals', () => {
    // Three jobs: arrivals 10, 20 (the cut), 30 µs; job 2 has 3 submitted tasks, 2 scheduled.
    const sample: Google2011Sample = {
      files: ['f'],
      rows: 9,
      firstTime: 10,
      lastTime: 100,
      jobs: [
        { id: 'a', arrival: 10, priority: 0, size: 1, cpu: 0.1, mem: 0.1 },
        { id: 'b', arrival: 20, priority: 1, size: 1, cpu: 0.2, mem: 0.2 },
        { id: 'c', arrival: 30, priority: 2, size: 3, cpu: NaN, mem: 0.3 },
      ],
      taskJob: Int32Array.from([0, 2, 1, 2]),
      taskIndex: Int32Array.from([0, 0, 0, 2]),
      taskDuration: Float64Array.from([5, 6, 7, 8]),
      taskObserved: Uint8Array.from([1, 0, 1, 1]),
      taskWindowLeft: Float64Array.from([90, 70, 80, 70]),
      neverScheduled: 1,
      missingRequest: 1,
      tasksOfInitialJobs: 4,
    };
    const out = jobsArrivingAfter(sample, 20);
    expect(out.jobs.map((j) => j.id)).toEqual(['c']);
    expect([...out.taskJob]).toEqual([0, 0]);
    expect([...out.taskIndex]).toEqual([0, 2]);
    expect([...out.taskDuration]).toEqual([6, 8]);
    expect([...out.taskObserved]).toEqual([0, 1]);
    expect([...out.taskWindowLeft]).toEqual([70, 70]);
    expect(out.neverScheduled).toBe(1);
    expect(out.missingRequest).toBe(1);
    expect(out.firstTime).toBe(30);
    expect(out.lastTime).toBe(100);
    const two = jobsArrivingAfter(sample, 10);
    expect(two.jobs.map((j) => j.id)).toEqual(['b', 'c']);
    expect([...two.taskJob]).toEqual([1, 0, 1]);
    expect(two.missingRequest).toBe(1);
  });

  const runnable = existsSync(FITTER) && existsSync(DATA);
  if (!runnable) console.warn(`synthetic-split: fitter CLI checks skipped (need ${FITTER} from npm run build and ${DATA})`);
  describe.skipIf(!runnable)('the fitter command line (compiled dist/, real data folder)', () => {
    const run = (...args: string[]) => spawnSync(process.execPath, [FITTER, ...args], { encoding: 'utf8' });
    it('rejects bad arguments with one line and exit code 2', () => {
      for (const [args, message] of [
        [[DATA, '--parts', 'x'], /^fit-google-2011: --parts: expected part numbers such as 0-9 or 0,1,2, got 'x'\n$/],
        [[DATA, '--parts', '1-3'], /^fit-google-2011: --parts: part 0 must be fitted/],
        [[DATA, '--parts', '0-600'], /--parts names part\(s\) 14, 15, 16, 17, 18, … \(587 in all\), not found there\n$/],
        [[DATA, '--bogus'], /^fit-google-2011: unknown option --bogus\. usage:/],
        [[DATA, '--out'], /^fit-google-2011: --out: expected a value/],
        [['/nonexistent-google-2011'], /^fit-google-2011: \/nonexistent-google-2011: no such folder/],
        [[], /^fit-google-2011: usage:/],
      ] as const) {
        const r = run(...args);
        expect(r.status, args.join(' ')).toBe(2);
        expect(r.stderr).toMatch(message);
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
      }
    });
  });
});
