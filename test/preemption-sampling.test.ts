import { describe, expect, it } from 'vitest';
import { numCandidatesToFind, enoughCandidates } from '../algorithms/preemption/candidate-sampling.js';
import { StopCause } from '../harness/reactions/reaction-host.js';
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

  it('nodes whose lower-band requests cannot make room are pruned without walking their pods', () => {
    // 2000 nodes of monitoring-band pods (priority 2e9) and one node with a middle pod; a
    // production preemptor (1e9) can only use that one node.
    const n = 2000;
    const pods: Pod[] = Array.from({ length: n }, (_, node): Pod => ({ cpu: 1000, prio: node === 1234 ? 5 : 2_000_000_000, node }));
    pods.push({ cpu: 1000, prio: 1_000_000_000 });
    const c = preemptionCluster({ nodes: new Array<number>(n).fill(1000), pods });
    expect(c.preempt(n)).toBe(true);
    const r = c.report();
    expect(r.nodesExamined).toBe(1);
    expect(r.nodesPruned).toBe(n - 1);
    c.host.advanceTo(30e6);
    expect(c.host.tasks.node[n]).toBe(1234);
  });

  it('a search that found every node pruned is remembered for the instant, until room can grow', () => {
    const n = 500;
    const pods: Pod[] = Array.from({ length: n }, (_, node): Pod => ({ cpu: 1000, prio: 2_000_000_000, node }));
    pods.push({ cpu: 600, prio: 1_000_000_000 }, { cpu: 700, prio: 5 }, { cpu: 500, prio: 5 });
    const c = preemptionCluster({ nodes: new Array<number>(n).fill(1000), pods });
    expect(c.preempt(n)).toBe(false);
    expect(c.report().nodesPruned).toBe(n);
    // Lower band, larger request: known to fail, no scan.
    expect(c.preempt(n + 1)).toBe(false);
    let r = c.report();
    expect(r.searchesRemembered).toBe(1);
    expect(r.nodesPruned).toBe(n);
    // Smaller request: not covered by the memo, searched.
    expect(c.preempt(n + 2)).toBe(false);
    r = c.report();
    expect(r.searches).toBe(2);
    expect(r.nodesPruned).toBe(2 * n);
    // A task stopped: room may have grown, the memo is forgotten.
    c.host.stopTask(0, StopCause.Finished);
    expect(c.preempt(n + 1)).toBe(false);
    expect(c.report().searches).toBe(3);
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
