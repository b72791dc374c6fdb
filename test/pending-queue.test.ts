import { describe, expect, it } from 'vitest';
import { PendingQueue } from '../harness/pending-queue.js';

/** One-dimensional requests: task t requests shape[t]. */
function queueWith(tasks: Array<{ prio: number; job: number; size: number }>): { q: PendingQueue; req: Float64Array } {
  const req = new Float64Array(tasks.map((t) => t.size));
  const q = new PendingQueue(1);
  tasks.forEach((t, i) => q.add(i, t.prio, t.job, req));
  return { q, req };
}

describe('PendingQueue', () => {
  it('orders by priority (highest first), FIFO within a priority', () => {
    const { q } = queueWith([
      { prio: 0, job: 0, size: 1 },
      { prio: 9, job: 1, size: 1 },
      { prio: 0, job: 2, size: 1 },
      { prio: 5, job: 3, size: 1 },
      { prio: 9, job: 4, size: 1 },
    ]);
    expect(q.toArray()).toEqual([1, 4, 3, 0, 2]);
    expect(q.size).toBe(5);
  });

  it('groups identical tasks of a job into one class and stops a class at its first failure', () => {
    const tasks = [
      ...Array.from({ length: 5 }, () => ({ prio: 0, job: 0, size: 10 })),
      { prio: 0, job: 0, size: 20 },
      ...Array.from({ length: 3 }, () => ({ prio: 0, job: 1, size: 10 })),
    ];
    const { q } = queueWith(tasks);
    expect(q.classCount()).toBe(3);
    let capacity = 35;
    const tried: number[] = [];
    const req = tasks.map((t) => t.size);
    q.sweep(
      () => false,
      (t) => {
        tried.push(t);
        if (req[t] > capacity) return false;
        capacity -= req[t];
        return true;
      },
    );
    // Job 0 size-10 class: 3 placed, the 4th fails and the class stops; the size-20 class fails;
    // job 1 (size 10) fails at once: capacity 5 left.
    expect(tried).toEqual([0, 1, 2, 3, 5, 6]);
    expect(q.size).toBe(6);
    expect(q.toArray()).toEqual([3, 4, 5, 6, 7, 8]);
  });

  it('retries a waiting class only when asked, and always tries fresh ones', () => {
    const { q, req } = queueWith([{ prio: 0, job: 0, size: 10 }]);
    const attempts: number[] = [];
    const fail = (t: number) => (attempts.push(t), false);
    q.sweep(() => false, fail); // fresh: tried
    q.sweep(() => false, fail); // waiting and not worth retrying: skipped
    q.sweep(() => true, fail); // capacity appeared: tried again
    expect(attempts).toEqual([0, 0]);
    q.add(1, 0, 0, new Float64Array([...req, 10]));
    q.sweep(() => false, () => true);
    expect(q.size).toBe(0);
    expect(q.classCount()).toBe(0);
  });
});
