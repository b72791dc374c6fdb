import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ReplaySpec } from '../harness/replay-spec.js';

/**
 * Replay benchmark sizes (issue 2): S, M and L (a Borg cell). Hours are chosen so every size
 * offers the same load per node (about 4.2 tasks per node-hour, as S: 10,000 tasks on 100 nodes in
 * 24 h), so per-placement times compare like with like.
 */
export const REPLAY_SIZES = [
  { size: 'S', nodes: 100, tasks: 10_000, hours: 24 },
  { size: 'M', nodes: 1_000, tasks: 200_000, hours: 48 },
  { size: 'L', nodes: 12_500, tasks: 2_000_000, hours: 38.4 },
] as const;
export const REPLAY_POLICIES = ['kube-default', 'best-fit'] as const;

export interface ReplayBenchRow {
  size: string;
  policy: string;
  nodes: number;
  tasks: number;
  hours: number;
  wallSeconds: number;
  events: number;
  eventsPerSecond: number;
  placements: number;
  placementsPerSecond: number;
  microsPerPlacement: number;
  peakRssMiB: number;
  cpuRequested: number | null;
  memoryRequested: number | null;
  pendingAtEnd: number;
}

export function benchReplay(size: (typeof REPLAY_SIZES)[number], policy: string, seed = 1): ReplayBenchRow {
  const spec: ReplaySpec = { workload: 'synthetic', policy, seed, nodes: size.nodes, tasks: size.tasks, hours: size.hours, instance: 'm5.2xlarge' };
  const child = fileURLToPath(new URL('./replay-bench-child.js', import.meta.url));
  const r = spawnSync(process.execPath, [child, JSON.stringify(spec)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`benchmark replay ${size.size}/${policy} failed: ${r.stderr}`);
  const m = JSON.parse(r.stdout.trim().split('\n').pop()!);
  return {
    size: size.size,
    policy,
    nodes: size.nodes,
    tasks: size.tasks,
    hours: size.hours,
    wallSeconds: m.wallSeconds,
    events: m.events,
    eventsPerSecond: m.events / m.wallSeconds,
    placements: m.placements,
    placementsPerSecond: m.placements / m.wallSeconds,
    microsPerPlacement: (m.wallSeconds * 1e6) / m.placements,
    peakRssMiB: m.peakRssBytes / 1024 ** 2,
    cpuRequested: m.cpuRequested,
    memoryRequested: m.memoryRequested,
    pendingAtEnd: m.pendingAtEnd,
  };
}
