import { describe, expect, it } from 'vitest';
import { jobRuns, syntheticTaskStream } from '../bench/job-shaped-tasks.js';

describe('job-shaped task stream (policy benchmark, issue 13)', () => {
  it('splits a job column into runs of consecutive equal jobs', () => {
    // Runs: [7 7 7] [2] [7 7] [5 5 5 5]: job 7 comes back after job 2, so it is a new run.
    const job = [7, 7, 7, 2, 7, 7, 5, 5, 5, 5];
    expect(jobRuns(job, job.length, 3)).toEqual({ runs: 4, meanTasks: 10 / 4, maxTasks: 4, shareInBig: 7 / 10 });
    expect(jobRuns(job, 4, 3)).toEqual({ runs: 2, meanTasks: 2, maxTasks: 3, shareInBig: 3 / 4 });
    expect(jobRuns([], 0)).toEqual({ runs: 0, meanTasks: 0, maxTasks: 0, shareInBig: 0 });
  });

  it('keeps submission order: each job is one run of one shape, and jobs are the workload\'s', async () => {
    const s = await syntheticTaskStream(3000, 1);
    expect(s.count).toBe(3000);
    expect(s.shapes.length).toBe(s.count * s.dims);
    const seen = new Set<number>();
    let multiTaskJobs = 0;
    for (let i = 0; i < s.count; i++) {
      const j = s.job[i];
      if (i > 0 && j === s.job[i - 1]) {
        for (let d = 0; d < s.dims; d++) expect(s.shapes[i * s.dims + d]).toBe(s.shapes[(i - 1) * s.dims + d]);
        continue;
      }
      // A new run: its job was not seen before (a job's tasks are contiguous).
      expect(seen.has(j)).toBe(false);
      seen.add(j);
      if (i + 1 < s.count && s.job[i + 1] === j) multiTaskJobs++;
    }
    for (let i = 0; i < s.shapes.length; i++) expect(Number.isNaN(s.shapes[i])).toBe(false);
    expect(jobRuns(s.job, s.count).runs).toBe(seen.size);
    // Job-shaped: some jobs have several tasks (else the job-shaped table would equal a one-off stream).
    expect(multiTaskJobs).toBeGreaterThan(0);
  });
});
