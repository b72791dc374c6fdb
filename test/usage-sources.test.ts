import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TaskStore } from '../harness/task-store.js';
import { allocTaskBatch, type TaskBatch } from '../model/task-batch.js';
import type { Workload } from '../model/workload.js';
import type { UsageSeriesSet } from '../model/usage-series.js';
import { UsageError } from '../model/errors.js';
import { createUsageSource } from '../harness/usage/create-usage-source.js';
import { usageFactor } from '../harness/usage-model.js';
import type { TaskUsageSource } from '../harness/usage/task-usage-source.js';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'usage');
const NAMES = ['cpu', 'memory', 'gpu'];
const CPU = 0;
const MEM = 1;
const GIB = 2 ** 30;

function workload(usageSeries?: UsageSeriesSet): Workload {
  return {
    name: 'hand-built',
    resources: { names: NAMES, units: ['millicores', 'bytes', 'milli-gpu'] },
    machines: [],
    machineEvents: [],
    jobs: [],
    users: [],
    taskBatches: async function* () {},
    notes: [],
    usageSeries,
  };
}

/** A batch of `jobs.length` tasks: job ids as given, 1000 m CPU and 1 GiB each. */
function batch(jobs: number[], edit?: (b: TaskBatch, i: number) => void): TaskBatch {
  const b = allocTaskBatch(jobs.length, 3);
  for (let i = 0; i < jobs.length; i++) {
    b.job[i] = jobs[i];
    b.taskIndex[i] = i;
    b.request[i * 3 + CPU] = 1000;
    b.request[i * 3 + MEM] = GIB;
    b.request[i * 3 + 2] = 0;
    edit?.(b, i);
  }
  return b;
}

async function source(kind: string, store: TaskStore, w: Workload, extra: { seed?: number; start?: number; library?: string; librarySet?: string } = {}): Promise<TaskUsageSource & { notes(): string[] }> {
  const s = await createUsageSource(kind, { workload: w, tasks: store, seed: extra.seed ?? 7, start: extra.start ?? 0, library: extra.library, librarySet: extra.librarySet });
  s.assign(0, store.count);
  return s as TaskUsageSource & { notes(): string[] };
}

/** Two non-cyclic trace series on 300-s points: series 0 starts at 600 s (3 points), series 1 at 0 (2 points). */
function traceSet(): UsageSeriesSet {
  const D = 3;
  const values = new Float32Array(5 * D).fill(NaN);
  const put = (p: number, cpu: number, mem: number): void => {
    values[p * D + CPU] = cpu;
    values[p * D + MEM] = mem;
  };
  put(0, 0.5, 0.25);
  put(1, 0.75, 0.5);
  put(2, 1.5, 1.25);
  put(3, 0.125, 0.0625);
  put(4, 0.25, 2);
  return { source: 'trace:test', dims: D, step: 300e6, count: 2, offsets: Int32Array.from([0, 3, 5]), values, start: Float64Array.from([600e6, 0]), cyclic: false };
}

describe("usage source 'trace'", () => {
  it('reads point k − (seriesStart − replayStart)/step of the task’s own series, × request or usage scale; NaN outside and without a series', async () => {
    const store = new TaskStore(3, NAMES);
    store.append(
      batch([0, 1, 2], (b, i) => {
        b.usageSeries = b.usageSeries ?? new Int32Array(3);
        b.usageSeries[i] = [0, 1, -1][i];
        b.usageScale = b.usageScale ?? new Float64Array(9).fill(NaN);
        if (i === 1) b.usageScale[i * 3 + CPU] = 4000; // usage relative to 4 cores, not the request
      }),
    );
    const s = await source('trace', store, workload(traceSet()), { start: 300e6 });
    // Replay starts at 300 s: series 0 (start 600 s) begins at step 1.
    expect(s.usage(0, CPU, 0)).toBeNaN();
    expect(s.usage(0, CPU, 1)).toBe(500);
    expect(s.usage(0, MEM, 2)).toBe(0.5 * GIB);
    expect(s.usage(0, MEM, 3)).toBe(1.25 * GIB); // memory past its request
    expect(s.usage(0, CPU, 4)).toBeNaN();
    // Series 1 starts at 0, i.e. one step before the replay: step 0 reads its point 1.
    expect(s.usage(1, CPU, 0)).toBe(0.25 * 4000);
    expect(s.usage(1, MEM, 0)).toBe(2 * GIB);
    expect(s.usage(1, CPU, 1)).toBeNaN();
    expect(s.usage(2, CPU, 1)).toBeNaN();
    expect(s.notes()[0]).toMatch(/2 from their trace series, 1 without usage/);
  });

  it('a cyclic trace set wraps around', async () => {
    const set = { ...traceSet(), cyclic: true };
    const store = new TaskStore(3, NAMES);
    store.append(batch([0], (b) => (b.usageSeries = Int32Array.from([0]))));
    const s = await source('trace', store, workload(set), { start: 600e6 });
    expect([0, 1, 2, 3, 4, -1].map((k) => s.usage(0, CPU, k))).toEqual([500, 750, 1500, 500, 750, 1500]);
  });

  it("is a UsageError naming --usage on a workload without usage series", async () => {
    const store = new TaskStore(3, NAMES);
    store.append(batch([0]));
    await expect(source('trace', store, workload())).rejects.toThrow(UsageError);
    await expect(source('trace', store, workload())).rejects.toThrow(/--usage trace: workload 'hand-built' has no usage series/);
  });
});

