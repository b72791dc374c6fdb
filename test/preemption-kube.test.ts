import { describe, expect, it } from 'vitest';
import { TaskStatus } from '../model/task-status.js';
import { Rng } from '../model/rng.js';
import type { Workload } from '../model/workload.js';
import { kubeFramework } from '../algorithms/kubernetes/policies.js';
import { createPreemption } from '../harness/reactions/preemption-reaction.js';
import { DisruptionBudgets } from '../harness/reactions/disruption-budgets.js';
import { ReactionCause } from '../reports/reaction-results.js';
import { UsageError } from '../model/errors.js';
import { controller, NO_POLICY, preemptionCluster, terminating, type Pod, type PreemptionSetup } from './helpers/preemption-cluster.js';

const setup = (s: PreemptionSetup) => {
  const c = preemptionCluster(s);
  return { ...c, finish: () => ({ preemption: c.report() }) };
};

/**
 * Runs a case under several seeds: the search starts at a seeded random node, so a criterion
 * that did not decide would let the first node found win for some of them.
 */
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];

describe('kube preemption: which node (pickOneNodeForPreemption, one criterion at a time)', () => {
  // In each case every later criterion, and the first-found rule, would pick the other node.
  it.each(SEEDS)('fewest PDB violations first (seed %i)', (seed) => {
    // Node 0's victim is protected by a budget with no disruption left; node 1's victim has a
    // higher priority (criterion 2 alone would pick node 0).
    const { host, preempt, finish } = setup({
      seed,
      nodes: [1000, 1000],
      pods: [
        { cpu: 1000, prio: 1, node: 0, job: 1 },
        { cpu: 1000, prio: 5, node: 1, job: 2 },
        { cpu: 1000, prio: 10 },
      ],
      controllers: [undefined, controller({ desired: 1 }), controller({ name: 'ns/b' })],
      budgets: [{ name: 'ns/pdb', namespace: 'ns', jobs: [1], minAvailable: { value: 1, percent: false } }],
    });
    expect(preempt(2)).toBe(true);
    expect(terminating(host)).toEqual([1]);
    expect(finish().preemption!.pdbViolations).toBe(0);
  });

  it.each(SEEDS)('lowest highest-victim priority (seed %i)', (seed) => {
    // Node 0: one victim of priority 5. Node 1: two of priority 3 — a larger sum and more
    // victims, but the lower highest priority decides first.
    const { host, preempt } = setup({
      seed,
      nodes: [1000, 1000],
      pods: [
        { cpu: 1000, prio: 5, node: 0 },
        { cpu: 500, prio: 3, node: 1 },
        { cpu: 500, prio: 3, node: 1 },
        { cpu: 1000, prio: 10 },
      ],
    });
    expect(preempt(3)).toBe(true);
    expect(terminating(host)).toEqual([1, 2]);
  });

  it.each(SEEDS)('smallest sum of priorities (seed %i)', (seed) => {
    // Same highest priority (4) and count on both; node 0 has victims 4 + 4, node 1 has 4 + 1:
    // node 1, although node 0's victims started later (the start criterion's pick).
    const { host, preempt } = setup({
      seed,
      nodes: [1000, 1000],
      pods: [
        { cpu: 500, prio: 4, node: 0, at: 60e6 },
        { cpu: 500, prio: 4, node: 0, at: 60e6 },
        { cpu: 500, prio: 4, node: 1, at: 0 },
        { cpu: 500, prio: 1, node: 1, at: 0 },
        { cpu: 1000, prio: 10 },
      ],
    });
    expect(preempt(4)).toBe(true);
    expect(terminating(host)).toEqual([2, 3]);
  });

  it.each(SEEDS)('fewest victims (seed %i)', (seed) => {
    // Equal highest priority (0) and equal shifted sums — node 0: 0, -2^30, -2^30 → 2^31 + 2·2^30;
    // node 1: 0, 0 → 2·2^31 — so only the count decides: node 1. Node 0's victims started later,
    // so the next criterion (latest start) would have picked node 0.
    const { host, preempt } = setup({
      seed,
      nodes: [1000, 1000],
      pods: [
        { cpu: 400, prio: 0, node: 0, at: 60e6 },
        { cpu: 300, prio: -(2 ** 30), node: 0, at: 60e6 },
        { cpu: 300, prio: -(2 ** 30), node: 0, at: 60e6 },
        { cpu: 500, prio: 0, node: 1, at: 0 },
        { cpu: 500, prio: 0, node: 1, at: 0 },
        { cpu: 1000, prio: 10 },
      ],
    });
    expect(preempt(5)).toBe(true);
    expect(terminating(host)).toEqual([3, 4]);
  });

  it.each(SEEDS)('latest start of the highest-priority victims (seed %i)', (seed) => {
    // Node 0: victims of priority 3 (started at 0) and 1 (started at 90 s); node 1: priority 3
    // (started at 60 s) and 1 (at 0). Everything else ties; the earliest start among the
    // highest-priority victims is 0 on node 0 and 60 s on node 1: node 1 (less work lost).
    const { host, preempt } = setup({
      seed,
      nodes: [1000, 1000],
      pods: [
        { cpu: 500, prio: 3, node: 0, at: 0 },
        { cpu: 500, prio: 1, node: 0, at: 90e6 },
        { cpu: 500, prio: 3, node: 1, at: 60e6 },
        { cpu: 500, prio: 1, node: 1, at: 0 },
        { cpu: 1000, prio: 10 },
      ],
    });
    host.advanceTo(120e6);
    expect(preempt(4)).toBe(true);
    expect(terminating(host)).toEqual([2, 3]);
  });

  it('a full tie keeps the first node found (from the seeded offset): same seed, same node', () => {
    const pick = (seed: number): number[] => {
      const { host, preempt } = setup({
        seed,
        nodes: [1000, 1000, 1000, 1000],
        pods: [...[0, 1, 2, 3].map((node): Pod => ({ cpu: 1000, prio: 1, node })), { cpu: 1000, prio: 10 }],
      });
      preempt(4);
      return terminating(host);
    };
    expect(pick(7)).toEqual(pick(7));
    const seen = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((s) => pick(s)[0]));
    expect(seen.size).toBeGreaterThan(1); // the offset is random, not always node 0
  });
});

