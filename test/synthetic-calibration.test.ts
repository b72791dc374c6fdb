/**
 * Calibration: the synthetic generator against the real Google 2011 sample, in sample and out of
 * sample.
 *
 * Split (workloads/synthetic/google-2011-split.ts): the committed fit (google-2011-fit.ts) is made
 * from task_events parts 0–9 only (its `source.parts`); parts 10–13 are held out. The parts are
 * consecutive time slices, so this is a temporal hold-out: the 5.6 h after the 14.1 h the model saw.
 * - In-sample real side: parts 0–9 read by the fit's own population rules (google-2011-sample.ts).
 * - Out-of-sample real side: all parts read (so jobs started earlier are recognised), then only the
 *   jobs first seen after the last event of part 9, followed to the end of the data.
 * - Synthetic side: for each, the generator with the committed fit, the same number of tasks over the
 *   same window (seed 1 in sample, seed 2 out of sample), so sample sizes are comparable.
 *
 * Every bound is a two-sample test at α = 0.001 for the sample sizes at hand, not a number picked
 * from the measured value:
 * - Per-job quantities (tasks per job, CPU and memory request, the first task's run length) are what
 *   the generator draws: KS critical value c(α) √((n + m) / (n m)) for the two job counts, plus
 *   TABLE_SLACK = 0.01 for the quantile tables' discretization (62 knots, 0.02 apart in p in the
 *   body; interpolation keeps the CDF error below the knot spacing, in practice well below).
 *   Requests are compared after the generator's unit mapping and rounding (0.5 normalized = one
 *   m5.2xlarge), so the real side's point masses line up.
 * - Run length is censored in the real data, so the real side is its Kaplan–Meier CDF (job-weighted
 *   for the per-job comparison: each task 1 / its job's scheduled tasks, as in the fit), compared
 *   over t <= half the window: arrivals are spread over the window, so about half the jobs or more
 *   can be followed that far; beyond it the estimate rests on the early arrivals only and has more
 *   variance than the critical value allows for.
 * - Task-weighted quantities (a job's request counted once per task; every task's run length) emerge
 *   from the job copula and are dominated by a few huge jobs: the same KS critical value for Kish's
 *   effective sample sizes (Σn)² / Σn² over the job sizes (tasks of a job share its request, and their
 *   run lengths are correlated 0.85–1.0 within a job, so a job is about one observation weighted by
 *   its size), plus TABLE_SLACK.
 * - Priority mix, per priority value: the two-proportion z statistic, |p̂₁ − p̂₂| / √(p̄ (1 − p̄)
 *   (1/n + 1/m)), against z(1 − α/2) = 3.29, with job counts for job shares and the effective sizes
 *   for task shares; the statistic is the largest over priority values.
 * - Per-job CPU–memory dependence: Spearman ρ, Fisher z-transformed, standard error √(1.06 / (n − 3))
 *   per side (Fieller, Hartley & Pearson, Biometrika 1957), against z(1 − α/2).
 *
 * Known gaps, asserted as gaps with their cause (each such test fails, and must be revisited, when
 * the model or the data changes so that the gap closes):
 * - tail dependence — the task-weighted memory request, in and out of sample. The Gaussian copula has
 *   no tail dependence, and the real sample's biggest jobs (thousands of tasks) ask for memory in the
 *   top decile, so synthetic tasks ask for less memory than real ones at the task level. Cause
 *   checked: task weighting moves the real memory distribution further from its per-job one than it
 *   moves the synthetic one.
 * - drift — out of sample, the per-job memory request, per-job run length and priority mix. The
 *   workload changes over the day (priorities 4 and 6, absent from parts 0–9, make up about 16 % of
 *   the later jobs; priority 2 falls from 32 % to 13 %), and the generator is stationary. Cause
 *   checked: the real held-out window differs from the real fitted window on the same quantity beyond
 *   the same α = 0.001 bound, so no model fitted on the first window could pass.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sampleRankCorrelation } from 'simple-statistics';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { GiB } from '../model/units.js';
import { syntheticWorkload } from '../workloads/synthetic/generator.js';
import { GOOGLE_2011_FIT } from '../workloads/synthetic/google-2011-fit.js';
import { listTaskEventParts, readGoogle2011Sample, type Google2011Sample } from '../workloads/synthetic/google-2011-sample.js';
import { HOLD_OUT_PARTS, jobsArrivingAfter, partNumber } from '../workloads/synthetic/google-2011-split.js';
import { kaplanMeier } from '../workloads/synthetic/kaplan-meier.js';
import { ksBetweenStepCdfs, ksCriticalValue, ksTwoSample, ksTwoSampleWeighted } from '../workloads/synthetic/ks-two-sample.js';
import { normalSf } from '../workloads/synthetic/normal.js';

const DATA = fileURLToPath(new URL('../../shared/data/google-2011/task_events', import.meta.url));
const exists = existsSync(DATA);
if (!exists) console.warn(`synthetic-calibration: skipped, real data not found at ${DATA} (it lives beside the repo in ../shared/data; see its README)`);

const INSTANCE = { name: 'm5.2xlarge', cpuMillicores: 8000, memoryBytes: 32 * GiB };
const ALPHA = 0.001;
const TABLE_SLACK = 0.01;

/** z with P(|Z| > z) = alpha, by bisection on the accurate normal tail. */
function zTwoSided(alpha: number): number {
  let lo = 0;
  let hi = 10;
  for (let k = 0; k < 100; k++) {
    const mid = (lo + hi) / 2;
    if (2 * normalSf(mid) > alpha) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
const Z = zTwoSided(ALPHA);

/** Kish's effective sample size of weights w: (Σw)² / Σw². */
function effectiveSize(w: ArrayLike<number>): number {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < w.length; i++) {
    s += w[i];
    s2 += w[i] * w[i];
  }
  return (s * s) / s2;
}

const ones = (n: number): number[] => new Array<number>(n).fill(1);

interface StepCdf {
  times: ArrayLike<number>;
  cdf: ArrayLike<number>;
}

/** One side of a comparison: a job table and its run-length CDFs, real or synthetic alike. */
interface Side {
  size: number[];
  cpu: number[];
  mem: number[];
  priority: number[];
  /** Per-job run length: job-weighted KM (real) or the empirical CDF of task 0's runs (synthetic). */
  jobRuns: StepCdf;
  /** Every task's run length: plain KM (real) or the empirical CDF of all runs (synthetic). */
  taskRuns: StepCdf;
  /** Tasks per job in `taskRuns` (the clusters of that sample). */
  runClusters: ArrayLike<number>;
}

function empiricalCdf(sample: number[]): StepCdf {
  const x = Float64Array.from(sample).sort();
  const times: number[] = [];
  const cdf: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (i + 1 < x.length && x[i + 1] === x[i]) continue;
    times.push(x[i]);
    cdf.push((i + 1) / x.length);
  }
  return { times, cdf };
}

