import { describe, expect, it } from 'vitest';
import { tinyWorkload, type TinyTask } from './helpers/tiny-workload.js';
import { runArchitecture, seconds } from './helpers/architecture-run.js';
import { monolithic } from '../harness/architectures/monolithic.js';
import { sharedState } from '../harness/architectures/shared-state.js';
import { twoLevel } from '../harness/architectures/two-level.js';
import { queues } from '../harness/architectures/queues.js';
import type { ArchitectureFactory } from '../harness/architectures/architecture.js';

const S = 1e6;
const GiB = 2 ** 30;
const task = (t: Partial<TinyTask>): TinyTask => ({ submit: 0, duration: 1000 * S, cpu: 3000, mem: GiB, priority: 0, job: 0, ...t });
const t1 = seconds(1);
const archs: Array<[string, ArchitectureFactory]> = [
  ['monolithic', monolithic(t1)],
  ['shared-state', sharedState({ batch: t1, service: t1 })],
  ['two-level', twoLevel({ batch: t1, service: t1 })],
  ['queues', queues({ batch: t1, service: t1 })],
];

describe('machine removals under every architecture', () => {
  it.each(archs)('%s: the killed tasks are placed again elsewhere, nothing stays locked, the removed machine stops counting', async (_name, arch) => {
    const gone = { id: 'n0', capacity: [4000, 16 * GiB, 0], instanceType: 'test' };
    // A batch job and a service job of one 3-CPU task each on a 4-CPU and an 8-CPU machine; n0 leaves at 10 s, comes back at 50 s.
    const w = tinyWorkload([[4000, 16 * GiB], [8000, 16 * GiB]], [task({}), task({ job: 1, priority: 9 })], {
      horizon: 100 * S,
      machineEvents: [{ time: 10 * S, kind: 'remove', machine: gone }, { time: 50 * S, kind: 'add', machine: gone }],
    });
    const { results, sim } = await runArchitecture(w, arch);
    expect(sim.machinesRemoved).toBe(1);
    expect(sim.tasksLostToRemovals).toBeGreaterThanOrEqual(1);
    expect(results.jobs.all.fullyPlaced).toBe(2);
    expect(Array.from(sim.taskNode).every((n) => n >= 0)).toBe(true);
    // The cell's books balance at the end: free = allocatable − requests of the running tasks, nothing held.
    const c = sim.cluster;
    for (let node = 0; node < c.nodeCount; node++) {
      const running = Array.from(sim.taskNode).filter((n) => n === node).length;
      expect(c.free[node * 3]).toBe(c.allocatable[node * 3] - 3000 * running);
      expect(c.held[node * 3]).toBe(0);
    }
  });
});
