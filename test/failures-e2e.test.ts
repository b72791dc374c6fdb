import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readKubernetesManifests } from '../workloads/kubernetes/reader.js';
import { replay } from '../harness/replay.js';
import { firstFit } from '../algorithms/classic/first-fit.js';
import { createControllers } from '../harness/controllers/controller-reaction.js';
import { failuresSetup, type FailuresSpec } from '../harness/failures/failures-config.js';
import { TaskStatus } from '../model/task-status.js';
import { ReactionCause } from '../reports/reaction-results.js';
import type { Workload } from '../model/workload.js';
import { GiB } from '../model/units.js';
import { PRICING, tinyWorkload } from './helpers/tiny-workload.js';

/**
 * Failures through the simulator (the real reaction host): Online Boutique
 * (../shared/data/realworld/kubernetes/microservices-demo, 12 Deployments of one replica each) on
 * 6 generated m5.2xlarge nodes in 3 zones (node i in zone i mod 3), zone us-east-1a down at 1 h
 * for 30 min. Expected figures follow from the rules: first fit packs the 12 pods (1,570m CPU) on
 * node 0 (us-east-1a); the zone's nodes 0 and 3 go NotReady at the first 5 s pass after
 * 3600 + 50 s (3655 s); node 0 is tainted then (its zone is fully disrupted, the others are not:
 * normal rate, full bucket), node 3 ten seconds later; the 12 pods leave 300 s after the taint and
 * their Deployments make them again on node 1 (us-east-1b), the first node that takes pods.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const DEMO = path.join(here, '..', '..', 'shared', 'data', 'realworld', 'kubernetes', 'microservices-demo', 'release', 'kubernetes-manifests.yaml');
const present = existsSync(DEMO);
if (!present) console.warn(`failures end-to-end test on real manifests skipped: ${DEMO} is absent (see ../shared/data/README.md)`);

const S = 1e6;

async function run(w: Workload, spec: FailuresSpec, horizon: number, seed = 1) {
  const failures = failuresSetup(spec, w, seed)!;
  return replay({ workload: w, policy: firstFit, seed, pricing: PRICING, horizon, reactions: () => ({ list: [createControllers(w, seed), failures], settings: {} }) });
}

describe.skipIf(!present)('a zone outage on Online Boutique, through the simulator', () => {
  it('the failed zone’s pods are evicted on time and recreated in another zone', async () => {
    const w = await readKubernetesManifests(DEMO, { nodes: 6, nodeShape: { cpuMillicores: 8000, memoryBytes: 32 * GiB }, instanceType: 'm5.2xlarge' });
    const { result } = await run(w, { zoneOutages: ['zone=us-east-1a,at=1h,for=30m'] }, 3 * 3600 * S);
    const r = result.reactions!;
    const ev = r.events;
    const rows = (cause: ReactionCause) => Array.from({ length: ev.length }, (_, i) => i).filter((i) => ev.cause[i] === cause);
    const zoneA = [0, 3];
    expect(rows(ReactionCause.NodeFailed).map((i) => [ev.time[i] / S, ev.node[i]])).toEqual(zoneA.map((n) => [3600, n]));
    expect(rows(ReactionCause.NodeNotReady).map((i) => [ev.time[i] / S, ev.node[i]])).toEqual(zoneA.map((n) => [3655, n]));
    const evicted = rows(ReactionCause.TaintEviction);
    expect(evicted).toHaveLength(12);
    expect(new Set(evicted.map((i) => ev.time[i] / S))).toEqual(new Set([3955]));
    expect(new Set(evicted.map((i) => ev.node[i]))).toEqual(new Set([0]));
    // Each had run 3600 s before the crash: that work is lost.
    expect(r.failures).toMatchObject({ nodeFailures: 2, nodeRecoveries: 2, zoneOutages: 1, taintEvictions: 12 });
    expect(r.failures!.lostWorkSeconds).toBeCloseTo(12 * 3600, 6);
    expect(r.failures!.downNodeHours).toBeCloseTo(2 * 0.5, 9);
    expect(r.failures!.zoneSeconds['us-east-1a']).toEqual({ normal: 3 * 3600 - (5405 - 3655), partial: 0, full: 5405 - 3655 });
    // At the end every pod runs again, in us-east-1b.
    const t = result.tasks;
    const running = Array.from({ length: t.count }, (_, i) => i).filter((i) => t.status[i] === TaskStatus.Running);
    expect(running).toHaveLength(12);
    expect(new Set(running.map((i) => result.cluster.labels[t.node[i]]['topology.kubernetes.io/zone']))).toEqual(new Set(['us-east-1b']));
    expect(r.settings['zone outage 1']).toBe('zone us-east-1a down at 1h for 30m (2 nodes at setup)');
  });
});

describe('failures through the simulator on a hand-made cluster', () => {
  it('a node back before its pods’ toleration ends keeps them (restarted in place, not moved); same seed, same run', async () => {
    // Two nodes without labels (one zone); task 0 on node 0 for 10,000 s. Node 0's rack fails at
    // 100 s for 200 s: NotReady at 155 s, tainted at 155 s, back at 300 s (< 455 s): the task
    // restarts at 300 s and finishes at 300 + 10,000 s.
    const w = tinyWorkload([[1000, 1000], [1000, 1000]], [{ submit: 0, duration: 10_000 * S, cpu: 600, mem: 1 }], { horizon: 20_000 * S });
    w.machines[0].labels = { 'schedlab.io/rack': 'r0' };
    w.machines[1].labels = { 'schedlab.io/rack': 'r1' };
    const a = await run(w, { zoneOutages: ['rack=r0,at=100s,for=200s'] }, 20_000 * S);
    expect(a.result.tasks.end[0]).toBe(10_300 * S);
    expect(a.result.tasks.node[0]).toBe(0);
    expect(a.result.reactions!.failures).toMatchObject({ taintEvictions: 0, nodeFailures: 1, nodeRecoveries: 1, lostWorkSeconds: 100 });

    // A failure model on the same cluster: deterministic per seed.
    const b1 = await run(w, { failures: 'mtbf=1h,mttr=10m' }, 20_000 * S, 9);
    const b2 = await run(w, { failures: 'mtbf=1h,mttr=10m' }, 20_000 * S, 9);
    expect(b1.result.reactions!.failures).toEqual(b2.result.reactions!.failures);
    expect(b1.result.reactions!.failures!.nodeFailures).toBeGreaterThan(0);
  });
});
