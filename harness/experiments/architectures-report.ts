import type { ArchitecturesExperimentResult } from './architectures-experiment.js';
import { architecturesCharts } from '../../reports/charts/architectures-charts.js';
import type { ReportInput } from '../../reports/report/report-input.js';
import { renderTable } from '../../reports/text-table.js';

const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : 'n/a');
const s = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');

/** The sweep's table: one row per architecture and service t_job. */
export function architecturesTable(r: ArchitecturesExperimentResult): { header: string[]; rows: string[][] } {
  return {
    header: ['architecture', 'service t_job (s)', 'service busyness', 'batch busyness', 'conflict fraction', 'service unscheduled', 'service abandoned', 'batch unscheduled', 'service wait (s)', 'batch wait (s)', 'CPU locked'],
    rows: r.points.map((p) => [p.variant, String(p.serviceTJob), pct(p.serviceBusyness), pct(p.batchBusyness), pct(p.serviceConflictFraction), pct(p.serviceUnscheduled), pct(p.serviceAbandoned), pct(p.batchUnscheduled), s(p.serviceWaitFirst), s(p.batchWaitFirst), pct(p.lockedCpu)]),
  };
}

function heading(r: ArchitecturesExperimentResult): string[] {
  return [
    `Scheduler architectures (Schwarzkopf et al., "Omega", EuroSys'13 §4): ${r.workload}`,
    `${r.nodes.toLocaleString('en-US')} nodes; ${r.jobs.batch.toLocaleString('en-US')} batch and ${r.jobs.service.toLocaleString('en-US')} service jobs; policy ${r.policy}; seed ${r.seed}; batch t_job 0.1 s, t_task 5 ms; service t_job swept`,
  ];
}

export function renderArchitecturesReport(r: ArchitecturesExperimentResult): string {
  const t = architecturesTable(r);
  return [...heading(r), '', renderTable(t.header, t.rows.map((row) => row as [string, ...string[]]))].join('\n');
}

export function architecturesReportInput(r: ArchitecturesExperimentResult): ReportInput {
  const t = architecturesTable(r);
  return {
    title: 'schedlab experiment architectures',
    lines: heading(r),
    charts: architecturesCharts(r),
    tables: [{ title: 'Architectures by service decision time', header: t.header, rows: t.rows }],
    notes: r.notes,
  };
}
