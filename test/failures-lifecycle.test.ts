import { describe, expect, it } from 'vitest';
import { FakeReactionHost } from './helpers/fake-reaction-host.js';
import { tinyWorkload } from './helpers/tiny-workload.js';
import { allocTaskBatch } from '../model/task-batch.js';
import { TaskStatus } from '../model/task-status.js';
import type { PlacementConstraints } from '../model/placement-constraints.js';
import type { Workload } from '../model/workload.js';
import { ReactionCause, type ReactionsResults } from '../reports/reaction-results.js';
import { failuresSetup, type FailuresSpec } from '../harness/failures/failures-config.js';

const S = 1e6;

/**
 * The node lifecycle controller on a fake host. Node i is in zone zones[i] (region us-east-1) and
 * rack racks[i] (default `r<i>`), so an outage of one rack fails chosen nodes at a chosen instant.
 * Each node runs one pod of job 0 (forever) unless `pods` says otherwise. Expected times follow
 * from the rules (node_lifecycle_controller.go): the monitor pass every 5 s from 0, NotReady at the
 * first pass more than 50 s after the crash, taints 1/0.1 s apart, pods gone 300 s after their taint.
 */
function setup(
  zones: string[],
  spec: FailuresSpec,
  opts: { racks?: string[]; pods?: Array<{ node: number; job: number }>; constraints?: Array<PlacementConstraints | undefined>; horizon?: number; seed?: number } = {},
) {
  const w: Workload = tinyWorkload(zones.map(() => [4000, 4000] as [number, number]), [], { horizon: opts.horizon ?? 100_000 * S });
  w.machines.forEach((m, i) => {
    m.labels = { 'topology.kubernetes.io/zone': zones[i], 'topology.kubernetes.io/region': 'us-east-1' };
    const rack = opts.racks ? opts.racks[i] : `r${i}`;
    if (rack !== '') m.labels['schedlab.io/rack'] = rack;
  });
  if (opts.constraints) w.jobConstraints = opts.constraints;
  const pods = opts.pods ?? zones.map((_, node) => ({ node, job: 0 }));
  const b = allocTaskBatch(pods.length, 3);
  pods.forEach((p, i) => {
    b.duration[i] = NaN;
    b.request[i * 3] = 100;
    b.request[i * 3 + 1] = 1;
    b.job[i] = p.job;
  });
  const host = new FakeReactionHost(w, [b], opts.seed ?? 1);
  const reaction = failuresSetup(spec, w, opts.seed ?? 1)!;
  host.use(reaction);
  pods.forEach((p, task) => host.startOn(task, p.node));
  const finish = (horizon: number): ReactionsResults => {
    const out: ReactionsResults = { settings: {}, events: { length: 0, time: new Float64Array(0), node: new Int32Array(0), task: new Int32Array(0), cause: new Uint8Array(0), memory: new Float64Array(0), amount: new Float64Array(0), duration: new Float64Array(0) } };
    reaction.finish!(horizon, out);
    return out;
  };
  const events = (cause: ReactionCause) => host.log.filter((e) => e.cause === cause);
  return { host, w, finish, events };
}

const outage = (rack: string, at: string, dur: string): string => `rack=${rack},at=${at},for=${dur}`;

