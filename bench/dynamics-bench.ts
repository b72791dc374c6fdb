/**
 * Node-dynamics benchmark (issue 10): what usage over time, QoS, kubelet eviction, OOM kills and
 * throttling cost on top of the reservation-only replay. Synthetic S, M, L (REPLAY_SIZES) and the
 * Google 2011 window, each with dynamics off and on, L also with memory overcommit; every run in
 * its own process (bench/dynamics-bench-child.ts), seed 1, kube-default.
 * `dynamicsSection()` returns the BENCHMARKS.md section; `node dist/bench/dynamics-bench.js`
 * prints it alone.
 * Targets (issue 10, "Speed"): dynamics cost ≤ 2× the same replay without them; L with dynamics
 * under 120 s and under 3 GiB on this 2-core machine.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../model/package-root.js';
import type { ReplaySpec } from '../harness/replay-spec.js';
import { REPLAY_SIZES } from './replay-bench.js';
import type { DynamicsRunResult } from './dynamics-bench-child.js';

const POLICY = 'kube-default';
const SEED = 1;
const INSTANCE = 'm5.2xlarge';
const OVERCOMMIT = 'memory=1.5';
const TARGET_RATIO = 2;
const TARGET_L_SECONDS = 120;
const TARGET_L_MIB = 3 * 1024;

interface DynamicsBenchRow {
  /** S, M, L or google-2011. */
  size: string;
  dynamics: boolean;
  overcommit: string | null;
  /** 1-minute load average when the row started. */
  loadAtStart: number;
  run: DynamicsRunResult;
}

