import type { RunSummary } from '../../reports/summary.js';

/** A figure of a cell's summary that the sweep tabulates and averages over seeds. */
export interface SweepMetric {
  /** Column name, unit last (tidy-table style: `delay_p95_s`). */
  name: string;
  unit: string;
  meaning: string;
  /** The figure, or null when the run did not model it (used memory without usage, evictions without dynamics). */
  of: (s: RunSummary) => number | null;
}

const frac = (x: { mean: number | null } | undefined): number | null => x?.mean ?? null;

/** The metrics of every cell, in table order. Each is read straight from the replay's RunSummary (reports/summary.ts). */
export const SWEEP_METRICS: readonly SweepMetric[] = [
  { name: 'busy_nodes_mean', unit: 'nodes', meaning: 'nodes running at least one task, time-weighted mean over the window', of: (s) => s.nodes.meanBusy },
  { name: 'busy_nodes_peak', unit: 'nodes', meaning: 'most nodes running a task at once', of: (s) => s.nodes.peakBusy },
  { name: 'cpu_requested_frac', unit: 'fraction', meaning: 'CPU requested by placed tasks / allocatable, time-weighted', of: (s) => frac(s.utilization.requested.cpu) },
  { name: 'memory_requested_frac', unit: 'fraction', meaning: 'memory requested by placed tasks / allocatable, time-weighted', of: (s) => frac(s.utilization.requested.memory) },
  { name: 'cpu_used_frac', unit: 'fraction', meaning: 'CPU used / allocatable (null when usage is not modeled)', of: (s) => frac(s.utilization.used.cpu) },
  { name: 'memory_used_frac', unit: 'fraction', meaning: 'memory used / allocatable (null when usage is not modeled)', of: (s) => frac(s.utilization.used.memory) },
  { name: 'delay_mean_s', unit: 's', meaning: 'mean scheduling delay of scheduled tasks (submit to first start)', of: (s) => s.schedulingDelaySeconds.mean },
  { name: 'delay_p95_s', unit: 's', meaning: '95th percentile scheduling delay', of: (s) => s.schedulingDelaySeconds.p95 },
  { name: 'tasks_scheduled', unit: 'tasks', meaning: 'tasks placed at least once', of: (s) => s.tasks.scheduled },
  { name: 'tasks_pending_at_end', unit: 'tasks', meaning: 'tasks still waiting at the end of the window', of: (s) => s.tasks.pendingAtEnd },
  { name: 'cost_per_year_usd', unit: 'USD/year', meaning: 'cost of the whole fleet, scaled to a year', of: (s) => s.cost.perYear },
  { name: 'busy_cost_per_year_usd', unit: 'USD/year', meaning: 'cost of the busy nodes only (what a packer could keep), scaled to a year', of: (s) => s.cost.busyPerYear },
  { name: 'evictions', unit: 'attempts', meaning: 'task attempts ended by eviction, OOM kill, preemption or failure (null without node dynamics)', of: (s) => s.dynamics?.evictionsTotal ?? null },
  { name: 'oom_kills', unit: 'attempts', meaning: 'OOM kills (null without node dynamics)', of: (s) => s.dynamics?.oomKills ?? null },
  { name: 'violation_rate', unit: 'fraction', meaning: 'machine-intervals whose tasks asked more than the machine had (null without node dynamics)', of: (s) => s.dynamics?.violationRate ?? null },
];
