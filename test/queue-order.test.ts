import { describe, expect, it } from 'vitest';
import { replay } from '../harness/replay.js';
import { firstFit } from '../algorithms/first-fit.js';
import { tinyWorkload, PRICING, type TinyTask } from './helpers/tiny-workload.js';
import type { QueueOrder } from '../harness/queue-order.js';
import type { Workload } from '../workloads/workload.js';

const S = 1e6;

/** One node; task 0 holds it until 10 s; the rest queue up and each takes the whole node. */
function blocked(rest: TinyTask[]): Workload {
  return tinyWorkload([[1000, 1000]], [{ submit: 0, duration: 10 * S, cpu: 1000, mem: 1000 }, ...rest], { horizon: 1000 * S });
}

async function startOrder(w: Workload, queueOrder: QueueOrder): Promise<number[]> {
  const { result } = await replay({ workload: w, policy: firstFit, seed: 1, pricing: PRICING, queueOrder });
  const n = result.tasks.count;
  return Array.from({ length: n - 1 }, (_, i) => i + 1).sort((a, b) => result.tasks.start[a] - result.tasks.start[b]);
}

describe('queue orders', () => {
  const tasks: TinyTask[] = [
    { submit: 1 * S, duration: 30 * S, cpu: 1000, mem: 1000, priority: 0, job: 0 },
    { submit: 2 * S, duration: 5 * S, cpu: 1000, mem: 1000, priority: 9, job: 1 },
    { submit: 3 * S, duration: 1 * S, cpu: 1000, mem: 1000, priority: 0, job: 2 },
  ];

  it('priority: highest first, then arrival', async () => {
    expect(await startOrder(blocked(tasks), 'priority')).toEqual([2, 1, 3]);
  });

  it('fifo: arrival order, priorities ignored', async () => {
    expect(await startOrder(blocked(tasks), 'fifo')).toEqual([1, 2, 3]);
  });

  it('sjf: shortest known run time first', async () => {
    expect(await startOrder(blocked(tasks), 'sjf')).toEqual([3, 2, 1]);
  });

  it('drf: the user with the smaller dominant share goes next', async () => {
    // Two nodes. User 0 holds both (one until 10 s, one until 100 s). User 0 then queues a task
    // (1 s), user 1 queues one (2 s). At 10 s one node frees: user 0's dominant share is still 0.5,
    // user 1's is 0, so DRF starts user 1's task although user 0's arrived first.
    const make = () => {
      const w = tinyWorkload([[1000, 1000], [1000, 1000]], [
        { submit: 0, duration: 10 * S, cpu: 1000, mem: 1000, job: 0 },
        { submit: 0, duration: 100 * S, cpu: 1000, mem: 1000, job: 0 },
        { submit: 1 * S, duration: 5 * S, cpu: 1000, mem: 1000, job: 1 },
        { submit: 2 * S, duration: 5 * S, cpu: 1000, mem: 1000, job: 2 },
      ], { horizon: 300 * S });
      const users = [0, 0, 0, 1];
      const base = w.taskBatches.bind(w);
      w.taskBatches = async function* () {
        for await (const b of base()) {
          users.forEach((u, i) => (b.user[i] = u));
          yield b;
        }
      };
      return w;
    };
    const drf = await replay({ workload: make(), policy: firstFit, seed: 1, pricing: PRICING, queueOrder: 'drf' });
    expect([drf.result.tasks.start[3], drf.result.tasks.start[2]]).toEqual([10 * S, 15 * S]);
    const fifo = await replay({ workload: make(), policy: firstFit, seed: 1, pricing: PRICING, queueOrder: 'priority' });
    expect([fifo.result.tasks.start[2], fifo.result.tasks.start[3]]).toEqual([10 * S, 15 * S]);
  });
});
