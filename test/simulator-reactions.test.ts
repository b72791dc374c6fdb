import { describe, expect, it } from 'vitest';
import { replay } from '../harness/replay.js';
import { firstFit } from '../algorithms/classic/first-fit.js';
import { TaskStatus } from '../model/task-status.js';
import { allocTaskBatch } from '../model/task-batch.js';
import { StopCause, type Reaction, type ReactionHost } from '../harness/reactions/reaction-host.js';
import { ReactionCause } from '../reports/reaction-results.js';
import { tinyWorkload, PRICING } from './helpers/tiny-workload.js';

const S = 1e6;

/** Runs a tiny workload under first fit with the given reactions. */
async function run(w: ReturnType<typeof tinyWorkload>, reactions: Reaction[]) {
  return replay({ workload: w, policy: firstFit, seed: 1, pricing: PRICING, reactions: () => ({ list: reactions, settings: { test: 'yes' } }) });
}

describe('the simulator as a reaction host', () => {
  it('runs timers in time order, counts a held task as pending, and starts it out of the queue', async () => {
    // One node of 1000 mc. A fills it for 10 s. B (1000 mc) finds no node at 1 s: the reaction
    // takes it out of the queue, and at 20 s (A gone) starts it itself.
    const w = tinyWorkload([[1000, 1000]], [
      { submit: 0, duration: 10 * S, cpu: 1000, mem: 1 },
      { submit: 1 * S, duration: 5 * S, cpu: 1000, mem: 1 },
    ], { horizon: 100 * S });
    let host!: ReactionHost;
    const seen: string[] = [];
    let pendingWhileHeld = -1;
    const r: Reaction = {
      name: 'nominate',
      start: (h) => {
        host = h;
      },
      unplaced(task, t) {
        seen.push(`unplaced ${task} at ${t / S}`);
        host.at(20 * S, (tt) => {
          seen.push(`timer at ${tt / S}`);
          host.startOn(task, 0);
        });
        host.at(15 * S, () => {
          pendingWhileHeld = host.tasks.status[task];
        });
        return true;
      },
      started: (task, node, t) => seen.push(`started ${task} on ${node} at ${t / S}`),
      stopped: (task, _node, t, cause, lost) => seen.push(`stopped ${task} at ${t / S} cause ${cause} lost ${lost}`),
    };
    const { result, summary } = await run(w, [r]);
    expect(seen).toEqual([
      'started 0 on 0 at 0',
      'unplaced 1 at 1',
      'stopped 0 at 10 cause 0 lost 0',
      'timer at 20',
      'started 1 on 0 at 20',
      'stopped 1 at 25 cause 0 lost 0',
    ]);
    expect(pendingWhileHeld).toBe(TaskStatus.Pending);
    expect(result.tasks.start[1]).toBe(20 * S);
    expect(summary.tasks.pendingAtEnd).toBe(0);
    expect(result.reactions?.settings.test).toBe('yes');
  });

  it('a crashed node freezes its tasks; recovery restarts them from scratch; removal stops them', async () => {
    // Task 0 (100 s) on node 0; the node is down 10..30 s: it finishes at 30 + 100 = 130 s.
    const w = tinyWorkload([[1000, 1000]], [{ submit: 0, duration: 100 * S, cpu: 500, mem: 1 }], { horizon: 300 * S });
    const r: Reaction = {
      name: 'crash',
      start(h) {
        h.at(10 * S, () => h.setNodeDown(0, true));
        h.at(30 * S, () => h.setNodeDown(0, false));
      },
    };
    const { result } = await run(w, [r]);
    expect(result.tasks.end[0]).toBe(130 * S);
    expect(result.tasks.attempts[0]).toBe(2);

    // Without recovery the task never finishes; removing the node at 50 s evicts it (10 s of work lost).
    const w2 = tinyWorkload([[1000, 1000], [1000, 1000]], [{ submit: 0, duration: 100 * S, cpu: 500, mem: 1 }], { horizon: 300 * S });
    const lostSeen: number[] = [];
    const r2: Reaction = {
      name: 'crash-remove',
      start(h) {
        h.at(10 * S, () => h.setNodeDown(0, true));
        h.at(50 * S, () => h.removeNode(0, StopCause.NodeLost));
      },
      stopped: (_task, _node, _t, cause, lost) => {
        if (cause === StopCause.NodeLost) lostSeen.push(lost);
      },
    };
    const out = await run(w2, [r2]);
    expect(lostSeen).toEqual([10]);
    // No controller owns recreation: the task is requeued at once, and runs on node 1 from 50 s.
    expect(out.result.tasks.node[0]).toBe(1);
    expect(out.result.tasks.start[0]).toBe(50 * S);
    expect(out.result.tasks.status[0]).toBe(TaskStatus.Finished);
  });

  it('a NotReady node takes no new tasks but keeps its own', async () => {
    const w = tinyWorkload([[1000, 1000], [1000, 1000]], [
      { submit: 0, duration: 100 * S, cpu: 500, mem: 1 },
      { submit: 5 * S, duration: 10 * S, cpu: 100, mem: 1 },
    ], { horizon: 300 * S });
    const r: Reaction = { name: 'cordon', start: (h) => h.at(1 * S, () => h.setNodeReady(0, false)) };
    const { result } = await run(w, [r]);
    expect(result.tasks.node[0]).toBe(0);
    expect(result.tasks.node[1]).toBe(1);
  });

  it('admission holds a task out of the queue and lets it in later; endForGood ends one', async () => {
    const w = tinyWorkload([[1000, 1000]], [
      { submit: 0, duration: 10 * S, cpu: 100, mem: 1 },
      { submit: 0, duration: 10 * S, cpu: 100, mem: 1 },
    ], { horizon: 100 * S });
    let host!: ReactionHost;
    const r: Reaction = {
      name: 'quota',
      start: (h) => {
        host = h;
      },
      admit(task) {
        if (task === 0) {
          host.at(40 * S, () => host.enqueue(0));
          return false;
        }
        host.at(5 * S, () => host.endForGood(1, 'rejected'));
        return false;
      },
    };
    const { result, summary } = await run(w, [r]);
    expect(result.tasks.start[0]).toBe(40 * S);
    expect(result.tasks.status[1]).toBe(TaskStatus.Rejected);
    expect(summary.tasks.pendingAtEnd).toBe(0);
  });

  it('graceful termination keeps resources for the grace period; events go to the reaction log', async () => {
    const w = tinyWorkload([[1000, 1000]], [{ submit: 0, duration: 100 * S, cpu: 500, mem: 1 }], { horizon: 300 * S });
    let freeDuringGrace = -1;
    const r: Reaction = {
      name: 'terminate',
      ownsRecreation: true,
      start(h) {
        h.at(10 * S, () => {
          expect(h.terminate(0, StopCause.Preempted, 30 * S, () => h.logEvent(ReactionCause.Preempted, 0, 0, 40, 0))).toBe(true);
          expect(h.terminate(0, StopCause.Preempted, 30 * S)).toBe(false);
        });
        h.at(20 * S, () => {
          freeDuringGrace = h.cluster.free[0];
        });
      },
    };
    const { result } = await run(w, [r]);
    expect(freeDuringGrace).toBe(500);
    expect(result.tasks.end[0]).toBe(40 * S);
    // The controller owns recreation and did nothing: the pod waits for it (evicted).
    expect(result.tasks.status[0]).toBe(TaskStatus.Evicted);
    expect(result.reactions!.events.length).toBe(1);
    expect(result.reactions!.events.time[0]).toBe(40 * S);
  });

  it('a new node gets its DaemonSet pods', async () => {
    // The first node has no room: the pod created when the new node joins runs there.
    const w = tinyWorkload([[0, 0]], [], { horizon: 100 * S });
    w.daemonPodsFor = (m, time) => {
      const b = allocTaskBatch(1, 3);
      b.submitTime[0] = time;
      b.duration[0] = NaN;
      b.request.set([50, 1, 0]);
      b.job[0] = w.jobs.length;
      w.jobs.push(`ds@${m.id}`);
      return b;
    };
    const r: Reaction = { name: 'grow', start: (h) => h.at(10 * S, () => h.addNode({ id: 'new', capacity: [1000, 1000, 0] })) };
    const { result } = await run(w, [r]);
    expect(result.tasks.count).toBe(1);
    expect(result.tasks.node[0]).toBe(1);
    expect(result.tasks.start[0]).toBe(10 * S);
  });
});
