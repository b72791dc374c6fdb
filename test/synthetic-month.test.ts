/**
 * The month-scale synthetic cell: the standing population at t = 0 and the daily cycle of arrivals
 * (workloads/synthetic/generator.ts, google-2011-month-fit.ts, diurnal-profile.ts). Statistical
 * checks state their bound: 5 standard errors (a false alarm about once in 1.7 million per check),
 * with the standard error estimated from the generated data where tasks or days are not independent.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { GiB } from '../model/units.js';
import type { TaskBatch } from '../model/task-batch.js';
import { BATCH_SIZE, MAX_DURATION_US, MONTH_FEATURES_FROM_HOURS, syntheticWorkload, type SyntheticOptions } from '../workloads/synthetic/generator.js';
import { GOOGLE_2011_MONTH_FIT } from '../workloads/synthetic/google-2011-month-fit.js';
import { GOOGLE_MACHINE_CPU } from '../workloads/synthetic/generator.js';

const M5_2XLARGE = { name: 'm5.2xlarge', cpuMillicores: 8000, memoryBytes: 32 * GiB };
const FIT = GOOGLE_2011_MONTH_FIT;
const Z = 5;

function opts(over: Partial<SyntheticOptions> = {}): SyntheticOptions {
  return { seed: 1, nodes: 200, tasks: 20_000, hours: 240, instance: M5_2XLARGE, ...over };
}

async function collect(o: SyntheticOptions): Promise<TaskBatch[]> {
  const out: TaskBatch[] = [];
  for await (const b of syntheticWorkload(o).taskBatches()) out.push(b);
  return out;
}

/** Per job: submit time, priority, first task's cpu request (or usage scale when BestEffort) and duration, task count. */
async function jobsOf(o: SyntheticOptions): Promise<{ submit: number[]; priority: number[]; cpu: number[]; firstDuration: number[]; size: number[] }> {
  const r = { submit: [] as number[], priority: [] as number[], cpu: [] as number[], firstDuration: [] as number[], size: [] as number[] };
  for await (const b of syntheticWorkload(o).taskBatches()) {
    for (let i = 0; i < b.count; i++) {
      const j = b.job[i];
      if (j === r.submit.length) {
        r.submit.push(b.submitTime[i]);
        r.priority.push(b.priority[i]);
        const c = b.request[i * 3];
        r.cpu.push(Number.isNaN(c) ? (b.usageScale?.[i * 3] ?? NaN) : c);
        r.firstDuration.push(b.duration[i]);
        r.size.push(0);
      }
      r.size[j]++;
    }
  }
  return r;
}

const COLUMNS = ['submitTime', 'duration', 'request', 'limit', 'priority', 'job', 'taskIndex', 'usageFraction', 'usageVariation'] as const;

