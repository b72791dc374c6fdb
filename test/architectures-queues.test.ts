import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allocTaskBatch } from '../model/task-batch.js';
import { DEFAULT_RESOURCES } from '../model/resources.js';
import type { Workload } from '../model/workload.js';
import { UsageError } from '../model/errors.js';
import { queues } from '../harness/architectures/queues.js';
import { readYarnQueueConfig, parseYarnQueueConfig, type CapacitySchedulerConfig, type FairSchedulerConfig } from '../harness/architectures/yarn-queue-config.js';
import { userLimit, underServedKey } from '../harness/architectures/capacity-scheduler.js';
import { computeFairShares, fairOrderKey, starvedAmount } from '../harness/architectures/fair-scheduler.js';
import { runArchitectureSpec } from '../harness/architectures/architecture-spec.js';
import { runArchitecture, seconds } from './helpers/architecture-run.js';

const FIX = path.join(__dirname, 'fixtures', 'architectures');
const GIB = 1024 ** 3;
const S = 1e6;

interface Task { submit: number; duration: number; cpu: number; mem: number; job: number; user: number; priority?: number }

/** Nodes of (cpu millicores, memory bytes); tasks by hand, each with its workload job and user. */
function workload(nodes: number, tasks: Task[], horizon: number): Workload {
  const D = 3;
  return {
    name: 'queues-test',
    resources: DEFAULT_RESOURCES,
    machines: Array.from({ length: nodes }, (_, i) => ({ id: `n${i}`, capacity: [4000, 4 * GIB, 0], instanceType: 'test' })),
    machineEvents: [],
    jobs: ['j0', 'j1', 'j2', 'j3'],
    users: ['u0', 'u1', 'u2', 'u3'],
    notes: [],
    horizon,
    async *taskBatches() {
      const b = allocTaskBatch(tasks.length, D);
      tasks.forEach((t, i) => {
        b.submitTime[i] = t.submit;
        b.duration[i] = t.duration;
        b.request[i * D] = t.cpu;
        b.request[i * D + 1] = t.mem;
        b.request[i * D + 2] = 0;
        b.priority[i] = t.priority ?? 0;
        b.job[i] = t.job;
        b.user[i] = t.user;
        b.taskIndex[i] = i;
      });
      yield b;
    },
  };
}

/** `n` one-slot tasks (1 core, 1 GiB: 16 per 4 nodes) of one job. */
const slots = (n: number, submit: number, job: number, user: number, priority = 0): Task[] =>
  Array.from({ length: n }, () => ({ submit, duration: 3600 * S, cpu: 1000, mem: GIB, job, user, priority }));

const tmp = mkdtempSync(path.join(tmpdir(), 'schedlab-queues-'));
function xml(name: string, body: string): string {
  const f = path.join(tmp, name);
  writeFileSync(f, body);
  return f;
}
function capacityXml(name: string, props: Record<string, string | number>): string {
  const lines = Object.entries(props).map(([k, v]) => `  <property><name>yarn.scheduler.capacity.${k}</name><value>${v}</value></property>`);
  return xml(name, `<?xml version="1.0"?>\n<configuration>\n${lines.join('\n')}\n</configuration>\n`);
}

const placedOf = (sim: { placed: Int32Array }, job: number) => sim.placed[job];

