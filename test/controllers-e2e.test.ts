import { describe, expect, it } from 'vitest';
import { replay } from '../harness/replay.js';
import { firstFit } from '../algorithms/classic/first-fit.js';
import { TaskStatus } from '../model/task-status.js';
import { StopCause, type Reaction } from '../harness/reactions/reaction-host.js';
import { ReactionCause } from '../reports/reaction-results.js';
import type { JobController } from '../model/workload-controllers.js';
import type { Workload } from '../model/workload.js';
import { createControllers } from '../harness/controllers/controller-reaction.js';
import { syntheticWorkload } from '../workloads/synthetic/generator.js';
import { tinyWorkload, PRICING, type TinyTask } from './helpers/tiny-workload.js';

const S = 1e6;

function controller(kind: JobController['kind'], desired: number, extra: Partial<JobController> = {}): JobController {
  return { kind, name: `default/${kind.toLowerCase()}`, namespace: 'default', desired, restartPolicy: 'Always', terminationGracePeriod: 30 * S, preemptionPolicy: 'PreemptLowerPriority', ...extra };
}

/** Replays `w` under first fit with the controllers and `chaos` (a reaction that breaks things on a timetable). */
async function run(w: Workload, chaos: Reaction, seed = 1) {
  return replay({ workload: w, policy: firstFit, seed, pricing: PRICING, reactions: () => ({ list: [createControllers(w, seed), chaos], settings: {} }) });
}

const pods = (n: number, t: Partial<TinyTask> = {}): TinyTask[] => Array.from({ length: n }, () => ({ submit: 0, duration: NaN, cpu: 3000, mem: 1, ...t }));

describe('controllers in the simulator', () => {
  it('a Deployment pod on a failed node is recreated and placed elsewhere; availability follows the outage', async () => {
    // Three nodes, each room for one pod: the replicas run on n0 and n1. n0 crashes at 100 s and
    // is removed at 160 s: its pod comes back as a new pod on n2.
    const w = { ...tinyWorkload([[4000, 1000], [4000, 1000], [4000, 1000]], pods(2), { horizon: 1000 * S }), controllers: [controller('Deployment', 2)] };
    const chaos: Reaction = {
      name: 'chaos',
      start(h) {
        h.at(100 * S, () => h.setNodeDown(0, true));
        h.at(160 * S, () => h.removeNode(0, StopCause.NodeLost));
      },
    };
    const { result } = await run(w, chaos);
    expect(result.tasks.node[0]).toBe(2);
    expect(result.tasks.start[0]).toBe(160 * S);
    expect(result.tasks.attempts[0]).toBe(2);
    const a = result.reactions!.availability!;
    expect(a.workloads[0].name).toBe('default/deployment');
    expect(a.workloads[0].meanAvailability).toBeCloseTo((100 + 60 * 0.5 + 840) / 1000, 12);
    expect(a.workloads[0].degradedSeconds).toBeCloseTo(60, 9);
    expect([a.workloads[0].lost, a.workloads[0].recreated]).toEqual([1, 1]);
    const ev = result.reactions!.events;
    const rec = Array.from({ length: ev.length }, (_, i) => i).filter((i) => ev.cause[i] === ReactionCause.Recreated);
    expect(rec.map((i) => [ev.time[i] / S, ev.task[i]])).toEqual([[160, 0]]);
    // availability.csv's samples: both ready at 0, one from 100 s (written at 120), both again from 160 (at 180).
    expect(Array.from(a.sampleTimes).map((t) => t / S)).toEqual([0, 120, 180]);
    expect(Array.from(a.ready)).toEqual([2, 1, 2]);
  });

  it('StatefulSet OrderedReady: pod 0 on a crashed node holds pods 1 and 2 back until it runs; Parallel does not', async () => {
    for (const orderedReady of [true, false]) {
      const w = {
        ...tinyWorkload([[1000, 1000], [4000, 1000]], pods(3, { submit: 10 * S, cpu: 1000 }), { horizon: 100 * S }),
        controllers: [controller('StatefulSet', 3, { orderedReady })],
      };
      // n0 (room for one pod) has crashed before anything runs, and is back at 30 s.
      const chaos: Reaction = {
        name: 'chaos',
        start(h) {
          h.setNodeDown(0, true);
          h.at(30 * S, () => h.setNodeDown(0, false));
        },
      };
      const { result } = await run(w, chaos);
      expect(result.tasks.node[0]).toBe(0);
      expect(result.tasks.start[0]).toBe(30 * S); // its container started over when n0 came back
      const later = orderedReady ? 30 * S : 10 * S;
      expect([result.tasks.start[1], result.tasks.start[2]]).toEqual([later, later]);
    }
  });

  it('a Job: its failed pod comes back after the back-off, then the Job fails past backoffLimit', async () => {
    const w = { ...tinyWorkload([[4000, 1000]], pods(1, { duration: 1000 * S }), { horizon: 500 * S }), controllers: [controller('Job', 1, { restartPolicy: 'Never', backoffLimit: 1 })] };
    const chaos: Reaction = {
      name: 'chaos',
      start(h) {
        h.at(10 * S, () => h.stopTask(0, StopCause.Preempted));
        h.at(40 * S, () => h.stopTask(0, StopCause.Preempted));
      },
    };
    const { result, summary } = await run(w, chaos);
    expect(result.tasks.attempts[0]).toBe(2);
    expect(result.tasks.status[0]).toBe(TaskStatus.Failed);
    expect(result.tasks.end[0]).toBe(40 * S);
    const a = result.reactions!.availability!;
    expect([a.jobsSucceeded, a.jobsFailed]).toEqual([0, 1]);
    expect(summary.tasks.pendingAtEnd).toBe(0);
  });

  it('the synthetic workload: Borg jobs, availability per kind, the same figures for the same seed', async () => {
    const make = () => syntheticWorkload({ seed: 5, nodes: 4, tasks: 400, hours: 2, instance: { name: 'm5.2xlarge', cpuMillicores: 8000, memoryBytes: 32 * 2 ** 30 } });
    // Every 10 min, every task on node 0 is evicted by the kubelet.
    const chaos: Reaction = {
      name: 'chaos',
      start(h) {
        for (let t = 600 * S; t < 7200 * S; t += 600 * S) {
          h.at(t, () => {
            const on: number[] = [];
            for (let x = h.firstOn(0); x >= 0; x = h.nextOn(x)) on.push(x);
            for (const x of on) h.stopTask(x, StopCause.EvictedByKubelet);
          });
        }
      },
    };
    const a = (await run(make(), chaos, 3)).result.reactions!.availability!;
    const b = (await run(make(), chaos, 3)).result.reactions!.availability!;
    expect(a.byKind.map((k) => k.kind)).toEqual(['BorgJob']);
    expect(a.byKind[0].lost).toBeGreaterThan(0);
    // Borg jobs from the generator have no trace gaps: a lost task is back at once.
    expect(a.byKind[0].recreated).toBe(a.byKind[0].lost);
    expect(a.byKind[0].meanAvailability).toBeLessThan(1);
    expect(b).toEqual(a);
  });
});