describe('synthetic month: defaults and determinism', () => {
  it('keeps windows shorter than a week as before: no standing population, no daily cycle', async () => {
    for (const hours of [24, 38.4, MONTH_FEATURES_FROM_HOURS - 1]) {
      const w = syntheticWorkload(opts({ hours }));
      expect(w.name).toBe(`synthetic(seed=1,nodes=200,tasks=20000,hours=${hours})`);
      expect(w.expectedTasks).toBe(20_000);
      expect(w.notes).toContain('standing population at t = 0: none (the cluster starts empty)');
      expect(w.notes.some((n) => n.endsWith('no diurnal cycle'))).toBe(true);
    }
  });

  it('turns both on from a week, with the fitted tasks per node', () => {
    const w = syntheticWorkload(opts({ hours: MONTH_FEATURES_FROM_HOURS }));
    const standing = Math.round(FIT.standing.tasksPerMachine * 200);
    expect(w.expectedTasks).toBe(20_000 + standing);
    expect(w.name).toBe(`synthetic(seed=1,nodes=200,tasks=20000,hours=${MONTH_FEATURES_FROM_HOURS},standing=${standing},diurnal=on)`);
    expect(w.notes.some((n) => n.includes('time-warped to a daily cycle'))).toBe(true);
    const off = syntheticWorkload(opts({ hours: 720, standing: 'none', diurnal: false }));
    expect(off.expectedTasks).toBe(20_000);
    expect(off.notes.some((n) => n.endsWith('no diurnal cycle'))).toBe(true);
    expect(syntheticWorkload(opts({ hours: 24, standing: 123 })).expectedTasks).toBe(20_123);
  });

  it('is deterministic per seed with both on, and differs between seeds', async () => {
    const a = await collect(opts({ tasks: 80_000 }));
    const b = await collect(opts({ tasks: 80_000 }));
    expect(a.length).toBe(b.length);
    for (let k = 0; k < a.length; k++) {
      for (const col of COLUMNS) expect(Buffer.compare(Buffer.from(a[k][col].buffer), Buffer.from(b[k][col].buffer))).toBe(0);
    }
    const [c] = await collect(opts({ tasks: 80_000, seed: 2 }));
    expect(Buffer.compare(Buffer.from(a[0].duration.buffer), Buffer.from(c.duration.buffer))).not.toBe(0);
  });

  it('leaves the arrivals as they are without the standing population (own Rng streams), only their job numbers move', async () => {
    const on = await collect(opts({ standing: 'auto', diurnal: false }));
    const off = await collect(opts({ standing: 'none', diurnal: false }));
    const flat = (bs: TaskBatch[], col: 'submitTime' | 'duration' | 'priority' | 'job') => bs.flatMap((b) => Array.from(b[col].subarray(0, b.count)));
    const standing = Math.round(FIT.standing.tasksPerMachine * 200);
    const jobsOn = flat(on, 'job');
    const standingJobs = jobsOn[standing];
    expect(flat(on, 'duration').slice(standing)).toEqual(flat(off, 'duration'));
    expect(flat(on, 'submitTime').slice(standing)).toEqual(flat(off, 'submitTime'));
    expect(flat(on, 'priority').slice(standing)).toEqual(flat(off, 'priority'));
    expect(jobsOn.slice(standing).map((j) => j - standingJobs)).toEqual(flat(off, 'job'));
  });

  it('refuses bad standing values', () => {
    for (const standing of [-1, 1.5, NaN, 'some' as unknown as number]) {
      expect(() => syntheticWorkload(opts({ standing }))).toThrow(/standing must be 'auto', 'none' or a non-negative whole number/);
    }
  });
});

describe('synthetic month: streaming', () => {
  it('streams batches of at most BATCH_SIZE with non-decreasing submit times; jobs, controllers and counts agree', async () => {
    const o = opts({ nodes: 1000, tasks: 150_000, hours: 720 });
    const w = syntheticWorkload(o);
    let total = 0;
    let last = -1;
    let maxJob = -1;
    const sizes = new Map<number, number>();
    let outOfOrder = 0;
    let outOfWindow = 0;
    const batchSizes: number[] = [];
    for await (const b of w.taskBatches()) {
      batchSizes.push(b.count);
      for (let i = 0; i < b.count; i++) {
        if (b.submitTime[i] < last) outOfOrder++;
        last = b.submitTime[i];
        if (!(b.submitTime[i] >= 0 && b.submitTime[i] < (w.horizon ?? 0))) outOfWindow++;
        maxJob = Math.max(maxJob, b.job[i]);
        sizes.set(b.job[i], (sizes.get(b.job[i]) ?? 0) + 1);
      }
      total += b.count;
    }
    expect(batchSizes.every((n) => n > 0 && n <= BATCH_SIZE)).toBe(true);
    expect(batchSizes.length).toBe(Math.ceil(w.expectedTasks! / BATCH_SIZE));
    expect(outOfOrder).toBe(0);
    expect(outOfWindow).toBe(0);
    expect(total).toBe(w.expectedTasks);
    expect(w.jobs.length).toBe(maxJob + 1);
    expect(w.controllers?.length).toBe(maxJob + 1);
    expect(w.controllers?.map((c) => c.desired)).toEqual(Array.from({ length: maxJob + 1 }, (_, j) => sizes.get(j)));
  });
});

