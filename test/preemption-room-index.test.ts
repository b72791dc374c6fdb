import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Cluster } from '../harness/cluster.js';
import { PriorityLevelSums } from '../algorithms/preemption/priority-level-sums.js';
import { PreemptibleRoomIndex } from '../harness/reactions/preemptible-room-index.js';
import { DEFAULT_RESOURCES } from '../model/resources.js';

/**
 * The room index must return exactly the nodes a scan would: after random starts and stops of
 * tasks of random priorities (new levels appearing on the way), for every preemptor priority and
 * request, the nodes whose free room plus their lower-level requests hold the request, in
 * circular order from the start.
 */
describe('preemptible room index', () => {
  it('agrees with a scan of every node', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ node: fc.integer({ min: 0, max: 39 }), prio: fc.integer({ min: 0, max: 6 }), cpu: fc.integer({ min: 1, max: 400 }), mem: fc.integer({ min: 1, max: 400 }), stopLater: fc.boolean() }), { maxLength: 150 }),
        fc.array(fc.record({ prio: fc.integer({ min: 0, max: 8 }), cpu: fc.integer({ min: 0, max: 1000 }), mem: fc.integer({ min: 0, max: 1000 }), start: fc.integer({ min: 0, max: 39 }) }), { minLength: 1, maxLength: 10 }),
        (ops, queries) => {
          const D = 3;
          const cluster = new Cluster(DEFAULT_RESOURCES, 40);
          for (let i = 0; i < 40; i++) cluster.addNode({ id: `n${i}`, capacity: [1000, 1000, 0] });
          const levels = new PriorityLevelSums(D, 5);
          levels.ensureNodes(40);
          const index = new PreemptibleRoomIndex(cluster, levels);
          const vec = new Float64Array(ops.length * D);
          const running: number[] = [];
          const rebuild = () => {
            for (const j of running) levels.add(ops[j].node, ops[j].prio, vec, j * D, 1);
            index.invalidate();
          };
          const out = new Int32Array(64);
          ops.forEach((op, i) => {
            vec.set([op.cpu, op.mem, 0], i * D);
            const req = vec.subarray(i * D, i * D + D);
            if (!cluster.fits(op.node, req)) return;
            cluster.bind(op.node, req);
            running.push(i);
            if (levels.needsLevel(op.prio)) {
              levels.addLevel(op.prio);
              rebuild();
            } else levels.add(op.node, op.prio, vec, i * D, 1);
            index.changed(op.node);
            // Query now and then in the middle, so the lazy log is replayed, not only built.
            if (i % 17 === 0) index.collect(1, Float64Array.of(1, 1, 0), 0, 64, out);
          });
          // Every index built now, so the stops below reach them only through the log.
          for (let k = 0; k <= levels.levels; k++) index.collect(k, Float64Array.of(1, 1, 0), 0, 64, out);
          for (const i of [...running]) {
            if (!ops[i].stopLater) continue;
            const req = vec.subarray(i * D, i * D + D);
            cluster.unbind(ops[i].node, req);
            levels.add(ops[i].node, ops[i].prio, vec, i * D, -1);
            running.splice(running.indexOf(i), 1);
            index.changed(ops[i].node);
          }
          const room = new Float64Array(D);
          for (const q of queries) {
            const k = levels.prefix(q.prio);
            const req = Float64Array.of(q.cpu, q.mem, 0);
            const expected: number[] = [];
            for (let j = 0; j < 40; j++) {
              const node = (q.start + j) % 40;
              levels.roomOf(node, k, cluster.free, node * D, room);
              if (room[0] >= req[0] && room[1] >= req[1] && room[2] >= req[2]) expected.push(node);
            }
            const got = index.collect(k, req, q.start, 64, out);
            expect(Array.from(out.subarray(0, got))).toEqual(expected);
            // And the room really bounds what lower-priority tasks free (up to level coarsening).
            for (let node = 0; node < 40; node++) {
              const freeable = running.filter((j) => ops[j].node === node && ops[j].prio < q.prio);
              levels.roomOf(node, k, cluster.free, node * D, room);
              const cpu = cluster.free[node * D] + freeable.reduce((a, j) => a + ops[j].cpu, 0);
              expect(room[0]).toBeGreaterThanOrEqual(cpu);
            }
          }
        },
      ),
      { seed: 3, numRuns: 150 },
    );
  });
});
