import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { runSpec, type ReplaySpec } from './replay-spec.js';
import type { RunSummary } from '../reports/summary.js';
import { UsageError } from '../model/errors.js';

export interface CompareOutcome {
  summaries: RunSummary[];
  /** 'workers' when run in parallel worker threads, 'in-process' when running from TS sources. */
  mode: 'workers' | 'in-process';
}

/**
 * Replays the same workload (same spec and seed) under each policy. Runs are independent, so they
 * go to worker threads, at most one per core; results come back as plain summaries, in the
 * order the policies were given.
 */
export async function comparePolicies(base: Omit<ReplaySpec, 'policy'>, policies: string[]): Promise<CompareOutcome> {
  if (policies.length === 0) throw new UsageError('--policies: give at least one policy');
  const workerFile = fileURLToPath(new URL('./compare-worker.js', import.meta.url));
  if (!existsSync(workerFile)) {
    // Running from TypeScript sources (tests): workers would need a TS loader; run one by one.
    const summaries: RunSummary[] = [];
    for (const p of policies) summaries.push((await runSpec({ ...base, policy: p })).summary);
    return { summaries, mode: 'in-process' };
  }
  const limit = Math.max(1, Math.min(policies.length, availableParallelism()));
  const summaries = new Array<RunSummary>(policies.length);
  let next = 0;
  const runOne = (i: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const w = new Worker(workerFile, { workerData: { ...base, policy: policies[i] } satisfies ReplaySpec });
      w.once('message', (m: { summary?: RunSummary; error?: { message: string; name: string; usage: boolean } }) => {
        if (m.error) {
          const err = m.error.usage ? new UsageError(m.error.message) : new Error(m.error.message);
          if (!m.error.usage) err.name = m.error.name;
          reject(err);
        } else {
          summaries[i] = m.summary!;
          resolve();
        }
      });
      w.once('error', reject);
    });
  const lanes = Array.from({ length: limit }, async () => {
    while (next < policies.length) await runOne(next++);
  });
  await Promise.all(lanes);
  return { summaries, mode: 'workers' };
}