describe('synthetic month: the standing population against its fit', () => {
  const nodes = 12_500;
  const o = opts({ nodes, tasks: 1, hours: 720, diurnal: false });
  const expectedTasks = Math.round(FIT.standing.tasksPerMachine * nodes);
  let data: Awaited<ReturnType<typeof jobsOf>>;
  let standingJobs = 0;
  beforeAll(async () => {
    data = await jobsOf(o);
    // Standing jobs are the first ones; the one arrival job (1 task) comes last.
    standingJobs = data.submit.length - 1;
  });

  it('is the fitted tasks per node, all submitted at 0, before every arrival', () => {
    const standingTasks = data.size.slice(0, standingJobs).reduce((s, n) => s + n, 0);
    expect(standingTasks).toBe(expectedTasks);
    expect(data.submit.slice(0, standingJobs).every((t) => t === 0)).toBe(true);
    expect(syntheticWorkload(o).expectedTasks).toBe(expectedTasks + 1);
  });

  it('draws priorities per job from the fitted job mix while their task quota lasts', () => {
    // The quota is per task (synthetic-month-calibration.test.ts checks it), so a priority whose
    // jobs are small against its task share gets more jobs than the job mix says: priority 11 (3
    // jobs in the trace, 4.9 % of tasks) takes the pooled 10–11 tables' small jobs. The others,
    // while every quota is open, keep the mix's order: priority 9 has the most jobs, then 1.
    const n = standingJobs;
    const count = (p: number): number => data.priority.slice(0, n).filter((x) => x === p).length;
    const byShare = [...FIT.standing.priorityMix].filter((m) => m.priority !== 11).sort((a, b) => b.jobShare - a.jobShare);
    expect(count(byShare[0].priority)).toBeGreaterThan(count(byShare[1].priority));
    const p11 = FIT.standing.priorityMix.find((m) => m.priority === 11)?.jobShare ?? 0;
    expect(count(11) / n).toBeGreaterThan(p11 + Z * Math.sqrt((p11 * (1 - p11)) / n));
  });

  it("draws each group's CPU request from its table (median check, ties allowed)", () => {
    for (const g of FIT.standing.groups) {
      const idx: number[] = [];
      for (let j = 0; j < standingJobs; j++) if (g.priorities.includes(data.priority[j])) idx.push(j);
      if (idx.length < 100) continue;
      const median = g.cpu.v[g.cpu.p.indexOf(0.5)];
      const norm = idx.map((j) => (data.cpu[j] / M5_2XLARGE.cpuMillicores) * GOOGLE_MACHINE_CPU);
      // Millicore rounding moves a value by at most 0.5 m (1 / 16,000 of a normalized unit here).
      const tol = 0.5 / M5_2XLARGE.cpuMillicores * GOOGLE_MACHINE_CPU;
      const atMost = norm.filter((c) => c <= median + tol).length / norm.length;
      const below = norm.filter((c) => c < median - tol).length / norm.length;
      const se = Math.sqrt(0.25 / norm.length);
      expect(atMost).toBeGreaterThanOrEqual(0.5 - Z * se);
      expect(below).toBeLessThanOrEqual(0.5 + Z * se);
    }
  });

  it('runs past the window as often as the residual-lifetime fit says (first task of each job)', () => {
    // S(W) = (1 - tailP) (W / tailStart)^-alpha beyond the tail point (fit-types.ts DurationFit).
    const W = 720 * 3600;
    let expected = 0;
    let variance = 0;
    let got = 0;
    for (let j = 0; j < standingJobs; j++) {
      const g = FIT.standing.groups.find((gr) => gr.priorities.includes(data.priority[j]));
      if (!g) throw new Error(`no group for priority ${data.priority[j]}`);
      const d = g.duration;
      expect(W).toBeGreaterThan(d.tailStart);
      const s = (1 - d.tailP) * Math.pow(W / d.tailStart, -d.paretoAlpha);
      expected += s;
      variance += s * (1 - s);
      if (data.firstDuration[j] > W * 1e6) got++;
    }
    expect(Math.abs(got - expected)).toBeLessThanOrEqual(Z * Math.sqrt(variance));
    // Those run to the end: capped at the window + 1 µs, not at 29 days.
    const longest = Math.max(...data.firstDuration.slice(0, standingJobs));
    expect(longest).toBe(Math.max(MAX_DURATION_US, 720 * 3.6e9 + 1));
  });
});

