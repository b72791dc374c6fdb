/**
 * The month fit (workloads/synthetic/fit-google-2011-month.ts) and the daily time warp
 * (diurnal-profile.ts): the warp on hand-made profiles, the harmonic fit on exact counts, and —
 * when the Google 2011 sample is present — a re-fit from the data compared with the committed
 * table google-2011-month-fit.ts, plus facts counted independently on the data.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import { DailyTimeWarp, dailyRate, fitDailyHarmonic } from '../workloads/synthetic/diurnal-profile.js';
import { fitGoogle2011Month, renderMonthFitModule } from '../workloads/synthetic/fit-google-2011-month.js';
import { GOOGLE_2011_MONTH_FIT } from '../workloads/synthetic/google-2011-month-fit.js';
import { readFileSync } from 'node:fs';

const DATA = fileURLToPath(new URL('../../shared/data/google-2011', import.meta.url));
const exists = existsSync(`${DATA}/task_events`) && existsSync(`${DATA}/machine_events`);
if (!exists) console.warn(`synthetic-month-fit: data tests skipped, real data not found at ${DATA} (it lives beside the repo in ../shared/data; see its README)`);

const DAY = 86_400e6;

describe('DailyTimeWarp', () => {
  it('is the identity without a cycle', () => {
    const w = new DailyTimeWarp({ amplitude: 0, peakHour: 12, startHour: 0 }, 3 * DAY);
    for (const u of [0, 1, 12345, DAY / 3, 2.5 * DAY]) expect(w.inverse(u)).toBeCloseTo(u, 1);
  });

  it('inverts Λ, keeps the window, and puts rate ∝ λ: arrivals per hour match ∫λ', () => {
    const p = { amplitude: 0.5, peakHour: 14, startHour: 19 };
    const W = 4 * DAY;
    const w = new DailyTimeWarp(p, W);
    expect(w.forward(W)).toBeCloseTo(W, 0);
    expect(w.inverse(W)).toBe(W);
    let prev = -1;
    for (let k = 0; k <= 1000; k++) {
      const u = (W * k) / 1000;
      const t = w.inverse(u);
      expect(Math.abs(w.forward(t) - u)).toBeLessThan(0.05);
      expect(t).toBeGreaterThanOrEqual(prev);
      prev = t;
    }
    // Equally spaced constant-rate points: the warped points per hour follow the rate, by the
    // midpoint rule of ∫ λ over the hour (4 days × 24 h, 240,000 points).
    const n = 240_000;
    const perHour = new Array<number>(96).fill(0);
    for (let k = 0; k < n; k++) perHour[Math.min(95, Math.floor(w.inverse(((k + 0.5) * W) / n) / 3600e6))]++;
    for (let h = 0; h < 96; h++) {
      const want = (n / 96) * dailyRate(p, (h + 0.5) * 3600e6);
      expect(Math.abs(perHour[h] - want) / want).toBeLessThan(0.01);
    }
    // The peak is at local 14:00: 19 hours after the start (19:00) minus 5 = 19 h into the window.
    expect(dailyRate(p, 19 * 3600e6)).toBeCloseTo(1.5, 12);
    expect(dailyRate(p, 7 * 3600e6)).toBeCloseTo(0.5, 12);
  });

  it('refuses amplitudes outside [0, 1) and hours outside [0, 24)', () => {
    expect(() => new DailyTimeWarp({ amplitude: 1, peakHour: 0, startHour: 0 }, DAY)).toThrow(/amplitude must be in \[0, 1\)/);
    expect(() => new DailyTimeWarp({ amplitude: 0.1, peakHour: 24, startHour: 0 }, DAY)).toThrow(/peakHour must be in \[0, 24\)/);
  });
});

describe('fitDailyHarmonic', () => {
  it('recovers amplitude, peak and mean from exact counts over less than a day', () => {
    const start = 19;
    const counts = Array.from({ length: 19 }, (_, k) => 800 * (1 + 0.3 * Math.cos(((2 * Math.PI) / 24) * (start + k + 0.5 - 9.5))));
    const f = fitDailyHarmonic(counts, start);
    expect(f.amplitude).toBeCloseTo(0.3, 9);
    expect(f.peakHour).toBeCloseTo(9.5, 9);
    expect(f.mean).toBeCloseTo(800, 6);
    expect(f.residualSd).toBeLessThan(1e-6);
    expect(() => fitDailyHarmonic([1, 2, 3], 0)).toThrow(/at least 4/);
  });
});

describe.skipIf(!exists)('month fit vs the Google 2011 sample', () => {
  it('re-fits to the committed table, and its counts match the data', async () => {
    const { fit, diagnostics } = await fitGoogle2011Month(DATA);
    // Counted on the data (../shared/data/README.md): 12,477 machine ADD rows at t = 0; part 0's
    // time-0 rows are 144,339 SUBMITs and 132,982 SCHEDULEs (running tasks).
    expect(fit.source.machinesAtStart).toBe(12_477);
    expect(fit.source.standingTasks).toBe(132_982);
    expect(fit.source.standingTasks + fit.source.pendingAtStart).toBe(144_339);
    expect(fit.source.parts.length).toBe(14);
    const committed = readFileSync(fileURLToPath(new URL('../workloads/synthetic/google-2011-month-fit.ts', import.meta.url)), 'utf8');
    const body = (src: string): string => src.slice(src.indexOf('import type'));
    expect(body(renderMonthFitModule(fit, '', '', diagnostics))).toBe(body(committed));
    expect(GOOGLE_2011_MONTH_FIT.standing.tasksPerMachine).toBeCloseTo(132_982 / 12_477, 5);
  }, 120_000);

  it('names a missing part and requires part 0', async () => {
    await expect(fitGoogle2011Month(DATA, [0, 99])).rejects.toThrow(/--parts names part\(s\) 99, not found there/);
    await expect(fitGoogle2011Month(DATA, [1])).rejects.toThrow(/part 0 must be read/);
  });
});