describe('YARN queue config files', () => {
  it('reads a capacity-scheduler.xml: hierarchy, absolute capacities, limits, state, mappings', () => {
    const c = readYarnQueueConfig(path.join(FIX, 'capacity-scheduler.xml')) as CapacitySchedulerConfig;
    expect(c.type).toBe('capacity');
    expect(c.queues.map((q) => q.path)).toEqual(['root', 'root.batch', 'root.service', 'root.eng', 'root.eng.ml', 'root.eng.web']);
    const by = (p: string) => c.queues.find((q) => q.path === p)!;
    expect(by('root.batch').absMaxCapacity).toBe(1); // -1 = 100 %
    expect(by('root.batch').userLimitFactor).toBe(2);
    expect(by('root.service').absMaxCapacity).toBeCloseTo(0.6, 12);
    expect(by('root.eng.ml').absCapacity).toBeCloseTo(0.15, 12);
    expect(by('root.eng.ml').minimumUserLimitPercent).toBe(25);
    expect(by('root.eng.web').stopped).toBe(true);
    expect(by('root.eng').children.length).toBe(2);
    expect(c.mappings).toEqual([
      { kind: 'u', source: '3', queue: 'ml', line: 54 },
      { kind: 'g', source: 'analysts', queue: 'web', line: 54 },
    ]);
    expect(c.ignored).toEqual(['yarn.scheduler.capacity.maximum-applications']);
  });

  it('reads a fair-scheduler.xml: weights, min/max resources, inherited timeouts, placement rules', () => {
    const c = readYarnQueueConfig(path.join(FIX, 'fair-scheduler.xml')) as FairSchedulerConfig;
    expect(c.type).toBe('fair');
    const by = (p: string) => c.queues.find((q) => q.path === p)!;
    expect(c.queues.map((q) => q.path)).toEqual(['root', 'root.batch', 'root.service', 'root.eng', 'root.eng.ml']);
    expect(by('root.batch').weight).toBe(2);
    expect(by('root.batch').minResources).toEqual({ mb: 10240, vcores: 4 });
    expect(by('root.service').maxResources).toEqual({ percent: 50 });
    expect(by('root.service').fairSharePreemptionThreshold).toBe(0.8);
    expect(by('root.batch').fairSharePreemptionThreshold).toBe(0.5);
    expect(by('root.eng.ml').maxResources).toEqual({ vcores: 8, mb: 16384 });
    expect(by('root.eng.ml').fairSharePreemptionTimeout).toBe(60);
    expect(by('root.eng.ml').minSharePreemptionTimeout).toBe(10); // from its parent eng
    expect(by('root.batch').minSharePreemptionTimeout).toBe(30);
    expect(c.rules.map((r) => [r.name, r.create, r.queue])).toEqual([['specified', true, undefined], ['user', false, undefined], ['primaryGroup', false, undefined], ['default', true, 'batch']]);
    expect(c.ignored.some((s) => s.includes('queueMaxAMShareDefault'))).toBe(true);
    expect(c.ignored.some((s) => s.includes('root.eng.ml <schedulingPolicy>'))).toBe(true);
  });

  it('rejects capacities of one parent summing over 100, naming file, line and queue', () => {
    const f = path.join(FIX, 'capacity-over-100.xml');
    expect(() => readYarnQueueConfig(f)).toThrow(UsageError);
    expect(() => readYarnQueueConfig(f)).toThrow(/capacity-over-100\.xml line 10 \(yarn\.scheduler\.capacity\.root\.b\.capacity\): capacities of root's children sum to 110 by queue root\.b; expected 100/);
  });

  it('rejects capacities under 100, a bad number, an unknown mapping target, bad XML', () => {
    expect(() => parseYarnQueueConfig('u.xml', '<configuration>\n<property><name>yarn.scheduler.capacity.root.queues</name><value>a,b</value></property>\n<property><name>yarn.scheduler.capacity.root.a.capacity</name><value>40</value></property>\n<property><name>yarn.scheduler.capacity.root.b.capacity</name><value>40</value></property></configuration>'))
      .toThrow(/u\.xml line 2 .*sum to 80; expected 100/);
    expect(() => readYarnQueueConfig(path.join(FIX, 'capacity-bad-number.xml'))).toThrow(/capacity-bad-number\.xml line 5 \(yarn\.scheduler\.capacity\.root\.service\.capacity\): expected a percentage 0–100, got "fifty"/);
    expect(() => readYarnQueueConfig(path.join(FIX, 'capacity-bad-mapping.xml'))).toThrow(/capacity-bad-mapping\.xml line 8 .*unknown mapping target "nowhere"/);
    expect(() => parseYarnQueueConfig('w.xml', '<allocations>\n<queue name="a"><weight>0</weight></queue></allocations>')).toThrow(/w\.xml line 2 \(root\.a weight\): expected a number > 0, got "0"/);
    expect(() => parseYarnQueueConfig('r.xml', '<allocations>\n<queue name="a"><minResources>lots</minResources></queue></allocations>')).toThrow(/r\.xml line 2 .*minResources.*"X mb, Y vcores"/);
    expect(() => parseYarnQueueConfig('b.xml', '<allocations>\n<queue name="a">\n</allocations>')).toThrow(/b\.xml line 3: not well-formed XML/);
    expect(() => parseYarnQueueConfig('x.xml', '<configuration><property><name>yarn.scheduler.capacity.root.queues</name><value>a</value></property><property><name>yarn.scheduler.capacity.root.a.capacity</name><value>100</value></property><property><name>yarn.scheduler.capacity.root.c.capacity</name><value>5</value></property></configuration>'))
      .toThrow(/queue root\.c is not declared/);
  });

  it('a job no mapping, kind leaf or default leaf takes is a usage error naming the file', async () => {
    const f = capacityXml('no-leaf.xml', { 'root.queues': 'a,b', 'root.a.capacity': 50, 'root.b.capacity': 50 });
    await expect(runArchitecture(workload(1, slots(1, 0, 0, 1), 10 * S), queues({ batch: seconds(0.1), service: seconds(0.1), config: f }))).rejects.toThrow(/no-leaf\.xml: no queue for user 1's batch jobs/);
  });
});

describe('share rules', () => {
  it('capacity user limit and order', () => {
    // One active user, factor 1: the queue's guarantee.
    expect(userLimit(50, 10, 5, 1, 100, 1)).toBe(50);
    // Two users, the queue above its guarantee: current = used + request, split two ways, no more than 2 × guarantee.
    expect(userLimit(50, 70, 10, 2, 100, 2)).toBe(80);
    expect(userLimit(50, 70, 10, 2, 25, 2)).toBe(40);
    expect(userLimit(50, 70, 10, 4, 25, 2)).toBe(20);
    expect(userLimit(50, 200, 0, 1, 100, -1)).toBe(200);
    expect(underServedKey(0.3, 0.6)).toBeCloseTo(0.5, 12);
    expect(underServedKey(0, 0)).toBeGreaterThan(underServedKey(5, 0.1));
  });

  it('fair shares: weights, demand caps, min shares', () => {
    const out = new Float64Array(2);
    computeFairShares(1, [{ weight: 1, min: 0, max: 1, demand: 1 }, { weight: 2, min: 0, max: 1, demand: 1 }], out);
    expect(out[0]).toBeCloseTo(1 / 3, 9);
    expect(out[1]).toBeCloseTo(2 / 3, 9);
    computeFairShares(1, [{ weight: 1, min: 0, max: 1, demand: 0.1 }, { weight: 1, min: 0, max: 1, demand: 1 }], out);
    expect(out[0]).toBeCloseTo(0.1, 9);
    expect(out[1]).toBeCloseTo(0.9, 9);
    computeFairShares(1, [{ weight: 1, min: 0.7, max: 1, demand: 1 }, { weight: 1, min: 0, max: 1, demand: 1 }], out);
    expect(out[0]).toBeCloseTo(0.7, 9);
    expect(out[1]).toBeCloseTo(0.3, 9);
    computeFairShares(1, [{ weight: 1, min: 0, max: 0.2, demand: 1 }, { weight: 1, min: 0, max: 1, demand: 0 }], out);
    expect([out[0], out[1]]).toEqual([0.2, 0]);
    expect(fairOrderKey(0.1, 0.2, 1, 1)).toBeLessThan(fairOrderKey(0, 0, 1, 1));
    expect(fairOrderKey(0.2, 0, 1, 2)).toBeLessThan(fairOrderKey(0.2, 0, 1, 1));
    expect(starvedAmount(0, 0, 0.5, 0.5, NaN, 9e6, Infinity, 10e6)).toBe(0);
    expect(starvedAmount(0, 0, 0.5, 0.5, NaN, 10e6, Infinity, 10e6)).toBe(0.5);
    expect(starvedAmount(0.1, 0.3, 0.5, 0.5, 5e6, NaN, 5e6, Infinity)).toBeCloseTo(0.2, 12);
  });
});

describe('capacity scheduler in the simulator', () => {
  const rm = { batch: seconds(0.1), service: seconds(0.1) };

  it('elasticity: an idle queue\'s capacity goes to a busy one up to its maximum-capacity, not beyond', async () => {
    const props = (max: number) => ({ 'root.queues': 'batch,service', 'root.batch.capacity': 50, 'root.batch.maximum-capacity': max, 'root.batch.user-limit-factor': 100, 'root.service.capacity': 50 });
    const w = () => workload(4, slots(16, 0, 0, 1), 60 * S);
    const capped = await runArchitecture(w(), queues({ ...rm, config: capacityXml('elastic-75.xml', props(75)) }));
    expect(placedOf(capped.sim, 0)).toBe(12); // 75 % of 16 slots, beyond the 50 % guarantee
    expect(capped.results.extra.queueLimitStops).toBeGreaterThan(0);
    const q = (capped.results.extra.queues as Record<string, { meanUsedShare: number; guaranteedShare: number }>)['root.batch'];
    expect(q.guaranteedShare).toBe(0.5);
    expect(q.meanUsedShare).toBeGreaterThan(0.7);
    expect(q.meanUsedShare).toBeLessThanOrEqual(0.75);
    const open = await runArchitecture(w(), queues({ ...rm, config: capacityXml('elastic-100.xml', props(100)) }));
    expect(placedOf(open.sim, 0)).toBe(16);
  });

  it('user limits hold a single user to its limit while another user of the queue still starts', async () => {
    const f = capacityXml('user-limit.xml', { 'root.queues': 'batch,service', 'root.batch.capacity': 50, 'root.batch.user-limit-factor': 1, 'root.service.capacity': 50 });
    const tasks = [...slots(16, 0, 0, 1), ...slots(4, 2 * S, 1, 2)];
    const { sim, results } = await runArchitecture(workload(4, tasks, 60 * S), queues({ ...rm, config: f }));
    expect(placedOf(sim, 0)).toBe(8); // guarantee × user-limit-factor = 8 of 16 slots
    expect(placedOf(sim, 1)).toBe(4);
    expect(results.extra.userLimitDenials).toBeGreaterThan(0);
    // Without a config: 50/50 queues elastic to 100 %, users up to the queue's reach.
    const d = await runArchitecture(workload(4, slots(16, 0, 0, 1), 60 * S), queues(rm));
    expect(placedOf(d.sim, 0)).toBe(16);
    expect(d.results.extra.userLimitDenials).toBe(0);
  });

  it('mappings send a user to its queue; a STOPPED queue rejects jobs', async () => {
    const f = capacityXml('mapped.xml', {
      'root.queues': 'batch,service,x', 'root.batch.capacity': 40, 'root.service.capacity': 40, 'root.x.capacity': 20, 'root.x.user-limit-factor': 5,
      'queue-mappings': 'u:2:x', 'root.service.state': 'STOPPED',
    });
    const tasks = [...slots(2, 0, 0, 1), ...slots(2, 0, 1, 2), ...slots(1, 0, 2, 1, 9)];
    const { sim, results } = await runArchitecture(workload(4, tasks, 60 * S), queues({ ...rm, config: f }));
    const qs = results.extra.queues as Record<string, { jobs: number }>;
    expect([qs['root.batch'].jobs, qs['root.x'].jobs, qs['root.service'].jobs]).toEqual([1, 1, 0]);
    expect(results.extra.rejectedJobs).toBe(1);
    expect([placedOf(sim, 0), placedOf(sim, 1), placedOf(sim, 2)]).toEqual([2, 2, 0]);
  });
});

describe('fair scheduler in the simulator', () => {
  const rm = { batch: seconds(0.1), service: seconds(0.1) };
  const fairXml = xml('fair-preempt.xml', `<?xml version="1.0"?>
<allocations>
  <defaultFairSharePreemptionTimeout>10</defaultFairSharePreemptionTimeout>
  <queue name="batch"><weight>1</weight></queue>
  <queue name="service"><weight>1</weight></queue>
</allocations>
`);
  // 2 nodes, 8 slots: batch fills them at t=0; a 4-task service job arrives at 5 s with no room.
  const tasks = [...slots(8, 0, 0, 1), ...slots(4, 5 * S, 1, 2, 9)];

  it('does not preempt before the fair-share timeout', async () => {
    const { sim, results } = await runArchitecture(workload(2, tasks, 15 * S), queues({ ...rm, config: fairXml }));
    expect(results.extra.preemptions).toBe(0);
    expect(placedOf(sim, 0)).toBe(8);
    expect(placedOf(sim, 1)).toBe(0);
  });

  it('preempts the youngest tasks of the queue over its fair share after the timeout', async () => {
    const { sim, results } = await runArchitecture(workload(2, tasks, 17 * S), queues({ ...rm, config: fairXml }));
    // Service's fair share is half the cell; it was below half of that for 10 s: batch gives back 4 of its 8.
    expect(results.extra.preemptions).toBe(4);
    expect(placedOf(sim, 1)).toBe(4);
    expect(placedOf(sim, 0)).toBe(4);
    // The youngest (last started: highest task numbers at equal start) were taken.
    expect(Array.from(sim.taskNode.subarray(0, 8)).map((n) => (n >= 0 ? 1 : 0))).toEqual([1, 1, 1, 1, 0, 0, 0, 0]);
    const qs = results.extra.queues as Record<string, { meanFairShare: number }>;
    expect(qs['root.service'].meanFairShare).toBeGreaterThan(0);
  });

  it('never takes a queue below its fair share; the freed room is held for the starved queue', async () => {
    const wide = [...slots(8, 0, 0, 1), ...slots(8, 5 * S, 1, 2, 9)];
    const { sim, results } = await runArchitecture(workload(2, wide, 30 * S), queues({ ...rm, config: fairXml }));
    expect(results.extra.preemptions).toBe(4);
    expect([placedOf(sim, 0), placedOf(sim, 1)]).toEqual([4, 4]);
    // The reserved room shows as locked between the kills and the service decision.
    expect(sim.lockedArea[0]).toBeGreaterThan(0);
  });

  it('min-share preemption after minSharePreemptionTimeout, not before', async () => {
    const f = xml('fair-min.xml', '<allocations>\n<queue name="batch"/>\n<queue name="service"><minResources>4096 mb, 4 vcores</minResources><minSharePreemptionTimeout>3</minSharePreemptionTimeout></queue>\n</allocations>\n');
    const two = [...slots(8, 0, 0, 1), ...slots(2, 5 * S, 1, 2, 9)];
    const early = await runArchitecture(workload(2, two, 8 * S), queues({ ...rm, config: f }));
    expect(early.results.extra.preemptions).toBe(0);
    const late = await runArchitecture(workload(2, two, 10 * S), queues({ ...rm, config: f }));
    expect(late.results.extra.preemptions).toBe(2); // min(min share 4 slots, demand 2) − 0
    expect(placedOf(late.sim, 1)).toBe(2);
  });

  it('without a preemption timeout nothing is preempted; maxResources caps a queue', async () => {
    const f = xml('fair-cap.xml', '<allocations>\n<queue name="batch"><maxResources>4096 mb, 3 vcores</maxResources></queue>\n<queue name="service"/>\n</allocations>\n');
    const { sim, results } = await runArchitecture(workload(2, tasks, 30 * S), queues({ ...rm, config: f }));
    expect(results.extra.preemptions).toBe(0);
    expect(placedOf(sim, 0)).toBe(3); // 3 vcores
    expect(placedOf(sim, 1)).toBe(4);
  });
});

describe('queues end to end', () => {
  const spec = { workload: 'synthetic', seed: 1, nodes: 50, tasks: 5000, hours: 6, instance: 'm5.2xlarge', policy: 'best-fit' } as const;
  for (const config of [undefined, path.join(FIX, 'capacity-scheduler.xml'), path.join(FIX, 'fair-scheduler.xml')]) {
    it(`synthetic run, config ${config === undefined ? 'none' : path.basename(config)}`, async () => {
      const { results } = await runArchitectureSpec(spec as never, { architecture: 'queues', tJob: 0.1, tTask: 0.005, queueConfig: config });
      expect(results.jobs.all.tasksPlaced).toBeGreaterThan(0);
      expect(results.jobs.all.fullyPlaced).toBeGreaterThan(results.jobs.all.submitted / 2);
      const b = results.schedulers[0].busyness;
      expect(b).toBeGreaterThan(0);
      expect(b).toBeLessThan(1);
      const qs = results.extra.queues as Record<string, { jobs: number; meanUsedShare: number }>;
      const leaves = Object.values(qs).filter((q) => q.jobs > 0);
      expect(leaves.length).toBeGreaterThan(0);
      expect(Object.values(qs).every((q) => q.meanUsedShare >= 0 && q.meanUsedShare <= 1 + 1e-9)).toBe(true);
    }, 60_000);
  }
});
