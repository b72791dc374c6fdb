/**
 * One reactions benchmark replay in its own process, so peak RSS belongs to that run alone.
 *   node reactions-bench-child.js '<ReplaySpec JSON>'
 * Prints one JSON line (ReactionsRunResult): wall times, peak RSS and the run's reaction counters.
 */
import { runSpec, type ReplaySpec } from '../harness/replay-spec.js';

export interface ReactionsRunResult {
  /** runSpec end to end: open the workload, set up, replay, summarize. */
  totalSeconds: number;
  /** The simulation alone. */
  replaySeconds: number;
  peakRssBytes: number;
  machines: number;
  tasks: number;
  scheduled: number;
  pendingAtEnd: number;
  machineEvents: number;
  preemptions: number | null;
  victims: number | null;
  nodesExamined: number | null;
  searches: number | null;
  nodeFailures: number | null;
  taintEvictions: number | null;
  nodesAdded: number | null;
  nodesRemoved: number | null;
  meanAvailability: number | null;
  costPerYear: number;
}

const spec = JSON.parse(process.argv[2]) as ReplaySpec;
const t0 = performance.now();
const { summary, wallSeconds, workload } = await runSpec(spec);
const totalSeconds = (performance.now() - t0) / 1000;
const x = summary.reactions;
const out: ReactionsRunResult = {
  totalSeconds,
  replaySeconds: wallSeconds,
  peakRssBytes: process.resourceUsage().maxRSS * 1024,
  machines: workload.machines.length,
  tasks: summary.tasks.submitted,
  scheduled: summary.tasks.scheduled,
  pendingAtEnd: summary.tasks.pendingAtEnd,
  machineEvents: workload.machineEvents.length,
  preemptions: x?.preemption?.preemptions ?? null,
  victims: x?.preemption?.victims ?? null,
  nodesExamined: x?.preemption?.nodesExamined ?? null,
  searches: x?.preemption?.searches ?? null,
  nodeFailures: x?.failures?.nodeFailures ?? null,
  taintEvictions: x?.failures?.taintEvictions ?? null,
  nodesAdded: x?.autoscaler?.nodesAdded ?? null,
  nodesRemoved: x?.autoscaler?.nodesRemoved ?? null,
  meanAvailability: x?.availability?.meanAvailability ?? null,
  costPerYear: summary.cost.perYear,
};
process.stdout.write(JSON.stringify(out) + '\n');
