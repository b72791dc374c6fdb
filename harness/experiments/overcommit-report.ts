import type { OvercommitExperimentResult } from './overcommit-run.js';

/** Header of the experiment's CSV (also how an earlier one is recognized before --force replaces it). */
export const OVERCOMMIT_CSV_HEADER = 'data,predictor,tasks,machines,tasks_per_machine,machine_intervals,savings,violation_rate,usable_cpu_gain,mean_overshoot';

/** RFC 4180: a field holding a comma or a quote is quoted (predictor names carry settings: max:p=99,n=5). */
const csvField = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

const fmt = (x: number, digits = 6) => (Number.isFinite(x) ? Number(x.toFixed(digits)).toString() : '');

/** One row per (data set, predictor); savings, rates and gains as fractions. */
export function overcommitCsv(res: OvercommitExperimentResult): string {
  const lines = [OVERCOMMIT_CSV_HEADER];
  for (const o of res.outcomes) {
    for (const r of o.results) {
      lines.push([o.data, csvField(r.predictor), o.tasks, o.machines, fmt(o.tasksPerMachine, 3), r.intervals, fmt(r.savings), fmt(r.violationRate), fmt(r.usableGain), fmt(r.meanOvershoot)].join(','));
    }
  }
  return lines.join('\n') + '\n';
}

const pct = (x: number, d = 2) => (Number.isFinite(x) ? `${(x * 100).toFixed(d)}%` : '—');

function table(rows: string[][]): string {
  const w = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((v, c) => (c === 0 ? v.padEnd(w[c]) : v.padStart(w[c]))).join('  ')).join('\n');
}

export function renderOvercommitReport(res: OvercommitExperimentResult): string {
  const out = [
    "Peak-prediction overcommit (Bashir et al., EuroSys'21): per machine and 5-minute interval after 2 h of warm-up, the predicted peak (from the past) against the real usage",
    `seed ${res.seed}; usage library ${res.usageLibrary}`,
    '',
  ];
  const rows = [['data', 'predictor', 'machine-intervals', 'savings', 'violation rate', 'usable CPU gained', 'mean overshoot']];
  for (const o of res.outcomes) {
    for (const r of o.results) rows.push([o.data, r.predictor, r.intervals.toLocaleString('en-US'), pct(r.savings), pct(r.violationRate, 3), pct(r.usableGain), pct(r.meanOvershoot, 3)]);
  }
  out.push(table(rows), '');
  for (const o of res.outcomes) {
    out.push(`${o.data}: ${o.note}; ${o.tasks.toLocaleString('en-US')} tasks on ${o.machines.toLocaleString('en-US')} machines (${o.tasksPerMachine.toFixed(2)} per machine), ${o.steps} steps${o.results[0]?.intervals === 0 ? ' — no interval after the 2 h warm-up' : ''}`);
  }
  out.push(
    'savings = mean of 1 − predicted / Σ limits; violation = real usage above the prediction; usable CPU gained = Σ limits / Σ predicted − 1 (more limit admitted than by limits alone); overshoot = (real − predicted) / Σ limits, mean over violations',
    `wall time ${res.wallSeconds.toFixed(1)} s`,
  );
  return out.join('\n');
}
