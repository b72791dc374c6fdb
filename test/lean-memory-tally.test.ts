import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExactSum } from '../reports/exact-sum.js';
import { TaskTally } from '../reports/task-tally.js';
import { sampleTasks, SAMPLE_TASKS } from '../reports/packing-metrics.js';
import { TaskStore } from '../harness/task-store.js';
import { readGoogle2011 } from '../workloads/google-2011/reader.js';
import { Rng } from '../model/rng.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const GOOGLE = path.join(HERE, '..', '..', 'shared', 'data', 'google-2011');
const haveGoogle = existsSync(path.join(GOOGLE, 'task_events'));
if (!haveGoogle) console.warn(`skipping the task-tally sample check on Google 2011: ${GOOGLE} is absent`);

describe('ExactSum', () => {
  it('gives the correctly rounded sum whatever the order of the terms', () => {
    // 0.1 + 0.2 + 0.3 summed naively depends on the order; the exact sum rounds once.
    const forward = new ExactSum();
    const backward = new ExactSum();
    const xs = [0.1, 0.2, 0.3, 1e16, -1e16, 3.3333333333333335, 1e-10];
    for (const x of xs) forward.add(x);
    for (const x of [...xs].reverse()) backward.add(x);
    expect(forward.value).toBe(backward.value);
    // The terms' exact sum rounded once, as Python's math.fsum gives it (computed there, not here).
    expect(forward.value).toBe(3.9333333334333336);
    let naive = 0;
    for (const x of xs) naive += x;
    expect(naive).not.toBe(forward.value);
  });

  it('agrees with naive summing on a shuffled list of task-second figures, bit for bit against every order', () => {
    const rng = new Rng(5);
    const xs = Array.from({ length: 5000 }, () => Math.floor(rng.next() * 1e9) / 1e3);
    const a = new ExactSum();
    for (const x of xs) a.add(x);
    for (let k = 0; k < 5; k++) {
      const ys = [...xs];
      for (let i = ys.length - 1; i > 0; i--) {
        const j = Math.floor(rng.next() * (i + 1));
        [ys[i], ys[j]] = [ys[j], ys[i]];
      }
      const b = new ExactSum();
      for (const y of ys) b.add(y);
      expect(b.value).toBe(a.value);
    }
    // Integers of milliseconds: the exact total is the integer sum / 1000.
    const ms = xs.reduce((s, x) => s + Math.round(x * 1e3), 0);
    expect(a.value).toBeCloseTo(ms / 1e3, 6);
  });

  it('keeps a non-finite term non-finite', () => {
    const s = new ExactSum();
    s.add(1);
    s.add(Number.NaN);
    expect(s.value).toBeNaN();
  });
});

describe.skipIf(!haveGoogle)('TaskTally.packingSample on Google 2011 (first task_events part)', () => {
  it('draws the same sample as packing-metrics sampleTasks over the rows', async () => {
    const w = await readGoogle2011(GOOGLE, { maxTaskParts: 1 });
    const D = w.resources.names.length;
    const store = new TaskStore(D, w.resources.names, w.priorityScale);
    for await (const b of w.taskBatches()) store.append(b);
    const tally = new TaskTally(D, false);
    for (let i = 0; i < store.count; i++) tally.addSubmitted(store.request, i * D, store.missing[i] === 1);
    const expected = sampleTasks(D, store.count, store.request, store.missing);
    const got = tally.packingSample();
    expect(store.count).toBeGreaterThan(SAMPLE_TASKS);
    expect(got.count).toBe(expected.length);
    expect(Array.from(got.request)).toEqual(expected.flat());
    // And when all fit in the sample: every eligible task, in order.
    const small = new TaskTally(D, false);
    for (let i = 0; i < 100; i++) small.addSubmitted(store.request, i * D, store.missing[i] === 1);
    expect(Array.from(small.packingSample().request)).toEqual(sampleTasks(D, 100, store.request, store.missing).flat());
  }, 120_000);
});
