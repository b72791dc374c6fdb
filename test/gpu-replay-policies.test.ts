import { describe, expect, it } from 'vitest';
import { replay } from '../harness/replay.js';
import { Cluster } from '../harness/cluster.js';
import { DEFAULT_RESOURCES } from '../model/resources.js';
import { GiB } from '../model/units.js';
import { Rng } from '../model/rng.js';
import { TaskStatus } from '../model/task-status.js';
import { kubeDefault } from '../algorithms/classic/kube-default.js';
import { PolicyError, type Policy, type PolicyModule } from '../algorithms/policy.js';
import type { ClusterView } from '../model/cluster-view.js';
import type { TaskView } from '../model/task-view.js';
import { BUILTIN_POLICIES, builtinPolicy } from '../algorithms/registry.js';
import { GPU_REPLAY_POLICIES } from '../algorithms/gpu/replay-policies.js';
import { GpuReplayPolicy, gpuReplayPolicy } from '../algorithms/gpu/replay-policy.js';
import { MAX_DEVICES } from '../algorithms/gpu/device-ledger.js';
import { workloadTargetShapes } from '../algorithms/gpu/replay-target.js';
import type { PlacementConstraints } from '../model/placement-constraints.js';
import { allocTaskBatch } from '../model/task-batch.js';
import type { MachineEvent, MachineSpec } from '../model/machine.js';
import type { Workload } from '../model/workload.js';

const S = 1e6; // µs per second
const PRICING = { instance: 'test', pricePerHour: 1, region: 'nowhere', priceDate: '2026-01-01' };
const NAMES = ['gpu-random', 'gpu-best-fit', 'gpu-dot-product', 'gpu-packing', 'gpu-clustering', 'gpu-fgd'];

interface GpuTask {
  submit: number;
  duration: number;
  /** Total milli-GPU (share < 1000, or k × 1000). */
  gpu: number;
  models?: string[];
  cpu?: number;
}

const machine = (id: string, gpus: number, model: string, cpu = 32_000): MachineSpec => ({
  id,
  capacity: [cpu, 64 * GiB, gpus * 1000],
  gpuDevices: gpus,
  gpuModel: model,
  instanceType: 'test',
});

/** A hand-made GPU workload: each task its own job, its gpuModels as the job's constraint. Times in seconds. */
function gpuWorkload(machines: MachineSpec[], tasks: GpuTask[], opts: { horizon: number; machineEvents?: MachineEvent[] }): Workload {
  const D = 3;
  const jobConstraints: Array<PlacementConstraints | undefined> = tasks.map((t) => (t.models ? { gpuModels: t.models } : undefined));
  return {
    name: 'gpu-tiny',
    resources: DEFAULT_RESOURCES,
    machines,
    machineEvents: opts.machineEvents ?? [],
    jobs: tasks.map((_, i) => `pod${i}`),
    users: [],
    notes: [],
    jobConstraints,
    horizon: opts.horizon * S,
    async *taskBatches() {
      const b = allocTaskBatch(tasks.length, D);
      tasks.forEach((t, i) => {
        b.submitTime[i] = t.submit * S;
        b.duration[i] = t.duration * S;
        b.request[i * D] = t.cpu ?? 1000;
        b.request[i * D + 1] = GiB;
        b.request[i * D + 2] = t.gpu;
        b.job[i] = i;
      });
      yield b;
    },
  };
}

/**
 * Wraps a GPU replay policy: after every bind and unbind, the policy's device ledger must hold on
 * that node exactly the simulator's GPU requested, no device over- or under-full, and a
 * fractional task on exactly one device. Keeps the created policy for inspection.
 */
function checked(module: PolicyModule): { module: PolicyModule; policy: () => GpuReplayPolicy; checks: () => number } {
  let inner: GpuReplayPolicy | undefined;
  let checks = 0;
  const check = (task: TaskView, node: number, cluster: ClusterView, bound: boolean) => {
    const ledger = inner!.ledger!;
    const D = cluster.dims;
    expect(ledger.held(node)).toBe(cluster.requested[node * D + 2]);
    for (let g = 0; g < ledger.devices[node]; g++) {
      const f = ledger.free[node * MAX_DEVICES + g];
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThanOrEqual(ledger.cap[node * MAX_DEVICES + g]);
    }
    const gpu = task.request[2];
    const a = ledger.assignment(task.id);
    if (bound && gpu > 0) {
      expect(a?.node).toBe(node);
      expect(a!.devices.length).toBe(gpu < 1000 ? 1 : gpu / 1000);
      expect(a!.milli * a!.devices.length).toBe(gpu);
    } else {
      expect(a).toBeUndefined();
    }
    checks++;
  };
  const module2: PolicyModule = {
    name: module.name,
    description: module.description,
    create(options) {
      inner = module.create(options) as GpuReplayPolicy;
      const p: Policy = {
        name: inner.name,
        select: (t, c) => inner!.select(t, c),
        onBind(t, n, c) {
          inner!.onBind(t, n, c);
          check(t, n, c, true);
        },
        onUnbind(t, n, c) {
          inner!.onUnbind(t, n, c);
          check(t, n, c, false);
        },
      };
      return p;
    },
  };
  return { module: module2, policy: () => inner!, checks: () => checks };
}