describe('synthetic month: the daily cycle of arrivals', () => {
  const A = FIT.diurnal.amplitude;
  const peak = FIT.diurnal.peakHour;
  const start = FIT.diurnal.startHour;
  const days = 20;

  /** First-harmonic estimate per day and overall: a = 2 mean cos(ω h), b = 2 mean sin(ω h), h local hour of each job's arrival. */
  function harmonic(submits: number[]): { amp: number; peakHour: number; seA: number; sePeak: number; hourShare: number[]; hourSe: number[] } {
    const w = (2 * Math.PI) / 24;
    const perDay = Array.from({ length: days }, () => ({ n: 0, c: 0, s: 0, hours: new Array<number>(24).fill(0) }));
    for (const t of submits) {
      const hAbs = t / 3.6e9;
      const d = Math.min(days - 1, Math.floor(hAbs / 24));
      const local = (start + hAbs) % 24;
      const day = perDay[d];
      day.n++;
      day.c += Math.cos(w * local);
      day.s += Math.sin(w * local);
      day.hours[Math.floor(local)]++;
    }
    const n = submits.length;
    const a = (2 * perDay.reduce((x, d) => x + d.c, 0)) / n;
    const b = (2 * perDay.reduce((x, d) => x + d.s, 0)) / n;
    const amp = Math.hypot(a, b);
    const peakHour = ((Math.atan2(b, a) / w) % 24 + 24) % 24;
    // Standard errors from the day-to-day spread of the daily estimates.
    const sd = (xs: number[]): number => {
      const m = xs.reduce((x, y) => x + y, 0) / xs.length;
      return Math.sqrt(xs.reduce((x, y) => x + (y - m) ** 2, 0) / (xs.length - 1));
    };
    const dayA = perDay.map((d) => (2 * d.c) / d.n);
    const dayB = perDay.map((d) => (2 * d.s) / d.n);
    const seA = Math.max(sd(dayA), sd(dayB)) / Math.sqrt(days);
    const hourShare = Array.from({ length: 24 }, (_, h) => perDay.reduce((x, d) => x + d.hours[h], 0) / n);
    const hourSe = Array.from({ length: 24 }, (_, h) => sd(perDay.map((d) => d.hours[h] / d.n)) / Math.sqrt(days));
    return { amp, peakHour, seA, sePeak: seA / Math.max(amp, 1e-9) / w, hourShare, hourSe };
  }

  it('follows 1 + A cos(2π (hour − peak) / 24): hour-of-day shares, amplitude and peak within 5 standard errors', async () => {
    const { submit } = await jobsOf(opts({ nodes: 1000, tasks: 1_500_000, hours: days * 24, standing: 'none', diurnal: true }));
    expect(submit.length).toBeGreaterThan(30_000);
    const h = harmonic(submit);
    // Expected share of local hour k: ∫ₖᵏ⁺¹ (1 + A cos(ω (x − peak))) dx / 24.
    const w = (2 * Math.PI) / 24;
    for (let k = 0; k < 24; k++) {
      const share = (1 + (A / w) * (Math.sin(w * (k + 1 - peak)) - Math.sin(w * (k - peak)))) / 24;
      expect(Math.abs(h.hourShare[k] - share)).toBeLessThanOrEqual(Z * h.hourSe[k]);
    }
    expect(Math.abs(h.amp - A)).toBeLessThanOrEqual(Z * h.seA);
    const dPeak = ((h.peakHour - peak + 36) % 24) - 12;
    expect(Math.abs(dPeak)).toBeLessThanOrEqual(Z * h.sePeak);
    // The check can tell: the same workload without the cycle has a first harmonic near 0.
    const flat = harmonic((await jobsOf(opts({ nodes: 1000, tasks: 1_500_000, hours: days * 24, standing: 'none', diurnal: false }))).submit);
    expect(flat.amp).toBeLessThanOrEqual(Z * flat.seA);
    expect(A).toBeGreaterThan(Z * flat.seA);
  });
});
