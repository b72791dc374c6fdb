/**
 * The standing population's calibration to the 2011 cell (workloads/synthetic/standing-calibration.ts):
 * the quota and rearrangement steps on hand-made jobs, then the generated cells' totals against the
 * fitted per-machine figures (google-2011-month-fit.ts) for several seeds and sizes.
 */
import { describe, it, expect } from 'vitest';
import { GiB } from '../model/units.js';
import { Rng } from '../model/rng.js';
import { GOOGLE_MACHINE_CPU, GOOGLE_MACHINE_MEM, syntheticWorkload } from '../workloads/synthetic/generator.js';
import { GOOGLE_2011_MONTH_FIT } from '../workloads/synthetic/google-2011-month-fit.js';
import { TOLERANCE, apportion, exchangeWithPool, rearrangeRequests } from '../workloads/synthetic/standing-calibration.js';

const M5_2XLARGE = { name: 'm5.2xlarge', cpuMillicores: 8000, memoryBytes: 32 * GiB };
const FIT = GOOGLE_2011_MONTH_FIT;

describe('apportion', () => {
  it('gives whole quotas summing to the total, largest remainders first', () => {
    expect(Array.from(apportion(10, [1, 1, 1]))).toEqual([4, 3, 3]);
    expect(Array.from(apportion(7, [0.5, 0.3, 0.2]))).toEqual([4, 2, 1]);
    expect(Array.from(apportion(0, [1, 2]))).toEqual([0, 0]);
    expect(Array.from(apportion(5, [0, 0]))).toEqual([0, 0]);
  });
});

describe('rearrangeRequests', () => {
  const pairs = (cpu: Float64Array, mem: Float64Array): string[] => Array.from(cpu, (c, j) => `${c}/${mem[j]}`).sort();

  it('moves only the pairing: sizes stay, (cpu, mem) pairs are permuted, the totals reach their targets', () => {
    // Big jobs with big requests: Σ n c = 10·40 + 5·30 + 1·(20+10+5) = 585; co-sorted is the maximum.
    const size = Int32Array.from([10, 5, 1, 1, 1]);
    const cpu = Float64Array.from([40, 30, 20, 10, 5]);
    const mem = Float64Array.from([4, 3, 2, 1, 8]);
    const before = pairs(cpu, mem);
    const flags = Uint8Array.from([1, 0, 0, 0, 2]);
    const jobs = Int32Array.from([0, 1, 2, 3, 4]);
    // Target: the big job with the smallest CPU and the largest memory: 10·5 + 5·30 + 20 + 10 + 40 = 270; 10·8 + 15 + 2 + 1 + 4 = 102.
    const r = rearrangeRequests(size, cpu, mem, jobs, 270, 102, new Rng(1), flags);
    expect(r.done).toBe(true);
    expect(Array.from(size)).toEqual([10, 5, 1, 1, 1]);
    expect(pairs(cpu, mem)).toEqual(before);
    let c = 0;
    let m = 0;
    for (let j = 0; j < 5; j++) {
      c += size[j] * cpu[j];
      m += size[j] * mem[j];
    }
    expect([r.cpu, r.mem]).toEqual([c, m]);
    expect(Math.abs(c / 270 - 1)).toBeLessThanOrEqual(TOLERANCE);
    expect(Math.abs(m / 102 - 1)).toBeLessThanOrEqual(TOLERANCE);
    // The flags travel with their pairs.
    expect(flags[cpu.indexOf(40)]).toBe(1);
    expect(flags[cpu.indexOf(5)]).toBe(2);
  });

  it('says when the pairing cannot reach the targets (one job), and the pool step then can', () => {
    const size = Int32Array.from([100]);
    const cpu = Float64Array.from([10]);
    const mem = Float64Array.from([10]);
    const jobs = Int32Array.from([0]);
    const r = rearrangeRequests(size, cpu, mem, jobs, 500, 2000, new Rng(1));
    expect(r).toEqual({ cpu: 1000, mem: 1000, swaps: 0, done: false });
    const pool = { cpu: Float64Array.from([1, 5, 30]), mem: Float64Array.from([1, 20, 1]), flags: new Uint8Array(3) };
    const r3 = exchangeWithPool(size, cpu, mem, jobs, 500, 2000, new Rng(1), pool, r);
    expect(r3.done).toBe(true);
    expect([cpu[0], mem[0]]).toEqual([5, 20]);
    // The job's old pair went to the pool: the multiset of all pairs is unchanged.
    expect(Array.from(pool.cpu).sort((a, b) => a - b)).toEqual([1, 10, 30]);
  });
});