function runChild(spec: ReplaySpec, label: string): DynamicsRunResult {
  const child = fileURLToPath(new URL('./dynamics-bench-child.js', import.meta.url));
  const r = spawnSync(process.execPath, [child, JSON.stringify(spec)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`dynamics benchmark ${label} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as DynamicsRunResult;
}

function benchRow(size: string, base: ReplaySpec, dynamics: boolean, overcommit: string | null): DynamicsBenchRow {
  const label = `${size} dynamics ${dynamics ? 'on' : 'off'}${overcommit ? ` overcommit ${overcommit}` : ''}`;
  process.stderr.write(`bench: dynamics ${label}...\n`);
  const loadAtStart = loadavg()[0];
  const spec: ReplaySpec = dynamics ? { ...base, dynamics: { enabled: true, ...(overcommit ? { overcommit } : {}) } } : base;
  return { size, dynamics, overcommit, loadAtStart, run: runChild(spec, label) };
}

const fmt = (x: number, digits = 0): string => x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const opt = (x: number | null, digits = 0): string => (x === null ? '—' : fmt(x, digits));
const mib = (b: number): number => b / 1024 ** 2;
const verdict = (ok: boolean): string => (ok ? 'met' : '**not met**');
const loads = (): string => loadavg().map((x) => x.toFixed(2)).join(' / ');

export async function dynamicsSection(): Promise<string> {
  const title = '## Node dynamics (issue 10)';
  const loadStart = loads();
  const rows: DynamicsBenchRow[] = [];
  for (const s of REPLAY_SIZES) {
    const base: ReplaySpec = { workload: 'synthetic', policy: POLICY, seed: SEED, nodes: s.nodes, tasks: s.tasks, hours: s.hours, instance: INSTANCE };
    rows.push(benchRow(s.size, base, false, null));
    rows.push(benchRow(s.size, base, true, null));
    if (s.size === 'L') rows.push(benchRow(s.size, base, true, OVERCOMMIT));
  }
  const dataDir = path.join(packageRoot(), '..', 'shared', 'data', 'google-2011');
  const haveGoogle = existsSync(path.join(dataDir, 'task_events'));
  if (haveGoogle) {
    // As the trace benchmark replays it: the CSV sample, kube-default, seed 1. Machines and tasks come
    // from the trace; nodes / tasks / hours are the CLI's defaults (cli/options.ts), which a trace
    // ignores unless they are given explicitly.
    const base: ReplaySpec = { workload: dataDir, policy: POLICY, seed: SEED, nodes: 100, tasks: 20_000, hours: 24, instance: INSTANCE };
    rows.push(benchRow('google-2011', base, false, null));
    rows.push(benchRow('google-2011', base, true, null));
  } else {
    process.stderr.write(`bench: dynamics: google-2011 skipped, ${dataDir} is absent\n`);
  }
  const loadEnd = loads();

  const offOf = (r: DynamicsBenchRow): DynamicsBenchRow | undefined => rows.find((o) => o.size === r.size && !o.dynamics);
  const ratio = (r: DynamicsBenchRow): number | null => {
    const off = offOf(r);
    return r.dynamics && off ? r.run.totalSeconds / off.run.totalSeconds : null;
  };
  const replayRatio = (r: DynamicsBenchRow): number | null => {
    const off = offOf(r);
    return r.dynamics && off ? r.run.replaySeconds / off.run.replaySeconds : null;
  };
  const usageSources = [...new Set(rows.filter((r) => r.dynamics).map((r) => `${r.size}: ${r.run.usageSource}`))];

  const lines = [
    title,
    '',
    `Seed ${SEED}, ${POLICY}, ${INSTANCE} nodes for the synthetic sizes (bench/replay-bench.ts REPLAY_SIZES); each run in its own process ` +
      '(`bench/dynamics-bench-child.ts`, peak RSS is that run\'s). Dynamics "on" = the CLI defaults (usage auto, housekeeping 10 s, ' +
      '`memory.available<100Mi`, transition period 5 m, no overcommit); "+ oc" adds `--overcommit ' + OVERCOMMIT + '`.',
    'Command per row: `schedlab replay --nodes N --tasks T --hours H --policy kube-default --seed 1` with `--no-dynamics` (off), ' +
      `nothing more (on), \`--overcommit ${OVERCOMMIT}\` (on + oc); Google 2011: \`--workload ../shared/data/google-2011\` (the CSV sample, read as the trace benchmark reads it).`,
    `"wall s" = the whole run in-process (open the workload, dynamics set-up, replay, summary); "replay s" = the simulation alone (usage assignment included). ` +
      'The on/off ratio is on wall s (replay s in brackets). Evaluations/s = node evaluations ÷ wall s.',
    '',
    `**Load average (1 / 5 / 15 min) at the start: ${loadStart}; at the end: ${loadEnd}** — the machine (2 cores) was shared with other work during the run; ` +
      'the "load" column is the 1-minute load when each row started. A load above 2 means the runs competed for the cores and their wall times are inflated.',
    '',
    '| size | dynamics | nodes | tasks | load | wall s | replay s | on/off | peak RSS MiB | node evaluations | evaluations/s | housekeeping ticks | evictions | OOM kills | throttled CPU-s | pending at end |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => {
      const q = ratio(r);
      const rq = replayRatio(r);
      const mode = r.dynamics ? (r.overcommit ? `on + oc ${r.overcommit}` : 'on') : 'off';
      return (
        `| ${r.size} | ${mode} | ${fmt(r.run.machines)} | ${fmt(r.run.tasks)} | ${r.loadAtStart.toFixed(2)} | ${fmt(r.run.totalSeconds, 2)} | ${fmt(r.run.replaySeconds, 2)} | ` +
        `${q === null ? '—' : `${q.toFixed(2)} (${rq!.toFixed(2)})`} | ${fmt(mib(r.run.peakRssBytes))} | ${opt(r.run.nodeEvaluations)} | ` +
        `${r.run.nodeEvaluations === null ? '—' : fmt(r.run.nodeEvaluations / r.run.totalSeconds)} | ${opt(r.run.housekeepingTicks)} | ${opt(r.run.kubeletEvictions)} | ` +
        `${opt(r.run.oomKills)} | ${opt(r.run.throttledCpuSeconds, 0)} | ${fmt(r.run.pendingAtEnd)} |`
      );
    }),
    '',
    `Usage source per size (as the dynamics stated it): ${usageSources.join('; ')}.`,
    ...(haveGoogle ? [] : [`Google 2011 rows skipped: ${dataDir} is absent (see ../shared/data/README.md).`]),
    '',
    'Targets (issue 10):',
  ];
  for (const r of rows.filter((x) => x.dynamics)) {
    const q = ratio(r);
    if (q === null) continue;
    const mode = r.overcommit ? ` + oc ${r.overcommit}` : '';
    const extra = r.run.totalSeconds - offOf(r)!.run.totalSeconds;
    lines.push(
      `- ${r.size}${mode}: dynamics cost ${q.toFixed(2)}× the replay without them, ${extra >= 0 ? '+' : '−'}${fmt(Math.abs(extra), 2)} s ` +
        `(replay alone ${replayRatio(r)!.toFixed(2)}×; target ≤ ${TARGET_RATIO}×): ${verdict(q <= TARGET_RATIO)}.`,
    );
  }
  for (const r of rows.filter((x) => x.size === 'L' && x.dynamics)) {
    const mode = r.overcommit ? ` + oc ${r.overcommit}` : '';
    const s = r.run.totalSeconds;
    const m = mib(r.run.peakRssBytes);
    lines.push(
      `- L with dynamics${mode}: ${fmt(s, 1)} s wall (target < ${TARGET_L_SECONDS} s): ${verdict(s < TARGET_L_SECONDS)}; ` +
        `peak RSS ${fmt(m)} MiB (target < ${fmt(TARGET_L_MIB)} MiB): ${verdict(m < TARGET_L_MIB)}.`,
    );
  }
  lines.push('');
  return lines.join('\n');
}

const invoked = process.argv[1] !== undefined && /dynamics-bench\.(js|ts)$/.test(process.argv[1]);
if (invoked) {
  dynamicsSection()
    .then((s) => process.stdout.write(s))
    .catch((e) => {
      console.error(e instanceof Error ? e.stack : e);
      process.exit(1);
    });
}