describe('kube preemption: eligibility and victims', () => {
  it('never preempts equal or higher priority', () => {
    const { host, preempt, finish } = setup({
      nodes: [1000],
      pods: [
        { cpu: 1000, prio: 10, node: 0 },
        { cpu: 500, prio: 10 },
      ],
    });
    expect(preempt(1)).toBe(false);
    expect(terminating(host)).toEqual([]);
    expect(finish().preemption!.noCandidate).toBe(1);
  });

  it('preemptionPolicy Never: no preemption, counted once per pod', () => {
    const { host, preempt, finish } = setup({
      nodes: [1000],
      pods: [
        { cpu: 1000, prio: 1, node: 0 },
        { cpu: 1000, prio: 10, job: 1 },
      ],
      controllers: [undefined, controller({ preemptionPolicy: 'Never' })],
    });
    expect(preempt(1)).toBe(false);
    expect(preempt(1)).toBe(false);
    expect(terminating(host)).toEqual([]);
    const r = finish().preemption!;
    expect(r.neverPolicySkipped).toBe(1);
    expect(r.searches).toBe(0);
  });

  it('reprieves the most important victims that are not needed (SelectVictimsOnNode)', () => {
    // Needs 600 of 1000; pods 300 (prio 5), 300 (prio 4), 400 (prio 1). Removing all frees 1000;
    // reprieve prio 5 (room 700 ≥ 600), then prio 4 would leave 400 < 600: a victim, then prio 1
    // would leave 100: a victim. Victims: prio 4 and 1.
    const { host, preempt, finish } = setup({
      nodes: [1000],
      pods: [
        { cpu: 300, prio: 5, node: 0 },
        { cpu: 300, prio: 4, node: 0 },
        { cpu: 400, prio: 1, node: 0 },
        { cpu: 600, prio: 10 },
      ],
    });
    expect(preempt(3)).toBe(true);
    expect(terminating(host)).toEqual([1, 2]);
    expect(finish().preemption!.victims).toBe(2);
  });

  it('at equal priority the pod that started first is more important: it is reprieved, the newer one goes', () => {
    const { host, preempt } = setup({
      nodes: [1000],
      pods: [
        { cpu: 500, prio: 2, node: 0, at: 60e6 },
        { cpu: 500, prio: 2, node: 0, at: 0 },
        { cpu: 500, prio: 10 },
      ],
    });
    expect(preempt(2)).toBe(true);
    expect(terminating(host)).toEqual([0]);
  });

  it('reprieves PDB-violating victims first, and counts the violation it cannot avoid', () => {
    // One node: pods A (prio 2, budget allows 0) and B (prio 1, no budget), each 500; the
    // preemptor needs 500. Importance order would reprieve A first anyway; make B more
    // important (prio 3) so that only the violating-first rule keeps A.
    const { host, preempt, finish } = setup({
      nodes: [1000],
      pods: [
        { cpu: 500, prio: 2, node: 0, job: 1 },
        { cpu: 500, prio: 3, node: 0, job: 2 },
        { cpu: 500, prio: 10 },
      ],
      controllers: [undefined, controller({ desired: 1 }), controller({ name: 'ns/b' })],
      budgets: [{ name: 'ns/pdb', namespace: 'ns', jobs: [1], maxUnavailable: { value: 0, percent: false } }],
    });
    expect(preempt(2)).toBe(true);
    expect(terminating(host)).toEqual([1]);
    expect(finish().preemption!.pdbViolations).toBe(0);

    // When only the protected pod can make room, it is taken as a last resort and counted.
    const two = setup({
      nodes: [1000],
      pods: [
        { cpu: 1000, prio: 2, node: 0, job: 1 },
        { cpu: 500, prio: 10 },
      ],
      controllers: [undefined, controller({ desired: 1 })],
      budgets: [{ name: 'ns/pdb', namespace: 'ns', jobs: [1], minAvailable: { value: 1, percent: false } }],
    });
    expect(two.preempt(1)).toBe(true);
    expect(terminating(two.host)).toEqual([0]);
    expect(two.finish().preemption!.pdbViolations).toBe(1);
  });

  it('a budget with disruptions left is not violated, and the victim makes it unhealthy at once', () => {
    // Two replicas, minAvailable 1: one disruption allowed; two preemptors on two nodes.
    const { host, preempt, budgets, finish } = setup({
      nodes: [1000, 1000],
      pods: [
        { cpu: 1000, prio: 1, node: 0, job: 1 },
        { cpu: 1000, prio: 1, node: 1, job: 1 },
        { cpu: 1000, prio: 10 },
        { cpu: 1000, prio: 10 },
      ],
      controllers: [undefined, controller({ desired: 2 })],
      budgets: [{ name: 'ns/pdb', namespace: 'ns', jobs: [1], minAvailable: { value: 1, percent: false } }],
    });
    expect(budgets.allowed(0)).toBe(1);
    expect(preempt(2)).toBe(true);
    expect(budgets.allowed(0)).toBe(0); // the terminating victim no longer counts as healthy
    expect(finish().preemption!.pdbViolations).toBe(0);
    expect(preempt(3)).toBe(true);
    expect(finish().preemption!.pdbViolations).toBe(1);
    expect(terminating(host).length).toBe(2);
  });
});

