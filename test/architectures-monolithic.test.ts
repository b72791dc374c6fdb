import { describe, expect, it } from 'vitest';
import { tinyWorkload, type TinyTask } from './helpers/tiny-workload.js';
import { runArchitecture, seconds } from './helpers/architecture-run.js';
import { monolithic } from '../harness/architectures/monolithic.js';
import { ABANDON_AFTER_NO_PROGRESS } from '../harness/architectures/architecture-simulator.js';
import { decisionTimeFromSeconds } from '../harness/architectures/decision-time.js';
import { UsageError } from '../model/errors.js';

const S = 1e6;
const GiB = 2 ** 30;
const task = (t: Partial<TinyTask>): TinyTask => ({ submit: 0, duration: 1000 * S, cpu: 1000, mem: GiB, priority: 0, job: 0, ...t });

describe('decision time', () => {
  it('is t_job + t_task × unplaced tasks, so a busy scheduler queues jobs', async () => {
    // Three jobs at t = 0 (told apart by job id): the single scheduler decides them one by one.
    const w = tinyWorkload([[64000, 256 * GiB]], [task({ job: 0 }), task({ job: 1 }), task({ job: 1 }), task({ job: 2 })], { horizon: 100 * S });
    const { results, sim } = await runArchitecture(w, monolithic(seconds(1, 0.5)));
    // Job 0: 1 + 0.5 s; job 1 (two tasks): 1 + 2 × 0.5 s after that; job 2: 1.5 s more.
    expect(Array.from(sim.firstPlaced).map((t) => t / S)).toEqual([1.5, 3.5, 5]);
    expect(results.schedulers[0].busySeconds).toBe(5);
    expect(results.schedulers[0].busyness).toBeCloseTo(0.05, 12);
    expect(results.jobs.all.waitFull.mean).toBeCloseTo((1.5 + 3.5 + 5) / 3, 12);
  });

  it('multi-path: a slow service decision holds up the batch job behind it (head-of-line blocking)', async () => {
    const w = () => tinyWorkload([[64000, 256 * GiB]], [task({ job: 1, priority: 9 }), task({ job: 0, submit: 1 })], { horizon: 100 * S });
    const single = await runArchitecture(w(), monolithic(seconds(0.1)));
    const multi = await runArchitecture(w(), monolithic(seconds(0.1), seconds(10)));
    expect(multi.results.architecture).toBe('monolithic (multi-path)');
    // Single-path: the service job's 0.1 s, then the batch job's own 0.1 s.
    expect(single.results.jobs.batch.waitFirst.mean).toBeCloseTo(0.2 - 1e-6, 9);
    // The service job decides from 0 to 10 s; the batch job submitted at 1 µs waits for it.
    expect(multi.results.jobs.batch.waitFirst.mean).toBeCloseTo(10.1 - 1e-6, 9);
    expect(multi.results.jobs.service.waitFirst.mean).toBe(10);
  });

  it('gives up on a job after 100 attempts that placed nothing (the Omega simulator rule)', async () => {
    const w = tinyWorkload([[4000, 16 * GiB]], [task({ cpu: 5000 }), task({ job: 1, submit: 1 })], { horizon: 1000 * S });
    const { results, sim } = await runArchitecture(w, monolithic(seconds(0.1)));
    expect(sim.attempts[0]).toBe(ABANDON_AFTER_NO_PROGRESS + 1);
    expect(results.jobs.all.abandoned).toBe(1);
    expect(results.jobs.all.fullyPlaced).toBe(1);
    // Each failed attempt is no-fit time: 101 × 0.1 s, plus the other job's 0.1 s of useful time.
    expect(results.schedulers[0].noFitSeconds).toBeCloseTo(10.1, 9);
    expect(results.schedulers[0].usefulSeconds).toBeCloseTo(0.1, 9);
  });

  it('rejects negative or non-finite decision times, naming the option', () => {
    expect(() => decisionTimeFromSeconds(-1, 0.005, '--t-job/--t-task:')).toThrow(UsageError);
    expect(() => decisionTimeFromSeconds(0.1, Number.NaN, '--t-job/--t-task:')).toThrow(/t_task: expected a number of seconds ≥ 0, got NaN/);
  });

  it('a machine removal kills its tasks and hands their job back to the scheduler, which places them elsewhere', async () => {
    const gone = { id: 'n0', capacity: [4000, 16 * GiB, 0], instanceType: 'test' };
    // Best-fit puts the 3-CPU task on the tighter n0; n0 leaves at 10 s.
    const w = tinyWorkload([[4000, 16 * GiB], [8000, 16 * GiB]], [task({ cpu: 3000 })], { horizon: 100 * S, machineEvents: [{ time: 10 * S, kind: 'remove', machine: gone }, { time: 50 * S, kind: 'add', machine: gone }] });
    const { results, sim } = await runArchitecture(w, monolithic(seconds(1)));
    expect(sim.machinesRemoved).toBe(1);
    expect(sim.tasksLostToRemovals).toBe(1);
    // Resubmitted at 10 s, decided in 1 s, on the remaining machine.
    expect(sim.taskNode[0]).toBe(1);
    expect(sim.lastPlaced[0]).toBe(11 * S);
    expect(results.jobs.all.fullyPlaced).toBe(1);
    expect(results.notes.join('\n')).toMatch(/1 machine removals: 1 running tasks were killed/);
    // n0 is unpriced here, but its absence shows in the allocatable integral: 8 CPUs for 40 s of the 100.
    expect(sim.allocatableArea[0]).toBeCloseTo(8000 * 100 * S + 4000 * 60 * S, -3);
  });
});
