import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sortTasks } from '../algorithms/preemption/sort-tasks.js';
import { ImportanceOrder } from '../algorithms/preemption/victim-order.js';

describe('sortTasks (victim ordering without allocation)', () => {
  it('agrees with Array.prototype.sort for small (insertion) and large (heap) lists', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: -3, max: 3 }), fc.integer({ min: 0, max: 4 })), { maxLength: 120 }), (rows) => {
        const n = rows.length;
        const priority = Int32Array.from(rows.map((r) => r[0]));
        const start = Float64Array.from(rows.map((r) => r[1]));
        const tasks = Int32Array.from(rows.map((_, i) => i));
        new ImportanceOrder().sort(tasks, n, priority, start);
        const expected = rows
          .map((_, i) => i)
          .sort((a, b) => priority[b] - priority[a] || start[a] - start[b] || a - b);
        expect(Array.from(tasks)).toEqual(expected);
      }),
      { seed: 12, numRuns: 300 },
    );
  });

  it('sorts only the first n entries', () => {
    const t = Int32Array.from([3, 2, 1, 0, 9]);
    sortTasks(t, 4, (a, b) => a < b);
    expect(Array.from(t)).toEqual([0, 1, 2, 3, 9]);
  });
});