describe('GPU replay policies: registry', () => {
  it('registers the six as built-in policies, appended after the existing ones', () => {
    const names = BUILTIN_POLICIES.map((p) => p.name);
    expect(names.slice(-6)).toEqual(NAMES);
    expect(new Set(names).size).toBe(names.length);
    expect(BUILTIN_POLICIES.slice(0, 5).map((p) => p.name)).toEqual(['first-fit', 'best-fit', 'worst-fit', 'random', 'kube-default']);
    for (const p of GPU_REPLAY_POLICIES) {
      expect(builtinPolicy(p.name)).toBe(p);
      expect(p.description).toMatch(/device-level/);
      expect(p.description).not.toMatch(/\n/);
    }
    expect(builtinPolicy('gpu-fgd')!.description).toMatch(/kube integer scores, ranked ties/);
  });
});

/**
 * Node A: 2 × T4, node B: 2 × V100.
 *  p0, p1: 800 milli each, T4 only → both on A, one per device (1600 > 1000): A has 200 + 200 free.
 *  p2 (1 s): 300 milli, T4 only → A has 400 free in aggregate but no device with 300; B is V100:
 *     must wait for p0 to finish (100 s) and then run on A.
 *  p3 (2 s): 2 whole GPUs, any model → only B has two fully free devices: runs 2..52 s.
 *  p4 (3 s): 500 milli, V100 only → B is full until 52 s: starts at 52 on B.
 *  p5 (4 s): A100 only → no such node: pending at the end.
 *  p6 (150 s): 1000 milli, T4 only → reuses p0's device on A after p2 finished there (150 s).
 */
const SCENARIO: GpuTask[] = [
  { submit: 0, duration: 100, gpu: 800, models: ['T4'] },
  { submit: 0, duration: 300, gpu: 800, models: ['T4'] },
  { submit: 1, duration: 50, gpu: 300, models: ['T4'] },
  { submit: 2, duration: 50, gpu: 2000 },
  { submit: 3, duration: 10, gpu: 500, models: ['V100'] },
  { submit: 4, duration: 10, gpu: 100, models: ['A100'] },
  { submit: 150, duration: 10, gpu: 1000, models: ['T4'] },
];
const scenario = () => gpuWorkload([machine('A', 2, 'T4'), machine('B', 2, 'V100')], SCENARIO, { horizon: 400 });

