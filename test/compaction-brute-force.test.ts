import { describe, expect, it } from 'vitest';
import type { CompactionInstance } from '../harness/experiments/compaction-instance.js';
import { CompactionPacker } from '../harness/experiments/compaction-packer.js';
import { allowedPending, compact, compactOnce, machineOrder, statsOf } from '../harness/experiments/compaction.js';

/**
 * Cell compaction (harness/experiments/compaction.ts) on instances small enough to know the answer
 * by brute force: for each seed's removal order, the smallest prefix of machines on which some
 * assignment of the tasks (all but the allowed pending ones) respects every capacity, found by
 * trying every assignment. (Instances this small are decided exactly by the packer too, when its
 * first fit leaves too many pending; the brute force here is independent code.)
 */
function instance(machines: number[][], tasks: number[][], o: { job?: number[]; differentMachines?: number[]; priority?: number[]; eligible?: Map<number, Uint8Array> } = {}): CompactionInstance {
  const D = machines[0].length;
  return {
    dims: D,
    names: ['cpu', 'memory'].slice(0, D),
    machineCount: machines.length,
    capacity: Float64Array.from(machines.flat()),
    taskCount: tasks.length,
    request: Float64Array.from(tasks.flat()),
    priority: Int32Array.from(o.priority ?? tasks.map(() => 0)),
    job: Int32Array.from(o.job ?? tasks.map((_, i) => i)),
    production: new Uint8Array(tasks.length),
    differentMachines: new Set(o.differentMachines ?? []),
    eligible: o.eligible ?? new Map(),
    at: 0,
    atRule: 'given',
    recordedStarts: false,
  };
}

/** Can all but `skip` of the tasks be placed on these machines? Every assignment tried (depth first). */
function bruteFits(machines: number[][], tasks: number[][], skip: number): boolean {
  const free = machines.map((m) => m.slice());
  const go = (t: number, skipped: number): boolean => {
    if (t === tasks.length) return true;
    if (skipped < skip && go(t + 1, skipped + 1)) return true;
    for (const f of free) {
      if (tasks[t].every((r, d) => r <= f[d])) {
        tasks[t].forEach((r, d) => (f[d] -= r));
        const ok = go(t + 1, skipped);
        tasks[t].forEach((r, d) => (f[d] += r));
        if (ok) return true;
      }
    }
    return false;
  };
  return go(0, 0);
}

/** The smallest prefix of the seed's order (clones past the cell included) that fits, by brute force. */
function bruteCompaction(machines: number[][], tasks: number[][], seed: number, skip: number): number {
  const order = machineOrder(machines.length, seed, machines.length * 4);
  for (let k = 0; k <= order.length; k++) {
    if (bruteFits(Array.from(order.subarray(0, k), (i) => machines[i]), tasks, skip)) return k;
  }
  throw new Error('no prefix fits');
}

const SEEDS = Array.from({ length: 11 }, (_, i) => i + 1);

describe('compaction against brute force', () => {
  it('identical machines: the optimum bin count (3: three pairs that fill a machine exactly)', () => {
    const machines = Array.from({ length: 6 }, () => [10, 10]);
    const tasks = [[6, 4], [4, 6], [5, 5], [5, 5], [7, 3], [3, 7]];
    const inst = instance(machines, tasks);
    for (const seed of SEEDS) {
      const brute = bruteCompaction(machines, tasks, seed, 0);
      expect(brute).toBe(3);
      expect(compactOnce(inst, seed).machines).toBe(brute);
    }
  });

  it('where first fit decreasing is not optimal, small instances are decided exactly: 3 machines, not 4', () => {
    // 5,5 | 4,3,3 | 4,3,3 fills three machines of 10; first fit decreasing puts 5,5 | 4,4 | 3,3,3 | 3 (four).
    const machines = Array.from({ length: 6 }, () => [10, 10]);
    const tasks = [5, 5, 4, 4, 3, 3, 3, 3].map((v) => [v, v]);
    const inst = instance(machines, tasks);
    for (const seed of [1, 2, 3]) {
      expect(bruteCompaction(machines, tasks, seed, 0)).toBe(3);
      expect(compactOnce(inst, seed).machines).toBe(3);
    }
  });

  it('machines of different sizes: the answer depends on the removal order, and matches brute force for each seed', () => {
    const machines = [[10, 10], [5, 5], [20, 20], [5, 5], [15, 15], [5, 10]];
    const tasks = Array.from({ length: 6 }, () => [5, 5]);
    const inst = instance(machines, tasks);
    const got = SEEDS.map((seed) => compactOnce(inst, seed).machines);
    expect(got).toEqual(SEEDS.map((seed) => bruteCompaction(machines, tasks, seed, 0)));
    expect(new Set(got).size).toBeGreaterThan(1);
    // p90, min and max over the 11 trials (simple-statistics quantileSorted: 11 × 0.9 = 9.9 → the 10th smallest).
    const s = compact(inst, SEEDS);
    // Each trial's search starts at the previous answer: the answers are those of independent searches.
    expect(s.trials.map((t) => t.machines)).toEqual(got);
    const sorted = [...got].sort((a, b) => a! - b!) as number[];
    expect(s.min).toBe(sorted[0]);
    expect(s.max).toBe(sorted[10]);
    expect(s.p90).toBe(sorted[9]);
  });

  it('picky tasks: the allowed pending share lets the one task that needs a machine of its own stay out', () => {
    const machines = Array.from({ length: 6 }, () => [10, 10]);
    // Three exact pairs (priority 1) plus one (9,9) of priority 0 that shares a machine with nothing.
    const tasks = [[6, 4], [4, 6], [5, 5], [5, 5], [7, 3], [3, 7], [9, 9]];
    const inst = instance(machines, tasks, { priority: [1, 1, 1, 1, 1, 1, 0] });
    const packer = new CompactionPacker(inst);
    for (const seed of [1, 2, 3]) {
      expect(compactOnce(inst, seed, packer, 0).machines).toBe(bruteCompaction(machines, tasks, seed, 0));
      expect(bruteCompaction(machines, tasks, seed, 0)).toBe(4);
      // Share 1/7: one task may stay pending → 3 machines.
      expect(allowedPending(7, 1 / 7)).toBe(1);
      expect(compactOnce(inst, seed, packer, 1 / 7).machines).toBe(bruteCompaction(machines, tasks, seed, 1));
      expect(bruteCompaction(machines, tasks, seed, 1)).toBe(3);
    }
  });

  it('a workload larger than its cell: the cell grows by clones until it fits', () => {
    const machines = [[10, 10], [10, 10]];
    const tasks = [[10, 10], [10, 10], [10, 10]];
    const t = compactOnce(instance(machines, tasks), 1);
    expect(t.machines).toBe(bruteCompaction(machines, tasks, 1, 0));
    expect(t.machines).toBe(3);
  });

  it('a task that fits no machine: no cell fits (null), counted as unfit', () => {
    const s = compact(instance([[10, 10]], [[11, 1]]), [1, 2]);
    expect(s.trials.map((t) => t.machines)).toEqual([null, null]);
    expect(s.unfit).toBe(2);
    expect(s.p90).toBeNull();
  });
});

