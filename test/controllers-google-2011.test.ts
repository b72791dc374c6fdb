import { describe, expect, it } from 'vitest';
import { createReadStream, existsSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { createInterface } from 'node:readline';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readGoogle2011 } from '../workloads/google-2011/reader.js';
import { sortedQuantile } from '../workloads/reader-kit/borg-job-controller.js';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const DATA = path.resolve(ROOT, '..', 'shared', 'data', 'google-2011');
const present = existsSync(path.join(DATA, 'task_events')) && existsSync(path.join(DATA, 'machine_events'));
if (!present) console.warn(`Google 2011 resubmission-gap test skipped: ${DATA} is absent (see ../shared/data/README.md)`);

const PARTS = 2;

/**
 * Independently of the reader: walks task_events parts 0..PARTS-1 row by row and, per task, pairs
 * each EVICT of an open submission with the task's next SUBMIT (a submission opens at SUBMIT, or
 * at a SCHEDULE without one; EVICT, FAIL, FINISH, KILL, LOST close it). Also the distinct task
 * indices per job id.
 */
async function gapsByHand(): Promise<{ gaps: number[]; pending: number; tasksPerJob: Map<string, Set<string>> }> {
  const open = new Set<string>();
  const evicted = new Map<string, number>();
  const gaps: number[] = [];
  const tasksPerJob = new Map<string, Set<string>>();
  for (let p = 0; p < PARTS; p++) {
    const file = path.join(DATA, 'task_events', `part-${String(p).padStart(5, '0')}-of-00500.csv.gz`);
    const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
    for await (const line of lines) {
      const f = line.split(',');
      const time = Number(f[0]);
      if (f[0] === '9223372036854775807') continue;
      const key = `${f[2]}/${f[3]}`;
      const ev = Number(f[5]);
      const opens = (ev === 0 || ev === 1) && !open.has(key);
      if (opens) {
        open.add(key);
        let s = tasksPerJob.get(f[2]);
        if (!s) tasksPerJob.set(f[2], (s = new Set()));
        s.add(f[3]);
        if (ev === 0 && evicted.has(key)) {
          gaps.push(time - evicted.get(key)!);
          evicted.delete(key);
        }
      } else if (ev >= 2 && ev <= 6 && open.has(key)) {
        open.delete(key);
        if (ev === 2) evicted.set(key, time);
      }
    }
  }
  return { gaps: gaps.sort((a, b) => a - b), pending: evicted.size, tasksPerJob };
}

describe.skipIf(!present)('Google 2011 resubmission gaps and Borg jobs (../shared/data/google-2011)', () => {
  it('measures every EVICT → next SUBMIT gap per task, sorted, and makes each job a Borg job of its distinct tasks', async () => {
    const w = await readGoogle2011(DATA, { maxTaskParts: PARTS });
    const mine = Array.from(w.resubmitDelays!);
    const hand = await gapsByHand();
    expect(hand.gaps.length).toBeGreaterThan(1000);
    expect(mine).toEqual(hand.gaps);
    const note = w.notes.find((n) => n.startsWith('resubmission after eviction'))!;
    expect(note).toContain(`${hand.gaps.length.toLocaleString('en-US')} EVICT rows`);
    expect(note).toContain(`${hand.pending.toLocaleString('en-US')} evicted task`);
    // The trace resubmits an evicted task a few µs later.
    const median = sortedQuantile(Float64Array.from(hand.gaps), 0.5);
    expect(median).toBeLessThan(1000);
    expect(note).toContain(`median ${Math.round(median)} µs`);

    expect(w.controllers).toHaveLength(w.jobs.length);
    for (let j = 0; j < w.jobs.length; j++) {
      const c = w.controllers![j]!;
      expect(c.kind).toBe('BorgJob');
      expect(c.name).toBe(w.jobs[j]);
      expect(c.desired).toBe(hand.tasksPerJob.get(w.jobs[j])?.size ?? 0);
    }
  });
});
