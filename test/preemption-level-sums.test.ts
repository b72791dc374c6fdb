import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PriorityLevelSums } from '../algorithms/preemption/priority-level-sums.js';
import { bandOf, isProductionBand } from '../model/priority-bands.js';

/**
 * The pruning bound must never be below what preemption could really free: for random tasks on
 * random nodes (more distinct priorities than levels, so levels get coarsened), the bound for any
 * preemptor priority holds at least Σ requests of the node's tasks of lower priority.
 */
describe('priority-level sums (the preemption pruning bound)', () => {
  it('is an upper bound on the room lower-priority tasks hold, with exact and coarsened levels', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ node: fc.integer({ min: 0, max: 3 }), prio: fc.integer({ min: -20, max: 20 }), cpu: fc.integer({ min: 0, max: 1000 }), alive: fc.boolean() }), { maxLength: 80 }),
        fc.integer({ min: -25, max: 25 }),
        fc.integer({ min: 2, max: 6 }),
        (tasks, preemptor, maxLevels) => {
          const D = 1;
          const s = new PriorityLevelSums(D, maxLevels);
          s.ensureNodes(4);
          const vec = Float64Array.from(tasks.map((t) => t.cpu));
          const running: number[] = [];
          const start = (i: number) => {
            running.push(i);
            if (s.needsLevel(tasks[i].prio)) {
              s.addLevel(tasks[i].prio);
              for (const j of running) s.add(tasks[j].node, tasks[j].prio, vec, j, 1);
            } else s.add(tasks[i].node, tasks[i].prio, vec, i, 1);
          };
          tasks.forEach((_, i) => start(i));
          // Stop the ones not alive.
          tasks.forEach((t, i) => {
            if (!t.alive) {
              s.add(t.node, t.prio, vec, i, -1);
              running.splice(running.indexOf(i), 1);
            }
          });
          const k = s.prefix(preemptor);
          const free = new Float64Array(4);
          const room = new Float64Array(1);
          for (let node = 0; node < 4; node++) {
            const freeable = running.filter((j) => tasks[j].node === node && tasks[j].prio < preemptor).reduce((a, j) => a + tasks[j].cpu, 0);
            s.roomOf(node, k, free, node, room);
            expect(room[0]).toBeGreaterThanOrEqual(freeable);
          }
          expect(s.levels).toBeLessThanOrEqual(maxLevels);
        },
      ),
      { seed: 7, numRuns: 400 },
    );
  });

  it('with exact levels the bound is tight: equal or higher priorities are not counted', () => {
    const s = new PriorityLevelSums(1);
    s.ensureNodes(1);
    const vec = Float64Array.of(300, 500);
    for (const p of [4, 7]) if (s.needsLevel(p)) s.addLevel(p);
    s.add(0, 4, vec, 0, 1);
    s.add(0, 7, vec, 1, 1);
    const free = Float64Array.of(100);
    const room = new Float64Array(1);
    s.roomOf(0, s.prefix(7), free, 0, room); // only priority 4 can go: 100 + 300
    expect(room[0]).toBe(400);
    s.roomOf(0, s.prefix(8), free, 0, room); // both: 900
    expect(room[0]).toBe(900);
    expect(s.prefix(4)).toBe(0);
  });

  it('Borg: levels of production priority are left out even below the preemptor', () => {
    const s = new PriorityLevelSums(1);
    s.ensureNodes(1);
    const vec = Float64Array.of(300, 500);
    for (const p of [4, 9]) if (s.needsLevel(p)) s.addLevel(p);
    s.add(0, 4, vec, 0, 1);
    s.add(0, 9, vec, 1, 1);
    const k = s.prefix(11, (low) => !isProductionBand(bandOf(low, 'google-2011')));
    expect(k).toBe(1);
    const room = new Float64Array(1);
    s.roomOf(0, k, Float64Array.of(0), 0, room);
    expect(room[0]).toBe(300);
  });
});