describe('node lifecycle controller: timings', () => {
  it('grace period: NotReady at the first 5 s pass more than 50 s after the crash; the pod leaves 300 s after the taint', () => {
    const { host, events } = setup(['a', 'a', 'a'], { zoneOutages: [outage('r0', '12.3s', '2h')] });
    host.advanceTo(12.3 * S);
    expect(host.isNodeDown(0)).toBe(true);
    expect(events(ReactionCause.NodeFailed).map((e) => [e.time, e.node])).toEqual([[12.3 * S, 0]]);
    host.advanceTo(64.9 * S);
    expect(host.isNodeReady(0)).toBe(true); // scheduling onto it goes on until NotReady
    host.advanceTo(65 * S);
    expect(host.isNodeReady(0)).toBe(false);
    expect(events(ReactionCause.NodeNotReady).map((e) => [e.time, e.node, e.duration])).toEqual([[65 * S, 0, 65 - 12.3]]);
    host.advanceTo(364.9 * S);
    expect(host.tasks.status[0]).toBe(TaskStatus.Running);
    host.advanceTo(365 * S);
    expect(host.tasks.status[0]).toBe(TaskStatus.Evicted);
    const ev = events(ReactionCause.TaintEviction);
    expect(ev.map((e) => [e.time, e.node, e.task])).toEqual([[365 * S, 0, 0]]);
    expect(ev[0].duration).toBeCloseTo(365 - 12.3, 9); // seconds on a dead node before leaving
    expect(host.tasks.status[1]).toBe(TaskStatus.Running);
  });

  it('a custom grace and toleration, and a crash exactly on a pass: strictly more than the grace', () => {
    const { host, events } = setup(['a', 'a', 'a'], { zoneOutages: [outage('r1', '100s', '2h')], nodeLifecycle: 'grace=40s,toleration=60s' });
    host.advanceTo(1000 * S);
    // 100 + 40 = 140 is a pass time, but not after the deadline: the next pass (145 s) marks it.
    expect(events(ReactionCause.NodeNotReady).map((e) => e.time)).toEqual([145 * S]);
    expect(events(ReactionCause.TaintEviction).map((e) => [e.time, e.task])).toEqual([[205 * S, 1]]);
  });

  it('tolerationSeconds per pod: defaulted 300 s, its own 60 s, tolerating every taint (forever), or not tolerating it (at once); a pod that starts after the taint counts from its start', () => {
    const constraints: Array<PlacementConstraints | undefined> = [
      undefined,
      { tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }] },
      { tolerations: [{ operator: 'Exists' }] },
      // Names the key, so admission adds no default, but with a value the taint lacks: not tolerated.
      { tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Equal', value: 'x', effect: 'NoExecute' }] },
    ];
    const pods = [0, 1, 2, 3, 1].map((job) => ({ node: 0, job }));
    const { host, events } = setup(['a', 'a', 'a'], { zoneOutages: [outage('r0', '12.3s', '2h')] }, { constraints, pods: pods.slice(0, 4) });
    // Re-register the fifth pod later: start it on the tainted node at 100 s.
    host.advanceTo(100 * S);
    const extra = allocTaskBatch(1, 3);
    extra.duration[0] = NaN;
    extra.request[0] = 100;
    extra.request[1] = 1;
    extra.job[0] = 1;
    host.tasks.append(extra);
    host.startOn(4, 0);
    host.advanceTo(2000 * S);
    expect(events(ReactionCause.TaintEviction).map((e) => [e.time / S, e.task])).toEqual([
      [65, 3],
      [125, 1],
      [160, 4],
      [365, 0],
    ]);
    expect(host.tasks.status[2]).toBe(TaskStatus.Running);
  });

  it('rate limiter: three nodes of a 10-node zone down at once are tainted 10 s apart, in order', () => {
    const racks = ['big', 'big', 'big', 'x', 'x', 'x', 'x', 'x', 'x', 'x'];
    const { host, events, finish } = setup(Array(10).fill('a'), { zoneOutages: ['rack=big,at=12.3s,for=2h'] }, { racks });
    host.advanceTo(2000 * S);
    expect(events(ReactionCause.NodeNotReady).map((e) => e.time / S)).toEqual([65, 65, 65]);
    expect(events(ReactionCause.TaintEviction).map((e) => [e.time / S, e.node])).toEqual([
      [365, 0],
      [375, 1],
      [385, 2],
    ]);
    // 3 of 10 NotReady stays Normal (below 0.55).
    expect(finish(2000 * S).failures!.zoneSeconds.a).toEqual({ normal: 2000, partial: 0, full: 0 });
  });

  it('partial disruption of a large zone: the secondary rate 0.01 nodes/s (float32, on the 100 ms tainting grid)', () => {
    const racks = [...Array(34).fill('big'), ...Array(26).fill('x')];
    const { host, events, finish } = setup(Array(60).fill('a'), { zoneOutages: ['rack=big,at=12.3s,for=3h'] }, { racks });
    host.advanceTo(700 * S);
    // 34 of 60 NotReady (≥ 0.55, more than 2) in a zone of 60 > 50 nodes: PartialDisruption, 0.01/s.
    // The first taint takes the full bucket at 65 s; the next token comes 1/fround(0.01) s later,
    // tainted at the next 100 ms pass.
    const gap = 1 / Math.fround(0.01);
    const t2 = Math.ceil(((65 + gap) * S) / 1e5) * 1e5;
    const t3 = Math.ceil((t2 + gap * S) / 1e5) * 1e5;
    const t4 = Math.ceil((t3 + gap * S) / 1e5) * 1e5;
    expect(t2).toBe(165.1 * S);
    expect(events(ReactionCause.TaintEviction).map((e) => e.time)).toEqual([365 * S, t2 + 300 * S, t3 + 300 * S, t4 + 300 * S]);
    expect(finish(700 * S).failures!.zoneSeconds.a).toEqual({ normal: 65, partial: 635, full: 0 });
  });

  it('partial disruption of a small zone (≤ 50 nodes) stops evictions', () => {
    const { host, events } = setup(['a', 'a', 'a', 'a', 'a'], { zoneOutages: ['rack=big,at=12.3s,for=3h'] }, { racks: ['big', 'big', 'big', 'x', 'x'] });
    host.advanceTo(5000 * S);
    expect(events(ReactionCause.NodeNotReady)).toHaveLength(3);
    expect(events(ReactionCause.TaintEviction)).toHaveLength(0);
    expect([0, 1, 2].map((t) => host.tasks.status[t])).toEqual([TaskStatus.Running, TaskStatus.Running, TaskStatus.Running]);
  });

  it('the large-cluster test counts the zone’s nodes, not the cluster’s (ReducedQPSFunc gets the zone size)', () => {
    // Zone a: 10 nodes, 6 down (Partial); zone b: 50 healthy nodes. The cluster has 60 > 50 nodes,
    // but the zone only 10: evictions in zone a stop.
    const zones = [...Array(10).fill('a'), ...Array(50).fill('b')];
    const racks = [...Array(6).fill('big'), ...Array(54).fill('x')];
    const { host, events } = setup(zones, { zoneOutages: ['rack=big,at=12.3s,for=3h'] }, { racks });
    host.advanceTo(5000 * S);
    expect(events(ReactionCause.NodeNotReady)).toHaveLength(6);
    expect(events(ReactionCause.TaintEviction)).toHaveLength(0);
  });

  it('the same 3-of-5 outage with large-cluster=4 uses the secondary rate instead', () => {
    const { host, events } = setup(['a', 'a', 'a', 'a', 'a'], { zoneOutages: ['rack=big,at=12.3s,for=3h'], nodeLifecycle: 'large-cluster=4' }, { racks: ['big', 'big', 'big', 'x', 'x'] });
    host.advanceTo(500 * S);
    expect(events(ReactionCause.TaintEviction).map((e) => e.time)).toEqual([365 * S, 465.1 * S]);
  });

  it('every zone fully disrupted: no eviction at all; when a zone comes back, tainting resumes behind a drained bucket', () => {
    const { host, events, finish } = setup(['a', 'a', 'b', 'b'], { zoneOutages: ['zone=a,at=12.3s,for=1000s', 'zone=b,at=12.3s,for=3h'] });
    host.advanceTo(1012 * S);
    expect(events(ReactionCause.NodeNotReady)).toHaveLength(4);
    expect(events(ReactionCause.TaintEviction)).toHaveLength(0);
    host.advanceTo(2000 * S);
    // Zone a back at 1012.3 s; the pass at 1015 s leaves the mode. The never-accepting limiter had
    // no token, so the new one starts drained: zone b's first taint at 1025 s, the next at 1035 s.
    expect(events(ReactionCause.TaintEviction).map((e) => [e.time / S, e.node])).toEqual([
      [1325, 2],
      [1335, 3],
    ]);
    expect([0, 1].map((t) => [host.tasks.status[t], host.tasks.start[t]])).toEqual([
      [TaskStatus.Running, 1012.3 * S],
      [TaskStatus.Running, 1012.3 * S],
    ]);
    const z = finish(2000 * S).failures!.zoneSeconds;
    expect(z.a).toEqual({ normal: 65 + 985, partial: 0, full: 1015 - 65 });
    expect(z.b).toEqual({ normal: 65, partial: 0, full: 2000 - 65 });
  });

  it('recovery before the eviction: pods restart in place, the taint goes at the next pass, nothing is evicted; a short blip is never NotReady', () => {
    const { host, events } = setup(['a', 'a', 'a'], { zoneOutages: [outage('r0', '12.3s', '187.7s'), outage('r1', '20s', '10s')] });
    host.advanceTo(199 * S);
    expect(host.isNodeReady(0)).toBe(false);
    host.advanceTo(200 * S);
    expect(host.isNodeReady(0)).toBe(true);
    host.advanceTo(3000 * S);
    expect(events(ReactionCause.NodeNotReady).map((e) => e.node)).toEqual([0]);
    expect(events(ReactionCause.TaintEviction)).toHaveLength(0);
    expect(host.tasks.status[0]).toBe(TaskStatus.Running);
    expect(host.tasks.start[0]).toBe(200 * S);
    expect(host.tasks.start[1]).toBe(30 * S);
    expect(events(ReactionCause.NodeRecovered).map((e) => [e.time / S, e.node, e.duration])).toEqual([
      [30, 1, 10],
      [200, 0, 187.7],
    ]);
  });
});