/** The fixture GCD files as fractions, read independently of the reader: [file][line] = [cpu, mem]. */
function fixtureGcd(): Map<string, number[][]> {
  const m = new Map<string, number[][]>();
  for (const f of ['vm_1_1', 'vm_2_1']) {
    const text = readFileSync(path.join(FIXTURES, 'good', 'google-2011-jobs', 'GCD_VMs', f), 'utf8');
    m.set(f, text.trim().split('\n').map((l) => l.split(' ').map((x) => Number(x) / 100)));
  }
  return m;
}

describe("usage source 'library'", () => {
  it('gives every task of a job the same library series, point k mod 288, × request (or the usage scale)', async () => {
    const store = new TaskStore(3, NAMES);
    const jobs = [0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8];
    store.append(
      batch(jobs, (b, i) => {
        if (i === 1) {
          b.usageScale = new Float64Array(jobs.length * 3).fill(NaN);
          b.usageScale[i * 3 + MEM] = 2 * GIB;
        }
      }),
    );
    const s = await source('library', store, workload(), { library: path.join(FIXTURES, 'good') });
    const files = fixtureGcd();
    const match = (t: number, scaleMem: number): string => {
      const hits = [...files].filter(([, rows]) =>
        [0, 1, 287, 288, 289, 1000].every((k) => {
          const [c, m] = rows[k % 288];
          return Math.abs(s.usage(t, CPU, k) / (c * 1000) - 1) < 1e-6 && Math.abs(s.usage(t, MEM, k) / (m * scaleMem) - 1) < 1e-6;
        }),
      );
      expect(hits.length).toBe(1);
      return hits[0][0];
    };
    const chosen = jobs.map((_, t) => match(t, t === 1 ? 2 * GIB : GIB));
    expect(chosen[1]).toBe(chosen[0]);
    expect(chosen[2]).toBe(chosen[0]);
    expect(chosen[4]).toBe(chosen[3]);
    expect(new Set(chosen).size).toBe(2); // 9 jobs over 2 series: both used
    expect(s.usage(0, 2, 5)).toBeNaN(); // the library has no GPU
    expect(s.notes()[0]).toMatch(/12 from the usage library/);
  });

  it('memory above the request: the fixture line 288 holds 101.5 % memory', async () => {
    const store = new TaskStore(3, NAMES);
    store.append(batch(Array.from({ length: 40 }, (_, j) => j)));
    const s = await source('library', store, workload(), { library: path.join(FIXTURES, 'good') });
    let above = 0;
    for (let t = 0; t < 40; t++) if (s.usage(t, MEM, 287) > GIB) above++;
    expect(above).toBeGreaterThan(0);
  });

  it('settings errors name --usage / --usage-library', async () => {
    const store = new TaskStore(3, NAMES);
    store.append(batch([0]));
    const w = workload();
    await expect(source('library', store, w)).rejects.toThrow(/--usage library needs --usage-library/);
    await expect(source('library', store, w, { library: path.join(FIXTURES, 'nowhere') })).rejects.toThrow(/--usage-library: folder .*nowhere.* not found/);
    await expect(source('library', store, w, { library: path.join(FIXTURES, 'bad-short'), librarySet: 'planetlab' })).rejects.toThrow(/--usage-library: .*PlanetLab usage archive/);
    await expect(source('library', store, w, { library: path.join(FIXTURES, 'good'), librarySet: 'azure' })).rejects.toThrow(/--usage-set: unknown usage library set 'azure'/);
    await expect(source('sometimes', store, w)).rejects.toThrow(/--usage: unknown usage source 'sometimes'; expected one of auto, trace, library, synthetic, flat/);
    await expect(source('library', store, w, { library: path.join(FIXTURES, 'bad-negative') })).rejects.toThrow(/vm_3_1 line 5, column 1 \(memory %\)/);
  });
});