function kmCdf(time: ArrayLike<number>, observed: ArrayLike<number>, weight?: ArrayLike<number>): StepCdf {
  const km = kaplanMeier(time, observed, weight);
  return { times: km.times, cdf: Float64Array.from(km.survival, (s) => 1 - s) };
}

function realSide(s: Google2011Sample): Side {
  const scheduled = new Float64Array(s.jobs.length);
  for (const j of s.taskJob) scheduled[j]++;
  return {
    size: s.jobs.map((j) => j.size),
    cpu: s.jobs.map((j) => Math.round((j.cpu / 0.5) * INSTANCE.cpuMillicores)),
    mem: s.jobs.map((j) => Math.round((j.mem / 0.5) * INSTANCE.memoryBytes)),
    priority: s.jobs.map((j) => j.priority),
    jobRuns: kmCdf(s.taskDuration, s.taskObserved, Float64Array.from(s.taskJob, (j) => 1 / scheduled[j])),
    taskRuns: kmCdf(s.taskDuration, s.taskObserved),
    runClusters: scheduled,
  };
}

async function syntheticSide(tasks: number, hours: number, seed: number): Promise<Side> {
  const w = syntheticWorkload({ seed, nodes: 10, tasks, hours, instance: INSTANCE });
  const side = { size: [] as number[], cpu: [] as number[], mem: [] as number[], priority: [] as number[] };
  const all: number[] = [];
  const first: number[] = [];
  for await (const b of w.taskBatches()) {
    for (let i = 0; i < b.count; i++) {
      const j = b.job[i];
      if (j === side.size.length) {
        side.size.push(0);
        // A BestEffort (free-band) task states no request; the fitted size is its usage scale.
        const scaled = b.usageScale !== undefined && b.usageScale[i * 3] === b.usageScale[i * 3];
        side.cpu.push(scaled ? b.usageScale![i * 3] : b.request[i * 3]);
        side.mem.push(scaled ? b.usageScale![i * 3 + 1] : b.request[i * 3 + 1]);
        side.priority.push(b.priority[i]);
      }
      side.size[j]++;
      const seconds = b.duration[i] / 1e6;
      all.push(seconds);
      if (b.taskIndex[i] === 0) first.push(seconds);
    }
  }
  return { ...side, jobRuns: empiricalCdf(first), taskRuns: empiricalCdf(all), runClusters: side.size };
}

