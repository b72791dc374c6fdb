import { expect } from 'vitest';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { replay, type ReplayOptions } from '../../harness/replay.js';
import { loadPolicy } from '../../harness/load-policy.js';
import { readGoogle2011 } from '../../workloads/google-2011/reader.js';
import type { Workload } from '../../model/workload.js';
import type { PolicyModule } from '../../algorithms/policy.js';
import type { ScoredPolicy } from '../../algorithms/scored-policy.js';
import type { ScoreCacheStats } from '../../algorithms/score-cache/score-cache.js';

/** Replays with and without the score cache (and the indexed pass), compared placement by placement (issue 13's exactness). */
const ROOT = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const DATA = path.resolve(ROOT, '..', 'shared', 'data', 'google-2011');
export const present = existsSync(path.join(DATA, 'task_events')) && existsSync(path.join(DATA, 'machine_events'));

export const INSTANCE = { name: 'm5.2xlarge', cpuMillicores: 8000, memoryBytes: 32 * 2 ** 30 };
const PRICING = { instance: 'm5.2xlarge', pricePerHour: 0.384, region: 'us-east-1', priceDate: '2026-11-01' };

export interface Run {
  summary: Awaited<ReturnType<typeof replay>>['summary'];
  node: Int32Array;
  start: Float64Array;
  attempts: number;
  stats: ScoreCacheStats | undefined;
}

/** One library replay (dynamics off unless `extra` sets them): every task's node and start. */
export async function run(workload: Workload, module: PolicyModule, scoreCache: boolean, extra: Partial<ReplayOptions> = {}): Promise<Run> {
  let created: ScoredPolicy | undefined;
  const watched: PolicyModule = { ...module, create: (o) => (created = module.create(o) as ScoredPolicy) };
  const { result, summary } = await replay({ workload, policy: watched, seed: 1, pricing: PRICING, scoreCache, ...extra });
  const n = result.tasks.count;
  return { summary, node: result.tasks.node.slice(0, n), start: result.tasks.start.slice(0, n), attempts: result.placementAttempts, stats: created?.scoreCache };
}

/** Cached and plain runs place every task on the same node at the same time; the cache answered most decisions. */
export function expectSame(cached: Run, plain: Run, minHitShare: number): void {
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

export async function expectSameRuns(open: () => Promise<Workload> | Workload, policyName: string, minHitShare: number, extra?: (w: Workload) => Promise<Partial<ReplayOptions>>): Promise<void> {
  const module = await loadPolicy(policyName);
  const w1 = await open();
  const plain = await run(w1, module, false, extra ? await extra(w1) : {});
  const w2 = await open();
  const cached = await run(w2, module, true, extra ? await extra(w2) : {});
  expectSame(cached, plain, minHitShare);
}

/**
 * The Google 2011 window under `policy`: the reference scores every sample afresh and (with
 * `reference` 'neither') visits every waiting class in each pass (harness/pending-queue.ts sweep),
 * the other runs as the default does (score cache and indexed pass); every placement must be the same.
 */
export async function expectGoogleExact(policy: string, reference: 'neither' | 'no-cache' = 'neither'): Promise<Run> {
  const m = await loadPolicy(policy);
  // 'no-cache': the reference keeps the indexed pass and only scores afresh (the pass itself is
  // checked against the full one by the kube-default file and test/indexed-pass.test.ts).
  const plain = await run(await readGoogle2011(DATA), m, false, reference === 'neither' ? { indexedPass: false } : {});
  const cached = await run(await readGoogle2011(DATA), m, true);
  expectSame(cached, plain, 0.5);
  return cached;
}
