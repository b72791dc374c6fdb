/**
 * Scale benchmark (issue 13): the placement path against its floors. Rows: the Google 2011 window
 * (bare parse and replay timed in one process), synthetic L (12,500 nodes / 2M tasks), each for
 * kube-default and best-fit with the score cache on (the default) and off; and a Borg month
 * (12,500 nodes, 25M tasks, 30 days) with node dynamics on. Every run in its own process
 * (bench/scale-bench-child.ts), seed 1. "Plain" = nothing reacts (`--preemption none
 * --no-controllers`) and no node dynamics unless the row says so: the placement figures.
 *
 * With SCHEDLAB_BENCH_BEFORE=<checkout of an earlier commit, built> the same rows also run on that
 * build (the child is copied into its dist/bench), so before and after come from one bench run on
 * one machine state.
 *
 * Targets (issue 13): Google 2011 replay wall ≤ 3× the bare parse; L < 15 s per policy; the month
 * < 10 min and < 4 GiB peak RSS with dynamics on.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../model/package-root.js';
import type { ReplaySpec } from '../harness/replay-spec.js';
import type { ReactionsSpec } from '../harness/reactions/reactions-spec.js';
import type { ScaleRunResult } from './scale-bench-child.js';

const SEED = 1;
const INSTANCE = 'm5.2xlarge';
const POLICIES = ['kube-default', 'best-fit'] as const;
const PLAIN: ReactionsSpec = { preemption: 'none', controllers: false };
export const L_SIZE = { nodes: 12_500, tasks: 2_000_000, hours: 38.4 };
export const MONTH = { nodes: 12_500, tasks: 25_000_000, hours: 720 };
const TARGET_PARSE_RATIO = 3;
const TARGET_L_SECONDS = 15;
const TARGET_MONTH_SECONDS = 600;
const TARGET_MONTH_RSS_MIB = 4096;

interface Row {
  scenario: string;
  policy: string;
  cache: boolean;
  build: 'before' | 'after';
  loadAtStart: number;
  run: ScaleRunResult;
}

const childName = 'scale-bench-child.js';

function runChild(distRoot: string, arg: { spec: ReplaySpec; parseDir?: string }, label: string): ScaleRunResult {
  const child = path.join(distRoot, 'bench', childName);
  const r = spawnSync(process.execPath, ['--max-old-space-size=8192', child, JSON.stringify(arg)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`scale benchmark ${label} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ScaleRunResult;
}

const fmt = (x: number, digits = 0): string => x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const opt = (x: number | null, digits = 0): string => (x === null ? '—' : fmt(x, digits));
const mib = (b: number): number => b / 1024 ** 2;
const verdict = (ok: boolean): string => (ok ? 'met' : '**not met**');
const loads = (): string => loadavg().map((x) => x.toFixed(2)).join(' / ');

export async function scaleSection(options: { month?: boolean } = {}): Promise<string> {
  const title = '## Scale (issue 13)';
  const here = path.dirname(fileURLToPath(import.meta.url));
  const afterDist = path.dirname(here);
  const beforeRoot = process.env.SCHEDLAB_BENCH_BEFORE;
  const builds: Array<['before' | 'after', string]> = [['after', afterDist]];
  if (beforeRoot) {
    const beforeDist = path.join(beforeRoot, 'dist');
    copyFileSync(path.join(here, childName), path.join(beforeDist, 'bench', childName));
    builds.unshift(['before', beforeDist]);
  }
  const dataDir = path.resolve(packageRoot(), '..', 'shared', 'data', 'google-2011');
  const haveGoogle = existsSync(path.join(dataDir, 'task_events'));
  const rows: Row[] = [];
  const loadStart = loads();
  const add = (scenario: string, policy: string, cache: boolean, build: 'before' | 'after', dist: string, arg: { spec: ReplaySpec; parseDir?: string }): void => {
    const label = `${scenario} ${policy} cache ${cache ? 'on' : 'off'} (${build})`;
    process.stderr.write(`bench: scale ${label}...\n`);
    const loadAtStart = loadavg()[0];
    rows.push({ scenario, policy, cache, build, loadAtStart, run: runChild(dist, arg, label) });
  };
  for (const policy of POLICIES) {
    for (const [build, dist] of builds) {
      for (const cache of build === 'before' ? [true] : [true, false]) {
        const common = { policy, seed: SEED, instance: INSTANCE, reactions: PLAIN, scoreCache: cache };
        // nodes/tasks/hours: the CLI's defaults, which a trace ignores (not in `explicit`).
        if (haveGoogle) add('google-2011', policy, cache, build, dist, { spec: { ...common, workload: dataDir, nodes: 100, tasks: 20_000, hours: 24 }, parseDir: dataDir });
        add('L', policy, cache, build, dist, { spec: { ...common, workload: 'synthetic', ...L_SIZE } });
      }
    }
  }
  if (!haveGoogle) process.stderr.write(`bench: scale: google-2011 skipped, ${dataDir} is absent\n`);
  if (options.month !== false) {
    const spec: ReplaySpec = { workload: 'synthetic', policy: 'kube-default', seed: SEED, instance: INSTANCE, reactions: PLAIN, ...MONTH, dynamics: { enabled: true } };
    add('Borg month', 'kube-default', true, 'after', afterDist, { spec });
  }
  const lines = [
    title,
    '',
    `Seed 1, ${INSTANCE} nodes, nothing reacts (\`--preemption none --no-controllers\`), node dynamics off except in the month row; each run in its own process (\`bench/scale-bench-child.ts\`, peak RSS is that run's).`,
    'Google 2011: `schedlab replay --workload ../shared/data/google-2011` (the CSV sample); "parse s" is the bare strict parse of the same task_events files (one pass, gunzip included) timed in the same process just before the replay. L: `schedlab replay --nodes 12,500 --tasks 2,000,000 --hours 38.4`.',
    `Borg month: \`schedlab replay --nodes ${fmt(MONTH.nodes)} --tasks ${fmt(MONTH.tasks)} --hours ${MONTH.hours}\` with node dynamics at their defaults.`,
    '"wall s" = the whole run (open the workload, replay, summary); "replay s" = the simulation alone. "cache" = `--score-cache` (same decisions either way: the scheduled and pending columns must agree).',
    beforeRoot ? `"before" = the same rows on the build in ${path.basename(beforeRoot)} (${beforeRoot}), run in this same bench run.` : '',
    '',
    `**Load average (1 / 5 / 15 min) at the start: ${loadStart}; at the end: ${loads()}** (2 cores; a load above 2 means the runs competed for them).`,
    '',
    '| scenario | policy | build | cache | load | parse s | wall s | replay s | wall / parse | µs/placement | peak RSS MiB | tasks | scheduled | pending at end | node evaluations |',
    '|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => {
      const ratio = r.run.parseSeconds ? fmt(r.run.totalSeconds / r.run.parseSeconds, 1) : '—';
      return `| ${r.scenario} | ${r.policy} | ${r.build} | ${r.cache ? 'on' : 'off'} | ${r.loadAtStart.toFixed(2)} | ${opt(r.run.parseSeconds, 2)} | ${fmt(r.run.totalSeconds, 2)} | ${fmt(r.run.replaySeconds, 2)} | ${ratio} | ${fmt((r.run.replaySeconds * 1e6) / Math.max(1, r.run.placements), 2)} | ${fmt(mib(r.run.peakRssBytes))} | ${fmt(r.run.tasks)} | ${fmt(r.run.scheduled)} | ${fmt(r.run.pendingAtEnd)} | ${opt(r.run.nodeEvaluations)} |`;
    }),
    '',
    'Targets (issue 13):',
  ];
  const after = rows.filter((r) => r.build === 'after' && r.cache);
  for (const r of after) {
    if (r.scenario === 'google-2011' && r.run.parseSeconds) {
      const ratio = r.run.totalSeconds / r.run.parseSeconds;
      lines.push(`- Google 2011, ${r.policy}: replay wall ${fmt(r.run.totalSeconds, 2)} s = ${ratio.toFixed(1)}× the bare parse (${fmt(r.run.parseSeconds, 2)} s) (target ≤ ${TARGET_PARSE_RATIO}×): ${verdict(ratio <= TARGET_PARSE_RATIO)}.`);
    } else if (r.scenario === 'L') {
      lines.push(`- L, ${r.policy}: ${fmt(r.run.totalSeconds, 2)} s wall (target < ${TARGET_L_SECONDS} s): ${verdict(r.run.totalSeconds < TARGET_L_SECONDS)}.`);
    } else if (r.scenario === 'Borg month') {
      const rss = mib(r.run.peakRssBytes);
      lines.push(
        `- Borg month with dynamics: ${fmt(r.run.totalSeconds, 1)} s wall (target < ${TARGET_MONTH_SECONDS} s): ${verdict(r.run.totalSeconds < TARGET_MONTH_SECONDS)}; ` +
          `peak RSS ${fmt(rss)} MiB (target < ${fmt(TARGET_MONTH_RSS_MIB)} MiB): ${verdict(rss < TARGET_MONTH_RSS_MIB)}.`,
      );
    }
  }
  for (const r of rows.filter((x) => x.build === 'after' && !x.cache)) {
    const on = after.find((a) => a.scenario === r.scenario && a.policy === r.policy);
    if (!on) continue;
    const same = on.run.scheduled === r.run.scheduled && on.run.pendingAtEnd === r.run.pendingAtEnd;
    lines.push(`- ${r.scenario}, ${r.policy}: score cache on vs off ${fmt(r.run.totalSeconds, 2)} s → ${fmt(on.run.totalSeconds, 2)} s (${(r.run.totalSeconds / on.run.totalSeconds).toFixed(2)}×); same scheduled and pending counts: ${same ? 'yes' : '**no**'}.`);
  }
  for (const r of rows.filter((x) => x.build === 'before')) {
    const now = after.find((a) => a.scenario === r.scenario && a.policy === r.policy);
    if (now) lines.push(`- ${r.scenario}, ${r.policy}: before → after ${fmt(r.run.totalSeconds, 2)} s → ${fmt(now.run.totalSeconds, 2)} s wall (${(r.run.totalSeconds / now.run.totalSeconds).toFixed(2)}× faster), peak RSS ${fmt(mib(r.run.peakRssBytes))} → ${fmt(mib(now.run.peakRssBytes))} MiB.`);
  }
  lines.push('');
  return lines.filter((l, i, all) => !(l === '' && all[i - 1] === '')).join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  process.stdout.write(await scaleSection({ month: !process.argv.includes('--no-month') }));
}
