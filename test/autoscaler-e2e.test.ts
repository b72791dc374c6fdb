import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readKubernetesManifests } from '../workloads/kubernetes/reader.js';
import { replay } from '../harness/replay.js';
import { firstFit } from '../algorithms/classic/first-fit.js';
import { createControllers } from '../harness/controllers/controller-reaction.js';
import { autoscalerSetup, type AutoscalerSpec } from '../harness/autoscaler/autoscaler-config.js';
import type { Reaction } from '../harness/reactions/reaction-host.js';
import { ReactionCause } from '../reports/reaction-results.js';
import { TaskStatus } from '../model/task-status.js';
import type { Workload } from '../model/workload.js';
import { loadCatalog } from '../model/instance-catalog.js';
import { PRICING, tinyWorkload } from './helpers/tiny-workload.js';

/**
 * The autoscalers through the simulator (the real reaction host, first fit as the policy). Every
 * expected figure follows from the rules and the inputs: provisioning delay 2 min, scan every
 * 10 s (the loop at an instant runs before that instant's scheduling pass, so pods that fail at
 * t are first seen by the loop at the next multiple of 10 s after t), scale-down after 10 min
 * unneeded, the catalog's shapes and prices.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const DEMO = path.join(here, '..', '..', 'shared', 'data', 'realworld', 'kubernetes', 'microservices-demo', 'release', 'kubernetes-manifests.yaml');
const present = existsSync(DEMO);
if (!present) console.warn(`autoscaler end-to-end test on real manifests skipped: ${DEMO} is absent (see ../shared/data/README.md)`);

const S = 1e6;
const catalog = loadCatalog();
const NO_BUDGETS = { budgetsOf: (): readonly number[] => [], allowed: () => Infinity };

async function run(w: Workload, spec: AutoscalerSpec, horizon: number, withControllers: boolean, seed = 1) {
  const autoscaler = autoscalerSetup(spec, w, catalog, NO_BUDGETS)!;
  const list: Reaction[] = withControllers ? [createControllers(w, seed), autoscaler] : [autoscaler];
  return replay({ workload: w, policy: firstFit, seed, pricing: PRICING, horizon, reactions: () => ({ list, settings: {} }) });
}

const indices = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe.skipIf(!present)('cluster autoscaler on Online Boutique, from no node at all', () => {
  it('buys one m5.large for the 12 pods (1,570m CPU, 1,368 MiB), which start when it registers (10 s + 2 min)', async () => {
    const w = await readKubernetesManifests(DEMO, { deferGeneratedNodes: true });
    expect(w.machines).toHaveLength(0);
    const { result } = await run(w, { nodeGroups: 'name=general,instance=m5.large,min=0,max=10,zone=us-east-1a' }, 3600 * S, true);
    const a = result.reactions!.autoscaler!;
    // 1,570m of an m5.large's 2,000m: one node (binpacking), 0.785 utilization (never unneeded).
    expect(a).toMatchObject({ mode: 'cluster-autoscaler', scaleUps: 1, nodesAdded: 1, nodesRemoved: 0, unhelpable: 0 });
    const t = result.tasks;
    const pods = indices(t.count);
    expect(pods.filter((i) => t.status[i] === TaskStatus.Running)).toHaveLength(12);
    expect(new Set(pods.map((i) => t.start[i] / S))).toEqual(new Set([130]));
    expect(result.cluster.ids).toEqual(['general-0']);
    expect(result.cluster.labels[0]['topology.kubernetes.io/zone']).toBe('us-east-1a');
    // The node from 130 s to the end: 3,470 s of an m5.large at $0.096/h, as the simulator counted it.
    expect(a.groups).toEqual([{ group: 'general', instanceType: 'm5.large', zone: 'us-east-1a', nodeHours: 3470 / 3600, cost: (3470 / 3600) * 0.096, peakNodes: 1, added: 1, removed: 0 }]);
    expect(a.groups[0].nodeHours).toBeCloseTo(result.nodeArea / 3.6e9, 12);
  });
});

describe('cluster autoscaler through the simulator', () => {
  it('scales up for a burst, and removes the nodes 10 minutes after they empty', async () => {
    // Four 1.5-CPU tasks at 0 for 30 min, no node: at the 10 s loop four m5.large (one task each),
    // registered at 130 s; the tasks finish at 1,930 s; the nodes are unneeded from the 1,930 s
    // loop and go together (empty nodes in bulk) at 2,530 s.
    const w = tinyWorkload([], Array.from({ length: 4 }, () => ({ submit: 0, duration: 1800 * S, cpu: 1500, mem: 2 ** 30 })), { horizon: 3600 * S });
    const { result } = await run(w, { nodeGroups: 'name=a,instance=m5.large,max=10' }, 3600 * S, false);
    const a = result.reactions!.autoscaler!;
    expect(a).toMatchObject({ scaleUps: 1, nodesAdded: 4, nodesRemoved: 4 });
    expect(Array.from(result.tasks.start.subarray(0, 4))).toEqual([130 * S, 130 * S, 130 * S, 130 * S]);
    expect(Array.from(result.tasks.status.subarray(0, 4))).toEqual([TaskStatus.Finished, TaskStatus.Finished, TaskStatus.Finished, TaskStatus.Finished]);
    const ev = result.reactions!.events;
    const at = (cause: ReactionCause) => indices(ev.length).filter((i) => ev.cause[i] === cause).map((i) => ev.time[i] / S);
    expect(at(ReactionCause.ScaleUp)).toEqual([10, 10, 10, 10]);
    expect(at(ReactionCause.ScaleDown)).toEqual([2530, 2530, 2530, 2530]);
    expect(a.groups[0].nodeHours).toBeCloseTo((4 * (2530 - 130)) / 3600, 9);
    expect(a.groups[0].nodeHours).toBeCloseTo(result.nodeArea / 3.6e9, 9);
    expect(a.groups[0].peakNodes).toBe(4);
  });

  it('grows again for a later pod, and removes that node once it empties', async () => {
    // t0 (1.5 CPU, 2 h) and t1 (0.4 CPU, 2 h) at 0: the estimator packs both on one m5.large
    // (1.9 of 2 CPU), a-0, registered at 130 s. t2 (1 CPU, 10 min) at 300 s fits nowhere: the
    // 310 s loop asks for a-1, which takes it at 430 s; t2 ends at 1,030 s, a-1 is unneeded from
    // that loop and removed 10 minutes later, at 1,630 s. a-0 (0.95 used) stays.
    const w = tinyWorkload([], [
      { submit: 0, duration: 7200 * S, cpu: 1500, mem: 2 ** 30 },
      { submit: 0, duration: 7200 * S, cpu: 400, mem: 2 ** 30 },
      { submit: 300 * S, duration: 600 * S, cpu: 1000, mem: 2 ** 30 },
    ], { horizon: 7200 * S });
    const { result } = await run(w, { nodeGroups: 'name=a,instance=m5.large,max=10' }, 7200 * S, false);
    const a = result.reactions!.autoscaler!;
    expect(a).toMatchObject({ scaleUps: 2, nodesAdded: 2, nodesRemoved: 1 });
    expect(result.tasks.start[2]).toBe(430 * S);
    const ev = result.reactions!.events;
    expect(indices(ev.length).filter((i) => ev.cause[i] === ReactionCause.ScaleDown).map((i) => [ev.time[i] / S, result.cluster.ids[ev.node[i]]])).toEqual([[1630, 'a-1']]);
  });

  it('is the same run for the same seed (random expander)', async () => {
    const make = () => tinyWorkload([], Array.from({ length: 6 }, (_, i) => ({ submit: i * 60 * S, duration: 900 * S, cpu: 1200, mem: 2 ** 30 })), { horizon: 3600 * S });
    const spec = { nodeGroups: 'name=a,instance=m5.large,max=10;name=b,instance=m5.xlarge,max=10' };
    const r1 = await run(make(), spec, 3600 * S, false, 5);
    const r2 = await run(make(), spec, 3600 * S, false, 5);
    expect(r2.result.reactions!.autoscaler).toEqual(r1.result.reactions!.autoscaler);
    expect(r2.result.cluster.ids).toEqual(r1.result.cluster.ids);
  });
});

describe('Karpenter through the simulator', () => {
  it('launches the cheapest type for the batch, then replaces it by a cheaper one when the load shrinks', async () => {
    // Three 1.5-CPU tasks at 0: one c5.2xlarge (4.5 CPU; $0.34, the cheapest that holds them),
    // launched when the batch closes (1 s) and registered at 121 s. Two end at 1,921 s; the third
    // (2 h) fits an m5.large ($0.096): a replacement is launched at the next 10 s poll, and the
    // old node drained once it is Ready; the evicted task is requeued and runs on the new node.
    const w = tinyWorkload([], [
      { submit: 0, duration: 1800 * S, cpu: 1500, mem: 2 ** 30 },
      { submit: 0, duration: 1800 * S, cpu: 1500, mem: 2 ** 30 },
      { submit: 0, duration: 7200 * S, cpu: 1500, mem: 2 ** 30 },
    ], { horizon: 7200 * S });
    const { result } = await run(w, { nodeGroups: 'name=k,instances=m5.large|m5.xlarge|c5.2xlarge|m5.2xlarge,max=10', mode: 'karpenter' }, 7200 * S, false);
    const a = result.reactions!.autoscaler!;
    expect(a).toMatchObject({ mode: 'karpenter', nodesAdded: 2, nodesRemoved: 1, replacements: 1 });
    expect(result.cluster.instanceTypes).toEqual(['c5.2xlarge', 'm5.large']);
    expect(result.tasks.start[0]).toBe(121 * S);
    const third = 2;
    expect(result.tasks.attempts[third]).toBe(2);
    expect(result.tasks.node[third]).toBe(1);
    expect(a.groups.map((g) => [g.instanceType, g.added, g.removed])).toEqual([
      ['c5.2xlarge', 1, 1],
      ['m5.large', 1, 0],
    ]);
  });
});
