import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import { runSpec, type ReplaySpec } from '../harness/replay-spec.js';
import { TaskStatus } from '../model/task-status.js';
import type { SimulationResult } from '../harness/simulator.js';
import type { Workload } from '../model/workload.js';

/**
 * The end-to-end scenario on real manifests: Online Boutique (microservices-demo), every
 * service at 3 replicas, 6 generated nodes over 3 zones (round-robin: node-0 in us-east-1a, node-1
 * in b, ...), one zone down from 10 to 40 minutes, with and without topology spread. Expectations
 * follow from the rules, not from a previous run: a node that fails is tainted after the
 * monitor grace period and its pods are evicted tolerationSeconds (300 s) later; controllers
 * recreate them at once; a hard zone spread (DoNotSchedule) keeps them out of the surviving zones
 * while the lost zone still counts as a domain, a soft one does not.
 */
const DEMO = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'data', 'realworld', 'kubernetes', 'microservices-demo', 'kubernetes-manifests');
const present = existsSync(DEMO);
if (!present) console.warn(`zone-outage scenario on real manifests skipped: ${DEMO} is absent (see ../shared/data/README.md)`);

const OUTAGE_AT = 600e6;
const OUTAGE_FOR = 1800e6;
const TOLERATION = 300e6;

function spec(policy: string, zone: string, spread: ReplaySpec['spread'] = 'none'): ReplaySpec {
  return {
    workload: DEMO,
    policy,
    seed: 1,
    nodes: 6,
    tasks: 20_000,
    hours: 24,
    instance: 'm5.2xlarge',
    explicit: ['nodes'],
    dynamics: { enabled: true },
    minReplicas: 3,
    spread,
    reactions: { zoneOutages: [`zone=${zone},at=${OUTAGE_AT / 1e6}s,for=${OUTAGE_FOR / 1e6}s`] },
  };
}

/** Per workload, the fewest ready replicas seen (from the availability report) and how many it wants. */
function worst(r: SimulationResult): Array<{ name: string; min: number; desired: number }> {
  return r.reactions!.availability!.workloads.map((w) => ({ name: w.name, min: w.minAvailability * w.desired, desired: w.desired }));
}

describe.skipIf(!present)('zone outage on Online Boutique: the value of spreading', () => {
  it('kube-framework (default topology spread) never loses every replica of a service, whichever zone fails', async () => {
    for (const zone of ['us-east-1a', 'us-east-1b', 'us-east-1c']) {
      const { result } = await runSpec(spec('kube-framework', zone));
      const w = worst(result);
      expect(w.length).toBe(12);
      for (const x of w) expect(x.min, `${x.name} in the ${zone} outage`).toBeGreaterThanOrEqual(2);
      // One replica per service was in the failed zone, and each was evicted and recreated.
      expect(result.reactions!.failures!.taintEvictions).toBe(12);
    }
  });

  it('first fit packs every service into the first node: its zone failing takes all of them down', async () => {
    const { result, workload } = await runSpec(spec('first-fit', 'us-east-1a'));
    const w = worst(result);
    expect(w.length).toBe(12);
    for (const x of w) expect(x.min, x.name).toBe(0);
    // Every pod was evicted from the failed zone, once its toleration ran out after the grace period.
    const evicted = result.reactions!.failures!.taintEvictions;
    expect(evicted).toBe(replicatedPods(workload, result));
    const t = result.tasks;
    for (let i = 0; i < t.count; i++) {
      if (t.attempts[i] < 2) continue;
      expect(t.start[i]).toBeGreaterThanOrEqual(OUTAGE_AT + TOLERATION);
      expect(t.start[i]).toBeLessThan(OUTAGE_AT + OUTAGE_FOR);
    }
  });

  it('a hard zone spread keeps the evicted replicas pending until the zone returns; a soft one lets them move', async () => {
    const hard = (await runSpec(spec('kube-framework', 'us-east-1a', 'zone'))).result;
    const soft = (await runSpec(spec('kube-framework', 'us-east-1a', 'zone-soft'))).result;
    for (const [r, label] of [[hard, 'hard'], [soft, 'soft']] as const) {
      const w = worst(r);
      // Spread one per zone: the outage costs each service one replica, never more.
      for (const x of w) expect(x.min, `${label}: ${x.name}`).toBe(2);
    }
    const restarted = (r: SimulationResult): number[] => {
      const out: number[] = [];
      for (let i = 0; i < r.tasks.count; i++) if (r.tasks.attempts[i] >= 2 && r.tasks.status[i] === TaskStatus.Running) out.push(r.tasks.start[i]);
      return out;
    };
    const hardStarts = restarted(hard);
    const softStarts = restarted(soft);
    expect(hardStarts.length).toBe(12);
    expect(softStarts.length).toBe(12);
    // DoNotSchedule: the failed zone's nodes still count (nodeTaintsPolicy Ignore), so a second
    // replica elsewhere would make the skew 2: the pods wait for the zone's recovery.
    for (const s of hardStarts) expect(s).toBeGreaterThanOrEqual(OUTAGE_AT + OUTAGE_FOR);
    for (const s of softStarts) expect(s).toBeLessThan(OUTAGE_AT + OUTAGE_FOR);
    const mean = (r: SimulationResult): number => r.reactions!.availability!.workloads.reduce((a, w) => a + w.meanAvailability, 0) / 12;
    expect(mean(hard)).toBeLessThan(mean(soft));
  });
});

/** Pods of the replicated services (3 each), as the workload states them. */
function replicatedPods(w: Workload, r: SimulationResult): number {
  let n = 0;
  for (let i = 0; i < r.tasks.count; i++) if (w.controllers?.[r.tasks.job[i]]?.kind === 'Deployment') n++;
  return n;
}
