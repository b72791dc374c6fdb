import type { ChartSpec } from '../charts/chart-spec.js';
import type { RunSummary } from '../summary.js';
import { fleetLines, summaryRows } from '../summary-table.js';
import { savingsPerYear } from '../savings.js';
import { formatDollars } from '../cost.js';
import type { ReportInput, ReportTable } from './report-input.js';

/** One replay of a report: its column label and its summary (run.json). */
export interface ReportRun {
  label: string;
  summary: RunSummary;
  workloadNotes: readonly string[];
}

/**
 * The summary table of one or more replays side by side: the rows of `schedlab replay` /
 * `schedlab compare` (reports/summary-table.ts), and with several runs the savings per year of
 * each against the first (reports/savings.ts), as compare prints them.
 */
export function runsTable(runs: readonly ReportRun[]): ReportTable {
  const summaries = runs.map((r) => r.summary);
  const rows: string[][] = summaryRows(summaries);
  if (runs.length > 1) rows.push([`savings/yr vs ${runs[0].label}`, ...summaries.map((s) => formatDollars(savingsPerYear(summaries[0], s)))]);
  return { title: 'Summary', header: ['', ...runs.map((r) => r.label)], rows };
}

/**
 * The report of a replay (one run) or a comparison (several): the title says what ran, the lines
 * the window and the fleet as priced (of the first run), then the charts, the summary table and the
 * workload's notes (each note once, in order).
 */
export function runsReport(runs: readonly ReportRun[], charts: readonly ChartSpec[], command: 'replay' | 'compare' | 'report' = runs.length > 1 ? 'compare' : 'replay'): ReportInput {
  const s0 = runs[0].summary;
  const workloads = [...new Set(runs.map((r) => r.summary.workload))];
  const seeds = [...new Set(runs.map((r) => r.summary.seed))];
  const what = runs.length === 1 ? `policy ${runs[0].label}, ` : `${runs.map((r) => r.label).join(', ')}; `;
  const title = `schedlab ${command} — ${what}workload ${workloads.join(', ')}, seed ${seeds.join(', ')}`;
  const notes = [...new Set(runs.flatMap((r) => r.workloadNotes))];
  const lines = [...fleetLines(s0)];
  if (runs.length > 1) lines.push(`savings/yr: busy-node cost per unit of CPU work placed, against ${runs[0].label}, priced and scaled to a year`);
  return { title, lines, charts, tables: [runsTable(runs)], notes };
}
