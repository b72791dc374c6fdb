import type { CompactionExperimentResult, CompactionVariant } from './compaction-experiment.js';
import { MAX_GROWTH } from './compaction.js';
import { compactionChart } from '../../reports/charts/compaction-chart.js';
import type { ReportInput } from '../../reports/report/report-input.js';

/** The text table of `experiment compaction`: one row per variant, the paper's figure beside ours. */
const DESCRIPTION: Record<CompactionVariant['name'], string> = {
  baseline: 'baseline (one cell)',
  segregated: 'production and non-production apart',
  rounded: 'requests rounded up to powers of two',
};

const n = (x: number | null): string => (x === null ? 'n/a' : x.toLocaleString('en-US', { maximumFractionDigits: 1 }));
const signedPct = (x: number | null): string => (x === null ? 'n/a' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`);

function table(rows: string[][]): string {
  const w = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((v, c) => (c === 0 ? v.padEnd(w[c]) : v.padStart(w[c]))).join('  ')).join('\n');
}

/** The table's header and rows (the text table and the HTML/Markdown report share them). */
export function compactionTable(r: CompactionExperimentResult): { header: string[]; rows: string[][] } {
  const [header, ...rows] = tableRows(r);
  return { header, rows };
}

/** What the report at the end of `experiment compaction --out` shows: the table, the figure, the set-up. */
export function compactionReportInput(r: CompactionExperimentResult): ReportInput {
  const t = compactionTable(r);
  return {
    title: 'schedlab experiment compaction',
    lines: renderCompactionReport(r).split('\n').slice(0, 2),
    charts: [compactionChart(r)],
    tables: [{ title: 'Smallest cell that still runs the workload (machines)', header: t.header, rows: t.rows }],
  };
}

function tableRows(r: CompactionExperimentResult): string[][] {
  const rows = [['experiment', 'machines p90', 'min', 'max', 'vs cell', 'vs baseline', 'paper']];
  for (const v of r.variants) {
    rows.push([
      DESCRIPTION[v.name],
      n(v.stats.p90),
      n(v.stats.min),
      n(v.stats.max),
      signedPct(v.stats.p90 === null ? null : v.stats.p90 / r.machines - 1),
      v.name === 'baseline' ? '' : signedPct(v.vsBaseline),
      v.published ?? '',
    ]);
  }
  return rows;
}

export function renderCompactionReport(r: CompactionExperimentResult): string {
  const rows = tableRows(r);
  const lines = [
    `Cell compaction (Verma et al., EuroSys'15 §5.1): ${r.workload}`,
    `cell: ${r.machines.toLocaleString('en-US')} machines; ${r.tasks.toLocaleString('en-US')} tasks at ${r.atHours.toFixed(2)} h (${r.atRule === 'peak' ? 'peak standing requests' : 'as given'}); ${r.seeds.length} seed${r.seeds.length === 1 ? '' : 's'} (${r.seeds[0]}…${r.seeds[r.seeds.length - 1]}); fits = at most ${r.allowedPending.toLocaleString('en-US')} tasks (0.2 %) pending`,
    '',
    table(rows),
  ];
  for (const v of r.variants) {
    if (v.parts) {
      lines.push('', `segregated: production ${v.parts.productionTasks.toLocaleString('en-US')} tasks → p90 ${n(v.parts.production.p90)} machines; non-production ${v.parts.nonProductionTasks.toLocaleString('en-US')} tasks → p90 ${n(v.parts.nonProduction.p90)} (per seed the two are summed)`);
    }
    if (v.requestInflation) {
      lines.push('', `rounded: requests grow by ${Object.entries(v.requestInflation).map(([k, x]) => `${k} ${signedPct(x)}`).join(', ')} (the paper's +30–50 % is in resources)`);
    }
    const unfit = v.stats.unfit;
    if (unfit > 0) lines.push('', `${DESCRIPTION[v.name]}: ${unfit} seed${unfit === 1 ? '' : 's'} did not fit even in ${MAX_GROWTH}× the cell`);
  }
  if (r.variants.some((v) => v.stats.max !== null && v.stats.max > r.machines)) {
    lines.push('', "above the cell's size: the cell was grown by clones of its machines, drawn at random (the standing requests need more than the cell has)");
  }
  lines.push('', ...r.notes.map((x) => `note: ${x}`), '', `wall time ${r.wallSeconds.toFixed(1)} s`);
  return lines.join('\n');
}
