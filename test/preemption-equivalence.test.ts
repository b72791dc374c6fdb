import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FakeReactionHost } from './helpers/fake-reaction-host.js';
import { allocTaskBatch } from '../model/task-batch.js';
import { DEFAULT_RESOURCES } from '../model/resources.js';
import { TaskStatus } from '../model/task-status.js';
import type { Workload } from '../model/workload.js';
import { PreemptionReaction, type PreemptionMode } from '../harness/reactions/preemption-reaction.js';
import { DisruptionBudgets } from '../harness/reactions/disruption-budgets.js';
import { NO_POLICY } from './helpers/preemption-cluster.js';

/**
 * The shortcuts (the room index, Borg's figures from the level sums, the early stop) must not
 * change a single choice: the same random cluster and preemptors, with exact priority levels and
 * with levels too coarse for any shortcut, give the same victims, in the same order.
 */
function run(mode: PreemptionMode, maxLevels: number, nodes: number[], pods: Array<{ node: number; cpu: number; mem: number; prio: number; at: number }>, preemptors: Array<{ cpu: number; mem: number; prio: number }>, bounce: number[] = []) {
  const D = 3;
  const w: Workload = {
    name: 'eq',
    resources: DEFAULT_RESOURCES,
    machines: nodes.map((cpu, i) => ({ id: `n${i}`, capacity: [cpu, cpu, 0], instanceType: 't' })),
    machineEvents: [],
    jobs: ['j'],
    users: [],
    notes: [],
    priorityScale: 'google-2011',
    taskBatches: async function* () {},
  };
  const all = [...pods.map((p) => ({ ...p })), ...preemptors.map((p) => ({ ...p, node: -1, at: 0 }))];
  const b = allocTaskBatch(all.length, D);
  all.forEach((p, i) => {
    b.request.set([p.cpu, p.mem, 0], i * D);
    b.priority[i] = p.prio;
    b.duration[i] = NaN;
  });
  const host = new FakeReactionHost(w, [b], 9);
  const budgets = new DisruptionBudgets(w);
  const r = new PreemptionReaction(mode, w, budgets, NO_POLICY, maxLevels);
  host.use(budgets, r);
  const order = pods.map((p, i) => ({ p, i })).sort((x, y) => x.p.at - y.p.at || x.i - y.i);
  for (const { p, i } of order) {
    host.advanceTo(Math.max(host.now(), p.at));
    const req = host.tasks.request.subarray(i * D, i * D + D);
    if (host.cluster.fits(p.node, req)) host.startOn(i, p.node);
  }
  host.advanceTo(host.now() + 1e6);
  const choices: number[][] = [];
  for (let j = 0; j < preemptors.length; j++) {
    const task = pods.length + j;
    // A node crashing and coming back restarts its tasks: their start times move.
    if (bounce[j] !== undefined && bounce[j] < nodes.length) {
      host.setNodeDown(bounce[j], true);
      host.advanceTo(host.now() + 1e6);
      host.setNodeDown(bounce[j], false);
    }
    host.submit(task);
    host.unplaced(task);
    host.advanceTo(host.now() + 60e6); // every grace over
    const gone: number[] = [];
    for (let t = 0; t < host.tasks.count; t++) if (host.tasks.status[t] === TaskStatus.Evicted && host.tasks.end[t] > host.now() - 61e6) gone.push(t);
    choices.push([host.tasks.node[task], ...gone]);
  }
  return choices;
}