describe('kube preemption: graceful termination, then binding', () => {
  it('victims keep their room for the grace period; the preemptor starts on the node when they are gone', () => {
    const { host, preempt, finish } = setup({
      nodes: [1000, 1000],
      pods: [
        { cpu: 1000, prio: 1, node: 0, job: 1 },
        { cpu: 1000, prio: 5, node: 1 },
        { cpu: 800, prio: 10 },
      ],
      controllers: [undefined, controller({ terminationGracePeriod: 45e6 })],
    });
    host.advanceTo(100e6);
    expect(preempt(2)).toBe(true);
    expect(host.pendingSet.has(2)).toBe(false); // nominated: out of the queue
    host.advanceTo(100e6 + 44e6);
    expect(host.tasks.status[0]).toBe(TaskStatus.Running);
    expect(host.tasks.status[2]).toBe(TaskStatus.Pending);
    expect(host.unplaced(2)).toBe(false); // its victim is still terminating: no second preemption
    host.advanceTo(100e6 + 45e6);
    expect(host.tasks.status[0]).toBe(TaskStatus.Evicted);
    expect(host.tasks.status[2]).toBe(TaskStatus.Running);
    expect(host.tasks.node[2]).toBe(0);
    expect(host.tasks.start[2]).toBe(145e6);
    const ev = host.log.filter((e) => e.cause === ReactionCause.Preempted);
    expect(ev).toEqual([{ time: 145e6, cause: ReactionCause.Preempted, node: 0, task: 0, amount: 145, duration: 45 }]);
    const r = finish().preemption!;
    expect(r.preemptions).toBe(1);
    expect(r.lostWorkSecondsByBand.reduce((a, b) => a + b, 0)).toBe(145);
  });

  it('default grace is 30 s; the preemptor may in turn be preempted by a higher one', () => {
    const { host, preempt } = setup({
      nodes: [1000],
      pods: [
        { cpu: 1000, prio: 1, node: 0 },
        { cpu: 1000, prio: 10 },
        { cpu: 1000, prio: 20 },
      ],
    });
    expect(preempt(1)).toBe(true);
    host.advanceTo(30e6 - 1);
    expect(host.tasks.status[0]).toBe(TaskStatus.Running);
    host.advanceTo(30e6);
    expect(host.tasks.status[1]).toBe(TaskStatus.Running);
    expect(preempt(2)).toBe(true);
    host.advanceTo(60e6);
    expect(host.tasks.status[2]).toBe(TaskStatus.Running);
    expect(host.tasks.status[1]).toBe(TaskStatus.Evicted);
  });

  it('a preemptor that no longer fits when its victims are gone goes back to the queue', () => {
    // Node 1500: victim 1000 (free 500); the preemptor needs 1200. During the grace period a
    // 400 pod takes part of the free room, so 1100 is left when the victim goes.
    const { host, preempt } = setup({
      nodes: [1500],
      pods: [
        { cpu: 1000, prio: 1, node: 0 },
        { cpu: 1200, prio: 10 },
        { cpu: 400, prio: 50 },
      ],
    });
    expect(preempt(1)).toBe(true);
    expect(host.pendingSet.has(1)).toBe(false);
    host.advanceTo(10e6);
    host.startOn(2, 0);
    host.advanceTo(30e6);
    expect(host.tasks.status[0]).toBe(TaskStatus.Evicted);
    expect(host.tasks.status[1]).toBe(TaskStatus.Pending);
    expect(host.pendingSet.has(1)).toBe(true);
    expect(host.enqueued.at(-1)).toEqual({ task: 1, time: 30e6 });
  });

  it('terminationGracePeriodSeconds 0: victims stop in the same instant and the preemptor starts then', () => {
    const { host, preempt } = setup({
      nodes: [1000],
      pods: [
        { cpu: 1000, prio: 1, node: 0, job: 1 },
        { cpu: 1000, prio: 10 },
      ],
      controllers: [undefined, controller({ terminationGracePeriod: 0 })],
    });
    host.advanceTo(5e6);
    expect(preempt(1)).toBe(true);
    // The simulator stops a victim with no grace inside terminate(); the fake host at a timer of
    // this instant: either way nothing waits for a later time.
    host.advanceTo(5e6);
    expect(host.tasks.status[0]).toBe(TaskStatus.Evicted);
    expect(host.tasks.status[1]).toBe(TaskStatus.Running);
    expect(host.tasks.start[1]).toBe(5e6);
  });

  it('counts victims per band and QoS class', () => {
    const { preempt, finish } = setup({
      nodes: [1000],
      pods: [
        { cpu: 500, prio: -5, node: 0 },
        { cpu: 500, prio: 100, node: 0 },
        { cpu: 1000, prio: 1_000_000_000 },
      ],
    });
    expect(preempt(2)).toBe(true);
    const r = finish().preemption!;
    expect(r.victims).toBe(2);
    expect(r.victimsByBand).toEqual([1, 0, 1, 0, 0]); // free (negative), mid
    expect(r.preemptorsByBand).toEqual([0, 0, 0, 1, 0]);
    expect(r.victimsByQos).toEqual([0, 2, 0]); // a cpu request, no limits: Burstable
  });
});

