import { describe, expect, it } from 'vitest';
import { TaskStatus } from '../model/task-status.js';
import { PriorityBand } from '../model/priority-bands.js';
import { borgMayPreempt } from '../algorithms/preemption/borg-victims.js';
import { controller, preemptionCluster, type PreemptionSetup } from './helpers/preemption-cluster.js';

// Google 2011 numbering (../shared/docs/models.md § Borg): 0–1 free, 2–8 middle, 9–11 production.
const borg = (s: Omit<PreemptionSetup, 'mode' | 'priorityScale'>) => preemptionCluster({ ...s, mode: 'borg', priorityScale: 'google-2011' });

/** Tasks evicted so far (Borg victims stop at once). */
function evicted(host: ReturnType<typeof borg>['host']): number[] {
  const out: number[] = [];
  for (let t = 0; t < host.tasks.count; t++) if (host.tasks.status[t] === TaskStatus.Evicted) out.push(t);
  return out;
}

describe('Borg preemption (EuroSys’15 §2.5, §3.2)', () => {
  it('who may be preempted: strictly lower priority, never production or monitoring', () => {
    expect(borgMayPreempt(9, 8, PriorityBand.Mid)).toBe(true);
    expect(borgMayPreempt(8, 8, PriorityBand.Mid)).toBe(false);
    expect(borgMayPreempt(11, 9, PriorityBand.Production)).toBe(false);
    expect(borgMayPreempt(400, 200, PriorityBand.Production)).toBe(false);
    expect(borgMayPreempt(500, 380, PriorityBand.Monitoring)).toBe(false);
    expect(borgMayPreempt(3, 0, PriorityBand.Free)).toBe(true);
  });

  it('production never preempts production, even of a lower production priority', () => {
    const { host, preempt, report } = borg({
      nodes: [1000],
      pods: [
        { cpu: 1000, prio: 9, node: 0 },
        { cpu: 1000, prio: 11 },
      ],
    });
    expect(preempt(1)).toBe(false);
    expect(host.tasks.status[0]).toBe(TaskStatus.Running);
    expect(report().victims).toBe(0);
  });

  it('production preempts non-production; victims stop at once and the preemptor starts in the call', () => {
    const { host, preempt, report } = borg({
      nodes: [1000],
      pods: [
        { cpu: 600, prio: 9, node: 0 },
        { cpu: 400, prio: 4, node: 0 },
        { cpu: 400, prio: 10 },
      ],
    });
    host.advanceTo(50e6);
    expect(preempt(2)).toBe(true);
    // Stopped with grace 0 (the fake host's timer of this instant; the simulator stops it inside the call).
    host.advanceTo(50e6);
    expect(evicted(host)).toEqual([1]);
    expect(host.tasks.status[0]).toBe(TaskStatus.Running);
    expect(host.tasks.node[2]).toBe(0);
    expect(host.tasks.start[2]).toBe(50e6);
    const r = report();
    expect(r.mode).toBe('borg');
    expect(r.victimsByBand[PriorityBand.Mid]).toBe(1);
    expect(r.lostWorkSecondsByBand[PriorityBand.Mid]).toBe(50);
    expect(r.preemptorsByBand[PriorityBand.Production]).toBe(1);
  });

  it('victims lowest priority first, until the task fits (not a reprieve search)', () => {
    // Needs 500; tasks 300 (prio 2), 300 (prio 3), 400 (prio 5) fill the node. Lowest first:
    // prio 2 (room 300), prio 3 (room 600 ≥ 500): stop. Kube's reprieve would have kept the
    // same here; the next test shows where they differ.
    const { host, preempt } = borg({
      nodes: [1000],
      pods: [
        { cpu: 300, prio: 2, node: 0 },
        { cpu: 300, prio: 3, node: 0 },
        { cpu: 400, prio: 5, node: 0 },
        { cpu: 500, prio: 8 },
      ],
    });
    expect(preempt(3)).toBe(true);
    host.advanceTo(0);
    expect(evicted(host)).toEqual([0, 1]);
  });

  it('takes a low-priority task even when a single higher one would have sufficed', () => {
    // Needs 600: tasks 100 (prio 2) and 900 (prio 5). Lowest first takes 100 (room 100), then
    // 900 (room 1000): both, as Borg preempts "from lowest to highest priority, until it fits".
    const { host, preempt } = borg({
      nodes: [1000],
      pods: [
        { cpu: 100, prio: 2, node: 0 },
        { cpu: 900, prio: 5, node: 0 },
        { cpu: 600, prio: 9 },
      ],
    });
    expect(preempt(2)).toBe(true);
    host.advanceTo(0);
    expect(evicted(host)).toEqual([0, 1]);
  });

  it('at equal priority the task started last goes first (it loses the least work)', () => {
    const { host, preempt } = borg({
      nodes: [1000],
      pods: [
        { cpu: 500, prio: 2, node: 0, at: 0 },
        { cpu: 500, prio: 2, node: 0, at: 30e6 },
        { cpu: 500, prio: 9 },
      ],
    });
    expect(preempt(2)).toBe(true);
    host.advanceTo(host.now());
    expect(evicted(host)).toEqual([1]);
  });

  it('the node needing the fewest victims, then the lowest highest priority', () => {
    // Node 0: two victims (prio 2, 2); node 1: one victim (prio 6): fewest wins → node 1.
    const a = borg({
      nodes: [1000, 1000],
      pods: [
        { cpu: 500, prio: 2, node: 0 },
        { cpu: 500, prio: 2, node: 0 },
        { cpu: 1000, prio: 6, node: 1 },
        { cpu: 1000, prio: 9 },
      ],
    });
    expect(a.preempt(3)).toBe(true);
    a.host.advanceTo(0);
    expect(evicted(a.host)).toEqual([2]);
    // One victim each: the lower priority (prio 3 on node 1) wins.
    const b = borg({
      nodes: [1000, 1000],
      pods: [
        { cpu: 1000, prio: 7, node: 0 },
        { cpu: 1000, prio: 3, node: 1 },
        { cpu: 1000, prio: 9 },
      ],
    });
    expect(b.preempt(2)).toBe(true);
    b.host.advanceTo(0);
    expect(evicted(b.host)).toEqual([1]);
  });

  it('cascade: a preempted middle task, back in the queue, preempts lower work in turn', () => {
    // Node 0 (1200): a middle task of 600. Node 1 (1500): a free-band task of 1000 and a
    // production one of 500. Production (10) needing 1100 can only make room on node 0; the
    // middle task, back in the queue, then evicts the free one on node 1.
    const { host, preempt, report } = borg({
      nodes: [1200, 1500],
      pods: [
        { cpu: 600, prio: 5, node: 0 },
        { cpu: 1000, prio: 1, node: 1 },
        { cpu: 500, prio: 9, node: 1 },
        { cpu: 1100, prio: 10 },
      ],
    });
    expect(preempt(3)).toBe(true);
    host.advanceTo(0);
    expect(evicted(host)).toEqual([0]);
    expect(host.tasks.node[3]).toBe(0);
    // Its controller recreates it (here by hand): it fits nowhere and preempts.
    host.enqueue(0);
    expect(preempt(0)).toBe(true);
    host.advanceTo(0);
    expect(evicted(host)).toEqual([1]);
    expect(host.tasks.status[0]).toBe(TaskStatus.Running);
    expect(host.tasks.node[0]).toBe(1);
    expect(host.tasks.status[2]).toBe(TaskStatus.Running);
    const r = report();
    expect(r.preemptions).toBe(2);
    expect(r.preemptorsByBand[PriorityBand.Production]).toBe(1);
    expect(r.preemptorsByBand[PriorityBand.Mid]).toBe(1);
    expect(r.victimsByBand[PriorityBand.Free]).toBe(1);
  });

  it('a Kubernetes controller’s grace period is kept in Borg mode; a Borg job’s is 0', () => {
    const { host, preempt } = borg({
      nodes: [1000, 1000],
      pods: [
        { cpu: 1000, prio: 2, node: 0, job: 1 },
        { cpu: 1000, prio: 2, node: 1, job: 2 },
        { cpu: 1000, prio: 9 },
        { cpu: 1000, prio: 9 },
      ],
      controllers: [undefined, controller({ terminationGracePeriod: 20e6 }), controller({ kind: 'BorgJob', terminationGracePeriod: 20e6 })],
    });
    expect(preempt(2)).toBe(true);
    expect(preempt(3)).toBe(true);
    host.advanceTo(0);
    expect(host.tasks.status[1]).toBe(TaskStatus.Evicted);
    expect(host.tasks.status[0]).toBe(TaskStatus.Running);
    host.advanceTo(20e6);
    expect(host.tasks.status[0]).toBe(TaskStatus.Evicted);
  });
});