describe("usage source 'synthetic' and 'auto'", () => {
  it('rescales a task’s series to its known mean usage fraction; literal when unknown', async () => {
    const store = new TaskStore(3, NAMES);
    store.append(
      batch([0, 1], (b, i) => {
        if (i === 0) {
          b.usageFraction[CPU] = 0.4;
          b.usageFraction[MEM] = 0.6;
        }
      }),
    );
    const s = await source('synthetic', store, workload());
    const mean = (t: number, d: number, req: number): number => {
      let sum = 0;
      for (let k = 0; k < 288; k++) sum += s.usage(t, d, k) / req;
      return sum / 288;
    };
    expect(mean(0, CPU, 1000)).toBeCloseTo(0.4, 5);
    expect(mean(0, MEM, GIB)).toBeCloseTo(0.6, 5);
    const literal = mean(1, CPU, 1000);
    expect(literal).toBeGreaterThan(0);
    expect(literal).not.toBeCloseTo(0.4, 3);
    // Cyclic over the day: step k and k + 288 agree; usage varies within the day.
    expect(s.usage(0, CPU, 3)).toBe(s.usage(0, CPU, 291));
    const day = Array.from({ length: 288 }, (_, k) => s.usage(0, CPU, k));
    expect(Math.max(...day)).toBeGreaterThan(Math.min(...day));
    expect(s.notes()[0]).toMatch(/2 from the synthetic process/);
  });

  it('memory usage grows past the request for some tasks (series taken literally)', async () => {
    const store = new TaskStore(3, NAMES);
    store.append(batch(Array.from({ length: 3000 }, (_, j) => j)));
    const s = await source('synthetic', store, workload());
    let above = 0;
    for (let t = 0; t < store.count; t++) {
      for (let k = 0; k < 288; k++) {
        if (s.usage(t, MEM, k) > GIB) {
          above++;
          break;
        }
      }
    }
    expect(above).toBeGreaterThan(0);
  });

  it("'auto' takes the trace series where a task has one, else the synthetic process, and says how many of each", async () => {
    const store = new TaskStore(3, NAMES);
    store.append(batch([0, 1, 2], (b, i) => {
      b.usageSeries = b.usageSeries ?? new Int32Array(3);
      b.usageSeries[i] = i === 0 ? 1 : -1;
    }));
    const s = await source('auto', store, workload(traceSet()), { start: 0 });
    expect(s.usage(0, CPU, 0)).toBe(125);
    expect(s.usage(0, CPU, 2)).toBeNaN(); // trace series over, non-cyclic
    expect(s.usage(1, CPU, 2)).toBeGreaterThanOrEqual(0);
    expect(s.notes()[0]).toMatch(/1 from their trace series, 2 from the synthetic process/);
    const plain = await source(undefined as unknown as string, store, workload());
    expect(plain.description).toMatch(/^auto: synthetic/);
  });

  it('same seed ⇒ same values; another seed ⇒ another assignment; values independent of call order', async () => {
    const make = (): TaskStore => {
      const st = new TaskStore(3, NAMES);
      st.append(batch(Array.from({ length: 50 }, (_, i) => i % 20)));
      return st;
    };
    const a = await source('synthetic', make(), workload(), { seed: 11 });
    const b = await source('synthetic', make(), workload(), { seed: 11 });
    const c = await source('synthetic', make(), workload(), { seed: 12 });
    const grid = (s: TaskUsageSource, order: number[]): Map<string, number> => {
      const m = new Map<string, number>();
      for (const t of order) for (const k of [0, 7, 100, 287, 5000]) for (const d of [CPU, MEM]) m.set(`${t},${d},${k}`, s.usage(t, d, k));
      return m;
    };
    const forward = Array.from({ length: 50 }, (_, i) => i);
    const backward = [...forward].reverse();
    const ga = grid(a, forward);
    expect(grid(b, backward)).toEqual(ga);
    expect(grid(a, backward)).toEqual(ga); // asking again, in another order, changes nothing
    const gc = grid(c, forward);
    let differ = 0;
    for (const [key, v] of ga) if (gc.get(key) !== v) differ++;
    expect(differ).toBeGreaterThan(0);
  });

  it('assign after the task table grew (its arrays replaced) reads the new rows', async () => {
    const store = new TaskStore(3, NAMES);
    store.append(batch([0]));
    const s = await createUsageSource('synthetic', { workload: workload(), tasks: store, seed: 3, start: 0 });
    s.assign(0, 1);
    store.append(batch(Array.from({ length: 2000 }, () => 0), (b, i) => (b.request[i * 3 + CPU] = 3000)));
    s.assign(1, store.count);
    // Same job ⇒ same series; task 1 requests 3× task 0's CPU.
    expect(s.usage(1500, CPU, 9)).toBeCloseTo(3 * s.usage(0, CPU, 9), 6);
  });
});