/** A statistic and the bound it is tested against (fits when stat < bound). */
interface Measured {
  stat: number;
  bound: number;
}

function largestProportionZ(a: number[], wa: number[], b: number[], wb: number[], n: number, m: number): number {
  const share = (prio: number[], w: number[]): Map<number, number> => {
    const out = new Map<number, number>();
    let total = 0;
    prio.forEach((p, i) => {
      out.set(p, (out.get(p) ?? 0) + w[i]);
      total += w[i];
    });
    for (const [k, v] of out) out.set(k, v / total);
    return out;
  };
  const sa = share(a, wa);
  const sb = share(b, wb);
  let worst = 0;
  for (const k of new Set([...sa.keys(), ...sb.keys()])) {
    const pa = sa.get(k) ?? 0;
    const pb = sb.get(k) ?? 0;
    const pooled = (pa * n + pb * m) / (n + m);
    worst = Math.max(worst, Math.abs(pa - pb) / Math.sqrt(pooled * (1 - pooled) * (1 / n + 1 / m)));
  }
  return worst;
}

/** The compared quantities: each takes two sides (and the run-length horizon) to a statistic and its bound. */
const QUANTITIES: Record<string, (a: Side, b: Side, horizon: number) => Measured> = {
  'per-job tasks per job': (a, b) => ({ stat: ksTwoSample(a.size, b.size), bound: ksCriticalValue(a.size.length, b.size.length, ALPHA) + TABLE_SLACK }),
  'per-job CPU request': (a, b) => ({ stat: ksTwoSample(a.cpu, b.cpu), bound: ksCriticalValue(a.size.length, b.size.length, ALPHA) + TABLE_SLACK }),
  'per-job memory request': (a, b) => ({ stat: ksTwoSample(a.mem, b.mem), bound: ksCriticalValue(a.size.length, b.size.length, ALPHA) + TABLE_SLACK }),
  'per-job run length': (a, b, h) => ({
    stat: ksBetweenStepCdfs(a.jobRuns.times, a.jobRuns.cdf, b.jobRuns.times, b.jobRuns.cdf, h),
    bound: ksCriticalValue(a.size.length, b.size.length, ALPHA) + TABLE_SLACK,
  }),
  'per-job CPU–memory Spearman (|Δ Fisher z|)': (a, b) => ({
    stat: Math.abs(Math.atanh(sampleRankCorrelation(a.cpu, a.mem)) - Math.atanh(sampleRankCorrelation(b.cpu, b.mem))),
    bound: Z * Math.sqrt(1.06 / (a.cpu.length - 3) + 1.06 / (b.cpu.length - 3)),
  }),
  'priority mix, job shares (largest |z|)': (a, b) => ({
    stat: largestProportionZ(a.priority, ones(a.size.length), b.priority, ones(b.size.length), a.size.length, b.size.length),
    bound: Z,
  }),
  'priority mix, task shares (largest |z|)': (a, b) => ({
    stat: largestProportionZ(a.priority, a.size, b.priority, b.size, effectiveSize(a.size), effectiveSize(b.size)),
    bound: Z,
  }),
  'task-weighted CPU request': (a, b) => ({
    stat: ksTwoSampleWeighted(a.cpu, a.size, b.cpu, b.size),
    bound: ksCriticalValue(effectiveSize(a.size), effectiveSize(b.size), ALPHA) + TABLE_SLACK,
  }),
  'task-weighted memory request': (a, b) => ({
    stat: ksTwoSampleWeighted(a.mem, a.size, b.mem, b.size),
    bound: ksCriticalValue(effectiveSize(a.size), effectiveSize(b.size), ALPHA) + TABLE_SLACK,
  }),
  'task-weighted run length': (a, b, h) => ({
    stat: ksBetweenStepCdfs(a.taskRuns.times, a.taskRuns.cdf, b.taskRuns.times, b.taskRuns.cdf, h),
    bound: ksCriticalValue(effectiveSize(a.runClusters), effectiveSize(b.runClusters), ALPHA) + TABLE_SLACK,
  }),
};