describe('sharing the schedulable flag', () => {
  it('a node another reaction made unschedulable (an autoscaler drain) stays so when it comes back', () => {
    const { host } = setup(['a', 'a', 'a'], { zoneOutages: [outage('r0', '12.3s', '187.7s'), outage('r1', '12.3s', '187.7s')] });
    host.setNodeReady(0, false);
    host.advanceTo(1000 * S);
    expect(host.isNodeReady(0)).toBe(false);
    expect(host.isNodeReady(1)).toBe(true);
  });
});

describe('zone outages and the failure report', () => {
  it('zone b down at 2 h for 30 m: its nodes fail and return on time; zone seconds, node-hours down and lost work', () => {
    const { host, events, finish } = setup(['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1a', 'us-east-1b', 'us-east-1c'], { zoneOutages: ['zone=us-east-1b,at=2h,for=30m'] });
    host.advanceTo(10_000 * S);
    expect(events(ReactionCause.NodeFailed).map((e) => [e.time / S, e.node, e.amount])).toEqual([
      [7200, 1, 7200],
      [7200, 4, 7200],
    ]);
    expect(events(ReactionCause.NodeRecovered).map((e) => [e.time / S, e.node])).toEqual([
      [9000, 1],
      [9000, 4],
    ]);
    // Whole zone down: FullDisruption keeps the normal rate; taints at 7255 and 7265 s.
    expect(events(ReactionCause.TaintEviction).map((e) => [e.time / S, e.task])).toEqual([
      [7555, 1],
      [7565, 4],
    ]);
    const f = finish(10_000 * S).failures!;
    expect(f).toMatchObject({ nodeFailures: 2, nodeRecoveries: 2, zoneOutages: 1, taintEvictions: 2, lostWorkSeconds: 2 * 7200 });
    expect(f.downNodeHours).toBeCloseTo(1, 12);
    expect(f.zoneSeconds['us-east-1b']).toEqual({ normal: 10_000 - (9005 - 7255), partial: 0, full: 9005 - 7255 });
    expect(f.zoneSeconds['us-east-1a']).toEqual({ normal: 10_000, partial: 0, full: 0 });
  });

  it('an outage that starts after the window is said so, not dropped silently', () => {
    const { host, finish } = setup(['a', 'b'], { zoneOutages: ['zone=a,at=100s,for=10s', 'zone=b,at=5h,for=10s'] }, { horizon: 3600 * S });
    host.advanceTo(3600 * S);
    const out = finish(3600 * S);
    expect(out.failures!.zoneOutages).toBe(1);
    expect(out.settings['zone outages not reached']).toBe('1 of 2 outages start after the window ends: they did not happen');
  });

  it('an outage of a zone and a node failure overlapping: the node returns when the last cause ends', () => {
    const { host } = setup(['a', 'b'], { zoneOutages: ['zone=a,at=100s,for=100s', 'rack=r0,at=150s,for=100s'] });
    host.advanceTo(199 * S);
    expect(host.isNodeDown(0)).toBe(true);
    host.advanceTo(200 * S);
    expect(host.isNodeDown(0)).toBe(true);
    host.advanceTo(250 * S);
    expect(host.isNodeDown(0)).toBe(false);
  });
});

