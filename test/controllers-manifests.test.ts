import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import { runSpec, type ReplaySpec } from '../harness/replay-spec.js';
import { ReactionCause } from '../reports/reaction-results.js';
import { TaskStatus } from '../model/task-status.js';
import type { SimulationResult } from '../harness/simulator.js';

/**
 * The controllers on the Kubernetes docs' own StatefulSet (web, 3 replicas) and Job (pi,
 * backoffLimit 4) from ../shared/data/realworld/kubernetes/k8s-website/, on 3 generated nodes (one
 * per zone) under first fit (every pod on node 0, in us-east-1a), with that zone down from 600 s:
 * the node lifecycle controller evicts the pods after its grace period and tolerationSeconds, and
 * what follows is the controllers' rule.
 */
const SITE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'data', 'realworld', 'kubernetes', 'k8s-website');
const present = existsSync(SITE);
if (!present) console.warn(`controllers on the Kubernetes docs' manifests skipped: ${SITE} is absent (see ../shared/data/README.md)`);

const CRASH = 600e6;

function spec(file: string): ReplaySpec {
  return {
    workload: path.join(SITE, file),
    policy: 'first-fit',
    seed: 1,
    nodes: 3,
    tasks: 20_000,
    hours: 24,
    instance: 'm5.2xlarge',
    explicit: ['nodes'],
    dynamics: { enabled: true },
    reactions: { zoneOutages: [`zone=us-east-1a,at=${CRASH / 1e6}s,for=1800s`] },
  };
}

function events(r: SimulationResult, cause: ReactionCause): Array<{ time: number; task: number; amount: number }> {
  const e = r.reactions!.events;
  const out: Array<{ time: number; task: number; amount: number }> = [];
  for (let i = 0; i < e.length; i++) if (e.cause[i] === cause) out.push({ time: e.time[i], task: e.task[i], amount: e.amount[i] });
  return out;
}

describe.skipIf(!present)("controllers on the Kubernetes docs' manifests", () => {
  it('StatefulSet web: its pods come back as the same ordinals, in order — none above pod 0 before pod 0', async () => {
    const { result } = await runSpec(spec('controllers__statefulset.yaml'));
    const t = result.tasks;
    expect(t.count).toBe(3);
    const evicted = events(result, ReactionCause.TaintEviction);
    expect(evicted.map((e) => e.task).sort()).toEqual([0, 1, 2]);
    const lastEviction = Math.max(...evicted.map((e) => e.time));
    // Recreated in ordinal order, each once pod 0 (the last evicted) was gone and running again.
    const rec = events(result, ReactionCause.Recreated);
    expect(rec.map((e) => t.taskIndex[e.task])).toEqual([0, 1, 2]);
    for (const e of rec) expect(e.time).toBe(lastEviction);
    for (let i = 0; i < 3; i++) {
      expect(t.taskIndex[i]).toBe(i);
      expect(t.status[i]).toBe(TaskStatus.Running);
      expect(t.node[i]).not.toBe(0);
      expect(t.start[i]).toBe(lastEviction);
    }
    const w = result.reactions!.availability!.workloads;
    expect(w.map((x) => [x.name, x.kind, x.desired, x.lost, x.recreated])).toEqual([['default/web', 'StatefulSet', 3, 3, 3]]);
    // Not ready from the crash (its node down) until the replacements run.
    expect(w[0].degradedSeconds).toBeCloseTo((lastEviction - CRASH) / 1e6, 6);
    expect(w[0].minAvailability).toBe(0);
  });

  it('Job pi: its evicted pod is a failure, replaced after the 10-s back-off; the Job goes on', async () => {
    const { result } = await runSpec(spec('controllers__job.yaml'));
    const [evicted] = events(result, ReactionCause.TaintEviction);
    const rec = events(result, ReactionCause.Recreated);
    expect(rec).toEqual([{ time: evicted.time + 10e6, task: 0, amount: 10 }]);
    expect(result.tasks.start[0]).toBe(evicted.time + 10e6);
    expect(result.tasks.status[0]).toBe(TaskStatus.Running);
    const a = result.reactions!.availability!;
    expect([a.jobsSucceeded, a.jobsFailed]).toEqual([0, 0]);
    expect(a.workloads[0].degradedSeconds).toBeCloseTo((evicted.time + 10e6 - CRASH) / 1e6, 6);
  });
});