describe('preemption shortcuts choose as the plain search does', () => {
  for (const mode of ['borg', 'kube'] as const) {
    it(`${mode}: exact levels (shortcuts on) and coarse levels (off) agree`, () => {
      fc.assert(
        fc.property(
          fc.array(fc.integer({ min: 500, max: 2000 }), { minLength: 1, maxLength: 30 }),
          fc.array(fc.record({ node: fc.nat(), cpu: fc.integer({ min: 50, max: 900 }), mem: fc.integer({ min: 50, max: 900 }), prio: fc.integer({ min: 0, max: 11 }), at: fc.integer({ min: 0, max: 5 }) }), { maxLength: 120 }),
          fc.array(fc.record({ cpu: fc.integer({ min: 100, max: 1500 }), mem: fc.integer({ min: 100, max: 1500 }), prio: fc.integer({ min: 1, max: 11 }) }), { minLength: 1, maxLength: 8 }),
          (nodes, pods0, preemptors) => {
            const pods = pods0.map((p) => ({ ...p, node: p.node % nodes.length, at: p.at * 1e6 }));
            const exact = run(mode, 16, nodes, pods, preemptors);
            const coarse = run(mode, 1, nodes, pods, preemptors);
            expect(exact).toEqual(coarse);
          },
        ),
        { seed: 21, numRuns: 120 },
      );
    });

    it(`${mode}: the same with many small pods (several victims per node)`, () => {
      fc.assert(
        fc.property(
          fc.array(fc.integer({ min: 800, max: 1200 }), { minLength: 2, maxLength: 12 }),
          fc.array(fc.record({ node: fc.nat(), cpu: fc.integer({ min: 20, max: 300 }), mem: fc.integer({ min: 20, max: 300 }), prio: fc.integer({ min: 0, max: 4 }), at: fc.integer({ min: 0, max: 5 }) }), { minLength: 20, maxLength: 150 }),
          fc.array(fc.record({ cpu: fc.integer({ min: 200, max: 1100 }), mem: fc.integer({ min: 100, max: 1100 }), prio: fc.integer({ min: 2, max: 11 }) }), { minLength: 1, maxLength: 8 }),
          (nodes, pods0, preemptors) => {
            const pods = pods0.map((p) => ({ ...p, node: p.node % nodes.length, at: p.at * 1e6 }));
            expect(run(mode, 16, nodes, pods, preemptors)).toEqual(run(mode, 1, nodes, pods, preemptors));
          },
        ),
        { seed: 22, numRuns: 150 },
      );
    });

    it(`${mode}: the same when nodes crash and come back between preemptions (start times move)`, () => {
      fc.assert(
        fc.property(
          fc.array(fc.integer({ min: 800, max: 1200 }), { minLength: 2, maxLength: 8 }),
          fc.array(fc.record({ node: fc.nat(), cpu: fc.integer({ min: 20, max: 400 }), mem: fc.integer({ min: 20, max: 400 }), prio: fc.integer({ min: 0, max: 3 }), at: fc.integer({ min: 0, max: 5 }) }), { minLength: 20, maxLength: 120 }),
          fc.record({ cpu: fc.integer({ min: 100, max: 900 }), mem: fc.integer({ min: 100, max: 900 }), prio: fc.integer({ min: 3, max: 11 }) }),
          fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 2, maxLength: 10 }),
          (nodes, pods0, shape, bounce) => {
            const pods = pods0.map((p) => ({ ...p, node: p.node % nodes.length, at: p.at * 1e6 }));
            const preemptors = new Array(bounce.length).fill(shape);
            expect(run(mode, 16, nodes, pods, preemptors, bounce)).toEqual(run(mode, 1, nodes, pods, preemptors, bounce));
          },
        ),
        { seed: 24, numRuns: 150 },
      );
    });

    it(`${mode}: the same with one shape preempting again and again (cached figures must follow the changes)`, () => {
      fc.assert(
        fc.property(
          fc.array(fc.integer({ min: 800, max: 1200 }), { minLength: 2, maxLength: 12 }),
          fc.array(fc.record({ node: fc.nat(), cpu: fc.integer({ min: 20, max: 400 }), mem: fc.integer({ min: 20, max: 400 }), prio: fc.integer({ min: 0, max: 4 }), at: fc.integer({ min: 0, max: 5 }) }), { minLength: 20, maxLength: 150 }),
          fc.record({ cpu: fc.integer({ min: 100, max: 900 }), mem: fc.integer({ min: 100, max: 900 }), prio: fc.integer({ min: 3, max: 11 }) }),
          fc.integer({ min: 2, max: 12 }),
          (nodes, pods0, shape, times) => {
            const pods = pods0.map((p) => ({ ...p, node: p.node % nodes.length, at: p.at * 1e6 }));
            const preemptors = new Array(times).fill(shape);
            expect(run(mode, 16, nodes, pods, preemptors)).toEqual(run(mode, 1, nodes, pods, preemptors));
          },
        ),
        { seed: 23, numRuns: 150 },
      );
    });
  }
});
