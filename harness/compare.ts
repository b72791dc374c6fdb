import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { runSpec, type ReplaySpec } from './replay-spec.js';
import type { DynamicsSpec } from './dynamics-spec.js';
import type { RunSummary } from '../reports/summary.js';
import { writeResultsFolder, type RunRecord } from '../reports/results-folder.js';
import { ResultsSpool } from '../reports/results-spool.js';
import { UsageError } from '../model/errors.js';
import type { SpreadChoice } from './experiments/zone-spread-workload.js';

export interface CompareOutcome {
  summaries: RunSummary[];
  /** 'workers' when run in parallel worker threads, 'in-process' when running from TS sources. */
  mode: 'workers' | 'in-process';
}

/** One run of a comparison: its column label and its spec. */
export interface CompareRun {
  label: string;
  /** The policy, and the overcommit setting when compare has an overcommit dimension. */
  policy: string;
  overcommit?: string;
  /** With a spread dimension: 'none' (as written), 'zone' or 'zone-soft'. */
  spread?: SpreadChoice;
  spec: ReplaySpec;
}

/**
 * The runs of a comparison: every policy crossed with every overcommit setting (policies outer,
 * settings inner, in the order given), then with every spread, each with the base spec and seed. Without overcommit
 * settings, one run per policy labelled by its name; with them, `policy oc=<setting label>`, the
 * setting going into the run's DynamicsSpec (`overcommit`), dynamics on or off as the base says.
 */
export function compareRuns(
  base: Omit<ReplaySpec, 'policy'>,
  policies: readonly string[],
  overcommits: ReadonlyArray<{ label: string; setting: string }> = [],
  spreads: readonly SpreadChoice[] = [],
): CompareRun[] {
  const runs = policyRuns(base, policies, overcommits);
  // A spread dimension (--spread none,zone): each run as written and with a hard zone spread.
  if (spreads.length === 0) return runs;
  return runs.flatMap((r) => spreads.map((spread) => ({ ...r, label: `${r.label} spread=${spread}`, spread, spec: { ...r.spec, spread } })));
}

function policyRuns(base: Omit<ReplaySpec, 'policy'>, policies: readonly string[], overcommits: ReadonlyArray<{ label: string; setting: string }>): CompareRun[] {
  if (policies.length === 0) throw new UsageError('--policies: give at least one policy');
  if (overcommits.length === 0) return policies.map((policy) => ({ label: policy, policy, spec: { ...base, policy } }));
  const dynamics: DynamicsSpec = base.dynamics ?? { enabled: true };
  // Overcommit is part of the node dynamics: with them off the settings would be ignored.
  if (!dynamics.enabled) throw new UsageError('--overcommit: applies to node dynamics, which are off (--no-dynamics or --placement recorded)');
  return policies.flatMap((policy) =>
    overcommits.map((oc) => ({
      label: `${policy} oc=${oc.label}`,
      policy,
      overcommit: oc.label,
      spec: { ...base, policy, dynamics: { ...dynamics, overcommit: oc.setting } },
    })),
  );
}

/**
 * Replays the same workload (same spec and seed) under each policy. See compareSpecs.
 */
export async function comparePolicies(base: Omit<ReplaySpec, 'policy'>, policies: string[]): Promise<CompareOutcome> {
  return compareSpecs(compareRuns(base, policies).map((r) => r.spec));
}

/** Where one run of a comparison writes its results folder (`compare --out`), and its record without what the run adds (notes, summary). */
export interface RunOutput {
  dir: string;
  record: Omit<RunRecord, 'workloadNotes' | 'summary'>;
}

/** Writes a finished run's results folder (reports/results-folder.ts), with the wall time in timing.json. */
export async function writeRunOutput(out: RunOutput, o: Awaited<ReturnType<typeof runSpec>>, spool?: ResultsSpool): Promise<void> {
  const events = Object.values(o.summary.events).reduce((x, y) => x + y, 0);
  const timing = { wallSeconds: o.wallSeconds, events, eventsPerSecond: Math.round(events / Math.max(o.wallSeconds, 1e-9)) };
  await writeResultsFolder(out.dir, { ...out.record, workloadNotes: o.workload.notes, summary: o.summary }, o.result, o.workload.jobs, timing, undefined, spool);
}

/** One run of a comparison, and its results folder when asked (task rows and events spooled as they leave memory, if they do). */
export async function runWithOutput(spec: ReplaySpec, out?: RunOutput): Promise<Awaited<ReturnType<typeof runSpec>>> {
  const spool = out ? new ResultsSpool(out.dir) : undefined;
  try {
    const o = await runSpec(spec, undefined, spool?.sinks);
    if (out) await writeRunOutput(out, o, spool);
    return o;
  } finally {
    spool?.dispose();
  }
}

/**
 * Replays each spec. Runs are independent, so they go to worker threads, at most one per core;
 * results come back as plain summaries, in the order the specs were given. With `outputs`, each
 * run also writes its results folder (in its worker: the per-task results never cross threads).
 */
export async function compareSpecs(specs: readonly ReplaySpec[], outputs?: readonly RunOutput[]): Promise<CompareOutcome> {
  if (specs.length === 0) throw new UsageError('--policies: give at least one policy');
  const workerFile = fileURLToPath(new URL('./compare-worker.js', import.meta.url));
  if (!existsSync(workerFile)) {
    // Running from TypeScript sources (tests): workers would need a TS loader; run one by one.
    const summaries: RunSummary[] = [];
    for (const [i, spec] of specs.entries()) {
      const o = await runWithOutput(spec, outputs?.[i]);
      summaries.push(o.summary);
    }
    return { summaries, mode: 'in-process' };
  }
  const limit = Math.max(1, Math.min(specs.length, availableParallelism()));
  const summaries = new Array<RunSummary>(specs.length);
  let next = 0;
  const runOne = (i: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const w = new Worker(workerFile, { workerData: { spec: specs[i], output: outputs?.[i] } });
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
    while (next < specs.length) await runOne(next++);
  });
  await Promise.all(lanes);
  return { summaries, mode: 'workers' };
}
