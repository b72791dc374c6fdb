import type { ArchitectureResults } from './architecture-results.js';
import { formatDollars } from './cost.js';
import { renderTable } from './text-table.js';

const pct = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : 'n/a');
const num = (x: number): string => x.toLocaleString('en-US');
const secs = (x: number): string => (Number.isFinite(x) ? `${x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} s` : 'n/a');

/** The plain-text summary of one architecture run: schedulers, then jobs per kind, then the cell. */
export function renderArchitectureSummary(r: ArchitectureResults): string {
  const sched = renderTable(
    ['scheduler', 'busyness', 'useful', 'wasted', 'no fit', 'attempts', 'transactions', 'conflict fraction'],
    r.schedulers.map((s) => [s.name, pct(s.busyness), secs(s.usefulSeconds), secs(s.wastedSeconds), secs(s.noFitSeconds), num(s.attempts), num(s.transactions), pct(s.conflictFraction)]),
  );
  const kinds = ['batch', 'service', 'all'] as const;
  const row = (label: string, f: (k: (typeof kinds)[number]) => string): [string, ...string[]] => [label, ...kinds.map(f)];
  const jobs = renderTable(
    ['jobs', ...kinds],
    [
      row('submitted', (k) => num(r.jobs[k].submitted)),
      row('fully placed', (k) => num(r.jobs[k].fullyPlaced)),
      row('abandoned', (k) => num(r.jobs[k].abandoned)),
      row('waiting at end', (k) => num(r.jobs[k].waitingAtEnd)),
      row('tasks placed', (k) => `${num(r.jobs[k].tasksPlaced)} / ${num(r.jobs[k].tasksSubmitted)}`),
      row('wait to first task, mean', (k) => secs(r.jobs[k].waitFirst.mean)),
      row('wait to first task, p90', (k) => secs(r.jobs[k].waitFirst.p90)),
      row('wait to last task, mean', (k) => secs(r.jobs[k].waitFull.mean)),
      row('wait to last task, p90', (k) => secs(r.jobs[k].waitFull.p90)),
      row('attempts per job, mean', (k) => (Number.isFinite(r.jobs[k].attemptsMean) ? r.jobs[k].attemptsMean.toFixed(2) : 'n/a')),
    ],
  );
  const cell = renderTable(
    ['cell', 'value'],
    [
      ['nodes', num(r.nodes)],
      ['window', secs(r.windowSeconds)],
      ...Object.keys(r.allocation).map((n): [string, string] => [`${n} requested (time mean)`, pct(r.allocation[n])]),
      ...Object.keys(r.locked)
        .filter((n) => r.locked[n] > 0)
        .map((n): [string, string] => [`${n} locked in offers (time mean)`, pct(r.locked[n])]),
      ['machine cost', formatDollars(r.cost.machineDollars)],
      ['idle cost (CPU not requested)', formatDollars(r.cost.idleDollars)],
    ],
  );
  const extra = Object.entries(r.extra).map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  return [`architecture ${r.architecture}, policy ${r.policy}, workload ${r.workload}, seed ${r.seed}`, '', sched, '', jobs, '', cell, ...(extra.length > 0 ? ['', ...extra] : []), ''].join('\n');
}
