import { describe, expect, it } from 'vitest';
import { replay } from '../harness/replay.js';
import { firstFit } from '../algorithms/classic/first-fit.js';
import { bestFit } from '../algorithms/classic/best-fit.js';
import { TaskStatus } from '../model/task-status.js';
import { tinyWorkload, PRICING } from './helpers/tiny-workload.js';
import type { PolicyModule } from '../algorithms/policy.js';

const S = 1e6; // µs per second

describe('simulator', () => {
  it('places, waits in the pending queue, and starts a waiting task when capacity frees', async () => {
    // One node of 1000 mc. Task A takes all of it for 10 s; B arrives at 1 s and must wait.
    const w = tinyWorkload([[1000, 1000]], [
      { submit: 0, duration: 10 * S, cpu: 1000, mem: 100 },
      { submit: 1 * S, duration: 5 * S, cpu: 500, mem: 100 },
    ], { horizon: 100 * S });
    const { result, summary } = await replay({ workload: w, policy: firstFit, seed: 1, pricing: PRICING });
    const t = result.tasks;
    expect(t.start[0]).toBe(0);
    expect(t.start[1]).toBe(10 * S);
    expect(t.end[1]).toBe(15 * S);
    expect(t.status[1]).toBe(TaskStatus.Finished);
    expect(summary.tasks).toMatchObject({ submitted: 2, scheduled: 2, finished: 2, pendingAtEnd: 0, runningAtEnd: 0 });
    expect(summary.schedulingDelaySeconds.p50).toBeCloseTo(4.5, 6); // delays 0 and 9: R-7 median 4.5
    expect(summary.schedulingDelaySeconds.mean).toBe(4.5);
  });

  it('serves higher priority first and FIFO within a priority', async () => {
    // The node is busy until 10 s; three tasks wait; each needs the whole node for 1 s.
    const w = tinyWorkload([[1000, 1000]], [
      { submit: 0, duration: 10 * S, cpu: 1000, mem: 1 },
      { submit: 1 * S, duration: 1 * S, cpu: 1000, mem: 1, priority: 0 },
      { submit: 2 * S, duration: 1 * S, cpu: 1000, mem: 1, priority: 5 },
      { submit: 3 * S, duration: 1 * S, cpu: 1000, mem: 1, priority: 0 },
    ], { horizon: 100 * S });
    const { result } = await replay({ workload: w, policy: firstFit, seed: 1, pricing: PRICING });
    expect(Array.from(result.tasks.start.subarray(0, 4))).toEqual([0, 11 * S, 10 * S, 12 * S]);
  });

  it('integrates requested utilization over time exactly', async () => {
    // 2 nodes × 1000 mc for 100 s; one task of 500 mc runs 0..50 s → 25,000 of 200,000 mc·s.
    const w = tinyWorkload([[1000, 1000], [1000, 1000]], [{ submit: 0, duration: 50 * S, cpu: 500, mem: 0 }], { horizon: 100 * S });
    const { summary } = await replay({ workload: w, policy: firstFit, seed: 1, pricing: PRICING });
    expect(summary.utilization.requested.cpu.mean).toBeCloseTo(0.125, 12);
    expect(summary.nodes.meanBusy).toBeCloseTo(0.5, 12);
    expect(summary.cost.busyNodeHours).toBeCloseTo(50 / 3600, 12);
  });

  it('is deterministic: same seed, same everything', async () => {
    const mk = () => tinyWorkload(
      Array.from({ length: 150 }, () => [4000, 4000] as [number, number]),
      Array.from({ length: 3000 }, (_, i) => ({ submit: i * 0.1 * S, duration: ((i * 7919) % 97) * S + S, cpu: 100 + ((i * 31) % 900), mem: 100 + ((i * 17) % 1500) })),
      { horizon: 400 * S },
    );
    const a = await replay({ workload: mk(), policy: bestFit, seed: 7, pricing: PRICING });
    const b = await replay({ workload: mk(), policy: bestFit, seed: 7, pricing: PRICING });
    expect(JSON.stringify(a.summary)).toBe(JSON.stringify(b.summary));
    expect(Array.from(a.result.tasks.node.subarray(0, 3000))).toEqual(Array.from(b.result.tasks.node.subarray(0, 3000)));
  });

  it('rejects a policy that returns a node where the task does not fit, naming the policy', async () => {
    const liar: PolicyModule = { name: 'liar', description: 'always node 0', create: () => ({ name: 'liar', select: () => 0 }) };
    const w = tinyWorkload([[1000, 1000], [1000, 1000]], [
      { submit: 0, duration: 10 * S, cpu: 800, mem: 1 },
      { submit: 1, duration: 10 * S, cpu: 800, mem: 1 },
    ], { horizon: 100 * S });
    await expect(replay({ workload: w, policy: liar, seed: 1, pricing: PRICING })).rejects.toThrow(/policy 'liar' chose node 0/);
  });

  it('kills and resubmits the tasks of a removed machine', async () => {
    const w = tinyWorkload([[1000, 1000], [1000, 1000]], [
      { submit: 0, duration: 100 * S, cpu: 800, mem: 1 },
    ], {
      horizon: 200 * S,
      machineEvents: [{ time: 10 * S, kind: 'remove', machine: { id: 'n0', capacity: [1000, 1000, 0] } }],
    });
    const { result, summary } = await replay({ workload: w, policy: firstFit, seed: 1, pricing: PRICING });
    expect(result.tasks.node[0]).toBe(1);
    expect(result.tasks.start[0]).toBe(10 * S);
    expect(result.tasks.attempts[0]).toBe(2);
    expect(summary.events.kill).toBe(1);
    expect(summary.tasks.finished).toBe(1);
    expect(summary.nodes.atEnd).toBe(1);
  });
});

