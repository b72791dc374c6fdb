import { describe, expect, it } from 'vitest';
import { Simulator } from '../harness/simulator.js';
import { parseKubeletConfig } from '../harness/kubelet/kubelet-config.js';
import type { NodeDynamicsSetup } from '../harness/node-dynamics.js';
import type { TaskUsageSource } from '../harness/usage/task-usage-source.js';
import type { OvercommitPolicy } from '../algorithms/overcommit/overcommit-policy.js';
import { allocTaskBatch } from '../model/task-batch.js';
import { DEFAULT_RESOURCES } from '../model/resources.js';
import type { Workload } from '../model/workload.js';
import { DynamicsCause } from '../reports/replay-results.js';
import { firstFit } from '../algorithms/classic/first-fit.js';
import { Rng } from '../model/rng.js';
import { TaskStatus } from '../model/task-status.js';
import { milliCpuToShares } from '../harness/kubelet/cpu-shares.js';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const S = 1e6;

interface HandTask {
  submit?: number;
  duration?: number;
  cpu: number;
  mem: number;
  cpuLimit?: number;
  memLimit?: number;
  priority?: number;
  /** Usage per step: [cpu millicores, memory bytes]; the last entry holds afterwards. */
  usage: Array<[number, number]>;
}

/** Hand-built nodes (cpu millicores, memory bytes) and tasks, all submitted at 0 unless said. */
function handWorkload(nodes: Array<[number, number]>, tasks: HandTask[], horizon: number): Workload {
  const D = 3;
  return {
    name: 'hand',
    resources: DEFAULT_RESOURCES,
    machines: nodes.map(([cpu, mem], i) => ({ id: `n${i}`, capacity: [cpu, mem, 0], instanceType: 'test' })),
    machineEvents: [],
    jobs: ['j'],
    users: [],
    notes: [],
    horizon,
    async *taskBatches() {
      const b = allocTaskBatch(tasks.length, D);
      tasks.forEach((t, i) => {
        b.submitTime[i] = t.submit ?? 0;
        b.duration[i] = t.duration ?? NaN;
        b.request[i * D] = t.cpu;
        b.request[i * D + 1] = t.mem;
        b.request[i * D + 2] = 0;
        if (t.cpuLimit !== undefined) b.limit[i * D] = t.cpuLimit;
        if (t.memLimit !== undefined) b.limit[i * D + 1] = t.memLimit;
        b.priority[i] = t.priority ?? 0;
        b.taskIndex[i] = i;
      });
      yield b;
    },
  };
}

/** A usage source reading the hand-written tables (step 300 s). */
function handUsage(tasks: HandTask[]): TaskUsageSource {
  return {
    description: 'hand',
    step: 300 * S,
    assign() {},
    usage(task: number, d: number, k: number): number {
      const u = tasks[task].usage;
      const row = u[Math.min(k, u.length - 1)];
      return d === 0 ? row[0] : d === 1 ? row[1] : 0;
    },
  };
}

function setup(tasks: HandTask[], flags: Parameters<typeof parseKubeletConfig>[0] = {}, overcommit?: OvercommitPolicy): NodeDynamicsSetup {
  return {
    kubelet: parseKubeletConfig(flags, DEFAULT_RESOURCES.names),
    overcommit,
    settings: {},
    usage: async () => handUsage(tasks),
  };
}

async function run(nodes: Array<[number, number]>, tasks: HandTask[], horizon: number, flags = {}, overcommit?: OvercommitPolicy) {
  const w = handWorkload(nodes, tasks, horizon);
  const sim = new Simulator(w, firstFit.create({ rng: new Rng(1) }), { seed: 1, dynamics: setup(tasks, flags, overcommit) });
  return sim.run();
}

function rows(r: Awaited<ReturnType<typeof run>>, cause: DynamicsCause) {
  const ev = r.dynamics!.events;
  const out: Array<{ time: number; task: number; node: number; amount: number; duration: number; memory: number }> = [];
  for (let i = 0; i < ev.length; i++) {
    if (ev.cause[i] === cause) out.push({ time: ev.time[i] / S, task: ev.task[i], node: ev.node[i], amount: ev.amount[i], duration: ev.duration[i], memory: ev.memory[i] });
  }
  return out;
}

