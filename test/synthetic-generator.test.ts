import { describe, it, expect } from 'vitest';
import { GiB } from '../model/units.js';
import type { TaskBatch } from '../model/task-batch.js';
import { BATCH_SIZE, syntheticWorkload, type SyntheticOptions } from '../workloads/synthetic/generator.js';
import { PRODUCTION_PRIORITY } from '../model/priority-bands.js';
import { normalCdf } from '../workloads/synthetic/normal.js';

const M5_2XLARGE = { name: 'm5.2xlarge', cpuMillicores: 8000, memoryBytes: 32 * GiB };

function opts(over: Partial<SyntheticOptions> = {}): SyntheticOptions {
  return { seed: 1, nodes: 100, tasks: 10_000, hours: 24, instance: M5_2XLARGE, ...over };
}

async function collect(o: SyntheticOptions): Promise<TaskBatch[]> {
  const out: TaskBatch[] = [];
  for await (const b of syntheticWorkload(o).taskBatches()) out.push(b);
  return out;
}

const COLUMNS = ['submitTime', 'duration', 'request', 'limit', 'priority', 'job', 'taskIndex', 'user', 'usageFraction', 'usageVariation'] as const;

describe('syntheticWorkload', () => {
  it('is deterministic: same seed, identical arrays', async () => {
    const a = await collect(opts({ tasks: 70_000 }));
    const b = await collect(opts({ tasks: 70_000 }));
    expect(a.length).toBe(b.length);
    for (let k = 0; k < a.length; k++) {
      expect(a[k].count).toBe(b[k].count);
      for (const col of COLUMNS) expect(Buffer.compare(Buffer.from(a[k][col].buffer), Buffer.from(b[k][col].buffer))).toBe(0);
    }
  });

  it('differs between seeds', async () => {
    const [a] = await collect(opts({ seed: 1 }));
    const [b] = await collect(opts({ seed: 2 }));
    expect(Buffer.compare(Buffer.from(a.submitTime.buffer), Buffer.from(b.submitTime.buffer))).not.toBe(0);
    expect(Buffer.compare(Buffer.from(a.duration.buffer), Buffer.from(b.duration.buffer))).not.toBe(0);
    expect(Buffer.compare(Buffer.from(a.request.buffer), Buffer.from(b.request.buffer))).not.toBe(0);
  });

  it('re-iterating the stream gives the same tasks', async () => {
    const w = syntheticWorkload(opts());
    const first: number[] = [];
    for await (const b of w.taskBatches()) first.push(...b.duration);
    const second: number[] = [];
    for await (const b of w.taskBatches()) second.push(...b.duration);
    expect(second).toEqual(first);
  });

  it('has exact counts, machines and name', async () => {
    const o = opts({ tasks: 150_000, nodes: 7 });
    const w = syntheticWorkload(o);
    expect(w.name).toBe('synthetic(seed=1,nodes=7,tasks=150000,hours=24)');
    expect(w.expectedTasks).toBe(150_000);
    expect(w.machines.map((m) => m.id)).toEqual(['node-0000', 'node-0001', 'node-0002', 'node-0003', 'node-0004', 'node-0005', 'node-0006']);
    const zone = (m: (typeof w.machines)[number]) => m.labels?.['topology.kubernetes.io/zone'];
    expect(w.machines.map(zone)).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1a']);
    for (const m of w.machines) {
      expect(m.instanceType).toBe('m5.2xlarge');
      expect(m.capacity).toEqual([8000, 32 * GiB, 0]);
    }
    expect(w.resources.names).toEqual(['cpu', 'memory', 'gpu']);
    let total = 0;
    const counts: number[] = [];
    let maxJob = -1;
    for await (const b of w.taskBatches()) {
      counts.push(b.count);
      total += b.count;
      for (let i = 0; i < b.count; i++) maxJob = Math.max(maxJob, b.job[i]);
    }
    expect(total).toBe(150_000);
    expect(counts).toEqual([BATCH_SIZE, BATCH_SIZE, 150_000 - 2 * BATCH_SIZE]);
    expect(w.jobs.length).toBe(maxJob + 1);
    expect(w.notes.some((n) => n.startsWith('durations capped'))).toBe(true);
  });

  it('gives sorted integer submit times inside the window and valid tasks', async () => {
    const o = opts({ tasks: 100_000, hours: 6 });
    const windowUs = o.hours * 3600e6;
    const caps = [8000, 32 * GiB, 0];
    // Count violations per rule (one expect per rule keeps this fast on 100k tasks).
    const bad: Record<string, number> = { submit: 0, duration: 0, request: 0, limit: 0, order: 0, usage: 0 };
    let last = -1;
    let lastJob = -1;
    let lastIndex = -1;
    let batches = 0;
    for await (const b of syntheticWorkload(o).taskBatches()) {
      batches++;
      expect(b.count).toBeLessThanOrEqual(BATCH_SIZE);
      for (let i = 0; i < b.count; i++) {
        const t = b.submitTime[i];
        if (!(Number.isInteger(t) && t >= last && t >= 0 && t < windowUs)) bad.submit++;
        last = t;
        const d = b.duration[i];
        if (!(Number.isInteger(d) && d >= 1)) bad.duration++;
        const prod = b.priority[i] >= PRODUCTION_PRIORITY;
        const free = b.priority[i] <= 1;
        for (let k = 0; k < 3; k++) {
          // Free band = BestEffort: no request, the fitted size as usage scale (checked like a request).
          if (free && k < 2 && !Number.isNaN(b.request[i * 3 + k])) bad.request++;
          const r = free && k < 2 ? b.usageScale![i * 3 + k] : b.request[i * 3 + k];
          if (Number.isNaN(r) || r < 0 || r > caps[k] || !Number.isInteger(r)) bad.request++;
          const l = b.limit[i * 3 + k];
          if (prod ? l !== r : !Number.isNaN(l)) bad.limit++;
        }
        // tasks come job by job, indices counting up from 0
        const sameJob = b.job[i] === lastJob;
        if (sameJob ? b.taskIndex[i] !== lastIndex + 1 : b.job[i] !== lastJob + 1 || b.taskIndex[i] !== 0) bad.order++;
        lastJob = b.job[i];
        lastIndex = b.taskIndex[i];
        const uc = b.usageFraction[i * 3];
        const um = b.usageFraction[i * 3 + 1];
        if (!(uc > 0 && uc <= 1 && um > 0 && um <= 1 && b.usageVariation[i] > 0)) bad.usage++;
      }
    }
    expect(batches).toBe(2);
    expect(bad).toEqual({ submit: 0, duration: 0, request: 0, limit: 0, order: 0, usage: 0 });
  });

  it('handles zero tasks and rejects bad options', async () => {
    expect(await collect(opts({ tasks: 0 }))).toEqual([]);
    expect(() => syntheticWorkload(opts({ hours: 0 }))).toThrow(/hours/);
    expect(() => syntheticWorkload(opts({ tasks: 1.5 }))).toThrow(/tasks/);
  });

  it('generates 500k tasks (speed is measured by the benchmarks, not asserted here)', async () => {
    let n = 0;
    for await (const b of syntheticWorkload(opts({ tasks: 500_000, nodes: 3000 })).taskBatches()) n += b.count;
    expect(n).toBe(500_000);
  });
});

