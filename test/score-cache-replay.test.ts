import { describe, expect, it } from 'vitest';
import { syntheticWorkload } from '../workloads/synthetic/generator.js';
import { dynamicsSetup } from '../harness/node-dynamics-config.js';
import { reactionsSetup } from '../harness/reactions/reactions-config.js';
import { loadCatalog } from '../model/instance-catalog.js';
import { BUILTIN_POLICIES } from '../algorithms/registry.js';
import { Rng } from '../model/rng.js';
import type { ScoredPolicy } from '../algorithms/scored-policy.js';
import { INSTANCE, expectSameRuns } from './helpers/score-cache-runs.js';

// The Google 2011 window's exactness runs are in score-cache-google-*.test.ts (one file a policy, so they run in parallel).
describe('score cache exactness: every placement as without it', () => {
  const synthetic = (nodes: number, tasks: number, hours: number, seed = 1) => () => syntheticWorkload({ seed, nodes, tasks, hours, instance: INSTANCE });

  it('every cacheable policy, 1,000 synthetic nodes, 20,000 tasks', async () => {
    const cacheable = BUILTIN_POLICIES.filter((m) => (m.create({ rng: new Rng(1) }) as ScoredPolicy).scoreCache !== undefined);
    expect(cacheable.length).toBeGreaterThanOrEqual(10);
    for (const m of cacheable) await expectSameRuns(synthetic(1_000, 20_000, 12), m.name, 0.5);
  }, 300_000);

  it('kube-default and best-fit, 2,500 synthetic nodes, 100,000 tasks', async () => {
    for (const p of ['kube-default', 'best-fit']) await expectSameRuns(synthetic(2_500, 100_000, 24, 2), p, 0.5);
  }, 300_000);

  it('kube-default and best-fit with node dynamics, overcommit and the reactions on (filters, holds, cordons)', async () => {
    const catalog = loadCatalog();
    for (const p of ['kube-default', 'best-fit']) {
      await expectSameRuns(synthetic(150, 15_000, 12, 3), p, 0.2, async (w) => ({
        dynamics: await dynamicsSetup({ enabled: true, overcommit: 'cpu=1.5,memory=1.2' }, w, 1),
        reactions: reactionsSetup({ preemption: 'borg', controllers: true }, w, catalog, 1),
      }));
    }
  }, 300_000);
});
