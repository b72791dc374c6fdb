/**
 * One scale benchmark run in its own process, so peak RSS is that run's alone. Prints one JSON line.
 *   node scale-bench-child.js '{"spec": <ReplaySpec>, "parseDir": "<Google 2011 folder>"?}'
 * With `parseDir`, first times the bare parse of that trace's task_events (the strict parser, one
 * pass, as the trace benchmark's parse row) in the same process, then the replay — the issue's
 * "report both figures from one run".
 */
import { runSpec, type ReplaySpec } from '../harness/replay-spec.js';
import { benchGoogle2011Parse } from './trace-parse-bench.js';

export interface ScaleRunResult {
  parseSeconds: number | null;
  parseRows: number | null;
  /** runSpec end to end: open the workload, replay, summarize. */
  totalSeconds: number;
  /** The simulation alone. */
  replaySeconds: number;
  peakRssBytes: number;
  tasks: number;
  scheduled: number;
  placements: number;
  pendingAtEnd: number;
  nodeEvaluations: number | null;
  evictions: number | null;
  oomKills: number | null;
}

const arg = JSON.parse(process.argv[2]) as { spec: ReplaySpec; parseDir?: string };
let parseSeconds: number | null = null;
let parseRows: number | null = null;
if (arg.parseDir) {
  const p = await benchGoogle2011Parse(arg.parseDir);
  parseSeconds = p.seconds;
  parseRows = p.rows;
}
const t0 = performance.now();
const { summary, wallSeconds, result } = await runSpec(arg.spec);
const totalSeconds = (performance.now() - t0) / 1000;
const out: ScaleRunResult = {
  parseSeconds,
  parseRows,
  totalSeconds,
  replaySeconds: wallSeconds,
  peakRssBytes: process.resourceUsage().maxRSS * 1024,
  tasks: summary.tasks.submitted,
  scheduled: summary.tasks.scheduled,
  placements: summary.events.start,
  pendingAtEnd: summary.tasks.pendingAtEnd,
  nodeEvaluations: result.dynamics?.nodeEvaluations ?? null,
  evictions: summary.dynamics?.kubeletEvictions ?? null,
  oomKills: summary.dynamics?.oomKills ?? null,
};
process.stdout.write(JSON.stringify(out) + '\n');