// The usage assumption as documented (README "The embedded synthetic workload"; usage-model.ts):
// per task, fraction = mean · exp(σZ − σ²/2) clamped to [0.01, 1], with mean 0.4 (σ 0.5) for CPU and
// 0.6 (σ 0.3) for memory; the usage CV is 0.3 · exp(σ_v Z − σ_v²/2), σ_v 0.5, not clamped. The
// numbers are written here, not read from USAGE_MODEL, so a changed constant fails the test.
describe('synthetic usage: generated means match the documented assumption', () => {
  /** E[min(1, max(a, X))] for X lognormal with mean m and log-sd σ: a·P(X ≤ a) + E[X; a < X < 1] + P(X ≥ 1),
   * where E[X; X < c] = m · Φ((ln c − μ − σ²) / σ) and μ = ln m − σ²/2. */
  const clampedMean = (m: number, sigma: number, a: number): number => {
    const mu = Math.log(m) - (sigma * sigma) / 2;
    const z = (c: number) => (Math.log(c) - mu) / sigma;
    return a * normalCdf(z(a)) + m * (normalCdf(z(1) - sigma) - normalCdf(z(a) - sigma)) + (1 - normalCdf(z(1)));
  };
  /** Standard deviation of the unclamped lognormal, m·sqrt(exp(σ²) − 1): an upper bound for the
   * clamped one too (clamping is 1-Lipschitz, so it cannot increase the variance). */
  const sdBound = (m: number, sigma: number) => m * Math.sqrt(Math.exp(sigma * sigma) - 1);

  it('CPU 0.4, memory 0.6 of request and CV 0.3, within 4 standard errors over 100k tasks', async () => {
    const n = 100_000;
    let cpu = 0;
    let mem = 0;
    let cv = 0;
    let count = 0;
    for await (const b of syntheticWorkload(opts({ tasks: n, seed: 3 })).taskBatches()) {
      for (let i = 0; i < b.count; i++) {
        cpu += b.usageFraction[i * 3];
        mem += b.usageFraction[i * 3 + 1];
        cv += b.usageVariation[i];
      }
      count += b.count;
    }
    expect(count).toBe(n);
    // Each task's draws are independent, so the mean of n tasks has standard error sd / sqrt(n);
    // 4 standard errors: a correct generator fails with probability about 6e-5 (two-sided normal).
    const tol = (m: number, sigma: number) => (4 * sdBound(m, sigma)) / Math.sqrt(n);
    const cases = [
      ['cpu', cpu / n, clampedMean(0.4, 0.5, 0.01), tol(0.4, 0.5)], // ≈ 0.396 ± 0.0027 (clamp at 1 lowers it)
      ['memory', mem / n, clampedMean(0.6, 0.3, 0.01), tol(0.6, 0.3)], // ≈ 0.596 ± 0.0023
      ['cv', cv / n, 0.3, tol(0.3, 0.5)], // 0.3 ± 0.0020
    ] as const;
    for (const [what, got, want, within] of cases) {
      expect(Math.abs(got - want), `${what}: measured ${got.toFixed(4)}, expected ${want.toFixed(4)} ± ${within.toFixed(4)}`).toBeLessThan(within);
    }
  });
});