type Verdict = 'fits' | 'gap: tail dependence' | 'gap: drift';
/** What each quantity is expected to show, in sample and out of sample (reasons in the file comment). */
const EXPECTED: Record<string, [Verdict, Verdict]> = {
  'per-job tasks per job': ['fits', 'fits'],
  'per-job CPU request': ['fits', 'fits'],
  'per-job memory request': ['fits', 'gap: drift'],
  'per-job run length': ['fits', 'gap: drift'],
  'per-job CPU–memory Spearman (|Δ Fisher z|)': ['fits', 'fits'],
  'priority mix, job shares (largest |z|)': ['fits', 'gap: drift'],
  'priority mix, task shares (largest |z|)': ['fits', 'gap: drift'],
  'task-weighted CPU request': ['fits', 'fits'],
  'task-weighted memory request': ['gap: tail dependence', 'gap: tail dependence'],
  'task-weighted run length': ['fits', 'fits'],
};

interface Case {
  label: string;
  real: Side;
  syn: Side;
  sample: Google2011Sample;
  windowSeconds: number;
  horizon: number;
}

const fitParts = GOOGLE_2011_FIT.source.parts.map(partNumber);
const cases: Case[] = [];
const table: string[] = [];

describe.skipIf(!exists)('synthetic generator vs Google 2011 (calibration, in and out of sample)', () => {
  beforeAll(async () => {
    const inSample = await readGoogle2011Sample(listTaskEventParts(DATA, fitParts));
    const all = await readGoogle2011Sample(listTaskEventParts(DATA));
    const outSample = jobsArrivingAfter(all, inSample.lastTime);
    const windows = [inSample.lastTime / 1e6, (all.lastTime - inSample.lastTime) / 1e6];
    const samples = [inSample, outSample];
    for (const k of [0, 1]) {
      const s = samples[k];
      const tasks = s.jobs.reduce((t, j) => t + j.size, 0);
      cases.push({
        label: k === 0 ? 'in-sample' : 'out-of-sample',
        sample: s,
        real: realSide(s),
        syn: await syntheticSide(tasks, windows[k] / 3600, k + 1),
        windowSeconds: windows[k],
        horizon: windows[k] / 2,
      });
    }
  }, 180_000);

  afterAll(() => {
    if (table.length > 0) console.log(['quantity | case | statistic | bound | verdict', ...table.sort()].join('\n'));
  });

  it('the committed fit holds out parts 10–13 and matches the population its parts give', () => {
    const present = listTaskEventParts(DATA).map(partNumber);
    expect(present.filter((p) => !fitParts.includes(p))).toEqual([...HOLD_OUT_PARTS]);
    const [inS, outS] = cases.map((c) => c.sample);
    const src = GOOGLE_2011_FIT.source;
    expect(inS.jobs.length).toBe(src.newJobs);
    expect(inS.jobs.reduce((s, j) => s + j.size, 0)).toBe(src.newTasks);
    expect(inS.taskJob.length).toBe(src.scheduledTasks);
    // The hold-out shares no job with the fit, and every held-out job arrives after the fitted parts end.
    const fitted = new Set(inS.jobs.map((j) => j.id));
    expect(outS.jobs.filter((j) => fitted.has(j.id)).length).toBe(0);
    expect(outS.firstTime).toBeGreaterThan(inS.lastTime);
    // Together they are the 15,165 jobs arriving after t = 0 in parts 0–13 (counted on the files).
    expect(inS.jobs.length + outS.jobs.length).toBe(15_165);
    console.log(
      cases.map((c) => `${c.label}: ${c.sample.jobs.length} real jobs / ${c.real.size.reduce((a, b) => a + b, 0)} tasks over ${(c.windowSeconds / 3600).toFixed(1)} h, ${c.syn.size.length} synthetic jobs`).join('; '),
    );
  });

  for (const [name, measure] of Object.entries(QUANTITIES)) {
    for (const k of [0, 1]) {
      const verdict = EXPECTED[name][k];
      const label = k === 0 ? 'in-sample' : 'out-of-sample';
      it(`${label} ${name}: ${verdict}`, () => {
        const c = cases[k];
        const m = measure(c.syn, c.real, c.horizon);
        table.push(`${name} | ${label} | ${m.stat.toFixed(4)} | ${m.bound.toFixed(4)} | ${verdict}`);
        if (verdict === 'fits') {
          expect(m.stat).toBeLessThan(m.bound);
          return;
        }
        expect(m.stat, `the ${verdict} has closed: update EXPECTED, the file comment and README`).toBeGreaterThan(m.bound);
        if (verdict === 'gap: drift') {
          // The real held-out window against the real fitted window, on the same quantity and bound
          // (table slack included, which only makes the drift claim harder to make).
          const [inC, outC] = cases;
          const d = measure(inC.real, outC.real, outC.horizon);
          table.push(`${name} | real fitted vs real held-out | ${d.stat.toFixed(4)} | ${d.bound.toFixed(4)} | drift in the data`);
          expect(d.stat, 'the real data does not drift here: the gap is the model’s').toBeGreaterThan(d.bound);
        } else {
          // Tail dependence: task weighting moves real memory further from per-job memory than synthetic.
          const shift = (s: Side): number => ksTwoSampleWeighted(s.mem, s.size, s.mem, ones(s.mem.length));
          table.push(`${name} | ${label} task- vs job-weighted memory, real / synthetic | ${shift(c.real).toFixed(4)} | ${shift(c.syn).toFixed(4)} | cause`);
          expect(shift(c.real)).toBeGreaterThan(shift(c.syn));
          // ... and in the direction stated: synthetic tasks ask for less memory than real ones.
          const meanGiB = (s: Side): number => s.mem.reduce((t, m, j) => t + m * s.size[j], 0) / s.size.reduce((t, n) => t + n, 0) / GiB;
          table.push(`${name} | ${label} task-weighted mean memory GiB, real / synthetic | ${meanGiB(c.real).toFixed(3)} | ${meanGiB(c.syn).toFixed(3)} | direction`);
          expect(meanGiB(c.syn)).toBeLessThan(meanGiB(c.real));
        }
      });
    }
  }
});
