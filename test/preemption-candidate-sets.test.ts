import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BitCursor } from '../algorithms/preemption/borg-candidate-sets.js';
import { LevelTaskLists } from '../algorithms/preemption/level-task-lists.js';

describe('Borg candidate sets: the bit cursor', () => {
  it('gives the set bits in circular order from the start, across word boundaries', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.array(fc.nat(), { maxLength: 60 }), fc.nat(), (nodes, picks, s) => {
        const set = [...new Set(picks.map((p) => p % nodes))];
        const bits = new Uint32Array(Math.ceil(nodes / 32));
        for (const b of set) bits[b >>> 5] |= 1 << (b & 31);
        const start = s % nodes;
        const expected: number[] = [];
        for (let i = 0; i < nodes; i++) {
          const node = (start + i) % nodes;
          if (set.includes(node)) expected.push(node);
        }
        const c = new BitCursor();
        c.reset(bits, nodes, start);
        const got: number[] = [];
        for (let node = c.next(); node >= 0; node = c.next()) got.push(node);
        expect(got).toEqual(expected);
      }),
      { seed: 5, numRuns: 500 },
    );
  });
});

describe('level task lists', () => {
  it('newest first per node and level; removal anywhere keeps the rest in order', () => {
    const l = new LevelTaskLists(4);
    l.ensureNodes(2);
    l.ensureTasks(10);
    for (const t of [0, 1, 2, 3]) l.add(0, 1, t);
    l.add(1, 1, 4);
    l.add(0, 2, 5);
    l.remove(0, 1, 2);
    l.remove(0, 1, 3);
    const walk = (node: number, level: number) => {
      const out: number[] = [];
      for (let t = l.first(node, level); t >= 0; t = l.next(t)) out.push(t);
      return out;
    };
    expect(walk(0, 1)).toEqual([1, 0]);
    expect(walk(1, 1)).toEqual([4]);
    expect(walk(0, 2)).toEqual([5]);
    l.clear();
    expect(walk(0, 1)).toEqual([]);
  });
});
