import type { ChartSpec } from '../charts/chart-spec.js';

/** A summary table of a report: a caption, column headers and rows of already formatted cells. */
export interface ReportTable {
  readonly title: string;
  readonly header: readonly string[];
  readonly rows: ReadonlyArray<readonly string[]>;
}

/**
 * What a report shows: a title, a few lines saying what ran (workload, seed, fleet), the charts
 * (Vega-Lite specs with their data inline) and the summary tables. The same input makes
 * report.html (reports/report/report-html.ts) and report.md (reports/report/report-markdown.ts).
 */
export interface ReportInput {
  readonly title: string;
  readonly lines?: readonly string[];
  readonly charts: readonly ChartSpec[];
  readonly tables: readonly ReportTable[];
  /** Notes shown after the tables (the workload's notes, assumptions). */
  readonly notes?: readonly string[];
}
