import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PendingQueue, type PendingClass } from '../harness/pending-queue.js';

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

/**
 * Model-based property: the queue against a plain reference that follows the documented rules
 * (harness/pending-queue.ts): classes keyed by (level, job, request), levels highest first, classes
 * in the order they became pending, FIFO inside a class; a pass tries a class when it holds fresh
 * tasks or worthRetrying says so, and stops a class at its first failure; the fair pass serves the
 * level with the smallest share (the first in queue order on ties) one task at a time.
 */
describe('PendingQueue against a reference model (property)', () => {
  const D = 2;
  // Shapes that differ in one dimension only, so a class key must read every dimension.
  const SHAPES = [[1, 2], [1, 3], [2, 2]];

  type QOp =
    | { kind: 'add'; job: number; level: number; shape: number; count: number }
    | { kind: 'sweep' | 'fair' };
  const opArb: fc.Arbitrary<QOp> = fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant('add' as const), job: fc.nat({ max: 3 }), level: fc.nat({ max: 2 }), shape: fc.nat({ max: SHAPES.length - 1 }), count: fc.integer({ min: 1, max: 12 }) }), weight: 4 },
    fc.record({ kind: fc.constantFrom('sweep' as const, 'fair' as const) }),
  );

  interface RefClass { level: number; job: number; shape: number; exemplar: number; tasks: number[]; fresh: boolean }

  /** The reference: arrays, no fast paths. */
  class Reference {
    classes: RefClass[] = [];
    private ordered(): RefClass[] {
      const levels = [...new Set(this.classes.map((c) => c.level))].sort((a, b) => b - a);
      return levels.flatMap((l) => this.classes.filter((c) => c.level === l));
    }
    add(task: number, level: number, job: number, shape: number): void {
      let cls = this.classes.find((c) => c.level === level && c.job === job && c.shape === shape);
      if (!cls) this.classes.push((cls = { level, job, shape, exemplar: task, tasks: [], fresh: false }));
      cls.tasks.push(task);
      cls.fresh = true;
    }
    sweep(worth: (exemplar: number) => boolean, place: (task: number) => boolean): void {
      for (const cls of this.ordered()) {
        if (cls.fresh || worth(cls.exemplar)) {
          cls.fresh = false;
          while (cls.tasks.length > 0 && place(cls.tasks[0])) cls.tasks.shift();
        }
      }
      this.classes = this.classes.filter((c) => c.tasks.length > 0);
    }
    sweepFair(share: (level: number) => number, worth: (exemplar: number) => boolean, place: (task: number) => boolean): void {
      const byLevel = new Map<number, RefClass[]>();
      for (const c of this.ordered()) byLevel.set(c.level, [...(byLevel.get(c.level) ?? []), c]);
      const active = [...byLevel.entries()].map(([level, classes]) => ({ level, classes, cursor: 0 }));
      while (active.length > 0) {
        const shares = active.map((a) => share(a.level));
        const bi = shares.indexOf(Math.min(...shares));
        const a = active[bi];
        const cls = a.classes[a.cursor];
        let done = true;
        if (cls.fresh || worth(cls.exemplar)) {
          if (place(cls.tasks[0])) {
            cls.tasks.shift();
            done = cls.tasks.length === 0;
          } else cls.fresh = false;
        }
        if (done) {
          cls.fresh = false;
          if (++a.cursor === a.classes.length) active.splice(bi, 1);
        }
      }
      this.classes = this.classes.filter((c) => c.tasks.length > 0);
    }
    toArray(): number[] {
      return this.ordered().flatMap((c) => c.tasks);
    }
  }

  it('orders, groups, retries and serves tasks as the reference does', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), fc.array(fc.boolean(), { minLength: 1, maxLength: 17 }), fc.array(fc.boolean(), { minLength: 1, maxLength: 13 }), (ops, placeBits, worthBits) => {
        // Every task's request is in the array from the start, as in the simulator's task store
        // (a class key must read its own task's request, not its neighbours').
        const shapeOf: number[] = ops.flatMap((op) => (op.kind === 'add' ? new Array<number>(op.count).fill(op.shape) : []));
        const req = new Float64Array(shapeOf.flatMap((k) => SHAPES[k]));
        const levelOf: number[] = ops.flatMap((op) => (op.kind === 'add' ? new Array<number>(op.count).fill(op.level) : []));
        let nextTask = 0;
        const q = new PendingQueue(D);
        const ref = new Reference();
        // A class is named by its first task, as the reference names it.
        const firstTask = new Map<PendingClass, number>();
        const exemplar = (cls: PendingClass): number => firstTask.get(cls)!;
        // Both sides draw outcomes from the same cyclic bit lists in their own call order and log
        // their calls, so any difference in which class or task is tried, or when, shows up.
        const sides = [0, 1].map(() => ({ log: [] as string[], p: 0, w: 0, placed: [0, 0, 0] }));
        const place = (s: (typeof sides)[number]) => (task: number) => {
          const ok = placeBits[s.p++ % placeBits.length];
          s.log.push(`place ${task} ${ok}`);
          if (ok) s.placed[levelOf[task]]++;
          return ok;
        };
        const worth = (s: (typeof sides)[number]) => (exemplar: number) => {
          const ok = worthBits[s.w++ % worthBits.length];
          s.log.push(`worth ${exemplar} ${ok}`);
          return ok;
        };
        // A share that moves with placements, with ties (levels 0 and 2 weigh the same).
        const share = (s: (typeof sides)[number]) => (level: number) => s.placed[level] * (level === 1 ? 2 : 1);
        for (const op of ops) {
          if (op.kind === 'add') {
            for (let i = 0; i < op.count; i++) {
              const task = nextTask++;
              const cls = q.add(task, op.level, op.job, req);
              if (!firstTask.has(cls)) firstTask.set(cls, task);
              ref.add(task, op.level, op.job, op.shape);
            }
          } else if (op.kind === 'sweep') {
            q.sweep((cls) => worth(sides[0])(exemplar(cls)), place(sides[0]));
            ref.sweep(worth(sides[1]), place(sides[1]));
          } else {
            q.sweepFair(share(sides[0]), (cls) => worth(sides[0])(exemplar(cls)), place(sides[0]));
            ref.sweepFair(share(sides[1]), worth(sides[1]), place(sides[1]));
          }
          expect(sides[0].log).toEqual(sides[1].log);
          expect(q.toArray()).toEqual(ref.toArray());
          expect(q.size).toBe(ref.toArray().length);
          expect(q.classCount()).toBe(ref.classes.length);
        }
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('keeps a class in FIFO order while its storage grows and is compacted', () => {
    const req = new Float64Array(64).fill(1);
    const q = new PendingQueue(1);
    for (let t = 0; t < 25; t++) q.add(t, 0, 0, req);
    let budget = 20;
    q.sweep(() => false, () => budget-- > 0);
    expect(q.toArray()).toEqual([20, 21, 22, 23, 24]);
    // Eight more: the storage is full with most of it already served, so the class moves its tasks down.
    for (let t = 25; t < 33; t++) q.add(t, 0, 0, req);
    const order: number[] = [];
    q.sweep(() => true, (t) => (order.push(t), true));
    expect(order).toEqual(Array.from({ length: 13 }, (_, i) => 20 + i));
    expect(q.size).toBe(0);
  });
});