describe('kube preemption: the policy’s other filters (admitsIgnoringResources)', () => {
  it('kube-framework: a node the pod’s nodeSelector excludes is no candidate', () => {
    const policy = kubeFramework.create({ rng: new Rng(3) });
    const { host, preempt } = setup({
      nodes: [1000, 1000],
      labels: [
        { 'kubernetes.io/hostname': 'n0', disk: 'hdd' },
        { 'kubernetes.io/hostname': 'n1', disk: 'ssd' },
      ],
      pods: [
        { cpu: 1000, prio: 1, node: 0 },
        { cpu: 1000, prio: 5, node: 1 },
        { cpu: 1000, prio: 10, job: 1 },
      ],
      constraints: [undefined, { nodeSelector: { disk: 'ssd' } }],
      policy,
    });
    expect(preempt(2)).toBe(true);
    expect(terminating(host)).toEqual([1]); // the priority-5 pod on the ssd node, not the cheaper one
    host.advanceTo(30e6);
    expect(host.tasks.node[2]).toBe(1);
  });

  it('kube-framework: an untolerated NoSchedule taint rules a node out', () => {
    const policy = kubeFramework.create({ rng: new Rng(3) });
    const s = setup({
      nodes: [1000],
      taints: [[{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]],
      pods: [
        { cpu: 1000, prio: 1, node: 0 },
        { cpu: 1000, prio: 10 },
      ],
      policy,
    });
    expect(s.preempt(1)).toBe(false);
    // Tolerated, the same node is a candidate.
    const t = setup({
      nodes: [1000],
      taints: [[{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]],
      pods: [
        { cpu: 1000, prio: 1, node: 0 },
        { cpu: 1000, prio: 10, job: 1 },
      ],
      constraints: [undefined, { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] }],
      policy: kubeFramework.create({ rng: new Rng(3) }),
    });
    expect(t.preempt(1)).toBe(true);
  });
});

describe('kube preemption: bad input', () => {
  it('an unknown mode is a usage error naming --preemption', () => {
    const w = { controllers: [] } as unknown as Workload;
    expect(() => createPreemption('lottery' as never, w, new DisruptionBudgets({ notes: [] } as unknown as Workload), NO_POLICY)).toThrow(UsageError);
    expect(() => createPreemption('lottery' as never, w, new DisruptionBudgets({ notes: [] } as unknown as Workload), NO_POLICY)).toThrow(/--preemption: expected kube, borg or none, got 'lottery'/);
  });
});