describe('the failure model', () => {
  const counts = (host: FakeReactionHost) => host.log.filter((e) => e.cause === ReactionCause.NodeFailed).map((e) => [e.time, e.node]);

  it('per node, lazily: one pending failure per node, not the horizon up front', () => {
    const zones = Array(50).fill('a');
    const { host } = setup(zones, { failures: 'mtbf=1h,mttr=10m' }, { horizon: 1000 * 3600 * S });
    const pending = (host as unknown as { timers: unknown[] }).timers.length;
    expect(pending).toBeLessThanOrEqual(50);
  });

  it('long-run down fraction mttr/(mtbf+mttr) and failure count (statistical: 200 nodes × 400 h, tolerances ≥ 4 SE)', () => {
    const hours = 400;
    const { host, finish } = setup(Array(200).fill('a'), { failures: 'mtbf=10h,mttr=1h' }, { horizon: hours * 3600 * S, pods: [] });
    host.advanceTo(hours * 3600 * S);
    const f = finish(hours * 3600 * S).failures!;
    const downFraction = f.downNodeHours / (200 * hours);
    expect(Math.abs(downFraction / (1 / 11) - 1)).toBeLessThan(0.08);
    // About 200 · 400/11 ≈ 7,273 failures (the first up period starts fresh at 0).
    expect(Math.abs(f.nodeFailures / ((200 * hours) / 11) - 1)).toBeLessThan(0.05);
  });

  it('Weibull up periods keep the mean (same long-run failure count within tolerance)', () => {
    const hours = 400;
    const { host, finish } = setup(Array(200).fill('a'), { failures: 'mtbf=10h,mttr=1h,dist=weibull,shape=1.5' }, { horizon: hours * 3600 * S, pods: [] });
    host.advanceTo(hours * 3600 * S);
    expect(Math.abs(finish(hours * 3600 * S).failures!.nodeFailures / ((200 * hours) / 11) - 1)).toBeLessThan(0.05);
  });

  it('seeded: the same seed fails the same nodes at the same times; another seed differs', () => {
    const run = (seed: number) => {
      const { host } = setup(Array(20).fill('a'), { failures: 'mtbf=10h,mttr=1h' }, { seed, pods: [] });
      host.advanceTo(100 * 3600 * S);
      return counts(host);
    };
    expect(run(5)).toEqual(run(5));
    expect(run(5)).not.toEqual(run(6));
  });

  it('scope=rack: the nodes of a rack fail together, racks independently', () => {
    const { host } = setup(['a', 'a', 'a', 'a'], { failures: 'mtbf=10h,mttr=1h,scope=rack', topology: 'racks-per-zone=2' }, { racks: ['', '', '', ''], pods: [], horizon: 300 * 3600 * S });
    host.advanceTo(200 * 3600 * S);
    const times = (node: number) => counts(host).filter((e) => e[1] === node).map((e) => e[0]);
    expect(times(0).length).toBeGreaterThan(5);
    expect(times(0)).toEqual(times(2));
    expect(times(1)).toEqual(times(3));
    expect(times(0)).not.toEqual(times(1));
  });

  it('settings state the model, the domains and the controller counts', () => {
    const { host, finish } = setup(['a', 'b'], { failures: 'mtbf=720h,mttr=2h,dist=weibull,shape=0.7' });
    host.advanceTo(10 * S);
    const s = finish(10 * S).settings;
    expect(s['failure model']).toMatch(/^scope node; up weibull\(shape 0.7, scale 5\d\d\.\dh, mean 720h\); down exponential\(mean 2h\)/);
    expect(s['node lifecycle']).toBe('grace=50s,monitor-period=5s,toleration=300s,rate=0.1,secondary-rate=0.01,large-cluster=50,unhealthy-threshold=0.55');
    expect(s['failure domains']).toContain('2 zones (a, b) from node labels');
  });
});
