/**
 * Reactions benchmark (issue 12): what preemption, controllers, failures and autoscaling cost on
 * top of the same replay without them. Rows: the Google 2011 window (its machine events are in the
 * trace) plain and with Borg-band preemption and controllers; synthetic L plain and with a node
 * failure model and the cluster autoscaler. Every run in its own process
 * (bench/reactions-bench-child.ts), seed 1, kube-default, node dynamics at their defaults in both.
 * `reactionsSection()` returns the BENCHMARKS.md section; `node dist/bench/reactions-bench.js`
 * prints it alone. Target (issue 12, "Speed"): each under 2× the plain replay's time.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../model/package-root.js';
import type { ReplaySpec } from '../harness/replay-spec.js';
import type { ReactionsSpec } from '../harness/reactions/reactions-spec.js';
import { REPLAY_SIZES } from './replay-bench.js';
import type { ReactionsRunResult } from './reactions-bench-child.js';

const POLICY = 'kube-default';
const SEED = 1;
const INSTANCE = 'm5.2xlarge';
const TARGET_RATIO = 2;
/** Nothing reacts: the plain replay. */
const PLAIN: ReactionsSpec = { preemption: 'none', controllers: false };
/** L: a node fails about once a month (exponential, MTTR 2 h), and one group of the run's instance type scales between 0 and twice the cluster. */
const L_FAILURES = 'mtbf=720h,mttr=2h';
const L_GROUPS = (nodes: number): string => `name=pool,instance=${INSTANCE},min=0,max=${2 * nodes}`;

interface Row {
  size: string;
  mode: string;
  command: string;
  loadAtStart: number;
  run: ReactionsRunResult;
}

