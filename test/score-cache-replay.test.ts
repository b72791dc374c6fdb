import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { replay, type ReplayOptions } from '../harness/replay.js';
import { loadPolicy } from '../harness/load-policy.js';
import { readGoogle2011 } from '../workloads/google-2011/reader.js';
import { syntheticWorkload } from '../workloads/synthetic/generator.js';
import { dynamicsSetup } from '../harness/node-dynamics-config.js';
import { reactionsSetup } from '../harness/reactions/reactions-config.js';
import { loadCatalog } from '../model/instance-catalog.js';
import { BUILTIN_POLICIES } from '../algorithms/registry.js';
import { Rng } from '../model/rng.js';
import type { Workload } from '../model/workload.js';
import type { PolicyModule } from '../algorithms/policy.js';
import type { ScoredPolicy } from '../algorithms/scored-policy.js';
import type { ScoreCacheStats } from '../algorithms/score-cache/score-cache.js';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const DATA = path.resolve(ROOT, '..', 'shared', 'data', 'google-2011');
const present = existsSync(path.join(DATA, 'task_events')) && existsSync(path.join(DATA, 'machine_events'));
if (!present) console.warn(`score-cache Google 2011 exactness test skipped: ${DATA} is absent (see ../shared/data/README.md)`);

const INSTANCE = { name: 'm5.2xlarge', cpuMillicores: 8000, memoryBytes: 32 * 2 ** 30 };
const PRICING = { instance: 'm5.2xlarge', pricePerHour: 0.384, region: 'us-east-1', priceDate: '2026-11-01' };

interface Run {
  node: Int32Array;
  start: Float64Array;
  attempts: number;
  stats: ScoreCacheStats | undefined;
}

/** One library replay (dynamics off unless `extra` sets them): every task's node and start. */
async function run(workload: Workload, module: PolicyModule, scoreCache: boolean, extra: Partial<ReplayOptions> = {}): Promise<Run> {
  let created: ScoredPolicy | undefined;
  const watched: PolicyModule = { ...module, create: (o) => (created = module.create(o) as ScoredPolicy) };
  const { result } = await replay({ workload, policy: watched, seed: 1, pricing: PRICING, scoreCache, ...extra });
  const n = result.tasks.count;
  return { node: result.tasks.node.slice(0, n), start: result.tasks.start.slice(0, n), attempts: result.placementAttempts, stats: created?.scoreCache };
}

/** Cached and plain runs place every task on the same node at the same time; the cache answered most decisions. */
function expectSame(cached: Run, plain: Run, minHitShare: number): void {
  expect(plain.stats).toBeUndefined();
  expect(cached.node.length).toBe(plain.node.length);
  expect(cached.attempts).toBe(plain.attempts);
  let firstDiff = -1;
  for (let i = 0; i < plain.node.length && firstDiff < 0; i++) {
    if (cached.node[i] !== plain.node[i] || !Object.is(cached.start[i], plain.start[i])) firstDiff = i;
  }
  expect(firstDiff, firstDiff < 0 ? '' : `task ${firstDiff}: node ${cached.node[firstDiff]} vs ${plain.node[firstDiff]}, start ${cached.start[firstDiff]} vs ${plain.start[firstDiff]}`).toBe(-1);
  const s = cached.stats!;
  expect(s.builds).toBeGreaterThan(0);
  expect(s.hits).toBeGreaterThan(minHitShare * cached.attempts);
}

async function expectSameRuns(open: () => Promise<Workload> | Workload, policyName: string, minHitShare: number, extra?: (w: Workload) => Promise<Partial<ReplayOptions>>): Promise<void> {
  const module = await loadPolicy(policyName);
  const w1 = await open();
  const plain = await run(w1, module, false, extra ? await extra(w1) : {});
  const w2 = await open();
  const cached = await run(w2, module, true, extra ? await extra(w2) : {});
  expectSame(cached, plain, minHitShare);
}

describe('score cache exactness: every placement as without it', () => {
  const synthetic = (nodes: number, tasks: number, hours: number, seed = 1) => () => syntheticWorkload({ seed, nodes, tasks, hours, instance: INSTANCE });

  it('every cacheable policy, 1,000 synthetic nodes, 40,000 tasks', async () => {
    const cacheable = BUILTIN_POLICIES.filter((m) => (m.create({ rng: new Rng(1) }) as ScoredPolicy).scoreCache !== undefined);
    expect(cacheable.length).toBeGreaterThanOrEqual(10);
    for (const m of cacheable) await expectSameRuns(synthetic(1_000, 40_000, 12), m.name, 0.5);
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

  // One pair of runs checks both exact speed-ups: the reference scores every sample afresh and
  // visits every waiting class in each pass (harness/pending-queue.ts sweep), the other runs as
  // the default does (score cache and indexed pass).
  it.skipIf(!present)('kube-default and best-fit on the Google 2011 window (12.5k machines, 936k tasks), cache and indexed pass against neither', async () => {
    for (const p of ['kube-default', 'best-fit']) {
      const m = await loadPolicy(p);
      const plain = await run(await readGoogle2011(DATA), m, false, { indexedPass: false });
      const cached = await run(await readGoogle2011(DATA), m, true);
      expectSame(cached, plain, 0.5);
    }
  }, 600_000);
});
