import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReportInput } from './report-input.js';
import { reportHtml } from './report-html.js';
import { reportMarkdown } from './report-markdown.js';
import { themedSpec, writeCharts } from '../charts/render.js';
import { abandonOutput, beginOutput, commitOutput } from '../../model/atomic-output.js';

export type { ReportInput, ReportTable } from './report-input.js';

/** The files a report adds to a folder, besides each chart's NAME.vl.json, NAME.svg and NAME.png. */
export const REPORT_FILES: readonly string[] = ['report.html', 'report.md'];

/** A chart's file as writeCharts names it: a lower-case dashed stem and .vl.json, .svg or .png. */
const CHART_FILE = /^[a-z0-9]+(?:-[a-z0-9]+)*\.(?:vl\.json|svg|png)$/;

/** A file name a report writes (report.html, report.md, a chart's NAME.vl.json / .svg / .png). */
export function isReportFile(name: string): boolean {
  return REPORT_FILES.includes(name) || CHART_FILE.test(name);
}

/**
 * Writes the report of a results folder into `dir` (which must exist): the charts' files
 * (reports/charts/render.ts writeCharts: NAME.vl.json, NAME.svg, NAME.png), report.html (one
 * self-contained page, reports/report/report-html.ts) and report.md (the PNGs and the tables,
 * reports/report/report-markdown.ts). Each file goes through a hidden temporary renamed into
 * place, so no reader sees half a file. The HTML embeds each spec as NAME.vl.json holds it
 * (schedlab's theme applied), so the browser draws what the PNG shows.
 */
export async function writeReport(dir: string, input: ReportInput): Promise<void> {
  await writeCharts(dir, input.charts);
  const themed = { ...input, charts: input.charts.map((c) => ({ ...c, spec: themedSpec(c) })) };
  writeAtomically(join(dir, 'report.html'), reportHtml(themed));
  writeAtomically(join(dir, 'report.md'), reportMarkdown(input));
}

function writeAtomically(target: string, text: string): void {
  const tmp = beginOutput(target, 'file');
  try {
    writeFileSync(tmp, text);
    commitOutput(tmp, target);
  } catch (e) {
    abandonOutput(tmp);
    throw e;
  }
}