describe('GPU replay policies on a hand-made workload', () => {
  it('the scenario is meaningful: on A alone, an aggregate-only policy straddles p2 over two devices at 1 s', async () => {
    const w = gpuWorkload([machine('A', 2, 'T4')], SCENARIO.slice(0, 3), { horizon: 400 });
    const { result } = await replay({ workload: w, policy: kubeDefault, seed: 1, pricing: PRICING });
    expect(Array.from(result.tasks.node.subarray(0, 3))).toEqual([0, 0, 0]);
    expect(result.tasks.start[2]).toBe(1 * S);
  });

  const variants: Array<[string, () => Promise<PolicyModule>]> = [
    ...NAMES.map((n): [string, () => Promise<PolicyModule>] => [n, async () => builtinPolicy(n)!]),
    ['gpu-fgd, exact scores, random ties', async () => gpuReplayPolicy('fgd', { scoring: 'exact', tieBreak: 'random' })],
    ['gpu-best-fit, exact scores', async () => gpuReplayPolicy('best-fit', { scoring: 'exact' })],
    ['gpu-fgd, fixed target from the workload', async () => gpuReplayPolicy('fgd', { target: { shapes: await workloadTargetShapes(scenario()) } })],
  ];
  for (const [name, make] of variants) {
    it(`${name}: one device per fractional pod, fully free devices for whole GPUs, gpuModels, reuse after finish`, async () => {
      const c = checked(await make());
      const { result, summary } = await replay({ workload: scenario(), policy: c.module, seed: 3, pricing: PRICING });
      const t = result.tasks;
      const A = 0;
      const B = 1;
      expect([t.node[0], t.node[1]]).toEqual([A, A]);
      expect([t.start[0], t.start[1]]).toEqual([0, 0]);
      expect(t.start[2]).toBe(100 * S); // not at 1 s: 200 + 200 free on two devices cannot hold 300
      expect(t.node[2]).toBe(A);
      expect([t.node[3], t.start[3]]).toEqual([B, 2 * S]);
      expect([t.node[4], t.start[4]]).toEqual([B, 52 * S]);
      expect(t.status[5]).toBe(TaskStatus.Pending);
      expect([t.node[6], t.start[6]]).toEqual([A, 150 * S]); // p0's and p2's device, released
      expect(summary.tasks).toMatchObject({ submitted: 7, scheduled: 6, finished: 6, pendingAtEnd: 1 });
      const ledger = c.policy().ledger!;
      expect(ledger.held(A) + ledger.held(B)).toBe(0);
      expect(ledger.adoptedMilli).toBe(0);
      expect(ledger.overcommits).toBe(0);
      expect(c.checks()).toBe(12); // 6 binds + 6 unbinds, each checked
    });
  }

  /** One node of 3 devices: three 600-milli pods take one device each (400 + 400 + 400 free); a 1-GPU pod must wait. */
  const threeDevices = () =>
    gpuWorkload(
      [machine('C', 3, 'T4')],
      [
        { submit: 0, duration: 100, gpu: 600 },
        { submit: 0, duration: 200, gpu: 600 },
        { submit: 0, duration: 200, gpu: 600 },
        { submit: 1, duration: 10, gpu: 1000 },
      ],
      { horizon: 400 },
    );

  it('the 3-device case is meaningful: an aggregate-only policy starts the whole-GPU pod at once', async () => {
    const { result } = await replay({ workload: threeDevices(), policy: kubeDefault, seed: 1, pricing: PRICING });
    expect(result.tasks.start[3]).toBe(1 * S);
  });

  for (const name of NAMES) {
    it(`${name}: a whole GPU needs a fully free device, not 1200 milli spread over three`, async () => {
      const c = checked(builtinPolicy(name)!);
      const { result } = await replay({ workload: threeDevices(), policy: c.module, seed: 5, pricing: PRICING });
      expect(result.tasks.start[3]).toBe(100 * S);
      const a = c.policy().ledger!;
      expect(a.adoptedMilli).toBe(0);
    });
  }

  it('builds state for machines added during the run and rebuilds a machine that comes back with a new shape', async () => {
    for (const name of NAMES) {
      const c = checked(builtinPolicy(name)!);
      const w = gpuWorkload(
        [machine('A', 1, 'T4')],
        [
          { submit: 0, duration: 1000, gpu: 1000 }, // fills A
          { submit: 1, duration: 1000, gpu: 2000 }, // B (2 GPUs) at 5 s; killed at 50 s; B back with 4 GPUs at 60 s
          { submit: 70, duration: 1000, gpu: 2000 }, // the other two of B's four
          { submit: 80, duration: 10, gpu: 1000 }, // no fully free device left anywhere
        ],
        {
          horizon: 400,
          machineEvents: [
            { time: 5 * S, kind: 'add', machine: machine('B', 2, 'T4') },
            { time: 50 * S, kind: 'remove', machine: machine('B', 2, 'T4') },
            { time: 60 * S, kind: 'add', machine: machine('B', 4, 'V100') },
          ],
        },
      );
      const { result } = await replay({ workload: w, policy: c.module, seed: 2, pricing: PRICING });
      const t = result.tasks;
      expect([t.node[1], t.start[1], t.attempts[1]], name).toEqual([1, 60 * S, 2]);
      expect([t.node[2], t.start[2]], name).toEqual([1, 70 * S]);
      expect(t.status[3], name).toBe(TaskStatus.Pending);
      const ledger = c.policy().ledger!;
      expect(ledger.devices[1], name).toBe(4);
      expect(ledger.models[ledger.model[1]], name).toBe('V100');
      expect(ledger.held(1), name).toBe(4000);
      expect(ledger.adoptedMilli, name).toBe(0);
    }
  });
});

