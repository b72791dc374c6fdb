import { describe, expect, it } from 'vitest';
import { replay } from '../harness/replay.js';
import { firstFit } from '../algorithms/classic/first-fit.js';
import { tinyWorkload, PRICING, type TinyTask } from './helpers/tiny-workload.js';
import { QUEUE_ORDERS, parseQueueOrder, queueLevel, type QueueOrder } from '../harness/queue-order.js';
import { UsageError } from '../model/errors.js';
import type { Workload } from '../model/workload.js';

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

// DRF (Ghodsi et al., "Dominant Resource Fairness", NSDI'11): a user's dominant share is the largest,
// over resources, of its allocation divided by the cluster's capacity; the pending user with the
// smallest dominant share is served next. Here the two users' dominant resources differ (one is
// CPU-heavy, one memory-heavy), so a share read from one resource alone orders them the other way.
describe('drf: the dominant share is the larger of the CPU and memory shares', () => {
  /** One node of 1000 millicores / 1000 bytes. Users 0 and 1 each hold a long task; user 2 holds the
   * rest until 10 s. Then user `first` queues a task the size of user 2's (at 1 s), the other user
   * one more (at 2 s); jobs differ so the two are separate classes. Only one fits at a time. */
  const scenario = (held: [[number, number], [number, number]], first: 0 | 1) => {
    const rest: [number, number] = [1000 - held[0][0] - held[1][0], 1000 - held[0][1] - held[1][1]];
    const second = (1 - first) as 0 | 1;
    const w = tinyWorkload([[1000, 1000]], [
      { submit: 0, duration: 1000 * S, cpu: held[0][0], mem: held[0][1], job: 0 },
      { submit: 0, duration: 1000 * S, cpu: held[1][0], mem: held[1][1], job: 1 },
      { submit: 0, duration: 10 * S, cpu: rest[0], mem: rest[1], job: 2 },
      { submit: 1 * S, duration: 5 * S, cpu: rest[0], mem: rest[1], job: first },
      { submit: 2 * S, duration: 5 * S, cpu: rest[0], mem: rest[1], job: second },
    ], { horizon: 300 * S });
    const users = [0, 1, 2, first, second];
    const base = w.taskBatches.bind(w);
    w.taskBatches = async function* () {
      for await (const b of base()) {
        users.forEach((u, i) => (b.user[i] = u));
        yield b;
      }
    };
    return w;
  };
  /** Start time (s) of the queued task of user 0 and of user 1, under `queueOrder`. */
  const starts = async (w: Workload, queueOrder: QueueOrder, first: 0 | 1) => {
    const { result } = await replay({ workload: w, policy: firstFit, seed: 1, pricing: PRICING, queueOrder });
    const [u0, u1] = first === 0 ? [3, 4] : [4, 3];
    return [result.tasks.start[u0] / S, result.tasks.start[u1] / S];
  };

  it('a CPU-heavy user with the smaller dominant share goes before a memory-heavy one', async () => {
    // User 0 holds CPU 0.3, memory 0.05 → dominant share 0.3 (CPU); user 1 holds CPU 0.1, memory 0.5
    // → 0.5 (memory). DRF serves user 0 first (0.3 < 0.5) at 10 s, user 1 at 15 s. A CPU-only share
    // (0.3 vs 0.1) would serve user 1 first, as would arrival order (user 1 queued first).
    const held: [[number, number], [number, number]] = [[300, 50], [100, 500]];
    expect(await starts(scenario(held, 1), 'drf', 1)).toEqual([10, 15]);
    expect(await starts(scenario(held, 1), 'fifo', 1)).toEqual([15, 10]);
  });

  it('a memory-heavy user with the smaller dominant share goes before a CPU-heavy one', async () => {
    // User 0 holds CPU 0.5, memory 0.1 → 0.5 (CPU); user 1 holds CPU 0.05, memory 0.3 → 0.3 (memory).
    // DRF serves user 1 first (0.3 < 0.5). A memory-only share (0.1 vs 0.3) would serve user 0 first,
    // as would arrival order (user 0 queued first).
    const held: [[number, number], [number, number]] = [[500, 100], [50, 300]];
    expect(await starts(scenario(held, 0), 'drf', 0)).toEqual([15, 10]);
    expect(await starts(scenario(held, 0), 'fifo', 0)).toEqual([10, 15]);
  });
});

describe('queue levels and the --queue option', () => {
  it('parses every documented order and rejects others naming the option and the choices', () => {
    for (const o of QUEUE_ORDERS) expect(parseQueueOrder(o)).toBe(o);
    for (const bad of ['', 'FIFO', 'lifo']) {
      expect(() => parseQueueOrder(bad)).toThrow(UsageError);
      expect(() => parseQueueOrder(bad)).toThrow(`--queue: unknown queue order '${bad}'; valid choices: priority, fifo, sjf, drf`);
    }
  });

  it('levels: the priority, one level for fifo, the user for drf', () => {
    expect(queueLevel('priority', 9, 5 * S, 3)).toBe(9);
    expect(queueLevel('fifo', 9, 5 * S, 3)).toBe(0);
    expect(queueLevel('fifo', 0, 1, 7)).toBe(0);
    expect(queueLevel('drf', 9, 5 * S, 3)).toBe(3);
  });

  it('sjf: shorter runs rank higher, classes a quarter of a doubling wide, unknown run times last', () => {
    const level = (us: number) => queueLevel('sjf', 0, us, 0);
    expect(level(1 * S)).toBeGreaterThan(level(2 * S));
    // Within a quarter doubling (2^0.25 ≈ 1.19) runs share a level; a full doubling is 4 levels.
    expect(level(2 ** 20)).toBe(level(2 ** 20 * 1.18));
    expect(level(2 ** 20) - level(2 ** 21)).toBe(4);
    // Zero or sub-microsecond durations count as 1 µs (level 0).
    expect(level(0)).toBe(level(1));
    expect(level(1) === 0).toBe(true);
    // Unknown (NaN) goes after every known run time, even 29 days.
    expect(level(Number.NaN)).toBeLessThan(level(29 * 86400 * S));
  });
});