function runChild(spec: ReplaySpec, label: string): ReactionsRunResult {
  const child = fileURLToPath(new URL('./reactions-bench-child.js', import.meta.url));
  const r = spawnSync(process.execPath, [child, JSON.stringify(spec)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`reactions benchmark ${label} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ReactionsRunResult;
}

function row(size: string, mode: string, command: string, spec: ReplaySpec): Row {
  process.stderr.write(`bench: reactions ${size} ${mode}...\n`);
  const loadAtStart = loadavg()[0];
  return { size, mode, command, loadAtStart, run: runChild(spec, `${size} ${mode}`) };
}

const fmt = (x: number, digits = 0): string => x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const opt = (x: number | null, digits = 0): string => (x === null ? '—' : fmt(x, digits));
const mib = (b: number): number => b / 1024 ** 2;
const verdict = (ok: boolean): string => (ok ? 'met' : '**not met**');
const loads = (): string => loadavg().map((x) => x.toFixed(2)).join(' / ');

export async function reactionsSection(): Promise<string> {
  const title = '## Cluster reactions (issue 12)';
  const loadStart = loads();
  const rows: Row[] = [];
  const dataDir = path.join(packageRoot(), '..', 'shared', 'data', 'google-2011');
  const haveGoogle = existsSync(path.join(dataDir, 'task_events'));
  if (haveGoogle) {
    const base: ReplaySpec = { workload: dataDir, policy: POLICY, seed: SEED, nodes: 100, tasks: 20_000, hours: 24, instance: INSTANCE, dynamics: { enabled: true } };
    rows.push(row('google-2011', 'plain', '--preemption none --no-controllers', { ...base, reactions: PLAIN }));
    rows.push(row('google-2011', 'borg preemption + controllers', '--preemption borg', { ...base, reactions: { preemption: 'borg' } }));
  } else {
    process.stderr.write(`bench: reactions: google-2011 skipped, ${dataDir} is absent\n`);
  }
  const L = REPLAY_SIZES.find((s) => s.size === 'L')!;
  const lBase: ReplaySpec = { workload: 'synthetic', policy: POLICY, seed: SEED, nodes: L.nodes, tasks: L.tasks, hours: L.hours, instance: INSTANCE, dynamics: { enabled: true } };
  rows.push(row('L', 'plain', '--preemption none --no-controllers', { ...lBase, reactions: PLAIN }));
  rows.push(
    row('L', 'failures + autoscaler (+ borg preemption, controllers)', `--failures ${L_FAILURES} --node-groups '${L_GROUPS(L.nodes)}'`, {
      ...lBase,
      reactions: { failures: L_FAILURES, nodeGroups: L_GROUPS(L.nodes) },
    }),
  );
  const loadEnd = loads();
  const plainOf = (r: Row): Row | undefined => rows.find((o) => o.size === r.size && o.mode === 'plain');
  const ratio = (r: Row): number | null => {
    const p = plainOf(r);
    return r.mode !== 'plain' && p ? r.run.totalSeconds / p.run.totalSeconds : null;
  };
  const lines = [
    title,
    '',
    `Seed ${SEED}, ${POLICY}, node dynamics on (the CLI defaults) in every row; each run in its own process (\`bench/reactions-bench-child.ts\`, peak RSS is that run's). ` +
      '"plain" = nothing reacts (`--preemption none --no-controllers`); the other row adds what its command says to the same replay. ' +
      `Google 2011: \`schedlab replay --workload ../shared/data/google-2011\` (the CSV sample; its machine ADD/REMOVE events are replayed in both rows). L: \`schedlab replay --nodes ${fmt(L.nodes)} --tasks ${fmt(L.tasks)} --hours ${L.hours}\`.`,
    '"wall s" = the whole run in-process (open, set up, replay, summary); "replay s" = the simulation alone. The ratio is on wall s (replay s in brackets).',
    '',
    `**Load average (1 / 5 / 15 min) at the start: ${loadStart}; at the end: ${loadEnd}** (2 cores; a load above 2 means the runs competed for them).`,
    '',
    '| size | reactions | options | nodes | tasks | load | wall s | replay s | ratio | peak RSS MiB | preemptions | victims | nodes examined / search | node failures | taint evictions | nodes added / removed | mean availability | pending at end |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => {
      const q = ratio(r);
      const p = plainOf(r);
      const perSearch = r.run.nodesExamined !== null && r.run.searches ? r.run.nodesExamined / r.run.searches : null;
      return (
        `| ${r.size} | ${r.mode} | \`${r.command}\` | ${fmt(r.run.machines)} | ${fmt(r.run.tasks)} | ${r.loadAtStart.toFixed(2)} | ${fmt(r.run.totalSeconds, 2)} | ${fmt(r.run.replaySeconds, 2)} | ` +
        `${q === null ? '—' : `${q.toFixed(2)} (${(r.run.replaySeconds / p!.run.replaySeconds).toFixed(2)})`} | ${fmt(mib(r.run.peakRssBytes))} | ${opt(r.run.preemptions)} | ${opt(r.run.victims)} | ` +
        `${opt(perSearch, 1)} | ${opt(r.run.nodeFailures)} | ${opt(r.run.taintEvictions)} | ${r.run.nodesAdded === null ? '—' : `${fmt(r.run.nodesAdded)} / ${fmt(r.run.nodesRemoved ?? 0)}`} | ` +
        `${r.run.meanAvailability === null ? '—' : `${(r.run.meanAvailability * 100).toFixed(1)}%`} | ${fmt(r.run.pendingAtEnd)} |`
      );
    }),
    ...(haveGoogle ? [] : ['', `Google 2011 rows skipped: ${dataDir} is absent (see ../shared/data/README.md).`]),
    '',
    'Targets (issue 12):',
  ];
  for (const r of rows) {
    const q = ratio(r);
    if (q === null) continue;
    lines.push(`- ${r.size} with ${r.mode}: ${q.toFixed(2)}× the plain replay (target < ${TARGET_RATIO}×): ${verdict(q < TARGET_RATIO)}.`);
  }
  lines.push('');
  return lines.join('\n');
}

const invoked = process.argv[1] !== undefined && /reactions-bench\.(js|ts)$/.test(process.argv[1]);
if (invoked) {
  reactionsSection()
    .then((s) => process.stdout.write(s))
    .catch((e) => {
      console.error(e instanceof Error ? e.stack : e);
      process.exit(1);
    });
}