describe('the different-machines restriction: hard, soft for jobs of more than half the (original) cell', () => {
  // Eight machines (10,10); four tasks fill a machine each; job 9 asks for different machines.
  const machines = Array.from({ length: 8 }, () => [10, 10]);
  const fill = [[10, 10], [10, 10], [10, 10], [10, 10]];

  it('a job of 2 tasks: hard (2 ≤ 8 / 2), so it needs two free machines: 6', () => {
    // k = 5: one free machine, the job's second task cannot share it → 1 pending > 0. k = 6: fits.
    const tasks = [...fill, [1, 1], [1, 1]];
    const inst = instance(machines, tasks, { job: [0, 1, 2, 3, 9, 9], differentMachines: [9] });
    expect(SEEDS.map((s) => compactOnce(inst, s).machines)).toEqual(SEEDS.map(() => 6));
    // Without the restriction both share the fifth machine.
    expect(compactOnce(instance(machines, tasks, { job: [0, 1, 2, 3, 9, 9] }), 1).machines).toBe(5);
  });

  it('a job of 4 tasks is still hard (4 ≤ 8 / 2): four free machines, 8; one of 5 is soft (5 > 4): all share one machine, 5', () => {
    const four = instance(machines, [...fill, [1, 1], [1, 1], [1, 1], [1, 1]], { job: [0, 1, 2, 3, 9, 9, 9, 9], differentMachines: [9] });
    expect(SEEDS.map((s) => compactOnce(four, s).machines)).toEqual(SEEDS.map(() => 8));
    const five = instance(machines, [...fill, [1, 1], [1, 1], [1, 1], [1, 1], [1, 1]], { job: [0, 1, 2, 3, 9, 9, 9, 9, 9], differentMachines: [9] });
    expect(SEEDS.map((s) => compactOnce(five, s).machines)).toEqual(SEEDS.map(() => 5));
    // In the full cell the five fit (four free machines); in the four filled machines none does.
    const order = Int32Array.from({ length: 8 }, (_, i) => i);
    const packer = new CompactionPacker(five);
    expect(packer.pendingOn(order, 8, 0)).toBe(0);
    expect(packer.pendingOn(order, 4, 100)).toBe(5);
  });

  it('priority first: with room for one, the higher-priority task is placed and the larger low one waits', () => {
    const inst = instance([[10, 10]], [[8, 8], [3, 3]], { priority: [0, 5] });
    const packer = new CompactionPacker(inst);
    expect(packer.pendingOn(Int32Array.of(0), 1, 100)).toBe(1);
    // Same priorities: larger first, so (8,8) is placed and (3,3) waits; either way one is pending, and
    // the two fit together in two machines.
    expect(statsOf([compactOnce(inst, 1, packer, 0)]).p90).toBe(2);
  });
});

describe('node eligibility (selector, affinity, node name, taints): hard, soft for jobs of more than half the cell', () => {
  const machines = Array.from({ length: 6 }, () => [10, 10]);
  const onlyFirstThree = new Map([[9, Uint8Array.of(1, 1, 1, 0, 0, 0)]]);

  it('hard (2 tasks ≤ 6 / 2): the cell must reach the second eligible machine of the removal order', () => {
    // Two (6,6) tasks of job 9, which may use machines 0–2 only: one per machine.
    const inst = instance(machines, [[6, 6], [6, 6]], { job: [9, 9], eligible: onlyFirstThree });
    for (const seed of SEEDS) {
      const order = Array.from(machineOrder(6, seed));
      const second = order.findIndex((m, i) => m <= 2 && order.slice(0, i).filter((x) => x <= 2).length === 1);
      expect(compactOnce(inst, seed).machines).toBe(second + 1);
    }
  });

  it('soft (4 tasks > 6 / 2): eligible machines first, any machine when none is left: 4 machines', () => {
    const inst = instance(machines, [[6, 6], [6, 6], [6, 6], [6, 6]], { job: [9, 9, 9, 9], eligible: onlyFirstThree });
    for (const seed of SEEDS) expect(compactOnce(inst, seed).machines).toBe(4);
  });
});