describe('simulator: kills from the workload and policy hooks', () => {
  it('a task killed while pending leaves the queue; one killed while running stops and frees its node', async () => {
    const w = tinyWorkload([[1000, 1000]], [
      { submit: 0, duration: 50 * S, cpu: 1000, mem: 1 },
      { submit: 1 * S, duration: 5 * S, cpu: 1000, mem: 1 },
      { submit: 2 * S, duration: 5 * S, cpu: 1000, mem: 1 },
    ], { horizon: 100 * S });
    const base = w.taskBatches.bind(w);
    w.taskBatches = async function* () {
      for await (const b of base()) {
        b.killTime = new Float64Array([20 * S, 10 * S, NaN]);
        yield b;
      }
    };
    const { result, summary } = await replay({ workload: w, policy: firstFit, seed: 1, pricing: PRICING });
    const t = result.tasks;
    expect(t.status[1]).toBe(TaskStatus.Killed); // killed at 10 s while waiting
    expect(t.attempts[1]).toBe(0);
    expect(t.end[0]).toBe(20 * S); // killed at 20 s while running
    expect(t.start[2]).toBe(20 * S); // took the freed node
    expect(summary.events.kill).toBe(2);
    expect(summary.tasks.pendingAtEnd).toBe(0);
  });

  it('tells a stateful policy about every bind and unbind, with the task view', async () => {
    const log: string[] = [];
    const spy: PolicyModule = {
      name: 'spy',
      description: '',
      create: (o) => {
        const inner = firstFit.create(o);
        return {
          name: 'spy',
          select: (t, c) => inner.select(t, c),
          onBind: (t, n) => log.push(`bind ${t.id}@${n} ${t.duration / S}s`),
          onUnbind: (t, n) => log.push(`unbind ${t.id}@${n}`),
        };
      },
    };
    const w = tinyWorkload([[1000, 1000]], [
      { submit: 0, duration: 3 * S, cpu: 600, mem: 1 },
      { submit: 0, duration: 2 * S, cpu: 600, mem: 1 },
    ], { horizon: 10 * S });
    await replay({ workload: w, policy: spy, seed: 1, pricing: PRICING });
    expect(log).toEqual(['bind 0@0 3s', 'unbind 0@0', 'bind 1@0 2s', 'unbind 1@0']);
  });
});
