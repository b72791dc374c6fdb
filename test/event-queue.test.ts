import { describe, expect, it } from 'vitest';
import { EventKind, EventQueue } from '../harness/event-queue.js';
import { Rng } from '../model/rng.js';

function drain(q: EventQueue): Array<[number, number, number]> {
  const out: Array<[number, number, number]> = [];
  while (q.length > 0) {
    out.push([q.peekTime(), q.peekKind(), q.peekId()]);
    q.pop();
  }
  return out;
}

describe('EventQueue', () => {
  it('pops by time, then kind, then insertion order', () => {
    const q = new EventQueue(2);
    q.push(5, EventKind.Finish, 1);
    q.push(5, EventKind.MachineAdd, 2);
    q.push(1, EventKind.RecordedStart, 3);
    q.push(5, EventKind.Finish, 4);
    q.push(3, EventKind.Kill, 5);
    expect(drain(q)).toEqual([
      [1, EventKind.RecordedStart, 3],
      [3, EventKind.Kill, 5],
      [5, EventKind.MachineAdd, 2],
      [5, EventKind.Finish, 1],
      [5, EventKind.Finish, 4],
    ]);
    expect(q.peekTime()).toBe(Infinity);
  });

  it('agrees with a sort on 20,000 random events (growing from a tiny capacity)', () => {
    const rng = new Rng(42);
    const q = new EventQueue(1);
    const ref: Array<[number, number, number, number]> = [];
    for (let i = 0; i < 20000; i++) {
      const t = rng.int(500);
      const k = rng.int(5);
      q.push(t, k, i);
      ref.push([t, k, i, i]);
      if (i % 7 === 0) {
        // interleave pops with pushes
        ref.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[3] - b[3]);
        const e = ref.shift()!;
        expect([q.peekTime(), q.peekKind(), q.peekId()]).toEqual([e[0], e[1], e[2]]);
        q.pop();
      }
    }
    ref.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[3] - b[3]);
    expect(drain(q)).toEqual(ref.map((e) => [e[0], e[1], e[2]]));
  });
});