describe("usage source 'flat'", () => {
  it('is request × usage fraction × usageFactor(seed, task, k, CV), capped at the limit', async () => {
    const store = new TaskStore(3, NAMES);
    store.append(
      batch([0, 1, 2], (b, i) => {
        b.usageFraction[i * 3 + CPU] = i === 2 ? NaN : 0.5;
        b.usageFraction[i * 3 + MEM] = 0.9;
        b.usageVariation[i] = 0.3;
        if (i === 1) b.limit[i * 3 + MEM] = 0.95 * GIB;
      }),
    );
    const s = await source('flat', store, workload(), { seed: 5 });
    for (const k of [0, 1, 17]) {
      // The task table stores fractions and CVs as float32.
      expect(s.usage(0, CPU, k)).toBeCloseTo(1000 * 0.5 * usageFactor(5, 0, k, Math.fround(0.3)), 9);
      const f = usageFactor(5, 1, k, Math.fround(0.3));
      const mem = Math.fround(0.9) * GIB * f;
      expect(s.usage(1, MEM, k)).toBeCloseTo(Math.min(mem, 0.95 * GIB), 0);
    }
    let capped = 0;
    for (let k = 0; k < 200; k++) if (s.usage(1, MEM, k) === 0.95 * GIB) capped++;
    expect(capped).toBeGreaterThan(0);
    expect(s.usage(2, CPU, 0)).toBeNaN();
    expect(s.notes()[0]).toMatch(/2 tasks with a usage fraction, 1 without/);
  });
});

const LIBRARY = path.resolve(ROOT, '..', 'shared', 'data', 'usage');
const libraryPresent = existsSync(path.join(LIBRARY, 'google-2011-jobs', 'GCD_VMs')) && existsSync(path.join(LIBRARY, 'planetlab', 'planetlab.tar.gz'));
if (!libraryPresent) console.warn(`usage source tests on the real library skipped: ${LIBRARY} is absent (see ../shared/data/README.md)`);

describe.skipIf(!libraryPresent)("usage source 'library' on the real library (../shared/data/usage)", () => {
  it('GCD: 2,000 one-task jobs; memory past the request occurs (5 library files exceed 100 %); the notes count them', async () => {
    const store = new TaskStore(3, NAMES);
    store.append(batch(Array.from({ length: 2000 }, (_, j) => j)));
    const s = await source('library', store, workload(), { library: LIBRARY, seed: 1 });
    let above = 0;
    for (let t = 0; t < store.count; t++) {
      for (let k = 0; k < 288; k++) {
        if (s.usage(t, MEM, k) > GIB) {
          above++;
          break;
        }
      }
    }
    expect(above).toBeGreaterThan(0);
    expect(s.description).toMatch(/library \(gcd: 803 series/);
    expect(s.notes()[0]).toMatch(/2000 from the usage library/);
  });

  it('PlanetLab: CPU from the VM series, memory unknown (NaN)', async () => {
    const store = new TaskStore(3, NAMES);
    store.append(batch([0, 1, 2]));
    const s = await source('library', store, workload(), { library: LIBRARY, librarySet: 'planetlab' });
    expect(s.description).toMatch(/planetlab: 5603 series/);
    for (let k = 0; k < 288; k += 13) {
      const u = s.usage(0, CPU, k);
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThanOrEqual(1000);
      expect(Math.abs(u / 10 - Math.round(u / 10))).toBeLessThan(1e-4); // whole percents of 1000 m (float32)
      expect(s.usage(0, MEM, k)).toBeNaN();
    }
  });
});