describe('GPU replay policies driven directly', () => {
  const view = (id: number, gpu: number, cpu = 1000): TaskView => ({
    id,
    request: new Float64Array([cpu, GiB, gpu]),
    priority: 0,
    job: 0,
    user: -1,
    missingRequest: false,
    constraints: undefined,
    duration: Number.NaN,
  });

  it('onBind commits the device select() chose for that task, and chooses deterministically for another task or node', () => {
    const cluster = new Cluster(DEFAULT_RESOURCES);
    cluster.addNode(machine('A', 2, 'T4'));
    cluster.addNode(machine('B', 2, 'T4'));
    const policy = gpuReplayPolicy('fgd').create({ rng: new Rng(1) }) as GpuReplayPolicy;
    const bind = (t: TaskView, node: number) => {
      cluster.bind(node, t.request);
      policy.onBind(t, node, cluster);
    };
    // Put 700 on device 0 of A: then FGD puts a 300 pod where it fills device 0 exactly.
    bind(view(0, 700), 0);
    expect(policy.ledger!.assignment(0)).toEqual({ node: 0, devices: [0], milli: 700 });
    const t1 = view(1, 300);
    expect(policy.select(t1, cluster)).toBe(0);
    bind(t1, 0);
    expect(policy.ledger!.assignment(1)).toEqual({ node: 0, devices: [0], milli: 300 });
    // select() for task 2, but the caller binds it elsewhere: best-fitting device there.
    const t2 = view(2, 400);
    policy.select(t2, cluster);
    bind(t2, 1);
    expect(policy.ledger!.assignment(2)).toEqual({ node: 1, devices: [0], milli: 400 });
    // A task nobody selected: deterministic best fit (device 0 of B has 600 free, device 1 has 1000).
    bind(view(3, 500), 1);
    expect(policy.ledger!.assignment(3)).toEqual({ node: 1, devices: [0], milli: 500 });
    cluster.unbind(1, view(2, 400).request);
    policy.onUnbind(view(2, 400), 1, cluster);
    expect(policy.ledger!.assignment(2)).toBeUndefined();
    expect(policy.ledger!.held(1)).toBe(500);
  });

  it('adopts GPU bound behind its back so its sums stay the simulator\'s, and counts it', () => {
    const cluster = new Cluster(DEFAULT_RESOURCES);
    cluster.addNode(machine('A', 2, 'T4'));
    cluster.bind(0, new Float64Array([0, 0, 1500]));
    const policy = gpuReplayPolicy('best-fit').create({ rng: new Rng(1) }) as GpuReplayPolicy;
    // 1500 adopted as one whole device + 500 on the other: a 600 share no longer fits, a 500 does.
    expect(policy.select(view(0, 600), cluster)).toBe(-1);
    expect(policy.select(view(1, 500), cluster)).toBe(0);
    expect(policy.ledger!.adoptedMilli).toBe(1500);
    expect(policy.ledger!.held(0)).toBe(1500);
  });

  it('workloadTargetShapes counts a workload\'s task shapes with their GPU models', async () => {
    const shapes = await workloadTargetShapes(scenario());
    expect(shapes.length).toBe(6);
    expect(shapes.find((x) => x.milli === 800)).toEqual({ cpu: 1000, milli: 800, count: 1, models: ['T4'], weight: 2 });
    expect(shapes.find((x) => x.count === 2)).toEqual({ cpu: 1000, milli: 1000, count: 2, models: undefined, weight: 1 });
  });

  it('rejects a GPU request that is neither a share of one device nor whole devices', () => {
    const cluster = new Cluster(DEFAULT_RESOURCES);
    cluster.addNode(machine('A', 2, 'T4'));
    for (const m of GPU_REPLAY_POLICIES) {
      const policy = m.create({ rng: new Rng(1) });
      expect(() => policy.select(view(0, 1500), cluster)).toThrow(PolicyError);
      expect(() => policy.select(view(0, 1500), cluster)).toThrow(/neither a share of one device/);
    }
  });

  it('random workloads: device state equals the simulator\'s after every bind and unbind, full scoring and kube sampling', async () => {
    const rng = new Rng(99);
    const models = ['T4', 'V100', 'G2'];
    const machines = Array.from({ length: 120 }, (_, i) => machine(`n${i}`, [1, 2, 4, 8][rng.int(4)], models[rng.int(3)], 16_000 + 16_000 * rng.int(4)));
    const shares = [100, 250, 300, 470, 500, 650, 810];
    const tasks: GpuTask[] = Array.from({ length: 1500 }, (_, i) => {
      const r = rng.next();
      const gpu = r < 0.15 ? 0 : r < 0.7 ? shares[rng.int(shares.length)] : 1000 * [1, 1, 2, 4, 8][rng.int(5)];
      return { submit: i * 0.2, duration: 5 + rng.int(200), gpu, models: rng.next() < 0.2 ? [models[rng.int(3)]] : undefined, cpu: 500 + rng.int(8000) };
    });
    for (const name of NAMES) {
      for (const pct of [100, undefined]) {
        const c = checked(builtinPolicy(name)!);
        const w = gpuWorkload(machines, tasks, { horizon: 1000 });
        const { summary } = await replay({ workload: w, policy: c.module, seed: 4, pricing: PRICING, percentageOfNodesToScore: pct });
        expect(summary.tasks.scheduled, name).toBeGreaterThan(1000);
        expect(summary.tasks.scheduled + summary.tasks.pendingAtEnd, name).toBe(1500);
        expect(c.checks(), name).toBe(summary.tasks.scheduled + summary.tasks.finished);
        expect(c.policy().ledger!.adoptedMilli, name).toBe(0);
        expect(c.policy().ledger!.overcommits, name).toBe(0);
      }
    }
  });
});