describe('node dynamics on hand-built nodes', () => {
  it('memory above the limit is an OOM kill, restarted in place with back-off 10 s doubling', async () => {
    // One Burstable task with a 1 GiB memory limit that always uses 1.5 GiB.
    const tasks: HandTask[] = [{ cpu: 100, mem: 512 * MiB, memLimit: GiB, usage: [[100, 1.5 * GiB]] }];
    const r = await run([[4000, 16 * GiB]], tasks, 200 * S);
    const kills = rows(r, DynamicsCause.OomLimit).map((e) => e.time);
    // Placed at 0 s, killed at the first housekeeping after (10 s); restarts after 10, 20, 40, 80 s.
    expect(kills).toEqual([10, 20, 40, 80, 160]);
    expect(r.dynamics!.oomKills[0]).toBe(5);
    expect(r.tasks.node[0]).toBe(0); // stays on its node
    expect(r.dynamics!.evictions[0]).toBe(0);
  });

  it('the back-off is capped at 5 minutes', async () => {
    const tasks: HandTask[] = [{ cpu: 100, mem: 512 * MiB, memLimit: GiB, usage: [[100, 1.5 * GiB]] }];
    const r = await run([[4000, 16 * GiB]], tasks, 2000 * S);
    const kills = rows(r, DynamicsCause.OomLimit).map((e) => e.time);
    // Each kill follows the previous one by the back-off: 10 s doubling, capped at 300 s.
    const expected = [10];
    let backoff = 10;
    while (expected[expected.length - 1] + backoff <= 2000) {
      expected.push(expected[expected.length - 1] + backoff);
      backoff = Math.min(backoff * 2, 300);
    }
    expect(kills).toEqual(expected);
    expect(kills.slice(5, 8)).toEqual([320, 620, 920]);
  });

  it('CPU demand above the limit is throttled (CFS quota), integrated in CPU-seconds', async () => {
    // Limit 500m, demand 1000m: 0.5 core throttled from the first housekeeping (10 s) to the end
    // (600 s): 0.5 × 590 = 295 CPU-seconds, one throttling interval.
    const tasks: HandTask[] = [{ cpu: 500, mem: GiB, cpuLimit: 500, usage: [[1000, 0.5 * GiB]] }];
    const r = await run([[4000, 16 * GiB]], tasks, 600 * S);
    expect(r.dynamics!.throttledCpuSeconds[0]).toBeCloseTo(295, 6);
    // Throttled at its own limit on a node with room: not a machine violation (2 usage steps).
    expect(r.dynamics!.nodeIntervals).toBe(2);
    expect(r.dynamics!.violatedIntervals).toBe(0);
    const th = rows(r, DynamicsCause.Throttling);
    expect(th).toHaveLength(1);
    expect(th[0].amount).toBeCloseTo(295, 6);
    expect(th[0].duration).toBeCloseTo(590, 6);
    expect(th[0].time).toBe(10);
  });

  it('a full node shares CPU in proportion to requests (cpu.shares)', async () => {
    // 1000m node; requests 300m and 100m, both demanding 1000m: shares 3:1 → 750m and 250m granted.
    const tasks: HandTask[] = [
      { cpu: 300, mem: GiB, usage: [[1000, 0.1 * GiB]] },
      { cpu: 100, mem: GiB, usage: [[1000, 0.1 * GiB]] },
    ];
    const r = await run([[1000, 16 * GiB]], tasks, 100 * S);
    const [a, b] = [milliCpuToShares(300), milliCpuToShares(100)];
    const g0 = (1000 * a) / (a + b);
    // Throttled from the first housekeeping (10 s) to the end (100 s).
    expect(r.dynamics!.throttledCpuSeconds[0]).toBeCloseTo(((1000 - g0) / 1000) * 90, 6);
    expect(r.dynamics!.throttledCpuSeconds[1]).toBeCloseTo(((1000 - (1000 - g0)) / 1000) * 90, 6);
  });

  it('memory pressure evicts one pod per housekeeping, BestEffort first', async () => {
    // 8 GiB node, hard threshold 1Gi. Usage: BestEffort 2 GiB, Burstable (request 1 GiB) 3 GiB,
    // Guaranteed 2 GiB at its limit, Burstable under its request 0.5 of 1 GiB: 7.5 GiB used,
    // 0.5 GiB available < 1 GiB. Each eviction frees its usage; after two the node is fine.
    const tasks: HandTask[] = [
      { cpu: 100, mem: 2 * GiB, cpuLimit: 100, memLimit: 2 * GiB, priority: 9, usage: [[10, 2 * GiB]] },
      { cpu: 100, mem: GiB, priority: 5, usage: [[10, 3 * GiB]] },
      { cpu: 0, mem: 0, priority: 0, usage: [[10, 2 * GiB]] },
      { cpu: 100, mem: GiB, priority: 5, usage: [[10, 0.5 * GiB]] },
    ];
    const r = await run([[4000, 8 * GiB]], tasks, 60 * S, { evictionHard: 'memory.available<1Gi' });
    const ev = rows(r, DynamicsCause.EvictionMemoryPressure);
    // BestEffort (task 2) at the first housekeeping; 5.5 GiB used then, 2.5 available: done.
    expect(ev.map((e) => e.task)).toEqual([2]);
    expect(ev[0].time).toBe(10);
    expect(r.dynamics!.evictions[2]).toBe(1);
    expect(rows(r, DynamicsCause.PressureOn)).toHaveLength(1);
  });

  it('over-request pods go first: lower priority first, then the larger usage above request', async () => {
    const tasks: HandTask[] = [
      { cpu: 100, mem: 2 * GiB, cpuLimit: 100, memLimit: 2 * GiB, priority: 9, usage: [[10, 2 * GiB]] }, // Guaranteed
      { cpu: 100, mem: GiB, priority: 5, usage: [[10, 2 * GiB]] }, // Burstable, 1 GiB over
      { cpu: 100, mem: GiB, priority: 5, usage: [[10, 3.2 * GiB]] }, // Burstable, 2.2 GiB over
      { cpu: 0, mem: 0, priority: 0, usage: [[10, 0.5 * GiB]] }, // BestEffort
      { cpu: 100, mem: 2 * GiB, priority: 2, usage: [[10, 0.25 * GiB]] }, // Burstable under request, low priority
    ];
    // 8 GiB node, 7.95 GiB used: below the 100Mi hard threshold; a minimum reclaim of 8Gi keeps
    // the kubelet evicting, one pod per housekeeping (evicted pods come back 10 s later, after it).
    const r = await run([[4000, 8 * GiB]], tasks, 35 * S, { evictionMinimumReclaim: 'memory.available=8Gi' });
    const ev = rows(r, DynamicsCause.EvictionMemoryPressure);
    // BestEffort (priority 0) is over its zero request and lowest: first. The two over-request
    // Burstables share priority 5: the larger excess (task 2) next. The under-request pods wait.
    expect(ev.map((e) => [e.time, e.task])).toEqual([
      [10, 3],
      [20, 2],
      [30, 1],
    ]);
  });

  it('pods within their requests (Guaranteed, Burstable under request) go last, lower priority first', async () => {
    const tasks: HandTask[] = [
      { cpu: 100, mem: 2 * GiB, cpuLimit: 100, memLimit: 2 * GiB, priority: 9, usage: [[10, 2 * GiB]] }, // Guaranteed
      { cpu: 100, mem: 2 * GiB, priority: 2, usage: [[10, 0.25 * GiB]] }, // Burstable under request
    ];
    // Threshold 7Gi on 8 GiB: allocatable 1 GiB, so a memory ratio of 4 admits both (4 GiB).
    const ratio: OvercommitPolicy = { name: 'ratio', ratio: (d) => (d === 1 ? 4 : 1) };
    const r = await run([[4000, 8 * GiB]], tasks, 25 * S, { evictionHard: 'memory.available<7Gi' }, ratio);
    expect(rows(r, DynamicsCause.EvictionMemoryPressure).map((e) => [e.time, e.task])).toEqual([
      [10, 1],
      [20, 0],
    ]);
  });

  it('a soft threshold waits for its grace period; minimum reclaim keeps evicting past the threshold', async () => {
    const tasks: HandTask[] = [
      { cpu: 0, mem: 0, priority: 0, usage: [[10, 3 * GiB]] },
      { cpu: 0, mem: 0, priority: 0, usage: [[10, 1 * GiB]] },
      { cpu: 100, mem: 4 * GiB, cpuLimit: 100, memLimit: 4 * GiB, priority: 9, usage: [[10, 3.5 * GiB]] },
    ];
    // 8 GiB node: 0.5 GiB available. Soft threshold 1Gi with 30 s grace; hard 100Mi not met.
    const r = await run([[4000, 8 * GiB]], tasks, 120 * S, {
      evictionSoft: 'memory.available<1Gi',
      evictionSoftGracePeriod: 'memory.available=30s',
      evictionMinimumReclaim: 'memory.available=3Gi',
    });
    const ev = rows(r, DynamicsCause.EvictionMemoryPressure);
    // Met at the first housekeeping (10 s), acted on at 40 s (task 0, larger usage above its zero
    // request). Then 3.5 GiB available ≥ 1 GiB but < 1 + 3 GiB (minimum reclaim): on at 50 s (task 1).
    expect(ev.map((e) => [e.time, e.task])).toEqual([
      [40, 0],
      [50, 1],
    ]);
  });

  it('the MemoryPressure condition is held for the transition period after pressure ends', async () => {
    const tasks: HandTask[] = [{ cpu: 0, mem: 0, priority: 0, usage: [[10, 7.95 * GiB]] }];
    const r = await run([[4000, 8 * GiB]], tasks, 900 * S, { evictionPressureTransitionPeriod: '2m' });
    const on = rows(r, DynamicsCause.PressureOn).map((e) => e.time);
    const off = rows(r, DynamicsCause.PressureOff).map((e) => e.time);
    expect(on[0]).toBe(10);
    // Evicted at 10 s, the last time the threshold was met: the condition clears 120 s after.
    expect(off[0]).toBe(130);
  });

  it('BestEffort pods are not placed on a node under MemoryPressure (its NoSchedule taint)', async () => {
    // Node 0 comes under pressure at 10 s from a Burstable task using nearly all its memory (it is
    // evicted; the condition holds for the transition period); a BestEffort task submitted at 20 s
    // must go to node 1 although first-fit prefers node 0.
    const tasks: HandTask[] = [
      { cpu: 100, mem: 7 * GiB, priority: 9, usage: [[10, 7.95 * GiB]] },
      { submit: 20 * S, cpu: 0, mem: 0, priority: 0, usage: [[10, 10 * MiB]] },
      { submit: 20 * S, cpu: 100, mem: 1 * MiB, priority: 5, usage: [[10, 1 * MiB]] },
    ];
    const r = await run(
      [
        [4000, 8 * GiB],
        [4000, 8 * GiB],
      ],
      tasks,
      60 * S,
    );
    expect(r.tasks.node[1]).toBe(1);
    // A Burstable pod tolerates nothing either way but is not BestEffort: node 0 still takes it.
    expect(r.tasks.node[2]).toBe(0);
  });

  it('a node out of memory OOM-kills by badness: BestEffort before Burstable before Guaranteed', async () => {
    const tasks: HandTask[] = [
      { cpu: 100, mem: 3 * GiB, cpuLimit: 100, memLimit: 3 * GiB, priority: 9, usage: [[10, 3 * GiB]] },
      { cpu: 100, mem: 4 * GiB, priority: 5, usage: [[10, 3.5 * GiB]] },
      { cpu: 0, mem: 0, priority: 0, usage: [[10, 2 * GiB]] },
    ];
    // 8 GiB node: pods use 8.5 GiB. Badness = usage/capacity·1000 + adj: BestEffort 250 + 1000,
    // Burstable 437.5 + (1000 − 500), Guaranteed 375 − 997. BestEffort dies; 6.5 GiB left, fits.
    const r = await run([[4000, 8 * GiB]], tasks, 15 * S, { evictionHard: 'memory.available<1Mi' });
    const kills = rows(r, DynamicsCause.OomNode);
    expect(kills[0]).toMatchObject({ time: 10, task: 2 });
    expect(kills).toHaveLength(1);
    // One machine-interval (the first usage step), violated: usage asked more than the node has.
    expect(r.dynamics!.nodeIntervals).toBe(1);
    expect(r.dynamics!.violatedIntervals).toBe(1);
  });

  it('an evicted task is recreated after a back-off and counts its lost work', async () => {
    const tasks: HandTask[] = [
      { cpu: 100, mem: 6 * GiB, cpuLimit: 100, memLimit: 6 * GiB, priority: 9, usage: [[10, 6 * GiB]] },
      { submit: 0, duration: 1000 * S, cpu: 0, mem: 0, priority: 0, usage: [[10, 0], [10, 1.95 * GiB]] },
    ];
    // Task 1 grows into pressure at the second usage step (300 s): evicted at 300 s after 300 s of work.
    const r = await run([[4000, 8 * GiB]], tasks, 400 * S);
    const ev = rows(r, DynamicsCause.EvictionMemoryPressure);
    expect(ev[0]).toMatchObject({ time: 300, task: 1 });
    expect(ev[0].amount).toBeCloseTo(300, 6);
    expect(r.dynamics!.lostWorkSeconds[1]).toBeCloseTo(300, 6);
    // Recreated 10 s later; BestEffort cannot go back while node 0 reports MemoryPressure: pending.
    expect(r.tasks.status[1]).toBe(TaskStatus.Pending);
    expect(r.pendingAtEnd).toBe(1);
  });

  it('an allocation ratio lets the scheduler promise more than the node has', async () => {
    const tasks: HandTask[] = [
      { cpu: 100, mem: 5 * GiB, usage: [[10, GiB]] },
      { cpu: 100, mem: 5 * GiB, usage: [[10, GiB]] },
    ];
    const ratio: OvercommitPolicy = { name: 'ratio', ratio: (d) => (d === 1 ? 1.5 : 1) };
    const none = await run([[4000, 8 * GiB]], tasks, 10 * S);
    expect(none.pendingAtEnd).toBe(1);
    const over = await run([[4000, 8 * GiB]], tasks, 10 * S, {}, ratio);
    expect(over.pendingAtEnd).toBe(0);
    // Utilization is measured against the node's real allocatable (8 GiB − 100 MiB), not the
    // promised 1.5×: 10 GiB of requests are 127 % of it.
    const alloc = 8 * GiB - 100 * MiB;
    expect(over.series.allocatable[1]).toBe(alloc);
    expect(over.series.requested[over.series.length * 3 - 2]).toBe(10 * GiB);
  });

  it('kube-reserved and system-reserved and the hard threshold come off allocatable', async () => {
    // Allocatable 8 GiB − 1 GiB − 1 GiB − 100 MiB = 5.9 GiB: 5.5 GiB fits, another 0.5 GiB does not.
    const tasks: HandTask[] = [
      { cpu: 100, mem: 5.5 * GiB, usage: [[10, GiB]] },
      { cpu: 100, mem: 0.5 * GiB, usage: [[10, 0]] },
    ];
    const r = await run([[4000, 8 * GiB]], tasks, 10 * S, { kubeReserved: 'memory=1Gi', systemReserved: 'memory=1Gi' });
    expect(r.tasks.node[0]).toBe(0);
    expect(r.pendingAtEnd).toBe(1);
  });
});
