import type { ReplaySpec, SpecOutcome } from './replay-spec.js';
import { writeResultsFolder } from '../reports/results-folder.js';
import type { ResultsSpool } from '../reports/results-spool.js';
import { readResultsFolder } from '../reports/results-reader.js';
import { reportOfRuns } from '../reports/report/folder-report.js';
import { writeReport } from '../reports/report/write-report.js';

/**
 * A replay's results folder, as `schedlab replay --out` and the library's `replay({ out })` write
 * it: run.json (spec, seed, notes, summary), the tables, timing.json, and the report. The report
 * reads the folder back, as `schedlab report` would (the charts show what was written), and goes
 * into place with it: a run that fails or is interrupted leaves neither.
 */
export async function writeReplayFolder(out: string, spec: ReplaySpec, run: SpecOutcome, version: string, spool?: ResultsSpool): Promise<void> {
  const { summary, result, workload, wallSeconds } = run;
  const events = Object.values(summary.events).reduce((x, y) => x + y, 0);
  await writeResultsFolder(
    out,
    { schedlab: version, command: 'replay', seed: spec.seed, config: { ...spec }, workloadNotes: workload.notes, summary },
    result,
    workload.jobs,
    { wallSeconds, events, eventsPerSecond: Math.round(events / Math.max(wallSeconds, 1e-9)) },
    (tmp) => writeReport(tmp, reportOfRuns([readResultsFolder(tmp)], undefined, 'replay')),
    spool,
  );
}
