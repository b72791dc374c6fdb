import { describe, expect, it } from 'vitest';
import { numCandidatesToFind, enoughCandidates } from '../algorithms/preemption/candidate-sampling.js';
import type { PreemptionReaction } from '../harness/reactions/preemption-reaction.js';
import { controller, preemptionCluster, type Pod } from './helpers/preemption-cluster.js';

describe('preemption candidate sampling (DefaultPreemptionArgs: 10 %, 100)', () => {
  it('numCandidates = max(⌊nodes · 10 / 100⌋, 100), capped at the nodes', () => {
    expect(numCandidatesToFind(50)).toBe(50);
    expect(numCandidatesToFind(100)).toBe(100);
    expect(numCandidatesToFind(999)).toBe(100);
    expect(numCandidatesToFind(1009)).toBe(100);
    expect(numCandidatesToFind(1010)).toBe(101);
    expect(numCandidatesToFind(12_500)).toBe(1250);
    expect(numCandidatesToFind(200, 50, 10)).toBe(100);
  });

  it('stops once enough candidates were found and one violates no budget', () => {
    expect(enoughCandidates(1, 99, 100)).toBe(true);
    expect(enoughCandidates(0, 100, 100)).toBe(false);
    expect(enoughCandidates(99, 0, 100)).toBe(false);
  });

  /** `nodes` full nodes, each running one low-priority pod; one high-priority pod pending. */
  const fullCluster = (nodes: number, extra: Partial<Parameters<typeof preemptionCluster>[0]> = {}) =>
    preemptionCluster({
      nodes: new Array<number>(nodes).fill(1000),
      pods: [...Array.from({ length: nodes }, (_, node): Pod => ({ cpu: 1000, prio: 1, node, job: 1 })), { cpu: 1000, prio: 10 }],
      ...extra,
    });

  it('a large cluster: the search dry-runs numCandidates nodes, not all of them', () => {
    const c = fullCluster(3000);
    expect(c.preempt(3000)).toBe(true);
    const r = c.report();
    expect(r.nodesExamined).toBe(numCandidatesToFind(3000)); // 300 of 3000
    expect(r.searches).toBe(1);
  });

  it('Borg: the same sample — numCandidates candidates judged, only the chosen node dry-run', () => {
    // 3000 nodes, each with two 500-millicore tasks of priority 1: every node is a candidate
    // needing 2 victims, so nothing ends the search early.
    const n = 3000;
    const pods: Pod[] = [];
    for (let node = 0; node < n; node++) pods.push({ cpu: 500, prio: 1, node }, { cpu: 500, prio: 1, node });
    pods.push({ cpu: 1000, prio: 9 });
    const c = preemptionCluster({ mode: 'borg', priorityScale: 'google-2011', nodes: new Array<number>(n).fill(1000), pods });
    expect(c.preempt(2 * n)).toBe(true);
    const r = c.report();
    // Every candidate judged from its sums and lists; the chosen one dry-run for its victims.
    expect(r.candidatesFromSums).toBe(numCandidatesToFind(n));
    expect(r.nodesExamined).toBe(1);
    expect(r.victims).toBe(2);
  });

  it('small clusters are searched whole (at most the nodes)', () => {
    const c = fullCluster(40);
    expect(c.preempt(40)).toBe(true);
    expect(c.report().nodesExamined).toBe(40);
  });

  it('when every candidate violates a budget the search goes on (upstream needs one that does not)', () => {
    const c = fullCluster(300, {
      controllers: [undefined, controller({ desired: 300 })],
      budgets: [{ name: 'ns/all', namespace: 'ns', jobs: [1], minAvailable: { value: 300, percent: false } }],
    });
    expect(c.preempt(300)).toBe(true);
    const r = c.report();
    expect(r.nodesExamined).toBe(300);
    expect(r.pdbViolations).toBe(1);
  });

  it('nodes whose lower-priority requests cannot make room are never visited one by one', () => {
    // 2000 nodes of monitoring pods (priority 2e9) and one node with a middle pod; a production
    // preemptor (1e9) can only use that one node: one node dry-run, and the room index visits a
    // few tree slots per level of the tree, not 2000 nodes.
    const n = 2000;
    // (The last node runs a production pod too, so no new priority level appears later.)
    const pods: Pod[] = Array.from({ length: n }, (_, node): Pod => ({ cpu: 1000, prio: node === 1234 ? 5 : node === n - 1 ? 1_000_000_000 : 2_000_000_000, node }));
    pods.push({ cpu: 1000, prio: 1_000_000_000 }, { cpu: 1000, prio: 1_000_000_000 });
    const c = preemptionCluster({ nodes: new Array<number>(n).fill(1000), pods });
    const room = (c.preemption as PreemptionReaction).room;
    expect(c.preempt(n)).toBe(true);
    expect(c.report().nodesExamined).toBe(1);
    expect(room.visited).toBeLessThan(200);
    c.host.advanceTo(30e6);
    expect(c.host.tasks.node[n]).toBe(1234);
    // A second search (nothing left to preempt) after the index was built: no full rebuild, a
    // few refreshes for the nodes that changed, and again no node-by-node visit.
    const { rebuilds, visited } = room;
    expect(c.preempt(n + 1)).toBe(false);
    expect(room.rebuilds).toBe(rebuilds);
    expect(room.visited - visited).toBeLessThan(200);
    expect(c.report().noCandidate).toBe(1);
  });

  it('a preemptor with nothing of lower priority running anywhere costs no search at all', () => {
    const c = fullCluster(100);
    const room = (c.preemption as PreemptionReaction).room;
    c.host.tasks.priority[100] = 1; // equal to every running pod
    expect(c.preempt(100)).toBe(false);
    expect(room.visited).toBe(0);
    expect(c.report().nodesExamined).toBe(0);
  });

  it('an overcommit hold that shrinks (room grows with no task stopping) is seen at the next instant', () => {
    const c = preemptionCluster({
      nodes: [1000, 1000],
      pods: [
        { cpu: 600, prio: 1, node: 0 },
        { cpu: 1000, prio: 50, node: 1 },
        { cpu: 900, prio: 10 },
      ],
    });
    c.host.cluster.setHeld(0, Float64Array.of(500, 0, 0)); // free −100: even without the pod, 500
    expect(c.preempt(2)).toBe(false);
    c.host.advanceTo(10e6);
    c.host.cluster.setHeld(0, Float64Array.of(0, 0, 0)); // free 400: without the pod, 1000
    expect(c.host.unplaced(2)).toBe(true);
    c.host.advanceTo(40e6);
    expect(c.host.tasks.node[2]).toBe(0);
  });

  it('the random offset is the seed’s: same seed, same victim; other seeds spread over nodes', () => {
    const victimOf = (seed: number): number => {
      const c = fullCluster(50, { seed });
      c.preempt(50);
      for (let t = 0; t < 50; t++) if (c.host.isTerminating(t)) return t;
      return -1;
    };
    // All 50 nodes tie on every criterion: the first examined (the offset) wins.
    expect(victimOf(11)).toBe(victimOf(11));
    expect(new Set([1, 2, 3, 4, 5, 6].map(victimOf)).size).toBeGreaterThan(1);
  });
});
