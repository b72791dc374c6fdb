/**
 * One benchmark replay in its own process, so peak RSS belongs to that run alone. Prints one JSON
 * line: wall time, events, placements, peak RSS, and the run's headline figures.
 */
import { runSpec, type ReplaySpec } from '../harness/replay-spec.js';

const spec = JSON.parse(process.argv[2]) as ReplaySpec;
const { summary, wallSeconds, result } = await runSpec(spec);
const events = Object.values(summary.events).reduce((a, b) => a + b, 0);
process.stdout.write(
  JSON.stringify({
    wallSeconds,
    events,
    placements: summary.events.start,
    placementAttempts: result.placementAttempts,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    cpuRequested: summary.utilization.requested.cpu?.mean ?? null,
    memoryRequested: summary.utilization.requested.memory?.mean ?? null,
    pendingAtEnd: summary.tasks.pendingAtEnd,
  }) + '\n',
);
