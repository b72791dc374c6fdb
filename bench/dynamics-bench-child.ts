/**
 * One node-dynamics benchmark replay in its own process, so peak RSS belongs to that run alone.
 *   node dynamics-bench-child.js '<ReplaySpec JSON>'
 * Prints one JSON line (DynamicsRunResult): wall times, peak RSS and the run's dynamics counters.
 */
import { runSpec, type ReplaySpec } from '../harness/replay-spec.js';

export interface DynamicsRunResult {
  /** runSpec end to end: open the workload, set up the dynamics, replay, summarize. */
  totalSeconds: number;
  /** The simulation alone (Simulator.run, usage-source assignment included). */
  replaySeconds: number;
  peakRssBytes: number;
  machines: number;
  tasks: number;
  scheduled: number;
  pendingAtEnd: number;
  /** null = dynamics off in this run. */
  nodeEvaluations: number | null;
  housekeepingTicks: number | null;
  kubeletEvictions: number | null;
  oomKills: number | null;
  throttledCpuSeconds: number | null;
  /** The usage source the run used, as the dynamics stated it. */
  usageSource: string | null;
}

const spec = JSON.parse(process.argv[2]) as ReplaySpec;
const t0 = performance.now();
const { summary, wallSeconds, result, workload } = await runSpec(spec);
const totalSeconds = (performance.now() - t0) / 1000;
const dyn = summary.dynamics;
const out: DynamicsRunResult = {
  totalSeconds,
  replaySeconds: wallSeconds,
  peakRssBytes: process.resourceUsage().maxRSS * 1024,
  machines: workload.machines.length,
  tasks: summary.tasks.submitted,
  scheduled: summary.tasks.scheduled,
  pendingAtEnd: summary.tasks.pendingAtEnd,
  nodeEvaluations: result.dynamics?.nodeEvaluations ?? null,
  housekeepingTicks: result.dynamics?.housekeepingTicks ?? null,
  kubeletEvictions: dyn?.kubeletEvictions ?? null,
  oomKills: dyn?.oomKills ?? null,
  throttledCpuSeconds: dyn?.throttledCpuSeconds ?? null,
  usageSource: dyn ? String(dyn.settings.usageSource ?? dyn.settings.usage ?? '') : null,
};
process.stdout.write(JSON.stringify(out) + '\n');