/** Requests of the non-free standing tasks per node (instances), tasks per priority, and the standing total. */
async function cellOf(seed: number, nodes: number): Promise<{ cpu: number; mem: number; byPriority: Map<number, number>; tasks: number }> {
  const w = syntheticWorkload({ seed, nodes, tasks: 1, hours: 720, instance: M5_2XLARGE, diurnal: false });
  const tasks = (w.expectedTasks ?? 0) - 1;
  let k = 0;
  let cpu = 0;
  let mem = 0;
  const byPriority = new Map<number, number>();
  for await (const b of w.taskBatches()) {
    for (let i = 0; i < b.count && k < tasks; i++, k++) {
      byPriority.set(b.priority[i], (byPriority.get(b.priority[i]) ?? 0) + 1);
      // BestEffort (free) tasks state no request (NaN).
      if (Number.isNaN(b.request[i * 3])) continue;
      cpu += b.request[i * 3];
      mem += b.request[i * 3 + 1];
    }
  }
  return { cpu: cpu / nodes / M5_2XLARGE.cpuMillicores, mem: mem / nodes / M5_2XLARGE.memoryBytes, byPriority, tasks };
}

describe('synthetic month: the standing cell matches the trace cell', () => {
  // The trace's requests of its non-free (priority >= 2) standing tasks per machine, in instances
  // (a 0.5-CPU, 0.5-memory Google machine is one), from the fitted shares and means per task.
  let wantCpu = 0;
  let wantMem = 0;
  for (const r of FIT.standing.requestPerTask) {
    if (r.priority < 2) continue;
    const share = FIT.standing.priorityMix.find((m) => m.priority === r.priority)?.taskShare ?? 0;
    wantCpu += (share * FIT.standing.tasksPerMachine * r.cpu) / GOOGLE_MACHINE_CPU;
    wantMem += (share * FIT.standing.tasksPerMachine * r.mem) / GOOGLE_MACHINE_MEM;
  }
  const CELL_TOLERANCE = 0.01;

  it('for every seed and cell size: requests per node within 1 % of the trace, priority mix per task and tasks per node as fitted', async () => {
    expect(wantCpu).toBeGreaterThan(0.9);
    const cases: [number, number][] = [1, 2, 3, 4, 5, 6, 7, 8].map((s) => [s, 1000] as [number, number]);
    cases.push([1, 12_477], [2, 12_500], [3, 300]);
    for (const [seed, nodes] of cases) {
      const cell = await cellOf(seed, nodes);
      const label = `seed ${seed}, ${nodes} nodes`;
      expect(Math.abs(cell.cpu / wantCpu - 1), label).toBeLessThanOrEqual(CELL_TOLERANCE);
      expect(Math.abs(cell.mem / wantMem - 1), label).toBeLessThanOrEqual(CELL_TOLERANCE);
      expect(cell.tasks).toBe(Math.round(FIT.standing.tasksPerMachine * nodes));
      // Task shares per priority: the fitted ones up to rounding to whole tasks.
      for (const m of FIT.standing.priorityMix) {
        expect(Math.abs((cell.byPriority.get(m.priority) ?? 0) - m.taskShare * cell.tasks), `${label}, priority ${m.priority}`).toBeLessThanOrEqual(1);
      }
    }
  }, 120_000);

  it('names the calibration in the notes', () => {
    const w = syntheticWorkload({ seed: 1, nodes: 1000, tasks: 1, hours: 720, instance: M5_2XLARGE });
    expect(w.notes.some((n) => n.includes("calibrated to the trace's cell (standing-calibration.ts)"))).toBe(true);
  });
});
