import { describe, expect, it } from 'vitest';
import { Simulator } from '../harness/simulator.js';
import { tinyWorkload } from './helpers/tiny-workload.js';
import { builtinPolicy } from '../algorithms/registry.js';
import { Rng } from '../model/rng.js';
import { TaskStatus } from '../model/task-status.js';
import { createPreemption, type PreemptionMode } from '../harness/reactions/preemption-reaction.js';
import { DisruptionBudgets } from '../harness/reactions/disruption-budgets.js';
import { ReactionCause } from '../reports/reaction-results.js';
import type { Workload } from '../model/workload.js';

/**
 * Two nodes of 1 core, each filled at t = 0 by a long low-priority task; at t = 10 s a
 * high-priority task of 1 core arrives. Through the simulator (no controllers: the victim is
 * requeued at once, as before controllers).
 */
async function run(mode: PreemptionMode, w: Workload) {
  const policy = builtinPolicy('kube-default')!.create({ rng: new Rng(5) });
  const budgets = new DisruptionBudgets(w);
  const sim = new Simulator(w, policy, {
    seed: 5,
    reactions: { list: [budgets, createPreemption(mode, w, budgets, policy)], settings: { preemption: mode } },
  });
  return sim.run();
}

function workload(scale: Workload['priorityScale'], low: number, high: number): Workload {
  const w = tinyWorkload(
    [
      [1000, 4e9],
      [1000, 4e9],
    ],
    [
      { submit: 0, duration: 3600e6, cpu: 1000, mem: 1e9, priority: low },
      { submit: 0, duration: 3600e6, cpu: 1000, mem: 1e9, priority: low + 1 },
      { submit: 10e6, duration: 60e6, cpu: 1000, mem: 1e9, priority: high },
    ],
    { horizon: 600e6 },
  );
  w.priorityScale = scale;
  return w;
}

describe('preemption through the simulator', () => {
  it('kube: the lowest-priority task terminates for 30 s, then the preemptor starts on its node', async () => {
    const r = await run('kube', workload('kubernetes', 1, 1000));
    const t = r.tasks;
    expect(t.start[2]).toBe(40e6);
    expect(t.status[1]).toBe(TaskStatus.Running); // priority 2 untouched
    const p = r.reactions!.preemption!;
    expect(p.preemptions).toBe(1);
    expect(p.victims).toBe(1);
    // The victim ran 0–40 s: 40 s lost; one events row for it.
    expect(p.lostWorkSecondsByBand.reduce((a, b) => a + b, 0)).toBe(40);
    const ev = r.reactions!.events;
    const rows = Array.from({ length: ev.length }, (_, i) => i).filter((i) => ev.cause[i] === ReactionCause.Preempted);
    expect(rows.map((i) => [ev.time[i], ev.task[i], ev.amount[i], ev.duration[i]])).toEqual([[40e6, 0, 40, 30]]);
    // The preemptor ran where the victim was.
    expect(t.node[2]).toBe(ev.node[rows[0]]);
    // The victim was requeued, waited (it may not preempt the higher tasks), and ran again once
    // the preemptor finished at 100 s.
    expect(t.start[0]).toBe(100e6);
    expect(t.attempts[0]).toBe(2);
  });

  it('borg: a production task evicts the lowest middle task at once', async () => {
    const r = await run('borg', workload('google-2011', 2, 10));
    const t = r.tasks;
    expect(t.start[2]).toBe(10e6);
    expect(t.status[1]).toBe(TaskStatus.Running);
    const p = r.reactions!.preemption!;
    expect(p.mode).toBe('borg');
    expect(p.victimsByBand).toEqual([0, 0, 1, 0, 0]);
    expect(p.lostWorkSecondsByBand[2]).toBe(10);
    // The victim is back in the queue; once the preemptor finished (at 70 s) it runs again.
    expect(t.start[0]).toBe(70e6);
    expect(t.attempts[0]).toBe(2);
  });

  it('borg: production tasks are never victims', async () => {
    const r = await run('borg', workload('google-2011', 9, 11));
    expect(r.tasks.status[2]).toBe(TaskStatus.Pending);
    expect(r.reactions!.preemption!.victims).toBe(0);
  });

  it('the same seed gives the same run', async () => {
    const a = await run('kube', workload('kubernetes', 1, 1000));
    const b = await run('kube', workload('kubernetes', 1, 1000));
    expect(Array.from(a.tasks.start.subarray(0, 3))).toEqual(Array.from(b.tasks.start.subarray(0, 3)));
    expect(a.reactions!.preemption).toEqual(b.reactions!.preemption);
  });
});
