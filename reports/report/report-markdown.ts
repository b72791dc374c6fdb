import type { ReportInput, ReportTable } from './report-input.js';

/**
 * report.md: the same report for a README or a paper draft. Each chart is its PNG (NAME.png,
 * written beside report.md by reports/charts/ writeCharts) as a relative image link, with its
 * caption; the summary tables are GitHub-flavoured Markdown tables, numbers aligned right.
 */
export function reportMarkdown(input: ReportInput): string {
  const out: string[] = [`# ${inline(input.title)}`, ''];
  if (input.lines?.length) out.push(...input.lines.map((l) => `${inline(l)}  `), '');
  for (const c of input.charts) {
    out.push(`## ${inline(c.title)}`, '', `![${inline(c.title)}](${encodeURI(`${c.name}.png`)})`, '', `*${inline(c.caption)}*`, '');
  }
  for (const t of input.tables) out.push(...tableMarkdown(t), '');
  if (input.notes?.length) out.push('## Notes', '', ...input.notes.map((n) => `- ${inline(n)}`), '');
  return out.join('\n');
}

const NUMERIC = /^[-+]?\$?[\d,]+(\.\d+)?\s*(%|s|h|×)?$/;

function tableMarkdown(t: ReportTable): string[] {
  const numeric = t.header.map((_, c) => c > 0 && t.rows.length > 0 && t.rows.every((r) => r[c] === undefined || r[c].trim() === '' || NUMERIC.test(r[c].trim()) || r[c] === 'n/a'));
  const row = (cells: readonly string[]) => `| ${t.header.map((_, c) => cell(cells[c] ?? '')).join(' | ')} |`;
  return [
    `## ${inline(t.title)}`,
    '',
    row(t.header),
    `|${t.header.map((_, c) => (numeric[c] ? ' ---: ' : ' --- ')).join('|')}|`,
    ...t.rows.map(row),
  ];
}

/** A table cell: pipes escaped, leading spaces (sub-rows such as a pending reason) kept as non-breaking. */
function cell(text: string): string {
  const lead = /^ */.exec(text)![0].length;
  return '\u00a0'.repeat(lead) + inline(text.slice(lead)).replace(/\|/g, '\\|');
}

/** One line of Markdown text: newlines folded; characters that would start markup escaped. */
function inline(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/([\\`*_[\]<>])/g, '\\$1');
}
